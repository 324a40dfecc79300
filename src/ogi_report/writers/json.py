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
from collections.abc import Mapping
from datetime import date
from itertools import chain
from typing import Any

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
from ..errors import InputError
from ..model import (
    AdminLevel,
    BodyKind,
    Metadata,
    Report,
    Row,
    Scope,
    Section,
    Table,
    Unplaced,
)
from ..templates import TEMPLATES, TableSpec, Template, get_template

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
        from ..dates import parse_date

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


def _row(values: Any, path: str) -> tuple[Cell, ...]:
    if type(values) is not list:
        raise InputError(f"{path}: a row is a list of cells, not {type(values).__name__}")
    return tuple(_cell(v, f"{path}[{i}]") for i, v in enumerate(values))


# --- reports -----------------------------------------------------------------------------


def _row_json(values: tuple[Cell, ...]) -> list[Any]:
    if _INTS.issuperset(map(type, values)):  # counts only: already JSON
        return list(values)
    return [format_cell(v) for v in values]


def _unstructure_provenance(where: Provenance) -> dict[str, Any]:
    # Only the parts known: a text position has no page, a PDF box no line.
    return {
        field.name: list(value) if isinstance(value, tuple) else value
        for field in attrs.fields(Provenance)
        if (value := getattr(where, field.name)) is not None
    }


def _unstructure_report(report: Report) -> dict[str, Any]:
    data = {
        "format": FORMAT,
        "template": report.template.version,
        "metadata": _CONVERTER.unstructure(report.metadata),
        "sections": None if report.sections is None else _CONVERTER.unstructure(report.sections),
        "tables": {
            table.spec.key: {row.key: _row_json(row.values) for row in table.rows}
            for table in report.tables
        },
    }
    if report.provenance:
        data["provenance"] = {
            code: _unstructure_provenance(where) for code, where in report.provenance.items()
        }
    if report.unplaced:
        data["unplaced"] = _CONVERTER.unstructure(report.unplaced)
    return data


def _table(spec: TableSpec, rows: Any, path: str) -> Table:
    if type(rows) is not dict:
        raise InputError(f"{path}: a table is an object of rows, not {type(rows).__name__}")
    if tuple(rows) != spec.standard_row_keys:  # JSON objects are unordered: put rows in print order
        order = {key: i for i, key in enumerate(spec.row_keys)}
        unknown = [key for key in rows if key not in order]
        if unknown:
            known = ", ".join(spec.row_keys)
            raise InputError(f"{path}: table {spec.key} has no row {unknown[0]!r}; rows: {known}")
        rows = {key: rows[key] for key in sorted(rows, key=order.__getitem__)}
    lists = rows.values()
    try:
        if _LISTS.issuperset(map(type, lists)) and _INTS.issuperset(
            map(type, chain.from_iterable(lists))
        ):  # the common table: counts only, checked in C
            return Table(spec, tuple(map(Row, rows, map(tuple, lists))))
        return Table(
            spec, tuple(Row(key, _row(values, f"{path}.{key}")) for key, values in rows.items())
        )
    except InputError:
        raise
    except (TypeError, ValueError) as error:
        raise InputError(f"{path}: {error}") from None


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


