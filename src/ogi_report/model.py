"""The report (政府信息公开工作年度报告) as frozen objects: metadata, narrative, tables.

A :class:`Report` holds what one body published for one year, exactly as published:
arithmetic errors are kept, and a report that contradicts itself is still a valid
object (checks report on it; they never change it). What makes an object meaningless
raises at construction: a cell code that the format does not have, a row of the wrong
length, a value that is no cell kind, a negative year.

>>> from ogi_report.templates import get_template
>>> report = Report.from_cells("2021", {"s4.review.upheld": 1, "s4.review.corrected": 0,
...     "s4.review.other": 0, "s4.review.pending": 0, "s4.review.total": 1,
...     "s4.suit_direct.upheld": 0, "s4.suit_direct.corrected": 0, "s4.suit_direct.other": 0,
...     "s4.suit_direct.pending": 0, "s4.suit_direct.total": 0,
...     "s4.suit_after_review.upheld": 0, "s4.suit_after_review.corrected": 0,
...     "s4.suit_after_review.other": 0, "s4.suit_after_review.pending": 0,
...     "s4.suit_after_review.total": BLANK}, metadata=Metadata(agency="示例县人民政府"))
>>> report["s4.review.total"], report["s4.suit_after_review.total"]
(1, BLANK)
>>> report
<Report 2021 示例县人民政府 (year unknown): 1 of 6 tables, 15 cells>
>>> report["s9.nothing.total"]
Traceback (most recent call last):
...
KeyError: "'s9.nothing.total' is not a cell of the 2021 format"
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import Any

import attrs

from .cells import BLANK, CELL_TYPES, Cell, CellKind, Provenance, kind_of
from .dates import parse_date
from .templates import CellSpec, TableSpec, Template, get_template

__all__ = [
    "BLANK",
    "AdminLevel",
    "BodyKind",
    "CellEntry",
    "Metadata",
    "Part",
    "Report",
    "Row",
    "Scope",
    "Section",
    "Table",
    "Unplaced",
]


def __dir__() -> list[str]:
    return __all__


class BodyKind(enum.Enum):
    """The kind of body that publishes the report (报告主体类型)."""

    PEOPLES_GOVERNMENT = "peoples_government"
    """A people's government, 人民政府 (its office publishes the report)."""
    GOVERNMENT_DEPARTMENT = "government_department"
    """A department of a people's government, 人民政府部门."""
    OTHER = "other"
    """Any other body, 其他 (街道办事处, 法律法规授权的组织 …)."""


class AdminLevel(enum.Enum):
    """Administrative level of the body (行政层级)."""

    NATIONAL = "national"
    """国家级."""
    PROVINCIAL = "provincial"
    """省级."""
    PREFECTURAL = "prefectural"
    """地市级."""
    COUNTY = "county"
    """县级."""
    TOWNSHIP = "township"
    """乡镇级 (乡镇, 街道)."""

    @property
    def county_or_above(self) -> bool:
        """True for 县级以上 (county level or above), the bodies 第四十九条 sets deadlines for."""
        return self is not AdminLevel.TOWNSHIP


class Scope(enum.Enum):
    """Whose work the report covers (报告范围)."""

    OWN = "own"
    """The body's own work, 本机关."""
    REGION = "region"
    """A summary of a region's bodies, 本行政区域 (汇总…编制而成)."""


def _to_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise TypeError(f"published_on must be a date or a string, not {type(value).__name__}")


def _check_year(_: object, __: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None:
        return
    if type(value) is not int:
        raise TypeError(f"reporting_year must be an int, not {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"reporting_year must be a positive year, not {value}")


def _optional_str(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str, not {type(value).__name__}")


@attrs.frozen
class Metadata:
    """Who published the report, for which year, when and where it came from.

    >>> Metadata(agency="示例县人民政府", reporting_year=2021, published_on="2022年1月20日")
    Metadata(agency='示例县人民政府', body_kind=None, level=None, reporting_year=2021, \
published_on=datetime.date(2022, 1, 20), scope=None, source=None, notes=None)
    >>> Metadata(reporting_year=-2021)
    Traceback (most recent call last):
    ...
    ValueError: reporting_year must be a positive year, not -2021
    """

    agency: str | None = attrs.field(default=None, validator=_optional_str)
    body_kind: BodyKind | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(BodyKind))
    )
    level: AdminLevel | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(AdminLevel))
    )
    reporting_year: int | None = attrs.field(default=None, validator=_check_year)
    published_on: date | None = attrs.field(default=None, converter=_to_date)
    scope: Scope | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Scope))
    )
    source: str | None = attrs.field(default=None, validator=_optional_str)
    notes: str | None = attrs.field(default=None, validator=_optional_str)


