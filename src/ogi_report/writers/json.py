"""The lossless JSON form of a report: one converter, ``dumps``/``loads``, dicts, a JSON Schema.

Every cell kind survives the round trip: a number is a JSON integer (counts) or a
decimal string (amounts, ``"356.42"``), a blank is ``null``, a not-applicable mark is
the mark itself (``"/"``, ``"—"``), unreadable text is its text, and the reader-made
kinds are ``{"ambiguous": [...]}`` and ``{"missing": true}``.

>>> from ogi_report.examples import example_report
>>> report = example_report("2021")
>>> loads(dumps(report)) == report
True
>>> to_dict(report)["tables"]["s4"]["review"]
[3, 1, 0, 1, 5]
>>> loads(b'{"template": "2021", "tables": {"s4": {"review": [1, 2]}}}')
Traceback (most recent call last):
...
ogi_report.errors.InputError: $.tables.s4: table s4, row review: 2 cells, expected 5 (upheld, \
corrected, other, pending, total)
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

import attrs
import cattrs
from cattrs.errors import BaseValidationError

from ..cells import (
    BLANK,
    MAX_DIGITS,
    MISSING,
    Ambiguous,
    Cell,
    Provenance,
    format_cell,
    parse_cell,
)
from ..dates import parse_date
from ..errors import InputError
from ..model import (
    _INTS as _INT_TYPES,
)
from ..model import (
    _SET_CELLS,
    _SET_LAYOUT,
    _SET_TYPES,
    AdminLevel,
    BodyKind,
    Metadata,
    Part,
    Report,
    Scope,
    Section,
    Table,
    Unplaced,
    _cell_types,
    _Layout,
    _layout_for,
    _make_table,
    _new_metadata,
    _new_report,
    _new_table,
    _new_unplaced,
    _standard_layout,
)
from ..templates import ALL_TEMPLATES, TableSpec, Template, get_template

try:  # orjson is the optional fast path (extra "fast"); stdlib json gives the same bytes
    import orjson
except ImportError:  # pragma: no cover - exercised when the extra is not installed
    orjson = None  # type: ignore[assignment]

__all__ = ["FORMAT", "dumps", "from_dict", "json_schema", "loads", "make_converter", "to_dict"]


def __dir__() -> list[str]:
    return __all__


#: Written into every document, so readers can tell this form from cells JSON.
FORMAT = "ogi-report/1"


def _strict(kind: type) -> Any:
    def structure(value: Any, _: type) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        return value

    return structure


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, str):
        return parse_date(value)
    raise TypeError(f"expected a date string, got {type(value).__name__} {value!r}")


def _optional(converter: cattrs.Converter, kind: type) -> Any:
    def structure(value: Any, _: type) -> Any:
        return None if value is None else converter.structure(value, kind)

    return structure


_ENUMS = (BodyKind, AdminLevel, Scope)


def make_converter() -> cattrs.Converter:
    """A fresh converter for the JSON form, with strict scalar hooks (3.5 never becomes 3).

    cattrs' global converter is left untouched.
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    for scalar in (str, int, bool):
        converter.register_structure_hook(scalar, _strict(scalar))
    converter.register_structure_hook(date, _structure_date)
    # Direct hooks for the optional metadata fields: cattrs' generic union dispatch is slow.
    for kind in (str, int, date, *_ENUMS):
        converter.register_structure_hook(kind | None, _optional(converter, kind))
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(Template, lambda value, _: get_template(value))
    converter.register_unstructure_hook(Template, lambda template: template.version)
    converter.register_unstructure_hook(Report, _unstructure_report)
    converter.register_unstructure_hook(Provenance, _unstructure_provenance)
    converter.register_structure_hook(Report, lambda data, _: _structure_report(converter, data))
    return converter


# --- cells -------------------------------------------------------------------------------


def _cell(value: Any, path: str, *, plain: bool = False) -> Cell:
    """One cell of the JSON forms; ``plain``: an ambiguous cell's candidate (no object)."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return parse_cell(value)
    if value is None:
        return BLANK
    if kind is dict and not plain:
        if value == {"missing": True}:
            return MISSING
        if set(value) == {"ambiguous"} and isinstance(value["ambiguous"], list):
            path = f"{path}.ambiguous"
            return Ambiguous(tuple(_cell(c, path, plain=True) for c in value["ambiguous"]))
        raise InputError(
            f'{path}: a cell object is {{"ambiguous": [...]}} or {{"missing": true}}, not {value!r}'
        )
    if kind is float:
        raise InputError(
            f'{path}: {value!r} is a JSON float; write amounts as decimal strings ("{value!r}")'
        )
    raise InputError(
        f"{path}: {value!r} is not a cell value (int, decimal string, null, mark or text)"
    )


_INTS = frozenset({int})
_LISTS = frozenset({list})
#: What ``dict.get`` gives for a key that is not there (``None`` is a value in JSON).
_ABSENT: Any = object()
#: The JSON values a cell of the plain kinds is written as: count, text (number, mark), null.
_SCALARS = frozenset({int, str, type(None)})


def _row(values: Any, path: str) -> tuple[Cell, ...]:
    if type(values) is not list:
        raise InputError(f"{path}: a row is a list of cells, not {type(values).__name__}")
    return tuple(v if type(v) is int else _cell(v, f"{path}[{i}]") for i, v in enumerate(values))


def _scalar_cell(value: int | str | None) -> Cell:
    if value is None:
        return BLANK
    if isinstance(value, str):
        return parse_cell(value)
    return value


# --- reports -----------------------------------------------------------------------------


_PLACE_FIELDS = tuple(field.name for field in attrs.fields(Provenance))
_PLACE_PARTS = attrgetter(*_PLACE_FIELDS)
#: A place's parts after its ``source`` (the first), which a cell's place writes apart.
_PLACE_REST = _PLACE_FIELDS[1:]
_PLACE_REST_PARTS = attrgetter(*_PLACE_REST)


def _known_parts(names: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    """The parts of a place that are known, by name (a box as a list): a text position has
    no page, a PDF box no line."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in zip(names, values)
        if value is not None
    }


