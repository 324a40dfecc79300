"""Readers: turn a source into a :class:`~ogi_report.model.Report`, its form found from content.

Forms read now: the JSON form of :mod:`ogi_report.writers.json` and the flat cells JSON.

>>> report = read(b'{"template": "2021", "cells": {}}')
>>> report
<Report 2021 (agency unknown) (year unknown): 0 of 6 tables, 0 cells>
>>> read(b"%PDF-1.7 ...")
Traceback (most recent call last):
...
ogi_report.errors.InputError: <bytes>: this looks like a PDF file; the forms read so far are \
ogi-report JSON and cells JSON
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Report
from ..writers.cells import from_cells_json
from ..writers.json import from_dict

__all__ = ["detect_form", "read"]


def __dir__() -> list[str]:
    return __all__


Source = str | bytes | os.PathLike[str]

_SIGNATURES = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP container (Word .docx?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc)"),
)

#: Larger inputs are refused before parsing: no real report comes near this.
MAX_BYTES = 64 * 1024 * 1024


def _load(source: Source) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str) and (source.lstrip().startswith(("{", "[")) or "\n" in source):
        return source.encode(), "<text>"
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{size} bytes is larger than the {MAX_BYTES} bytes allowed", source=str(path)
            )
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", source=str(path)) from None


def detect_form(data: Any) -> str:
    """Which JSON form ``data`` is: ``"json"`` (ours) or ``"cells-json"``."""
    if isinstance(data, dict) and "cells" in data and "tables" not in data:
        return "cells-json"
    if isinstance(data, dict) and "tables" in data:
        return "json"
    raise ValueError("a JSON object with 'tables' (ogi-report JSON) or 'cells' (cells JSON)")


def read(source: Source) -> Report:
    """Read one report from a path, bytes or JSON text; :class:`InputError` says what and where."""
    data, name = _load(source)
    head = data[:8]
    for signature, form in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(
                f"this looks like {form}; the forms read so far are ogi-report JSON and cells JSON",
                source=name,
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", source=name) from None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not JSON: {error.msg} at line {error.lineno} column {error.colno}", source=name
        ) from None
    try:
        form = detect_form(parsed)
    except ValueError as error:
        raise InputError(f"unknown JSON: expected {error}", source=name) from None
    if form == "cells-json":
        report = from_cells_json(parsed, source=name)
    else:
        try:
            report = from_dict(parsed)
        except InputError as error:
            raise InputError(error.reason, source=name) from None
    return report