@attrs.frozen
class Part:
    """A stretch of narrative under one sub-heading (小标题), both verbatim."""

    heading: str | None
    text: str


@attrs.frozen
class Section:
    """One of the six sections (一、总体情况 … 六、其他需要报告的事项): heading and text as printed.

    >>> s = Section(6, "六、其他需要报告的事项", (Part(None, "本年度未收取信息处理费。"),))
    >>> s.text
    '本年度未收取信息处理费。'
    """

    number: int = attrs.field()
    heading: str
    parts: tuple[Part, ...] = ()

    @number.validator
    def _check_number(self, _: attrs.Attribute[int], value: int) -> None:
        if type(value) is not int or not 1 <= value <= 6:
            raise ValueError(f"a report has sections 1 to 6, not {value!r}")

    def __attrs_post_init__(self) -> None:
        if type(self.parts) is not tuple:
            object.__setattr__(self, "parts", tuple(self.parts))

    @property
    def text(self) -> str:
        """The section's narrative, sub-headings included, one part per line."""
        return "\n".join(
            part.text if part.heading is None else f"{part.heading}\n{part.text}"
            for part in self.parts
        )


@attrs.frozen
class Row:
    """One printed row of a standard table: its row key and its cells in column order."""

    key: str
    values: tuple[Cell, ...]

    def __attrs_post_init__(self) -> None:
        if type(self.values) is not tuple:
            object.__setattr__(self, "values", tuple(self.values))


_ROW_KEY = attrgetter("key")
_ROW_VALUES = attrgetter("values")


@attrs.frozen(repr=False)
class Table:
    """A standard table as printed: section 2's item tables, section 3, section 4.

    ``rows`` follow the format's order; optional subtotal rows appear only where printed.
    """

    spec: TableSpec
    rows: tuple[Row, ...]

    def __attrs_post_init__(self) -> None:
        # Whole-table checks in C first (this is the load hot path); the slow walk below
        # only runs to name what is wrong.
        spec = self.spec
        rows = self.rows
        if type(rows) is not tuple:
            rows = tuple(rows)
            object.__setattr__(self, "rows", rows)
        if (
            tuple(map(_ROW_KEY, rows)) == spec.standard_row_keys
            and set(map(len, map(_ROW_VALUES, rows))) == {len(spec.columns)}
            and CELL_TYPES.issuperset(map(type, chain.from_iterable(map(_ROW_VALUES, rows))))
        ):
            return
        self._explain_invalid()

    def _explain_invalid(self) -> None:
        spec = self.spec
        width = len(spec.columns)
        expected = iter(spec.rows)
        for row in self.rows:
            if not isinstance(row, Row):
                raise TypeError(f"table {spec.key}: rows must be Row objects, not {row!r}")
            for declared in expected:
                if declared.key == row.key:
                    break
                if not declared.optional:
                    raise ValueError(
                        f"table {spec.key}: row {declared.key!r} is missing before {row.key!r}"
                        " (rows must be complete and in the format's order)"
                    )
            else:
                raise ValueError(
                    f"table {spec.key}: unknown or out-of-order row {row.key!r};"
                    f" rows: {', '.join(spec.row_keys)}"
                )
            if len(row.values) != width:
                raise ValueError(
                    f"table {spec.key}, row {row.key}: {len(row.values)} cells, expected {width}"
                    f" ({', '.join(spec.column_keys)})"
                )
            for column, value in zip(spec.columns, row.values):
                try:
                    kind_of(value)
                except TypeError as error:
                    raise TypeError(
                        f"table {spec.key}, row {row.key}, column {column.key}: {error}"
                    ) from None
        for declared in expected:
            if not declared.optional:
                raise ValueError(f"table {spec.key}: row {declared.key!r} is missing")

    def __repr__(self) -> str:
        return f"<Table {self.spec.key}: {len(self.rows)} rows x {len(self.spec.columns)} columns>"

    @property
    def key(self) -> str:
        """The table's key in its format (``s3``, ``s2.article_20_1`` …)."""
        return self.spec.key

    def row(self, key: str) -> dict[str, Cell]:
        """Row ``key`` as ``{column key: cell}``; ``KeyError`` if the row is not printed."""
        for row in self.rows:
            if row.key == key:
                return dict(zip(self.spec.column_keys, row.values))
        self.spec.row(key)  # raises for a row the format does not have
        raise KeyError(f"table {self.spec.key}: optional row {key!r} is not printed")

    def __getitem__(self, key: tuple[str, str]) -> Cell:
        row, column = key
        try:
            return self.row(row)[column]
        except KeyError as error:
            if column in self.spec.column_keys:
                raise
            raise KeyError(
                f"table {self.spec.key} has no column {column!r};"
                f" columns: {', '.join(self.spec.column_keys)}"
            ) from error

    def items(self) -> Iterator[tuple[str, Cell]]:
        """``(code, cell)`` for every printed cell, row by row."""
        for row in self.rows:
            yield from zip(self.spec.row_codes(row.key), row.values)

    def to_dict(self) -> dict[str, dict[str, Cell]]:
        """``{row key: {column key: cell}}`` for the printed rows."""
        columns = self.spec.column_keys
        return {row.key: dict(zip(columns, row.values)) for row in self.rows}