def _unstructure_provenance(where: Provenance) -> dict[str, Any]:
    return _known_parts(_PLACE_FIELDS, _PLACE_PARTS(where))


def _provenance_json(where: Mapping[str, Provenance], source: str | None) -> dict[str, Any]:
    """Each cell's place, its ``source`` left out where it is the report's own
    (``metadata.source``: a path written once, not per cell) and ``null`` where it is
    unknown while the report's is known, so that reading gives back exactly this."""
    data = {}
    for code, place in where.items():
        item = _known_parts(_PLACE_REST, _PLACE_REST_PARTS(place))
        own = place.source
        if own is not None and own != source:  # first, as the converter writes it
            item = {"source": own, **item}
        elif own is None and source is not None:
            item["source"] = None
        data[code] = item
    return data


def _unplaced_json(unplaced: tuple[Unplaced, ...]) -> list[dict[str, Any]]:
    """What the converter makes of unplaced text (its fields in order), built directly."""
    return [
        {
            "text": item.text,
            "reason": item.reason,
            "provenance": None
            if (place := item.provenance) is None
            else _unstructure_provenance(place),
        }
        for item in unplaced
    ]


def _json_cells(cells: tuple[Cell, ...]) -> list[Any]:
    return [v if type(v) is int else format_cell(v) for v in cells]


#: ``write(tables, lists)``: the tables' JSON form, rows as lists or (``lists=False``) tuples.
_Writer = Callable[[tuple[Table, ...], bool], dict[str, Any]]


def _writer(layouts: tuple[_Layout, ...]) -> _Writer:
    """``{table key: {row key: row cells}}`` of tables printed with these layouts.

    Straight-line code: each row a slice of its table's flat cells, made once per
    combination of layouts (at most :data:`_MAX_WRITERS` kept; past that, one per table).
    """
    writer = _WRITERS.get(layouts)
    if writer is not None:
        return writer
    lines = ["def write(tables, lists):"]
    for i in range(len(layouts)):
        lines.append(f"    t = tables[{i}]")
        lines.append(f"    c{i} = t.cells")
        lines.append(f"    if t.cell_types is not INTS: c{i} = CELLS(c{i})")
        lines.append(f"    elif lists: c{i} = list(c{i})")
    tables = []
    for i, layout in enumerate(layouts):
        width = layout.width
        rows = ", ".join(f"{key!r}: c{i}[{s}:{s + width}]" for key, s in layout.starts.items())
        tables.append(f"{layout.spec.key!r}: {{{rows}}}")
    lines.append(f"    return {{{', '.join(tables)}}}")
    namespace: dict[str, Any] = {"INTS": _INT_TYPES, "CELLS": _json_cells}
    exec(compile("\n".join(lines), "<ogi_report writer>", "exec"), namespace)
    writer = namespace["write"]
    if len(_WRITERS) < _MAX_WRITERS or len(layouts) == 1:
        _WRITERS[layouts] = writer
    return writer  # type: ignore[no-any-return]


_LAYOUT = attrgetter("_layout")
#: Writers by the layouts of the tables they write.
_WRITERS: dict[tuple[_Layout, ...], _Writer] = {}
#: The most writers of several tables kept: the formats' usual printings, and then some.
_MAX_WRITERS = 256


def _tables_json(tables: tuple[Table, ...], lists: bool) -> dict[str, Any]:
    layouts = tuple(map(_LAYOUT, tables))
    writer = _WRITERS.get(layouts)
    if writer is None and len(_WRITERS) >= _MAX_WRITERS:  # unusual printings: table by table
        data: dict[str, Any] = {}
        for table in tables:
            data.update(_writer((table._layout,))((table,), lists))
        return data
    return (writer or _writer(layouts))(tables, lists)


def _metadata_json(meta: Metadata) -> dict[str, Any]:
    # An enum member's ``_value_`` is a plain attribute: ``.value`` and hashing a member
    # (a dict of values) each run Python code.
    kind, level, scope, published = meta.body_kind, meta.level, meta.scope, meta.published_on
    return {
        "agency": meta.agency,
        "body_kind": None if kind is None else kind._value_,
        "level": None if level is None else level._value_,
        "reporting_year": meta.reporting_year,
        "published_on": None if published is None else published.isoformat(),
        "scope": None if scope is None else scope._value_,
        "source": meta.source,
        "notes": meta.notes,
    }