def _structure_report(converter: cattrs.Converter, data: Any) -> Report:
    if type(data) is not dict:
        raise InputError(f"$: a report is a JSON object, not {type(data).__name__}")
    unknown = set(data) - {
        "format",
        "template",
        "metadata",
        "sections",
        "tables",
        "provenance",
        "unplaced",
    }
    if unknown:
        raise InputError(f"$: unknown keys {', '.join(sorted(unknown))}")
    if data.get("format", FORMAT) != FORMAT:
        raise InputError(f"$.format: {data['format']!r} is not {FORMAT!r}")
    version = data.get("template")
    if type(version) is not str:
        raise InputError(f'$.template: the format as a string, "2019" or "2021", not {version!r}')
    try:
        template = get_template(version)
    except KeyError as error:
        raise InputError(f"$.template: {error.args[0]}") from None
    tables_data = data.get("tables")
    if type(tables_data) is not dict:
        raise InputError("$.tables: expected an object of tables")
    tables = []
    order = {spec.key: i for i, spec in enumerate(template.tables)}
    for key, rows in sorted(tables_data.items(), key=lambda item: order.get(item[0], -1)):
        try:
            spec = template.table(key)
        except KeyError as error:
            raise InputError(f"$.tables: {error.args[0]}") from None
        tables.append(_table(spec, rows, f"$.tables.{key}"))
    metadata_data = data.get("metadata", {})
    if metadata_data is None:
        metadata_data = {}
    if type(metadata_data) is not dict:
        raise InputError(f"$.metadata: expected an object, not {type(metadata_data).__name__}")
    metadata = _structure_part(converter, metadata_data, Metadata, "$.metadata")
    sections = data.get("sections")
    if sections is not None:
        if type(sections) is not list:
            raise InputError(f"$.sections: expected a list or null, not {type(sections).__name__}")
        sections = _structure_part(converter, sections, tuple[Section, ...], "$.sections")
    provenance = data.get("provenance") or {}
    if type(provenance) is not dict:
        raise InputError("$.provenance: expected an object {code: where}")
    where = _structure_part(converter, provenance, dict[str, Provenance], "$.provenance")
    unplaced = _structure_part(
        converter, data.get("unplaced") or [], tuple[Unplaced, ...], "$.unplaced"
    )
    try:
        return Report(template, tuple(tables), metadata, sections, where, unplaced)
    except KeyError as error:
        raise InputError(f"$.provenance: {error.args[0]}") from None
    except (TypeError, ValueError) as error:
        raise InputError(f"$: {error}") from None


_CONVERTER = make_converter()


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready Python values."""
    return _CONVERTER.unstructure(report)  # type: ignore[no-any-return]


def from_dict(data: Mapping[str, Any]) -> Report:
    """Build a report from :func:`to_dict`'s form; :class:`InputError` says where it is wrong."""
    return _structure_report(_CONVERTER, data)


def dumps(report: Report, *, indent: bool = False) -> bytes:
    """The report as UTF-8 JSON bytes (the same bytes with or without orjson installed)."""
    data = to_dict(report)
    if orjson is not None:
        option = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(data, option=option) + (b"\n" if indent else b"")
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes | str) -> Report:
    """Parse JSON made by :func:`dumps` into an equal report."""
    parsed = parse_json(data)
    try:
        return from_dict(parsed)
    except RecursionError:
        raise InputError("JSON nested deeper than a report is") from None


#: Any \\uD800-\\uDFFF escape: only then can parsed JSON hold a lone surrogate.
_SURROGATE_ESCAPE = "\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
#: A run of digits longer than any number a report prints (:data:`~ogi_report.cells.MAX_DIGITS`).
_LONG_DIGITS = f"[0-9]{{{MAX_DIGITS + 1}}}"
_SUSPECT = re.compile(f"{_SURROGATE_ESCAPE}|{_LONG_DIGITS}")
_SUSPECT_BYTES = re.compile(_SUSPECT.pattern.encode())


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
    suspect = _SUSPECT_BYTES.search(data) if isinstance(data, bytes) else _SUSPECT.search(data)
    if suspect:
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
    "description": "A cell as published: integer count, decimal string amount, null for a blank,"
    " a not-applicable mark (/ — 无 …), other text, or a reader's ambiguous/missing marker.",
    "oneOf": [
        {"type": "integer"},
        {"type": "string"},
        {"type": "null"},
        {
            "type": "object",
            "properties": {"ambiguous": {"type": "array", "minItems": 2}},
            "required": ["ambiguous"],
            "additionalProperties": False,
        },
        {
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
        "type": "object",
        "properties": types,
        "required": [f.name for f in fields if f.default is attrs.NOTHING],
        "additionalProperties": False,
    }


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
        for template in TEMPLATES
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "OGI annual report (政府信息公开工作年度报告)",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "template": {"enum": [t.version for t in TEMPLATES]},
            "metadata": _class_schema(Metadata),
            "sections": {
                "anyOf": [{"type": "array", "items": _class_schema(Section)}, {"type": "null"}]
            },
            "tables": {"type": "object"},
            "provenance": {
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