@attrs.frozen
class Unplaced:
    """Text a reader found but could not place in the report (未能归位的内容), kept, with why."""

    text: str
    reason: str
    provenance: Provenance | None = None


@attrs.frozen
class CellEntry:
    """One cell of a report, with its declaration: what :meth:`Report.cells` lists."""

    spec: CellSpec
    value: Cell
    provenance: Provenance | None = None

    @property
    def code(self) -> str:
        """Canonical code, e.g. ``s3.new.total``."""
        return self.spec.code

    @property
    def kind(self) -> CellKind:
        """Number, blank, not applicable, unreadable, ambiguous or missing."""
        return kind_of(self.value)


def _read_only(where: Mapping[str, Provenance]) -> Mapping[str, Provenance]:
    return MappingProxyType(dict(where))


def _tables_in_order(template: Template, tables: Iterable[Table]) -> tuple[Table, ...]:
    tables = tuple(tables)
    order = {spec.key: i for i, spec in enumerate(template.tables)}
    position = -1
    for table in tables:
        if not isinstance(table, Table):
            raise TypeError(f"tables must be Table objects, not {type(table).__name__}")
        index = order.get(table.spec.key)
        if index is None or template.tables[index] != table.spec:
            raise ValueError(
                f"table {table.spec.key!r} is not a table of the {template.version} format"
            )
        if index <= position:
            raise ValueError(f"table {table.spec.key!r} is repeated or out of the format's order")
        position = index
    return tables