def _sections_json(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    return [
        {
            "number": section.number,
            "heading": section.heading,
            "parts": [{"heading": part.heading, "text": part.text} for part in section.parts],
        }
        for section in sections
    ]


def _report_json(report: Report, lists: bool = True) -> dict[str, Any]:
    """The JSON form as Python values; ``lists=False`` leaves rows as tuples (same JSON)."""
    sections = report.sections
    data = {
        "format": FORMAT,
        "template": report.template.version,
        "metadata": _metadata_json(report.metadata),
        "sections": None if sections is None else _sections_json(sections),
        "tables": _tables_json(report.tables, lists),
    }
    if report.provenance:
        data["provenance"] = _provenance_json(report.provenance, report.metadata.source)
    if report.unplaced:
        data["unplaced"] = _unplaced_json(report.unplaced)
    return data


def _unstructure_report(report: Report) -> dict[str, Any]:
    return _report_json(report)


def _flattener(layout: _Layout) -> Callable[[tuple[list[Any], ...]], tuple[Any, ...]]:
    """``(row, row, …) -> (cell, cell, …)`` for one layout, as straight-line code."""
    flatten = _FLATTENERS.get(layout)
    if flatten is None:
        rows = "".join(f"*r[{i}], " for i in range(len(layout.row_keys)))
        flatten = _FLATTENERS[layout] = eval(f"lambda r: ({rows})")
    return flatten


#: One flattener per table layout (a bounded number: each format's tables and subtotal rows).
_FLATTENERS: dict[_Layout, Callable[[tuple[list[Any], ...]], tuple[Any, ...]]] = {}


class _TablePlan(NamedTuple):
    """How ``$.tables`` reads one table of a format: its declaration and usual layout."""

    spec: TableSpec
    key: str
    path: str
    standard: tuple[str, ...]
    layout: _Layout
    flatten: Callable[[tuple[list[Any], ...]], tuple[Any, ...]]


class _FormatPlan(NamedTuple):
    """How ``$.tables`` reads a format: each table's plan, and readers of whole reports."""

    tables: tuple[_TablePlan, ...]
    keys: tuple[str, ...]
    readers: dict[tuple[tuple[str, ...], ...], _Reader]


def _plans(template: Template) -> _FormatPlan:
    plan = _PLANS.get(template)
    if plan is None:
        tables = tuple(
            _TablePlan(
                spec,
                spec.key,
                f"$.tables.{spec.key}",
                spec.standard_row_keys,
                _standard_layout(spec),
                _flattener(_standard_layout(spec)),
            )
            for spec in template.tables
        )
        plan = _PLANS[template] = _FormatPlan(tables, tuple(t.key for t in tables), {})
    return plan


_PLANS: dict[Template, _FormatPlan] = {}
_DICTS = frozenset({dict})


def _plain_table(layout: _Layout, cells: tuple[Any, ...]) -> Table | None:
    """A table of counts, decimal strings, marks, text and nulls; else ``None``."""
    if not _SCALARS.issuperset(map(type, cells)):
        return None
    cells = tuple(map(_scalar_cell, cells))
    return _new_table(layout, cells, _cell_types(cells))


#: Tables of at least this many cells are tested for counts with ``sum`` when it can tell.
_SUM_FROM = 16


def _sums_to_int(cells: tuple[Any, ...]) -> bool:
    """True if ``cells``, parsed from JSON text that holds no ``true`` or ``false``, are ints.

    ``sum`` adds ints in C; a float among them makes the sum a float, and a string, null,
    list or object raises. Only a bool would pass for an int: the caller rules them out.
    """
    try:
        return type(sum(cells)) is int
    except TypeError:
        return False


#: ``read(tables, plain_json)``: every table of ``$.tables``, or ``None`` to go table by table.
_Reader = Callable[[dict[str, Any], bool], tuple[Table, ...] | None]


def _reader(plan: _FormatPlan, shape: tuple[tuple[str, ...], ...]) -> _Reader | None:
    """A reader of ``$.tables`` printing every table, each with these rows, in order.

    Straight-line code made once per shape (a bounded number: the formats' subtotal
    rows); ``None`` if the rows are no printing of their table (the per-table path says
    what is wrong). The reader unpacks each table's rows into its flat tuple of cells
    (a row of another width fails to unpack) and gives ``None`` for anything but plain
    cells. ``plain_json`` says the values come from parsing JSON text without ``true`` or
    ``false``: then rows need no type test (the only other iterables JSON makes are
    strings and objects, which unpack into strings, and no string passes for a count) and
    a large table's counts are tested with :func:`_sums_to_int`.
    """
    reader = plan.readers.get(shape)
    if reader is not None:
        return reader
    layouts = tuple(_layout_for(t.spec, keys) for t, keys in zip(plan.tables, shape))
    if any(layout is None for layout in layouts):
        return None
    tables = ", ".join(f"d{i}" for i in range(len(layouts)))
    rows = "".join(f"*d{i}.values(), " for i in range(len(layouts)))
    unpack, build = [], []
    cell = 0
    for i, layout in enumerate(layouts):
        assert layout is not None
        names = [f"v{cell + j}" for j in range(layout.size)]
        cell += layout.size
        targets = (
            f"({', '.join(names[start : start + layout.width])},)"
            for start in layout.starts.values()
        )
        unpack.append(f"        {', '.join(targets)}, = d{i}.values()")
        exact = f"INTS.issuperset(map(type, c{i}))"
        test = f"(SUMS(c{i}) if plain_json else {exact})" if layout.size >= _SUM_FROM else exact
        build.append(
            f"""\
    c{i} = ({", ".join(names)},)
    if {test}:
        t{i} = NEW(TABLE); SC(t{i}, c{i}); SL(t{i}, L[{i}]); ST(t{i}, I)
    else:
        t{i} = PLAIN(L[{i}], c{i}) if LISTS.issuperset(map(type, d{i}.values())) else None
        if t{i} is None:
            return None"""
        )
    source = f"""\
def read(tables, plain_json):
    {tables}, = tables.values()
    if not (plain_json or LISTS.issuperset(map(type, ({rows})))):
        return None
    try:
{chr(10).join(unpack)}
    except (TypeError, ValueError):  # a row of another width, or no sequence at all
        return None
{chr(10).join(build)}
    return ({"".join(f"t{i}, " for i in range(len(layouts)))})
"""
    namespace = {
        "LISTS": _LISTS,
        "INTS": _INTS,
        "SUMS": _sums_to_int,
        "NEW": object.__new__,
        "TABLE": Table,
        "SC": _SET_CELLS,
        "SL": _SET_LAYOUT,
        "ST": _SET_TYPES,
        "L": layouts,
        "I": _INT_TYPES,
        "PLAIN": _plain_table,
    }
    exec(compile(source, f"<ogi_report reader {shape[-1][:1]}>", "exec"), namespace)
    reader = plan.readers[shape] = namespace["read"]
    return reader  # type: ignore[no-any-return]


def _table(plan: _TablePlan, rows: Any) -> Table:
    if type(rows) is not dict:
        raise InputError(f"{plan.path}: a table is an object of rows, not {type(rows).__name__}")
    spec = plan.spec
    keys = tuple(rows)
    if keys == plan.standard:
        layout: _Layout | None = plan.layout
        flatten = plan.flatten
    else:
        layout = _layout_for(spec, keys)
        if layout is None:  # JSON objects are unordered: put rows in print order
            order = {key: i for i, key in enumerate(spec.row_keys)}
            unknown = [key for key in rows if key not in order]
            if unknown:
                raise InputError(
                    f"{plan.path}: table {spec.key} has no row {unknown[0]!r};"
                    f" rows: {', '.join(spec.row_keys)}"
                )
            keys = tuple(sorted(rows, key=order.__getitem__))
            rows = {key: rows[key] for key in keys}
            layout = _layout_for(spec, keys)
        flatten = plan.flatten if layout is None else _flattener(layout)
    lists = tuple(rows.values())
    if (
        layout is not None
        and _LISTS.issuperset(map(type, lists))
        and tuple(map(len, lists)) == layout.widths
    ):  # whole-table checks in C: a table of counts costs no Python per cell
        cells = flatten(lists)
        if _INTS.issuperset(map(type, cells)):
            return _new_table(layout, cells, _INT_TYPES)
        plain = _plain_table(layout, cells)
        if plain is not None:
            return plain
    # Anything else cell by cell, and the model's own checks (and their messages).
    try:
        return _make_table(
            spec, keys, [_row(values, f"{plan.path}.{key}") for key, values in rows.items()]
        )
    except InputError:
        raise
    except (TypeError, ValueError) as error:
        raise InputError(f"{plan.path}: {error}") from None


def _tables(
    template: Template, data: dict[Any, Any], plain_json: bool = False
) -> tuple[tuple[Table, ...], tuple[Table | None, ...]]:
    """The tables of ``$.tables`` in the format's order, and by the format's table index.

    ``plain_json``: ``data`` was parsed from JSON text holding no ``true`` or ``false``
    (see :func:`_reader`).
    """
    plan = _plans(template)
    if tuple(data) == plan.keys and _DICTS.issuperset(map(type, data.values())):
        # Every table, in order: one reader for the whole report, by its rows' keys.
        reader = _reader(plan, tuple(map(tuple, data.values())))
        if reader is not None:
            found = reader(data, plain_json)
            if found is not None:
                return found, found
    plans = plan.tables
    if len(data) > len(plans) or not all(p.key in data for p in plans[: len(data)]):
        # Not simply the first tables of the format: look for a key it does not have.
        known = {p.key for p in plans}
        for key in data:
            if key not in known:
                try:
                    template.table(key)
                except KeyError as error:
                    raise InputError(f"$.tables: {error.args[0]}") from None
    tables: list[Table] = []
    slots: list[Table | None] = []
    for table_plan in plans:
        rows = data.get(table_plan.key, _ABSENT)
        if rows is _ABSENT:
            slots.append(None)
        else:
            table = _table(table_plan, rows)
            tables.append(table)
            slots.append(table)
    return tuple(tables), tuple(slots)


def _describe(error: BaseException, type_: Any) -> str:
    """cattrs' wording, with our validators' own messages where they say more."""
    if isinstance(error, ValueError | TypeError) and str(error) and not isinstance(error, KeyError):
        return str(error)
    return cattrs.v.format_exception(error, type_)


def _structure_part(converter: cattrs.Converter, data: Any, kind: Any, path: str) -> Any:
    try:
        return converter.structure(data, kind)
    except (BaseValidationError, TypeError, ValueError) as error:
        if isinstance(error, BaseValidationError):
            messages = cattrs.transform_error(error, path=path, format_exception=_describe)
            raise InputError("; ".join(messages)) from None
        raise InputError(f"{path}: {error}") from None


_METADATA_ORDER = tuple(field.name for field in attrs.fields(Metadata))
_METADATA_KEYS = frozenset(_METADATA_ORDER)
_EMPTY_METADATA = Metadata()
_BODY_KINDS = {member.value: member for member in BodyKind}
_LEVELS = {member.value: member for member in AdminLevel}
_SCOPES = {member.value: member for member in Scope}


def _plain_str(value: Any) -> bool:
    return value is None or type(value) is str


def _metadata(converter: cattrs.Converter, data: dict[Any, Any]) -> Metadata:
    """``$.metadata``: plain values checked here, anything else through the converter."""
    if not data:
        return _EMPTY_METADATA
    if tuple(data) == _METADATA_ORDER:  # every key, in the order dumps writes them
        agency, kind, level, year, published, scope, source, notes = data.values()
    elif _METADATA_KEYS.issuperset(data):
        agency, kind, level, year, published, scope, source, notes = map(data.get, _METADATA_ORDER)
    else:  # an unknown key: the converter names it
        return _structure_part(converter, data, Metadata, "$.metadata")  # type: ignore[no-any-return]
    if (
        (agency is None or type(agency) is str)
        and (source is None or type(source) is str)
        and (notes is None or type(notes) is str)
        and (year is None or (type(year) is int and year >= 1))
        and (kind is None or (type(kind) is str and kind in _BODY_KINDS))
        and (level is None or (type(level) is str and level in _LEVELS))
        and (scope is None or (type(scope) is str and scope in _SCOPES))
        and (published is None or type(published) is str)
    ):
        try:
            day = None if published is None else parse_date(published)
        except Exception:  # the converter says what is wrong, and where
            pass
        else:
            return _new_metadata(
                agency,
                None if kind is None else _BODY_KINDS[kind],
                None if level is None else _LEVELS[level],
                year,
                day,
                None if scope is None else _SCOPES[scope],
                source,
                notes,
            )
    return _structure_part(converter, data, Metadata, "$.metadata")  # type: ignore[no-any-return]


_SECTION_KEYS = frozenset({"number", "heading", "parts"})
_PART_KEYS = frozenset({"heading", "text"})


def _plain_parts(parts: Any) -> bool:
    return type(parts) is list and all(
        type(part) is dict
        and part.keys() == _PART_KEYS
        and _plain_str(part["heading"])
        and type(part["text"]) is str
        for part in parts
    )


def _sections(converter: cattrs.Converter, data: list[Any]) -> tuple[Section, ...]:
    """``$.sections``: plain values checked here, anything else through the converter."""
    if all(
        type(section) is dict
        and _SECTION_KEYS.issuperset(section)
        and type(number := section.get("number")) is int
        and 1 <= number <= 6
        and type(section.get("heading")) is str
        and _plain_parts(section.get("parts", []))
        for section in data
    ):
        return tuple(
            Section(
                section["number"],
                section["heading"],
                tuple(Part(part["heading"], part["text"]) for part in section.get("parts", ())),
            )
            for section in data
        )
    return _structure_part(converter, data, tuple[Section, ...], "$.sections")  # type: ignore[no-any-return]


#: The JSON type of each part of a place that is read as it is (a box: a list of four
#: floats, made a tuple). Any other type, such as a count in a box or ``true`` for a line,
#: goes to the converter, which converts it or says what is wrong.
_PLACE_TYPES = {
    "source": str,
    "line": int,
    "start": int,
    "end": int,
    "page": int,
    "bbox": list,
    "path": str,
    "note": str,
    "confidence": float,
}
_PLACE_KEYS = frozenset(_PLACE_FIELDS)
_FLOATS = frozenset({float})
_UNPLACED_KEYS = frozenset(field.name for field in attrs.fields(Unplaced))
#: ``make(item, source)``: the place of a JSON object with these keys in this order, or
#: ``None`` if a value is not plain.
_PlaceMaker = Callable[[dict[str, Any], "str | None"], "Provenance | None"]
#: Makers by the keys of the places they read (dumps writes them in field order, so a file
#: holds a handful of key sets), at most :data:`_MAX_PLACE_MAKERS`.
_PLACE_MAKERS: dict[tuple[str, ...], _PlaceMaker] = {}
_MAX_PLACE_MAKERS = 256


def _place_maker(keys: tuple[str, ...]) -> _PlaceMaker | None:
    """Straight-line code that reads a place with these keys: each value's type tested, then
    each slot set (a part not given is ``None``; ``source`` is the default given). ``None``
    if a key is no part of a place, or past the most makers kept."""
    maker = _PLACE_MAKERS.get(keys)
    if maker is not None or len(_PLACE_MAKERS) >= _MAX_PLACE_MAKERS:
        return maker
    if not _PLACE_KEYS.issuperset(keys):
        return None
    lines = ["def make(item, source):"]
    for key in keys:
        lines.append(f"    v_{key} = item[{key!r}]")
        test = f"type(v_{key}) is not {_PLACE_TYPES[key].__name__} and v_{key} is not None"
        lines.append(f"    if {test}: return None")
    if "bbox" in keys:
        lines.append("    if v_bbox is not None:")
        lines.append("        if len(v_bbox) != 4 or not FLOATS.issuperset(map(type, v_bbox)):")
        lines.append("            return None")
        lines.append("        v_bbox = tuple(v_bbox)")
    lines.append("    where = NEW(PLACE)")
    for name in _PLACE_FIELDS:
        value = f"v_{name}" if name in keys else "source" if name == "source" else "None"
        lines.append(f"    SET_{name}(where, {value})")
    lines.append("    return where")
    namespace: dict[str, Any] = {"NEW": object.__new__, "PLACE": Provenance, "FLOATS": _FLOATS}
    namespace.update({f"SET_{name}": Provenance.__dict__[name].__set__ for name in _PLACE_FIELDS})
    exec(compile("\n".join(lines), "<ogi_report place reader>", "exec"), namespace)
    made: _PlaceMaker = namespace["make"]
    _PLACE_MAKERS[keys] = made
    return made


def _plain_place(item: Any, source: str | None) -> Provenance | None:
    """A place (a cell's, or unplaced text's) of plain JSON values, its ``source`` by default
    ``source``; ``None`` for anything else (the converter reads it)."""
    if type(item) is not dict:
        return None
    make = _place_maker(tuple(item))
    return None if make is None else make(item, source)


def _plain_places(data: dict[Any, Any], source: str | None) -> dict[str, Provenance] | None:
    """``$.provenance`` of plain places (see :func:`_plain_place`), else ``None``."""
    places = {}
    for code, item in data.items():
        if (place := _plain_place(item, source)) is None:
            return None
        places[code] = place
    return places


def _plain_unplaced(data: Any) -> tuple[Unplaced, ...] | None:
    """``$.unplaced`` of plain text, reasons and places, else ``None``."""
    if type(data) is not list:
        return None
    kept = []
    for item in data:
        if type(item) is not dict or not _UNPLACED_KEYS.issuperset(item):
            return None
        text, reason, place = item.get("text"), item.get("reason"), item.get("provenance")
        if type(text) is not str or type(reason) is not str:
            return None
        if place is not None and (place := _plain_place(place, None)) is None:
            return None
        kept.append(_new_unplaced(text, reason, place))
    return tuple(kept)


_TEMPLATES = {template.version: template for template in ALL_TEMPLATES}
_REPORT_KEYS = frozenset(
    {"format", "template", "metadata", "sections", "tables", "provenance", "unplaced"}
)


def _structure_report(converter: cattrs.Converter, data: Any, plain_json: bool = False) -> Report:
    """The report of ``data``; ``plain_json``: parsed from JSON text without ``true``/``false``."""
    if type(data) is not dict:
        raise InputError(f"$: a report is a JSON object, not {type(data).__name__}")
    if not _REPORT_KEYS.issuperset(data):
        unknown = set(data) - _REPORT_KEYS
        raise InputError(f"$: unknown keys {', '.join(sorted(unknown))}")
    if data.get("format", FORMAT) != FORMAT:
        raise InputError(f"$.format: {data['format']!r} is not {FORMAT!r}")
    version = data.get("template")
    if type(version) is not str:
        raise InputError(f'$.template: the format as a string, "2019" or "2021", not {version!r}')
    template = _TEMPLATES.get(version)
    if template is None:
        try:
            template = get_template(version)
        except KeyError as error:
            raise InputError(f"$.template: {error.args[0]}") from None
    tables_data = data.get("tables")
    if type(tables_data) is not dict:
        raise InputError("$.tables: expected an object of tables")
    tables, slots = _tables(template, tables_data, plain_json)
    metadata_data = data.get("metadata", {})
    if metadata_data is None:
        metadata_data = {}
    if type(metadata_data) is not dict:
        raise InputError(f"$.metadata: expected an object, not {type(metadata_data).__name__}")
    metadata = _metadata(converter, metadata_data)
    sections = data.get("sections")
    if sections is not None:
        if type(sections) is not list:
            raise InputError(f"$.sections: expected a list or null, not {type(sections).__name__}")
        sections = _sections(converter, sections)
    provenance = data.get("provenance") or {}
    if type(provenance) is not dict:
        raise InputError("$.provenance: expected an object {code: where}")
    unplaced = data.get("unplaced")
    if not provenance and not unplaced:  # checked above: nothing left to check
        return _new_report(template, tables, slots, metadata, sections)
    source = metadata.source
    where = _plain_places(provenance, source)
    kept = _plain_unplaced(unplaced or [])
    if where is not None and kept is not None and where.keys() <= template._index.keys():
        return _new_report(template, tables, slots, metadata, sections, where, kept)
    if source is not None:  # a place without "source" is in the report's own source
        provenance = {
            code: item if type(item) is not dict or "source" in item else {**item, "source": source}
            for code, item in provenance.items()
        }
    where = _structure_part(converter, provenance, dict[str, Provenance], "$.provenance")
    unplaced = _structure_part(converter, unplaced or [], tuple[Unplaced, ...], "$.unplaced")
    try:
        return Report(template, tables, metadata, sections, where, unplaced)
    except KeyError as error:
        raise InputError(f"$.provenance: {error.args[0]}") from None
    except (TypeError, ValueError) as error:
        raise InputError(f"$: {error}") from None


_CONVERTER = make_converter()


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready Python values."""
    return _report_json(report)


def from_dict(data: Mapping[str, Any]) -> Report:
    """Build a report from :func:`to_dict`'s form; :class:`InputError` says where it is wrong."""
    return _structure_report(_CONVERTER, data)


def dumps(report: Report, *, indent: bool = False) -> bytes:
    """The report as UTF-8 JSON bytes (the same bytes with or without orjson installed)."""
    data = _report_json(report, lists=False)
    if orjson is not None:
        option = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(data, option=option) + (b"\n" if indent else b"")
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes | str) -> Report:
    """Parse JSON made by :func:`dumps` into an equal report.

    Refuses what :func:`parse_json` and :func:`from_dict` refuse. Text without ``true``
    or ``false`` cannot hold a bool, so a large table's counts are then tested with one
    ``sum`` instead of one type test a cell; text longer than :data:`_BOOL_SCAN_MAX` is
    not looked through for them (its tables' cells are tested one by one, which costs less).
    """
    parsed = parse_json(data)
    plain_json = len(data) <= _BOOL_SCAN_MAX and not _may_hold_bools(data)
    try:
        return _structure_report(_CONVERTER, parsed, plain_json=plain_json)
    except RecursionError:
        raise InputError("JSON nested deeper than a report is") from None


