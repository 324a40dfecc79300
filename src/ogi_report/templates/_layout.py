"""The shapes a template declaration is made of: columns, rows, tables, cells, templates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["CellSpec", "Column", "RowSpec", "TableSpec", "Template"]


def __dir__() -> list[str]:
    return __all__


def _made_from(instance: Any) -> tuple[Any, ...]:
    """The values an attrs class's ``__init__`` took, in order (what pickle makes it again
    from): its fields but those worked out after."""
    fields = attrs.fields(type(instance))
    return tuple(getattr(instance, field.name) for field in fields if field.init)


@attrs.frozen
class Column:
    """A column of a standard table: key, printed label path (zh), English label, unit."""

    key: str
    zh: tuple[str, ...]
    en: str
    unit: str = "件"

    @property
    def label_zh(self) -> str:
        """The label path joined the way ``cells-*.csv`` writes it (``法人或其他组织·商业企业``)."""
        return "·".join(self.zh)

    @property
    def is_money(self) -> bool:
        """True for amounts in 万元; counts are 件 or 项."""
        return self.unit == "万元"


@attrs.frozen
class RowSpec:
    """A row of a standard table. ``parts`` names the rows an optional subtotal row sums."""

    key: str
    zh: tuple[str, ...]
    en: str
    optional: bool = False
    parts: tuple[str, ...] = ()

    @property
    def label_zh(self) -> str:
        """The label path joined by ``·``, as in ``cells-*.csv``."""
        return "·".join(self.zh)


@attrs.frozen
class TableSpec:
    """A standard table: its key, section, caption and layout (rows x columns)."""

    key: str
    section: int
    caption_zh: str
    caption_en: str
    rows: tuple[RowSpec, ...]
    columns: tuple[Column, ...]
    _codes: Mapping[str, tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)
    standard_row_keys: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    """The row keys every printing of the table has (no optional subtotals)."""

    def __attrs_post_init__(self) -> None:
        standard = tuple(row.key for row in self.rows if not row.optional)
        object.__setattr__(self, "standard_row_keys", standard)
        codes = {
            row.key: tuple(f"s{self.section}.{row.key}.{column.key}" for column in self.columns)
            for row in self.rows
        }
        object.__setattr__(self, "_codes", MappingProxyType(codes))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as what makes it: its index of codes (read-only, which pickle cannot
        # copy) is made again.
        return TableSpec, _made_from(self)

    def row_codes(self, key: str) -> tuple[str, ...]:
        """The canonical codes of row ``key``'s cells, in column order."""
        try:
            return self._codes[key]
        except KeyError:
            raise KeyError(
                f"table {self.key} has no row {key!r}; rows: {', '.join(self.row_keys)}"
            ) from None

    def row(self, key: str) -> RowSpec:
        """Return the row declared under ``key``; ``KeyError`` names the table's rows."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"table {self.key} has no row {key!r}; rows: {', '.join(self.row_keys)}")

    @property
    def row_keys(self) -> tuple[str, ...]:
        """All row keys, optional subtotal rows included, in printed order."""
        return tuple(row.key for row in self.rows)

    @property
    def column_keys(self) -> tuple[str, ...]:
        """All column keys in printed order."""
        return tuple(column.key for column in self.columns)


@attrs.frozen
class CellSpec:
    """One cell of a template: canonical code, where it sits, and its labels."""

    code: str
    table: TableSpec = attrs.field(eq=False, repr=False)
    row: RowSpec = attrs.field(repr=False)
    column: Column = attrs.field(repr=False)

    @property
    def section(self) -> int:
        """The report section (二, 三 or 四) the cell belongs to."""
        return self.table.section

    @property
    def optional(self) -> bool:
        """True for subtotal cells that only some reports print (``cells-optional.csv``)."""
        return self.row.optional

    @property
    def label_zh(self) -> str:
        """Row and column labels in Chinese, e.g. ``一、本年新收政府信息公开申请数量 / 自然人``."""
        return f"{self.row.label_zh} / {self.column.label_zh}"

    @property
    def label_en(self) -> str:
        """Row and column labels in English."""
        return f"{self.row.en} / {self.column.en}"


@attrs.frozen(eq=False)
class Template:
    """One official report format (年度报告格式): its tables and every cell.

    Templates are singletons, compared by identity; get one with
    :func:`ogi_report.templates.get_template`.
    """

    version: str
    first_year: int
    last_year: int | None
    document: str
    tables: tuple[TableSpec, ...]
    _index: Mapping[str, CellSpec] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index = {
            code: CellSpec(code, table, row, column)
            for table in self.tables
            for row in table.rows
            for code, column in zip(table.row_codes(row.key), table.columns)
        }
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __repr__(self) -> str:
        return f"<Template {self.version}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # A format is a singleton: a copy (pickle, deepcopy) of it is the format itself.
        # Another template is pickled as what makes it (its index is made again).
        from . import ALL_TEMPLATES, get_template

        if self in ALL_TEMPLATES:
            return get_template, (self.version,)
        return Template, _made_from(self)

    def table(self, key: str) -> TableSpec:
        """Return the table declared under ``key`` (``s3``, ``s4``, ``s2.article_20_1`` …)."""
        for table in self.tables:
            if table.key == key:
                return table
        known = ", ".join(t.key for t in self.tables)
        raise KeyError(f"the {self.version} format has no table {key!r}; tables: {known}")

    def cell(self, code: str) -> CellSpec:
        """Return the declaration of the cell with canonical ``code``.

        Raises ``KeyError`` with a plain message when the code is not in this template.
        """
        try:
            return self._index[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a cell of the {self.version} format") from None

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def cells(self, *, optional: bool = False) -> Iterator[CellSpec]:
        """Every standard cell in printed order; with ``optional=True`` subtotal cells too."""
        for spec in self._index.values():
            if optional or not spec.optional:
                yield spec

    def applies_to(self, year: int) -> bool:
        """True if reports for ``year`` are due in this format."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)
