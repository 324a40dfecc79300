"""Readers: a source (path, bytes or text) to a :class:`~ogi_report.model.Report`.

The form is found from the content, not the file name: ogi-report JSON and cells JSON,
HTML, PDF, Word (.docx, and .doc with the doc extra), pictures (PNG, JPEG, TIFF, read by
OCR with the ocr extra), and plain text or Markdown. Text is decoded as UTF-8 or, failing
that, GB18030 (a superset of GBK, as Chinese sites use).

>>> report = read(b'{"template": "2021", "cells": {}}')
>>> report
<Report 2021 (agency unknown) (year unknown): 0 of 6 tables, 0 cells>
>>> detect_form(b"%PDF-1.7 ..."), detect_form("一、总体情况".encode("gb18030"))
('pdf', 'text')
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..model import Report
from ..writers.cells import from_cells_json
from ..writers.json import from_dict, parse_json
from ._document import MAX_TEXT_CHARS

__all__ = [
    "FORMS",
    "MAX_BYTES",
    "MAX_TEXT_CHARS",
    "decode",
    "detect_form",
    "read",
    "skipped",
    "skipped_name",
]


def __dir__() -> list[str]:
    return __all__


Source = str | bytes | os.PathLike[str]

#: Larger inputs are refused before parsing: no real report comes near this.
MAX_BYTES = 64 * 1024 * 1024

#: The forms :func:`read` knows, by the name :func:`detect_form` gives.
FORMS = ("json", "cells-json", "html", "pdf", "docx", "doc", "image", "text")


def _load(source: Source, name: str | None = None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return _bounded(source, name or "<bytes>"), name or "<bytes>"
    if isinstance(source, str) and (
        "\n" in source
        or "\x00" in source
        or source.lstrip().startswith(("{", "[", "<"))
        or len(source) > 4096
    ):
        name = name or "<text>"
        if len(source) > MAX_BYTES:  # every character is at least a byte
            raise InputError(f"more than the {MAX_BYTES} bytes allowed", source=name)
        return _bounded(_encoded(source), name), name
    path = Path(source)
    try:
        # Opened without blocking (a FIFO would wait for a writer), then looked at.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise InputError(_NOT_A_FILE, source=str(path))
            if status.st_size > MAX_BYTES:
                raise InputError(
                    f"{status.st_size} bytes is more than the {MAX_BYTES} allowed", source=str(path)
                )
            return _bounded(file.read(MAX_BYTES + 1), str(path)), str(path)
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", source=str(path)) from None
    except OSError as error:  # a name too long, a broken device …
        if isinstance(source, str) and error.errno == errno.ENAMETOOLONG:
            return _bounded(_encoded(source), "<text>"), "<text>"  # no file has such a name
        raise InputError(f"cannot be read: {error.strerror or error}", source=str(path)) from None


def skipped(path: str | os.PathLike[str]) -> bool:
    """True for a file in a folder of reports that is not one: hidden files, README files,
    corpus truth files (``*.truth.json``). Folder readers (``check -r``,
    ``ReportSet.from_directory``) skip these; a file named on its own is always read.

    >>> skipped("reports/README.md"), skipped("a.pdf.truth.json"), skipped("a.pdf")
    (True, True, False)
    """
    return skipped_name(Path(path).name)


def skipped_name(name: str) -> bool:
    """:func:`skipped` of a file's name alone (the last part of its path): a folder's walk
    tests the names it lists, with no Path made for each.

    >>> skipped_name("README.md"), skipped_name(".DS_Store"), skipped_name("2021.json")
    (True, True, False)
    """
    return (
        name.startswith(".")
        or name.endswith(".truth.json")
        or name.split(".")[0].upper() == "README"
    )


_NOT_A_FILE = "not a regular file (a device, a pipe or a socket): give a file saved on disk"


def _bounded(data: bytes, name: str) -> bytes:
    """``data`` if it is within :data:`MAX_BYTES`; else a clear InputError."""
    if len(data) > MAX_BYTES:
        raise InputError(f"more than the {MAX_BYTES} bytes allowed", source=name)
    return data


def _encoded(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"text holds a character no encoding can carry (position {error.start})",
            source="<text>",
        ) from None


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, source: str | None = None) -> str:
    """Bytes as text: UTF-16 after its BOM, UTF-8 (a BOM allowed), else GB18030; InputError
    if none fits."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                f"UTF-16 text (by its BOM) with an undecodable byte at {error.start}", source=source
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InputError(
            f"neither UTF-8 nor GB18030 text (undecodable byte at {error.start})", source=source
        ) from None