@attrs.frozen(repr=False)
class Report:
    """One annual report: its format, metadata, standard tables and (if known) narrative.

    ``sections`` is ``None`` when the source carried no narrative (a cells-JSON file);
    an empty tuple means the report printed none.
    """

    template: Template = attrs.field(converter=get_template)
    tables: tuple[Table, ...]
    metadata: Metadata = attrs.field(factory=Metadata)
    sections: tuple[Section, ...] | None = None
    provenance: Mapping[str, Provenance] = attrs.field(
        factory=dict, converter=_read_only, hash=False
    )
    """Where each cell was read, by code (empty for reports not read from a published form)."""
    unplaced: tuple[Unplaced, ...] = ()
    """What the reader found but could not place: nothing read is dropped silently."""
    _index: dict[str, Cell] | None = attrs.field(
        init=False, default=None, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "tables", _tables_in_order(self.template, self.tables))
        if not isinstance(self.metadata, Metadata):
            raise TypeError(f"metadata must be Metadata, not {type(self.metadata).__name__}")
        if self.sections is not None:
            object.__setattr__(self, "sections", tuple(self.sections))
        if type(self.unplaced) is not tuple:
            object.__setattr__(self, "unplaced", tuple(self.unplaced))
        for code in self.provenance:
            self.template.cell(code)  # a provenance for a code the format lacks is a bug

    @property
    def _values(self) -> dict[str, Cell]:
        # Built on first use, not at construction: loading many reports need not pay for it.
        index = self._index
        if index is None:
            index = {}
            for table in self.tables:
                codes = table.spec.row_codes
                for row in table.rows:
                    index.update(zip(codes(row.key), row.values))
            object.__setattr__(self, "_index", index)
        return index

    def __repr__(self) -> str:
        meta = self.metadata
        year = meta.reporting_year if meta.reporting_year is not None else "(year unknown)"
        return (
            f"<Report {self.template.version} {meta.agency or '(agency unknown)'} {year}:"
            f" {len(self.tables)} of {len(self.template.tables)} tables, {len(self._values)} cells>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: the report in the official layout, the cells of its findings highlighted."""
        # Imported here: the model itself depends on no rule or writer.
        from .rules import check
        from .writers.render import to_html

        return to_html(self, check(self))

    @classmethod
    def from_cells(
        cls,
        template: str | Template,
        cells: Mapping[str, Cell],
        *,
        metadata: Metadata | None = None,
        sections: Iterable[Section] | None = None,
        provenance: Mapping[str, Provenance] | None = None,
        unplaced: Iterable[Unplaced] = (),
    ) -> Report:
        """Build a report from ``{code: cell}``, the flat form of ``TRUTH-FORMAT.md``.

        A table is printed when any of its cells is given; then every standard cell of it
        must be. An optional subtotal row is printed when any of its cells is given.
        """
        template = get_template(template)
        unknown = [code for code in cells if code not in template]
        if unknown:
            raise KeyError(f"not cells of the {template.version} format: {', '.join(unknown)}")
        tables = []
        for spec in template.tables:
            rows = []
            for row in spec.rows:
                codes = spec.row_codes(row.key)
                given = [code in cells for code in codes]
                if not any(given):
                    continue
                if not all(given):
                    absent = [code for code, ok in zip(codes, given) if not ok]
                    raise ValueError(f"row {spec.key}.{row.key} lacks {', '.join(absent)}")
                rows.append(Row(row.key, tuple(cells[code] for code in codes)))
            if any(not spec.row(row.key).optional for row in rows):
                tables.append(Table(spec, tuple(rows)))
            elif rows:
                raise ValueError(f"table {spec.key} has only subtotal rows; give its standard rows")
        return cls(
            template,
            tuple(tables),
            metadata or Metadata(),
            None if sections is None else tuple(sections),
            dict(provenance or {}),
            tuple(unplaced),
        )

    def __getitem__(self, code: str) -> Cell:
        try:
            return self._values[code]
        except KeyError:
            spec = self.template.cell(code)  # raises for codes the format does not have
            raise KeyError(f"{code} ({spec.label_zh}) is not printed in this report") from None

    def get(self, code: str, default: Any = None) -> Cell | Any:
        """The cell under ``code``, or ``default`` when it is not printed."""
        return self._values.get(code, default)

    def __contains__(self, code: object) -> bool:
        return code in self._values

    def values(self) -> Mapping[str, Cell]:
        """``{code: cell}`` for every printed cell (a read-only view)."""
        return MappingProxyType(self._values)

    def cells(self) -> Iterator[CellEntry]:
        """Every printed cell with its declaration, in the format's order.

        >>> from ogi_report.examples import example_report
        >>> entry = next(example_report("2021").cells())
        >>> entry.code, entry.spec.label_zh, entry.kind.value, entry.value
        ('s2.rules.issued', '规章 / 本年制发件数', 'number', 0)
        """
        where = self.provenance.get
        for code, value in self._values.items():
            yield CellEntry(self.template.cell(code), value, where(code))

    def table(self, key: str) -> Table:
        """The printed table ``key``; ``KeyError`` if the report does not print it."""
        for table in self.tables:
            if table.spec.key == key:
                return table
        self.template.table(key)  # raises for a table the format does not have
        raise KeyError(f"table {key} is not printed in this report")

    def missing_tables(self) -> tuple[TableSpec, ...]:
        """The format's tables that this report does not print."""
        printed = {table.spec.key for table in self.tables}
        return tuple(spec for spec in self.template.tables if spec.key not in printed)

    def section(self, number: int) -> Section | None:
        """Narrative section ``number`` (1-6), or ``None`` if absent or unknown."""
        for section in self.sections or ():
            if section.number == number:
                return section
        return None

    def replace_cells(self, changes: Mapping[str, Cell]) -> Report:
        """A new report with some cells replaced (a correction layer); this one is unchanged.

        >>> from ogi_report.examples import example_report
        >>> fixed = example_report("2021").replace_cells({"s3.new.total": 5})
        >>> fixed["s3.new.total"]
        5
        """
        values = dict(self._values)
        for code in changes:
            if code not in values:
                self[code]  # raises naming the cell
        values.update(changes)
        return Report.from_cells(
            self.template,
            values,
            metadata=self.metadata,
            sections=self.sections,
            provenance=self.provenance,
            unplaced=self.unplaced,
        )
