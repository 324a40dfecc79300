"""read(): a report from a path, bytes or JSON text, its form found from the content."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import ogi_report
from ogi_report.errors import InputError
from ogi_report.readers import detect_form, read
from ogi_report.writers.cells import to_cells_json

VERSIONS = ("2019", "2021")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _cells_json_bytes(version: str) -> bytes:
    return json.dumps(
        to_cells_json(ogi_report.example_report(version)), ensure_ascii=False
    ).encode()


# --- sources -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_read_json_form_from_a_path(version: str, tmp_path: Path) -> None:
    """A JSON-form file read by Path and by str path equals the report written."""
    report = ogi_report.example_report(version)
    path = tmp_path / "report.json"
    path.write_bytes(ogi_report.dumps(report))
    assert read(path) == report
    assert read(str(path)) == report


@pytest.mark.parametrize("version", VERSIONS)
def test_read_json_form_from_bytes_and_text(version: str) -> None:
    """JSON-form bytes and str read to the same report."""
    report = ogi_report.example_report(version)
    data = ogi_report.dumps(report)
    assert read(data) == report
    assert read(data.decode()) == report
    assert read(ogi_report.dumps(report, indent=True).decode()) == report


@pytest.mark.parametrize("version", VERSIONS)
def test_read_cells_json_from_path_bytes_and_text(version: str, tmp_path: Path) -> None:
    """Cells-JSON is detected from content, from a path, bytes or str."""
    report = ogi_report.example_report(version)
    data = _cells_json_bytes(version)
    path = tmp_path / "report.truth.json"
    path.write_bytes(data)
    for source in (path, data, data.decode()):
        back = read(source)
        assert back.values() == report.values()
        assert back.sections is None


def test_read_accepts_a_utf8_bom(tmp_path: Path) -> None:
    """A UTF-8 byte order mark before the JSON is accepted."""
    report = ogi_report.example_report("2021")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + ogi_report.dumps(report))
    assert read(path) == report


def test_read_text_with_leading_whitespace() -> None:
    """JSON text with leading whitespace is read as text, not as a path."""
    report = ogi_report.example_report("2021")
    assert read("  \n" + ogi_report.dumps(report).decode()) == report


@pytest.mark.parametrize(
    ("data", "form"),
    [
        (b'{"template": "2021", "tables": {}}', "json"),
        (b'{"template": "2021", "cells": {}}', "cells-json"),
        (b'\xef\xbb\xbf  {"template": "2021", "cells": {}}', "cells-json"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "pdf"),
        (b"PK\x03\x04\x14\x00\x06\x00", "docx"),
        (b"<!DOCTYPE html><html><body><table></table>", "html"),
        (b"<div><p>\xe4\xb8\x80</p></div>", "html"),
        ("一、总体情况\n".encode("gb18030"), "text"),
        ("# 一、总体情况\n| 规章 | 0 |".encode(), "text"),
    ],
)
def test_detect_form(data: bytes, form: str) -> None:
    """detect_form tells each form from its content, not from a file name."""
    assert detect_form(data) == form


def test_old_office_files_are_named(tmp_path: Path) -> None:
    """A damaged old Office (OLE2) file is an InputError naming it: with the doc extra, what
    is wrong with it; without, the extra to install."""
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
    with pytest.raises(InputError, match=r"old Office|doc extra") as excinfo:
        read(path)
    assert excinfo.value.source == str(path)


@pytest.mark.parametrize("empty", [b"", b"  \n\t"], ids=repr)
def test_empty_input_is_refused(empty: bytes) -> None:
    """An empty input is an InputError, not an empty report."""
    with pytest.raises(InputError, match="empty"):
        read(empty)


def test_text_without_a_report_is_refused() -> None:
    """Text with no section heading and no standard table is not silently an empty report."""
    with pytest.raises(InputError, match="no OGI annual report") as excinfo:
        read("今天天气很好。\n明天也是。")
    assert "<text>" in str(excinfo.value)


def test_gb18030_text_is_decoded() -> None:
    """Text in GB18030/GBK (as Chinese sites serve it) is read like UTF-8."""
    text = "四、政府信息公开行政复议、行政诉讼情况\n" + " | ".join(["0"] * 15)
    assert read(text.encode("gb18030"))["s4.review.total"] == 0
    assert read(text.encode("gbk")) == read(text.encode("utf-8"))


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    """A missing file gives an InputError naming the path."""
    path = tmp_path / "nowhere.json"
    with pytest.raises(InputError, match="no such file") as excinfo:
        read(path)
    assert str(path) in str(excinfo.value)
    assert excinfo.value.source == str(path)


def test_folder_names_the_path(tmp_path: Path) -> None:
    """A folder gives an InputError naming the path."""
    with pytest.raises(InputError, match="folder") as excinfo:
        read(tmp_path)
    assert str(tmp_path) in str(excinfo.value)


def test_undecodable_bytes_name_the_source() -> None:
    """Bytes that are neither UTF-8 nor GB18030 give an InputError naming the source."""
    with pytest.raises(InputError, match="neither UTF-8 nor GB18030") as excinfo:
        read(b"\x81\x30\xff\xff\n" * 3)
    assert "<bytes>" in str(excinfo.value)


@pytest.mark.parametrize("bad", [b"{not json", b'{"template": "2021",}'], ids=repr)
def test_invalid_json_names_the_source(bad: bytes, tmp_path: Path) -> None:
    """Invalid JSON gives an InputError naming the source and the position."""
    with pytest.raises(InputError, match="not JSON") as excinfo:
        read(bad)
    assert "<bytes>" in str(excinfo.value)
    path = tmp_path / "bad.json"
    path.write_bytes(bad)
    with pytest.raises(InputError, match="line 1") as excinfo:
        read(path)
    assert str(path) in str(excinfo.value)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"[1, 2]", "JSON object"),
        (b"[]", "JSON object"),
        (b'{"agency": "x"}', "unknown keys agency"),
        (b"null", "no OGI annual report"),
        (b"3", "no OGI annual report"),
    ],
)
def test_json_that_is_no_report_names_the_source(
    document: bytes, message: str, tmp_path: Path
) -> None:
    """A JSON array, a scalar or an object without a template is refused naming the source."""
    with pytest.raises(InputError, match=message) as excinfo:
        read(document)
    assert "<bytes>" in str(excinfo.value)
    path = tmp_path / "array.json"
    path.write_bytes(document)
    with pytest.raises(InputError, match=message) as excinfo:
        read(path)
    assert str(path) in str(excinfo.value)


def test_invalid_report_names_the_source_and_path(tmp_path: Path) -> None:
    """A JSON-form file with a bad row names the file and the $-path."""
    data = json.loads(ogi_report.dumps(ogi_report.example_report("2021")))
    data["tables"]["s4"]["review"] = [1, 2]
    path = tmp_path / "short-row.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: ")
    assert "$.tables.s4" in message
    assert excinfo.value.source == str(path)


def test_invalid_section_names_the_source(tmp_path: Path) -> None:
    """A JSON-form file with an invalid section raises InputError naming the file."""
    data = json.loads(ogi_report.dumps(ogi_report.example_report("2021")))
    data["sections"][0]["number"] = 11
    path = tmp_path / "section-11.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read(path)
    assert str(excinfo.value).startswith(f"{path}: ")


def test_invalid_cells_json_names_the_source(tmp_path: Path) -> None:
    """A cells-JSON file with an unknown code names the file and the code."""
    path = tmp_path / "unknown-code.json"
    path.write_text('{"template": "2021", "cells": {"s9.x.y": 1}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"s9\.x\.y") as excinfo:
        read(path)
    assert str(excinfo.value).startswith(f"{path}: ")


def test_input_errors_are_value_errors(tmp_path: Path) -> None:
    """InputError is a ValueError, so callers catching ValueError keep working."""
    with pytest.raises(ValueError, match="no such file"):
        read(tmp_path / "nowhere.json")


def test_a_missing_reader_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without lxml, an HTML page's error names the html extra to install."""
    import builtins

    real_import = builtins.__import__

    def no_lxml(name: str, *args: object, **kwargs: object) -> object:
        if name == "lxml" or name.startswith("lxml."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "ogi_report.readers.html", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_lxml)
    with pytest.raises(InputError, match=r"html extra: pip install 'ogi-report\[html\]'"):
        read(b"<html><body><p>x</p></body></html>")