#: How PNG, JPEG and TIFF (either byte order) files begin.
_PICTURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_form(data: bytes) -> str:
    """Which form ``data`` is, by its content: one of :data:`FORMS`."""
    if data.startswith(_UTF16_BOMS):  # UTF-16 text or HTML: judged by its first characters
        data = data[:131072].decode("utf-16", "replace").encode("utf-8")
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: an old Office file
        return "doc"
    if data.startswith(_PICTURES):
        return "image"
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith((b"{", b"[")):
        return "cells-json" if b'"cells"' in data and b'"tables"' not in data else "json"
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    if b"<table" in data[:65536].lower():
        return "html"
    if any(tag in lowered for tag in (b"<body", b"<div", b"<p>", b"<meta", b"<head")):
        return "html"
    return "text"


def _reader(form: str) -> Callable[[bytes, str], Report]:
    """The reader of ``form``, imported when first needed (HTML, PDF, Word need extras)."""
    if form == "text":
        from .text import read_text

        return lambda data, name: read_text(decode(data, name), name)
    if form == "html":
        from .html import read_html

        return read_html
    if form == "pdf":
        from .pdf import read_pdf

        return read_pdf
    if form == "docx":
        from .docx import read_docx

        return read_docx
    if form == "doc":
        from .doc import read_doc

        return read_doc
    if form == "image":
        from .ocr import read_image

        return read_image
    raise ValueError(form)


#: The extra that brings each published form's reader.
_EXTRAS = {"html": "html", "pdf": "pdf", "docx": "docx", "doc": "doc", "image": "ocr"}


def _missing(form: str, error: ImportError) -> str:
    """What a missing library means: the extra to install, not only the module's name."""
    extra = _EXTRAS.get(form)
    if type(error) is ModuleNotFoundError and extra is not None:
        return (
            f"reading {form} needs the {extra} extra: pip install 'ogi-report[{extra}]'"
            f" ({error.name} is not installed)"
        )
    return str(error)


def read(source: Source, *, form: str | None = None, name: str | None = None) -> Report:
    """Read one report from a path, bytes or text, as published or as JSON.

    ``form`` overrides detection. ``name`` is what bytes or text are called in messages and
    provenance (a document id, ``<stdin>``; default ``<bytes>`` or ``<text>``).
    :class:`~ogi_report.errors.InputError` says what is wrong and where; a missing optional
    extra names the ``pip install`` that brings it.
    """
    data, name = _load(source, name)
    if not data.strip():
        raise InputError("empty: there is nothing to read", source=name)
    form = form or detect_form(data)
    if form not in FORMS:
        raise InputError(f"unknown form {form!r}; forms: {', '.join(FORMS)}", source=name)
    if form in ("json", "cells-json"):
        parsed = parse_json(decode(data, name), name)
        if not isinstance(parsed, dict):
            raise InputError(f"a report is a JSON object, not {type(parsed).__name__}", source=name)
        try:
            if form == "cells-json" or ("cells" in parsed and "tables" not in parsed):
                return from_cells_json(parsed, source=name)
            return from_dict(parsed)
        except InputError as error:
            raise InputError(error.reason, source=name) from None
        except RecursionError:
            raise InputError("JSON nested deeper than a report is", source=name) from None
    try:
        report = _reader(form)(data, name)
    except InputError:
        raise
    except ImportError as error:
        raise InputError(_missing(form, error), source=name) from None
    textual = form in ("text", "html", "docx", "doc", "image")
    if textual and not report.tables and not report.sections:
        raise InputError(
            f"no OGI annual report found in this {form}: no section heading, no standard table",
            source=name,
        )
    return report