#: Any \\uD800-\\uDFFF escape: only then can parsed JSON hold a lone surrogate.
_SURROGATE_ESCAPE = "\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
#: A run of digits longer than any number a report prints (:data:`~ogi_report.cells.MAX_DIGITS`).
_LONG_DIGITS = f"[0-9]{{{MAX_DIGITS + 1}}}"
_SUSPECT = re.compile(f"{_SURROGATE_ESCAPE}|{_LONG_DIGITS}")
_SURROGATE_BYTES = re.compile(_SURROGATE_ESCAPE.encode())
#: Bytes with every digit as 0: a run of MAX_DIGITS + 1 zeros then marks a long number.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_ZEROS = b"0" * (MAX_DIGITS + 1)


def _suspect(data: bytes | str) -> bool:
    """True if ``data`` may hold a lone surrogate or a number past MAX_DIGITS (then the
    parsed values are looked at); for bytes, two C-level passes instead of a regex."""
    if isinstance(data, str):
        return _SUSPECT.search(data) is not None
    if b"\\" in data and _SURROGATE_BYTES.search(data):  # memchr, then the rare escapes
        return True
    return _LONG_ZEROS in data.translate(_DIGITS_AS_ZERO)


#: The longest JSON text :func:`loads` looks through for ``true`` and ``false``: a search
#: costs about a nanosecond a byte, a type test a cell about 15 ns more than ``sum``, and a
#: report's tables hold a few hundred cells (past this, narrative and places fill the text).
_BOOL_SCAN_MAX = 4096


