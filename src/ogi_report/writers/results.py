"""Check results as records, the machine output of ``ogi-report check``: one record per
file or pair of years, versioned.

A record says what was checked (a file, or two years of one body), whether it could be
read, who published it, and its findings with their place as structured fields. The
JSON Schema of a record is :func:`check_record_schema` (``ogi-report schema --findings``);
:data:`SCHEMA_VERSION` changes when a field's meaning does, and a record names it.

>>> from ogi_report import check, example_report
>>> report = example_report("2019")
>>> record = check_record("shili.json", report=report, findings=check(report))
>>> record["status"], record["agency"], record["format"], len(record["findings"])
('checked', '示例县人民政府', '2019', 3)
>>> sorted(record["findings"][0])[:4]
['cells', 'code', 'computed', 'difference']
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from ..cells import Provenance
from ..findings import Finding, Findings, Severity
from ..model import Report

__all__ = [
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "check_record",
    "check_record_schema",
    "finding_record",
    "json_value",
    "location_record",
]


def __dir__() -> list[str]:
    return __all__


#: The version of the record shape; a record carries it as ``schema_version``.
SCHEMA_VERSION = 1
#: The schema's identifier (``$id``).
SCHEMA_ID = f"https://ogi-report.invalid/schema/check-record/v{SCHEMA_VERSION}"

Status = Literal["checked", "unreadable", "failed"]


def json_value(value: object) -> object:
    """Numbers as JSON numbers, amounts (Decimal) as strings with every printed digit.

    >>> from decimal import Decimal
    >>> json_value(3), json_value(Decimal("7539.4400"))
    (3, '7539.4400')
    """
    return format(value, "f") if isinstance(value, Decimal) else value


def location_record(where: Provenance | None, text: str | None = None) -> dict[str, Any] | None:
    """Where a finding's first cell was printed, as fields: ``line`` and ``column``
    (1-based), ``page`` and ``bbox``, or the element ``path``; ``text`` as printed for people."""
    if where is None:
        return None if text is None else {"text": text}
    return {
        "text": text if text is not None else str(where),
        "source": where.source,
        "line": where.line,
        "column": None if where.start is None else where.start + 1,
        "end_column": where.end,
        "page": where.page,
        "bbox": None if where.bbox is None else list(where.bbox),
        "path": where.path,
        "note": where.note,
    }


def finding_record(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object: its rule, cells, numbers, messages in both languages and
    its place."""
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "instance": finding.instance,
        "cells": list(finding.cells),
        "published": json_value(finding.published),
        "computed": json_value(finding.computed),
        "difference": json_value(finding.difference),
        "tolerance": json_value(finding.tolerance),
        "message_en": finding.message_en,
        "message_zh": finding.message_zh,
        "location": location_record(finding.provenance, finding.location),
    }


def check_record(
    file: str | tuple[str, str],
    *,
    report: Report | None = None,
    findings: Findings | None = None,
    status: Status = "checked",
    error: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    template: str | None = None,
    notes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The record of one file (``file`` a path) or one pair of years (``file`` two paths).

    ``report`` fills agency, year and format when given; ``findings`` its findings and notes.
    """
    if report is not None:
        meta = report.metadata
        agency, year, template = meta.agency, meta.reporting_year, report.template.version
    pair = isinstance(file, tuple)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "pair" if pair else "file",
        "file": None if pair else file,
        "files": list(file) if pair else [file],
        "status": status,
        "error": error,
        "agency": agency,
        "year": year,
        "format": template,
        "findings": [finding_record(f) for f in findings or ()],
        "notes": [*(findings.notes if findings is not None else ()), *notes],
    }


def _nullable(kind: str | list[str]) -> dict[str, Any]:
    kinds = [kind] if isinstance(kind, str) else kind
    return {"type": [*kinds, "null"]}


_VALUE = {
    "type": ["integer", "string", "null"],
    "description": "a count, or an amount as a decimal string",
}


def check_record_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a :func:`check_record`, each definition titled."""
    location = {
        "title": "Location",
        "description": "where the finding's first cell was printed",
        "type": ["object", "null"],
        "properties": {
            "text": {"type": "string", "description": "the place as people read it"},
            "source": _nullable("string"),
            "line": _nullable("integer"),
            "column": _nullable("integer"),
            "end_column": _nullable("integer"),
            "page": _nullable("integer"),
            "bbox": {
                "type": ["array", "null"],
                "items": {"type": "number"},
                "minItems": 4,
                "maxItems": 4,
            },
            "path": _nullable("string"),
            "note": _nullable("string"),
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    finding = {
        "title": "Finding",
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": r"^[A-Z0-9_]+\.[A-Z0-9_]+$"},
            "severity": {"enum": [s.value for s in Severity]},
            "instance": _nullable("string"),
            "cells": {"type": "array", "items": {"type": "string"}},
            "published": _VALUE,
            "computed": _VALUE,
            "difference": _VALUE,
            "tolerance": _VALUE,
            "message_en": {"type": "string"},
            "message_zh": {"type": "string"},
            "location": {"$ref": "#/$defs/Location"},
        },
        "required": [
            "code",
            "severity",
            "instance",
            "cells",
            "published",
            "computed",
            "difference",
            "tolerance",
            "message_en",
            "message_zh",
            "location",
        ],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "CheckRecord",
        "description": "ogi-report check: the record of one file or one pair of years",
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "kind": {"enum": ["file", "pair"]},
            "file": _nullable("string"),
            "files": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
            "status": {"enum": ["checked", "unreadable", "failed"]},
            "error": _nullable("string"),
            "agency": _nullable("string"),
            "year": _nullable("integer"),
            "format": {"enum": ["2019", "2021", "pre-2019", None]},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
            "notes": {"type": "array", "items": {"type": "string"}},
        },
        "required": [
            "schema_version",
            "kind",
            "file",
            "files",
            "status",
            "error",
            "agency",
            "year",
            "format",
            "findings",
            "notes",
        ],
        "additionalProperties": False,
        "$defs": {"Finding": finding, "Location": location},
    }
