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
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from datetime import date
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Final, NoReturn

import attrs

from .cells import BLANK, CELL_TYPES, Cell, CellKind, Provenance, kind_of
from .dates import parse_date
from .templates import ALL_TEMPLATES, CellSpec, TableSpec, Template, get_template

__all__ = [
    "BLANK",
    "MAX_SECTIONS",
    "AdminLevel",
    "BodyKind",
    "CellEntry",
    "CellValues",
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


#: The most numbered sections a report may have: the formats since 2019 have six (一 … 六);
#: reports before 2019 number their own, rarely past 八.
MAX_SECTIONS = 10


@attrs.frozen
class Section:
    """One of the six sections (一、总体情况 … 六、其他需要报告的事项): heading and text as printed.
    A report before 2019 numbers its sections its own way (up to :data:`MAX_SECTIONS`).

    >>> s = Section(6, "六、其他需要报告的事项", (Part(None, "本年度未收取信息处理费。"),))
    >>> s.text
    '本年度未收取信息处理费。'
    """

    number: int = attrs.field()
    heading: str
    parts: tuple[Part, ...] = ()

    @number.validator
    def _check_number(self, _: attrs.Attribute[int], value: int) -> None:
        if type(value) is not int or not 1 <= value <= MAX_SECTIONS:
            raise ValueError(f"a report has sections 1 to {MAX_SECTIONS}, not {value!r}")

    def __attrs_post_init__(self) -> None:
        if type(self.parts) is not tuple:
            object.__setattr__(self, "parts", tuple(self.parts))

    @property
    def text(self) -> str:
        """The section's narrative, sub-headings included, one part per line."""
        parts = self.parts
        if len(parts) == 1 and parts[0].heading is None:  # most sections: the part's own str
            return parts[0].text
        return "\n".join(
            part.text if part.heading is None else f"{part.heading}\n{part.text}" for part in parts
        )


@attrs.frozen
class Row:
    """One printed row of a standard table: its row key and its cells in column order.

    A table does not store its rows: :attr:`Table.rows` makes these views on request.
    """

    key: str
    values: tuple[Cell, ...]

    def __attrs_post_init__(self) -> None:
        if type(self.values) is not tuple:
            object.__setattr__(self, "values", tuple(self.values))


_ROW_KEY = attrgetter("key")
_ROW_VALUES = attrgetter("values")

#: The cell types of a table of counts only: the common table, checked and written fast.
_INTS: Final = frozenset({int})
#: Each set of cell types once: a table holds a shared one, not a copy of its own.
_TYPE_SETS: dict[frozenset[type], frozenset[type]] = {_INTS: _INTS}


def _cell_types(cells: Iterable[Cell]) -> frozenset[type]:
    """The Python types among ``cells``, as the one shared set of those types."""
    types = frozenset(map(type, cells))
    return _TYPE_SETS.setdefault(types, types)


class _Layout:
    """Where the cells of one printing of a table sit in its flat tuple.

    One per table declaration and set of printed rows (optional subtotal rows come and
    go), made once and shared by every table of that shape: a table stores its flat tuple
    of cells and this, never a row object or an index of its own.
    """

    __slots__ = (
        "codes",
        "position",
        "row_keys",
        "size",
        "spec",
        "starts",
        "width",
        "widths",
    )
    spec: TableSpec
    row_keys: tuple[str, ...]
    width: int
    widths: tuple[int, ...]
    size: int
    codes: tuple[str, ...]
    position: dict[str, int]
    starts: dict[str, int]

    def __init__(self, spec: TableSpec, row_keys: tuple[str, ...]) -> None:
        width = len(spec.columns)
        self.spec = spec
        self.row_keys = row_keys
        self.width = width
        self.widths = (width,) * len(row_keys)
        self.size = width * len(row_keys)
        self.codes = tuple(chain.from_iterable(map(spec.row_codes, row_keys)))
        self.position = {code: i for i, code in enumerate(self.codes)}
        self.starts = {key: i * width for i, key in enumerate(row_keys)}

    def __repr__(self) -> str:
        return f"<layout {self.spec.key}: {', '.join(self.row_keys)}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # A copy (pickle, deepcopy) is the shared layout again, not a twin of it.
        return _layout_for, (self.spec, self.row_keys)


#: The layouts of the formats' own table declarations, by (id of the spec, printed rows).
_LAYOUTS: dict[tuple[int, tuple[str, ...]], _Layout] = {}
#: The formats' own table declarations, by id, and by what an equal copy would share.
_KNOWN_SPECS: dict[int, TableSpec] = {}
_KNOWN_BY_SHAPE: dict[tuple[str, int, tuple[str, ...]], list[TableSpec]] = {}
for _template in ALL_TEMPLATES:
    for _spec in _template.tables:
        _KNOWN_SPECS[id(_spec)] = _spec
        _KNOWN_BY_SHAPE.setdefault((_spec.key, _spec.section, _spec.row_keys), []).append(_spec)


def _valid_row_keys(spec: TableSpec, row_keys: tuple[str, ...]) -> bool:
    """True if ``row_keys`` are the table's standard rows, some optional rows, in order."""
    expected = iter(spec.rows)
    for key in row_keys:
        for declared in expected:
            if declared.key == key:
                break
            if not declared.optional:
                return False
        else:
            return False
    return all(declared.optional for declared in expected)


def _layout_for(spec: TableSpec, row_keys: tuple[str, ...]) -> _Layout | None:
    """The shared layout of ``spec`` printing ``row_keys``; ``None`` if they are no printing.

    There is one layout per declaration (by value) and printing, so tables compare and
    hash by their layout's identity.
    """
    canonical = _KNOWN_SPECS.get(id(spec))
    if canonical is not spec:  # a copy of a format's declaration shares its layouts
        shape = (spec.key, spec.section, spec.row_keys)
        canonical = next((s for s in _KNOWN_BY_SHAPE.get(shape, ()) if s == spec), None)
        if canonical is None:  # a declaration of no format: shared by value
            found = _OTHER_LAYOUTS.get((spec, row_keys))
            if found is None and _valid_row_keys(spec, row_keys):
                found = _OTHER_LAYOUTS[spec, row_keys] = _Layout(spec, row_keys)
            return found
    key = (id(canonical), row_keys)
    layout = _LAYOUTS.get(key)
    if layout is None:
        if not _valid_row_keys(canonical, row_keys):
            return None
        layout = _LAYOUTS[key] = _Layout(canonical, row_keys)
    return layout


#: The layouts of table declarations made elsewhere than in the formats, by value.
_OTHER_LAYOUTS: dict[tuple[TableSpec, tuple[str, ...]], _Layout] = {}


def _standard_layout(spec: TableSpec) -> _Layout:
    """The layout of ``spec`` printing its standard rows only, the common printing."""
    layout = _LAYOUTS.get((id(spec), spec.standard_row_keys))
    if layout is not None and layout.spec is spec:
        return layout
    found = _layout_for(spec, spec.standard_row_keys)
    assert found is not None
    return found


def _explain_invalid(
    spec: TableSpec, row_keys: Sequence[str], row_values: Sequence[Sequence[object]]
) -> NoReturn:
    """Raise naming the first thing wrong with these rows, in row order."""
    width = len(spec.columns)
    expected = iter(spec.rows)
    for key, values in zip(row_keys, row_values):
        for declared in expected:
            if declared.key == key:
                break
            if not declared.optional:
                raise ValueError(
                    f"table {spec.key}: row {declared.key!r} is missing before {key!r}"
                    " (rows must be complete and in the format's order)"
                )
        else:
            raise ValueError(
                f"table {spec.key}: unknown or out-of-order row {key!r};"
                f" rows: {', '.join(spec.row_keys)}"
            )
        if len(values) != width:
            raise ValueError(
                f"table {spec.key}, row {key}: {len(values)} cells, expected {width}"
                f" ({', '.join(spec.column_keys)})"
            )
        for column, value in zip(spec.columns, values):
            try:
                kind_of(value)
            except TypeError as error:
                raise TypeError(
                    f"table {spec.key}, row {key}, column {column.key}: {error}"
                ) from None
    for declared in expected:
        if not declared.optional:
            raise ValueError(f"table {spec.key}: row {declared.key!r} is missing")
    raise AssertionError(f"table {spec.key}: rows found invalid and then valid")  # pragma: no cover


def _fill(
    table: Table,
    spec: TableSpec,
    row_keys: tuple[str, ...],
    row_values: Sequence[Sequence[Cell]],
) -> None:
    """Check rows as printed and store them flat in ``table`` (raise naming what is wrong)."""
    # Whole-table checks in C first; the walk only runs to name what is wrong.
    if row_keys == spec.standard_row_keys:
        layout: _Layout | None = _standard_layout(spec)
    else:
        layout = _layout_for(spec, row_keys)
    if layout is not None and tuple(map(len, row_values)) == layout.widths:
        cells = tuple(chain.from_iterable(row_values))
        types = frozenset(map(type, cells))
        if CELL_TYPES.issuperset(types):
            _set(table, layout, cells, _TYPE_SETS.setdefault(types, types))
            return
    _explain_invalid(spec, row_keys, row_values)


_NEW = object.__new__


def _new_table(layout: _Layout, cells: tuple[Cell, ...], types: frozenset[type]) -> Table:
    """A table from cells already checked against ``layout`` (the JSON reader's fast path)."""
    table: Table = _NEW(Table)
    _set(table, layout, cells, types)
    return table


def _make_table(
    spec: TableSpec, row_keys: tuple[str, ...], row_values: Sequence[Sequence[Cell]]
) -> Table:
    """A table from its printed row keys and each row's cells, checked as ``Table`` checks."""
    table: Table = _NEW(Table)
    _fill(table, spec, row_keys, row_values)
    return table


@attrs.frozen(init=False, repr=False)
class Table:
    """A standard table as printed: section 2's item tables, section 3, section 4.

    Built from :class:`Row` objects in the format's order; optional subtotal rows appear
    only where printed. Stored flat: ``cells`` holds every printed cell, row by row, in
    column order, and ``row_keys`` the printed rows; ``rows`` gives :class:`Row` views.

    >>> from ogi_report.templates import get_template
    >>> spec = get_template("2021").table("s4")
    >>> table = Table(spec, [Row(key, (1, 0, 0, 0, 1)) for key in spec.row_keys])
    >>> table.cells[:5], table["review", "total"], table.rows[1]
    ((1, 0, 0, 0, 1), 1, Row(key='suit_direct', values=(1, 0, 0, 0, 1)))
    """

    cells: tuple[Cell, ...]
    """Every printed cell, row by row, each row in column order."""
    _layout: _Layout
    cell_types: frozenset[type] = attrs.field(eq=False, hash=False)
    """The Python types among ``cells`` (``{int}`` for a table of counts only)."""

    def __init__(self, spec: TableSpec, rows: tuple[Row, ...]) -> None:
        rows = tuple(rows)
        _fill(self, spec, tuple(map(_ROW_KEY, rows)), tuple(map(_ROW_VALUES, rows)))

    def __reduce__(self) -> tuple[Any, ...]:
        # Copies share the layout and the set of cell types, as tables made anew do.
        return _copied_table, (self._layout, self.cells)

    def __repr__(self) -> str:
        shape = f"{len(self.row_keys)} rows x {len(self.spec.columns)} columns"
        return f"<Table {self.spec.key}: {shape}>"

    @property
    def spec(self) -> TableSpec:
        """The table's declaration in its format."""
        return self._layout.spec

    @property
    def row_keys(self) -> tuple[str, ...]:
        """The keys of the printed rows, in the format's order."""
        return self._layout.row_keys

    @property
    def key(self) -> str:
        """The table's key in its format (``s3``, ``s2.article_20_1`` …)."""
        return self._layout.spec.key

    @property
    def rows(self) -> tuple[Row, ...]:
        """The printed rows, as :class:`Row` objects made on request."""
        width = self._layout.width
        cells = self.cells
        return tuple(
            Row(key, cells[start : start + width]) for key, start in self._layout.starts.items()
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The canonical code of each of ``cells``, in the same order."""
        return self._layout.codes

    def row(self, key: str) -> dict[str, Cell]:
        """Row ``key`` as ``{column key: cell}``; ``KeyError`` if the row is not printed."""
        start = self._layout.starts.get(key)
        if start is None:
            self.spec.row(key)  # raises for a row the format does not have
            raise KeyError(f"table {self.spec.key}: optional row {key!r} is not printed")
        return dict(zip(self.spec.column_keys, self.cells[start : start + self._layout.width]))

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
        return zip(self._layout.codes, self.cells)

    def to_dict(self) -> dict[str, dict[str, Cell]]:
        """``{row key: {column key: cell}}`` for the printed rows."""
        columns = self.spec.column_keys
        width = self._layout.width
        cells = self.cells
        return {
            key: dict(zip(columns, cells[start : start + width]))
            for key, start in self._layout.starts.items()
        }


#: Table's slots, set directly: a table is made from checked cells with no per-field call.
_SET_CELLS = Table.__dict__["cells"].__set__
_SET_LAYOUT = Table.__dict__["_layout"].__set__
_SET_TYPES = Table.__dict__["cell_types"].__set__
assert [field.name for field in attrs.fields(Table)] == ["cells", "_layout", "cell_types"]


def _copied_table(layout: _Layout, cells: tuple[Cell, ...]) -> Table:
    return _new_table(layout, cells, _cell_types(cells))


def _set(table: Table, layout: _Layout, cells: tuple[Cell, ...], types: frozenset[type]) -> None:
    _SET_CELLS(table, cells)
    _SET_LAYOUT(table, layout)
    _SET_TYPES(table, types)


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


#: What a report holds for a code it does not print (never a cell value).
_ABSENT: Final[Any] = object()


def _codes_by_table(template: Template) -> dict[str, int]:
    return {
        code: i
        for i, spec in enumerate(template.tables)
        for code in chain.from_iterable(map(spec.row_codes, spec.row_keys))
    }


#: For each format, the index in ``template.tables`` of the table each code belongs to.
_TABLE_OF: dict[Template, dict[str, int]] = {t: _codes_by_table(t) for t in ALL_TEMPLATES}


def _table_of(template: Template) -> dict[str, int]:
    found = _TABLE_OF.get(template)
    if found is None:  # a format declared elsewhere than in ``templates``
        found = _TABLE_OF[template] = _codes_by_table(template)
    return found


def _tables_in_order(
    template: Template, tables: Iterable[Table]
) -> tuple[tuple[Table, ...], tuple[Table | None, ...]]:
    """``tables`` checked to be the format's, in its order; and by the format's table index."""
    tables = tuple(tables)
    declared = template.tables
    slots: list[Table | None] = [None] * len(declared)
    position = -1
    for table in tables:
        if not isinstance(table, Table):
            raise TypeError(f"tables must be Table objects, not {type(table).__name__}")
        spec = table.spec
        index = next((i for i, d in enumerate(declared) if d is spec), None)
        if index is None:
            index = next((i for i, d in enumerate(declared) if d.key == spec.key), None)
            if index is None or declared[index] != spec:
                raise ValueError(
                    f"table {spec.key!r} is not a table of the {template.version} format"
                )
        if index <= position:
            raise ValueError(f"table {spec.key!r} is repeated or out of the format's order")
        position = index
        slots[index] = table
    return tables, tuple(slots)


_NO_PROVENANCE: Final[Mapping[str, Provenance]] = MappingProxyType({})


class CellValues(Mapping[str, Cell]):
    """A report's printed cells by code, in the format's order: a read-only view, not a copy.

    >>> from ogi_report.examples import example_report
    >>> values = example_report("2021").values()
    >>> values["s3.new.total"], "s3.other.total" in values, len(values)
    (99, False, 200)
    """

    __slots__ = ("_report",)

    def __init__(self, report: Report) -> None:
        self._report = report

    def __getitem__(self, code: str) -> Cell:
        value = self._report._get(code, _ABSENT)
        if value is _ABSENT:
            raise KeyError(code)
        return value

    def get(self, code: str, default: Any = None) -> Cell | Any:
        """The cell under ``code``, or ``default`` when it is not printed."""
        return self._report._get(code, default)

    def __contains__(self, code: object) -> bool:
        return self._report._get(code, _ABSENT) is not _ABSENT

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(table.codes for table in self._report.tables)

    def __len__(self) -> int:
        return sum(len(table.cells) for table in self._report.tables)

    def items(self) -> ItemsView[str, Cell]:
        """``(code, cell)`` pairs in the format's order."""
        return _CellItems(self)

    def values(self) -> ValuesView[Cell]:
        """The cells in the format's order."""
        return _Cells(self)

    def copy(self) -> dict[str, Cell]:
        """The cells as a new dict (as ``MappingProxyType.copy`` gives)."""
        return dict(self.items())

    def __or__(self, other: Mapping[str, Cell]) -> dict[str, Cell]:
        return {**self, **other}

    def __ror__(self, other: Mapping[str, Cell]) -> dict[str, Cell]:
        return {**other, **self}

    def __repr__(self) -> str:
        return f"CellValues({dict(self.items())!r})"


class _CellItems(ItemsView[str, Cell]):
    _mapping: CellValues

    def __iter__(self) -> Iterator[tuple[str, Cell]]:
        tables = self._mapping._report.tables
        return chain.from_iterable(zip(table.codes, table.cells) for table in tables)


class _Cells(ValuesView[Cell]):
    _mapping: CellValues

    def __iter__(self) -> Iterator[Cell]:
        return chain.from_iterable(table.cells for table in self._mapping._report.tables)


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
    _slots: tuple[Table | None, ...] = attrs.field(
        init=False, default=(), repr=False, eq=False, hash=False
    )
    """The printed tables by their index in ``template.tables`` (``None``: not printed)."""

    def __attrs_post_init__(self) -> None:
        tables, slots = _tables_in_order(self.template, self.tables)
        object.__setattr__(self, "tables", tables)
        object.__setattr__(self, "_slots", slots)
        if not isinstance(self.metadata, Metadata):
            raise TypeError(f"metadata must be Metadata, not {type(self.metadata).__name__}")
        if self.sections is not None:
            object.__setattr__(self, "sections", tuple(self.sections))
        if type(self.unplaced) is not tuple:
            object.__setattr__(self, "unplaced", tuple(self.unplaced))
        for code in self.provenance:
            self.template.cell(code)  # a provenance for a code the format lacks is a bug

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as what makes it: its provenance, a read-only mapping (which pickle
        # cannot copy), as a dict.
        return Report, (
            self.template,
            self.tables,
            self.metadata,
            self.sections,
            dict(self.provenance),
            self.unplaced,
        )

    def _get(self, code: Any, default: Any) -> Cell | Any:
        """The cell under ``code``, or ``default``: the format's code map, then the table's."""
        index = _table_of(self.template).get(code)
        if index is None:
            return default
        table = self._slots[index]
        if table is None:
            return default
        position = table._layout.position.get(code)
        return default if position is None else table.cells[position]

    def __repr__(self) -> str:
        meta = self.metadata
        year = meta.reporting_year if meta.reporting_year is not None else "(year unknown)"
        cells = sum(len(table.cells) for table in self.tables)
        return (
            f"<Report {self.template.version} {meta.agency or '(agency unknown)'} {year}:"
            f" {len(self.tables)} of {len(self.template.tables)} tables, {cells} cells>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: the report in the official layout, the cells of its findings highlighted."""
        # Imported here: the model itself depends on no rule or writer.
        from .rules import check
        from .writers.render import to_html

        return to_html(self, check(self), notebook=True)

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
            keys: list[str] = []
            rows: list[tuple[Cell, ...]] = []
            for row in spec.rows:
                codes = spec.row_codes(row.key)
                given = [code in cells for code in codes]
                if not any(given):
                    continue
                if not all(given):
                    absent = [code for code, ok in zip(codes, given) if not ok]
                    raise ValueError(f"row {spec.key}.{row.key} lacks {', '.join(absent)}")
                keys.append(row.key)
                rows.append(tuple(cells[code] for code in codes))
            if any(not spec.row(key).optional for key in keys):
                tables.append(_make_table(spec, tuple(keys), rows))
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
        value = self._get(code, _ABSENT)
        if value is _ABSENT:
            spec = self.template.cell(code)  # raises for codes the format does not have
            raise KeyError(f"{code} ({spec.label_zh}) is not printed in this report")
        return value

    def get(self, code: str, default: Any = None) -> Cell | Any:
        """The cell under ``code``, or ``default`` when it is not printed."""
        return self._get(code, default)

    def __contains__(self, code: object) -> bool:
        return self._get(code, _ABSENT) is not _ABSENT

    def values(self) -> CellValues:
        """``{code: cell}`` for every printed cell (a read-only view)."""
        return CellValues(self)

    def cells(self) -> Iterator[CellEntry]:
        """Every printed cell with its declaration, in the format's order.

        >>> from ogi_report.examples import example_report
        >>> entry = next(example_report("2021").cells())
        >>> entry.code, entry.spec.label_zh, entry.kind.value, entry.value
        ('s2.rules.issued', '规章 / 本年制发件数', 'number', 0)
        """
        where = self.provenance.get
        cell = self.template.cell
        for table in self.tables:
            for code, value in zip(table.codes, table.cells):
                yield CellEntry(cell(code), value, where(code))

    def table(self, key: str) -> Table:
        """The printed table ``key``; ``KeyError`` if the report does not print it."""
        for table in self.tables:
            if table.spec.key == key:
                return table
        self.template.table(key)  # raises for a table the format does not have
        raise KeyError(f"table {key} is not printed in this report")

    def missing_tables(self) -> tuple[TableSpec, ...]:
        """The format's tables that this report does not print."""
        return tuple(
            spec for spec, table in zip(self.template.tables, self._slots) if table is None
        )

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
        values = dict(self.values().items())
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


def _setter(cls: type, name: str) -> Any:
    """Set slot ``name`` of a frozen class directly (for objects made from checked values)."""
    return cls.__dict__[name].__set__


_R_TEMPLATE, _R_TABLES, _R_METADATA, _R_SECTIONS, _R_PROVENANCE, _R_UNPLACED, _R_SLOTS = (
    _setter(Report, name)
    for name in ("template", "tables", "metadata", "sections", "provenance", "unplaced", "_slots")
)


def _new_report(
    template: Template,
    tables: tuple[Table, ...],
    slots: tuple[Table | None, ...],
    metadata: Metadata,
    sections: tuple[Section, ...] | None,
    provenance: dict[str, Provenance] | None = None,
    unplaced: tuple[Unplaced, ...] = (),
) -> Report:
    """A report of parts already checked, tables ordered, ``provenance`` by the format's
    codes (the report keeps the dict: no one else may hold it).

    The JSON reader's fast path: ``slots`` are ``tables`` by their index in the format.
    """
    report: Report = _NEW(Report)
    _R_TEMPLATE(report, template)
    _R_TABLES(report, tables)
    _R_METADATA(report, metadata)
    _R_SECTIONS(report, sections)
    _R_PROVENANCE(report, MappingProxyType(provenance) if provenance else _NO_PROVENANCE)
    _R_UNPLACED(report, unplaced)
    _R_SLOTS(report, slots)
    return report


_U_TEXT, _U_REASON, _U_PROVENANCE = (
    _setter(Unplaced, field.name) for field in attrs.fields(Unplaced)
)


def _new_unplaced(text: str, reason: str, provenance: Provenance | None) -> Unplaced:
    """Unplaced text from values already checked (the JSON reader's fast path)."""
    unplaced: Unplaced = _NEW(Unplaced)
    _U_TEXT(unplaced, text)
    _U_REASON(unplaced, reason)
    _U_PROVENANCE(unplaced, provenance)
    return unplaced


_M_AGENCY, _M_KIND, _M_LEVEL, _M_YEAR, _M_PUBLISHED, _M_SCOPE, _M_SOURCE, _M_NOTES = (
    _setter(Metadata, field.name) for field in attrs.fields(Metadata)
)


def _new_metadata(
    agency: str | None,
    body_kind: BodyKind | None,
    level: AdminLevel | None,
    reporting_year: int | None,
    published_on: date | None,
    scope: Scope | None,
    source: str | None,
    notes: str | None,
) -> Metadata:
    """Metadata from values already checked (the JSON reader's fast path)."""
    meta: Metadata = _NEW(Metadata)
    _M_AGENCY(meta, agency)
    _M_KIND(meta, body_kind)
    _M_LEVEL(meta, level)
    _M_YEAR(meta, reporting_year)
    _M_PUBLISHED(meta, published_on)
    _M_SCOPE(meta, scope)
    _M_SOURCE(meta, source)
    _M_NOTES(meta, notes)
    return meta