def _may_hold_bools(data: bytes | str) -> bool:
    """False if JSON text ``data`` holds no ``true`` or ``false`` (JSON writes a bool no other
    way), so that a number parsed from it is never a bool."""
    if isinstance(data, str):
        return "true" in data or "false" in data
    return b"true" in data or b"false" in data


def parse_json(data: bytes | str, source: str | None = None) -> Any:
    """JSON text to Python values, refusing with :class:`InputError` what no report holds.

    Refused: invalid JSON (with its line and column), nesting deeper than the parser's
    limit, a lone surrogate escape (``"\\ud800"``: no text can be written from it), and an
    integer of more than :data:`~ogi_report.cells.MAX_DIGITS` digits.

    >>> parse_json('{"a": [1, "二"]}')
    {'a': [1, '二']}
    >>> parse_json('{"text": "\\\\ud800"}')
    Traceback (most recent call last):
    ...
    ogi_report.errors.InputError: ...surrogate...
    """
    try:
        parsed = orjson.loads(data) if orjson is not None else json.loads(data)
    except RecursionError:
        raise InputError("JSON nested deeper than the parser allows", source=source) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"not JSON: {error.msg} at line {error.lineno} column {error.colno}", source=source
        ) from None
    except ValueError:  # an integer past Python's conversion limit (4300 digits)
        raise InputError(
            f"a number of more than {MAX_DIGITS} digits is no count", source=source
        ) from None
    if _suspect(data):
        problem = _unwritable(parsed)
        if problem is not None:
            raise InputError(problem, source=source)
    return parsed


def _unwritable(parsed: Any) -> str | None:
    """The first string or number of ``parsed`` that no report holds, said with its path."""
    limit = 10**MAX_DIGITS
    stack: list[tuple[str, Any]] = [("$", parsed)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not _encodable(key):
                    return f"{path}: a key holds a lone surrogate (\\ud800 …): not text"
                stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and not _encodable(value):
            return f"{path}: a lone surrogate (\\ud800 …) is not text"
        elif type(value) in (int, float) and not -limit < value < limit:
            return f"{path}: a number of more than {MAX_DIGITS} digits is no count"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- JSON Schema -------------------------------------------------------------------------

_CELL_SCHEMA = {
    "title": "Cell",
    "description": "A cell as published: integer count, decimal string amount, null for a blank,"
    " a not-applicable mark (/ — 无 …), other text, or a reader's ambiguous/missing marker.",
    "oneOf": [
        {"type": "integer"},
        {"type": "string"},
        {"type": "null"},
        {
            "title": "AmbiguousCell",
            "type": "object",
            "properties": {"ambiguous": {"type": "array", "minItems": 2}},
            "required": ["ambiguous"],
            "additionalProperties": False,
        },
        {
            "title": "MissingCell",
            "type": "object",
            "properties": {"missing": {"const": True}},
            "required": ["missing"],
            "additionalProperties": False,
        },
    ],
}


def _type_schema(hint: Any) -> dict[str, Any]:
    args = typing.get_args(hint)
    if type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        schema = _type_schema(inner)
        return {"anyOf": [schema, {"type": "null"}]}
    if hint is str:
        return {"type": "string"}
    if hint is int:
        return {"type": "integer"}
    if hint is date:
        return {"type": "string", "format": "date"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if hint is float:
        return {"type": "number"}
    if typing.get_origin(hint) is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type_schema(args[0])}
        return {
            "type": "array",
            "prefixItems": [_type_schema(a) for a in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    if attrs.has(hint):
        return _class_schema(hint)
    raise TypeError(f"no JSON Schema for {hint!r}")


def _class_schema(cls: type, *, omit_none: bool = False) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    types = {f.name: _type_schema(hints[f.name]) for f in fields}
    if omit_none:  # written without its unknown (None) parts
        types = {name: schema["anyOf"][0] for name, schema in types.items()}
    return {
        "title": cls.__name__,
        "type": "object",
        "properties": types,
        "required": [f.name for f in fields if f.default is attrs.NOTHING],
        "additionalProperties": False,
    }


def _title(*words: str) -> str:
    """A definition's title as a class name other languages accept: ``Table2021S2Article201``."""
    return "".join(
        part[:1].upper() + part[1:] for word in words for part in re.split(r"[^0-9A-Za-z]+", word)
    )


def _tables_schema(template: Template) -> dict[str, Any]:
    properties = {}
    for spec in template.tables:
        width = len(spec.columns)
        row = {
            "type": "array",
            "description": "cells in column order: "
            + ", ".join(f"{c.key} ({c.label_zh})" for c in spec.columns),
            "items": {"$ref": "#/$defs/cell"},
            "minItems": width,
            "maxItems": width,
        }
        properties[spec.key] = {
            "title": _title("Table", template.version, spec.key),
            "type": "object",
            "description": f"{spec.caption_zh}: {spec.caption_en}",
            "properties": {
                r.key: {**row, "description": f"{r.label_zh}; {row['description']}"}
                for r in spec.rows
            },
            "required": [r.key for r in spec.rows if not r.optional],
            "additionalProperties": False,
        }
    return {
        "title": _title("Tables", template.version),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) of the JSON form, for systems written in other languages."""
    variants = [
        {
            "properties": {
                "template": {"const": template.version},
                "tables": _tables_schema(template),
            }
        }
        for template in ALL_TEMPLATES
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Report",
        "description": "OGI annual report (政府信息公开工作年度报告), the ogi-report JSON form",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "template": {"enum": [t.version for t in ALL_TEMPLATES]},
            "metadata": _class_schema(Metadata),
            "sections": {
                "anyOf": [{"type": "array", "items": _class_schema(Section)}, {"type": "null"}]
            },
            "tables": {"title": "Tables", "type": "object"},
            "provenance": {
                "title": "ProvenanceByCell",
                "type": "object",
                "description": "where each cell was read, by canonical code",
                "additionalProperties": _class_schema(Provenance, omit_none=True),
            },
            "unplaced": {"type": "array", "items": _class_schema(Unplaced)},
        },
        "required": ["template", "tables"],
        "additionalProperties": False,
        "oneOf": variants,
        "$defs": {"cell": _CELL_SCHEMA},
    }
