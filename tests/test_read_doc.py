"""Old Word (.doc) files: converted by doc2docx (the ``doc`` extra), read as .docx.

The fixture ``tests/fixtures/shili-county-2021.doc`` is the fictional 示例县 2021 report of
``examples/shili-county-2021.json`` laid out as Word lays out the form and saved as .doc by
LibreOffice (``tests/fixtures/make_doc_fixture.py`` says how). Other OLE2 files are built
here with doc2docx's own compound-file writer; damaged ones are the fixture cut short, its
bytes flipped, or its File Information Block altered where it is in the file.
"""

from __future__ import annotations

import random
import struct
import sys
from pathlib import Path

import pytest

doc2docx = pytest.importorskip("doc2docx")

from doc2docx.cfb import CompoundFile, DirectoryEntry, ObjectType  # noqa: E402
from doc2docx.cfb.writer import write_compound_storage  # noqa: E402

from ogi_report import InputError, Report, check, read  # noqa: E402
from ogi_report.cli import main  # noqa: E402
from ogi_report.readers import FORMS, detect_form  # noqa: E402
from ogi_report.readers import doc as doc_reader  # noqa: E402
from ogi_report.readers._document import Grid  # noqa: E402
from ogi_report.readers.doc import convert_doc, parse_doc, read_doc  # noqa: E402

from .hostile.bounds import bounded, read_bounded  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "shili-county-2021.doc"
EXAMPLE = ROOT / "examples" / "shili-county-2021.json"
DATA = FIXTURE.read_bytes()


def _word_document_at(data: bytes) -> int:
    """Where the fixture's WordDocument stream (the FIB first) starts in the file."""
    compound = CompoundFile(data)
    entry = compound.get_entry("WordDocument")
    assert entry.stream_size >= compound.header.mini_stream_cutoff  # in regular sectors
    return int((entry.starting_sector + 1) * compound.header.sector_size)


def _patched(offset: int, fmt: str, value: int) -> bytes:
    """The fixture with one FIB field (at ``offset`` in the stream) set to ``value``."""
    data = bytearray(DATA)
    struct.pack_into(fmt, data, _word_document_at(DATA) + offset, value)
    return bytes(data)


def _ole2(*streams: str) -> bytes:
    """An OLE2 compound file holding ``streams`` (some bytes each) at its root."""

    def entry(name: str, kind: ObjectType) -> DirectoryEntry:
        none = 0xFFFFFFFF
        return DirectoryEntry(0, name, kind, 1, none, none, none, bytes(16), 0, 0, 0, 0, 0)

    children = tuple((name, entry(name, ObjectType.STREAM), b"\x09" * 5000) for name in streams)
    data: bytes = write_compound_storage(entry("Root Entry", ObjectType.ROOT_STORAGE), children)
    return data


def _refused(source: bytes | Path) -> str:
    with pytest.raises(InputError) as caught:
        read(source)
    return str(caught.value)


def _bounded(data: bytes) -> Report | InputError:
    """A read within 20 s and the hostile tests' memory bound; never a hang called an error."""
    with bounded(30) as usage:
        outcome = read_bounded(data, seconds=20)
    assert usage.seconds < 15
    if isinstance(outcome, InputError):
        assert "did not return within" not in str(outcome)
        assert str(outcome).startswith("<bytes>: ")
    return outcome


# --- the fixture ------------------------------------------------------------------------------


def test_the_doc_reads_the_example_cells_and_sections() -> None:
    """The .doc gives the same 200 cells and six sections as the example it was made from."""
    report, example = read(FIXTURE), read(EXAMPLE)
    assert report.template.version == "2021"
    assert report.values() == example.values()
    assert len(report.values()) == 200
    sections = [(s.number, s.heading, s.text) for s in report.sections or ()]
    assert sections == [(s.number, s.heading, s.text) for s in example.sections or ()]
    assert report.metadata.agency == "示例县人民政府"
    assert report.metadata.reporting_year == 2021
    assert str(report.metadata.published_on) == "2022-03-28"
    assert not check(report).errors


def test_provenance_names_the_doc() -> None:
    """Every cell names the .doc it was read from, and where in its (converted) body."""
    report = read(FIXTURE)
    sources = {entry.provenance.source if entry.provenance else None for entry in report.cells()}
    assert sources == {str(FIXTURE)}
    assert report.provenance["s3.new.total"].path == "body/tbl[2]/tr[4]/tc[8]"
    assert report.metadata.source == str(FIXTURE)
    assert str(read(DATA).provenance["s3.new.total"]).startswith("<bytes>: body/tbl[2]")
    assert read_doc(DATA).provenance["s3.new.total"].source == "<doc>"
    assert read_doc(DATA, "r.doc").provenance["s3.new.total"].source == "r.doc"


def test_the_form_is_detected_from_the_content() -> None:
    assert "doc" in FORMS
    assert detect_form(DATA) == "doc"
    assert read(DATA, form="doc").values() == read(EXAMPLE).values()


def test_merged_cells_come_through_the_conversion() -> None:
    """The form's merged headers survive .doc → .docx: section 3's grid is 28 rows by 10, its
    row labels spanning their rows; section 4's reads its fifteen numbers."""
    grids = [block for block in parse_doc(DATA, "f.doc").blocks if isinstance(block, Grid)]
    assert [(len(grid.rows), {len(row) for row in grid.rows}) for grid in grids[:2]] == [
        (14, {4}),
        (28, {10}),
    ]
    s3 = grids[1].rows
    assert [cell.text for cell in s3[7][:3]] == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
    ]
    assert s3[8][0] is s3[7][0]
    assert str(s3[7][1].where).startswith("f.doc: body/tbl[2]/tr[")
    report = read(FIXTURE)
    row = [
        report[f"s4.{group}.{column}"]
        for group in ("review", "suit_direct", "suit_after_review")
        for column in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert row == [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 1, 2]


def test_the_conversion_is_a_docx() -> None:
    converted = convert_doc(DATA)
    assert converted.startswith(b"PK\x03\x04")
    assert len(converted) < len(DATA)
    assert detect_form(converted) == "docx"


# --- what is not a Word document -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("streams", "said"),
    [
        (("Workbook", "\x05SummaryInformation"), "an Excel workbook (.xls), not a Word document"),
        (("Book",), "an Excel 5.0/95 workbook (.xls), not a Word document"),
        (("PowerPoint Document", "Current User"), "a PowerPoint presentation (.ppt), not a Word"),
        (("EncryptedPackage", "EncryptionInfo"), "a password-protected (encrypted) Office 2007+"),
        (("Contents",), "an old Office (OLE2) file without a WordDocument stream"),
    ],
    ids=["xls", "xls95", "ppt", "encrypted-ooxml", "other"],
)
def test_other_ole2_files_are_named_plainly(streams: tuple[str, ...], said: str) -> None:
    message = _refused(_ole2(*streams))
    assert message.startswith(f"<bytes>: {said}")


def test_a_password_protected_doc_is_refused() -> None:
    encrypted = _patched(
        10, "<H", struct.unpack_from("<H", DATA, _word_document_at(DATA) + 10)[0] | 0x0100
    )
    message = _refused(encrypted)
    assert "password-protected (encrypted) Word document" in message


def test_a_word_95_doc_is_refused() -> None:
    assert "a Word 6.0/95 (or older) document" in _refused(_patched(2, "<H", 0x0068))


def test_a_doc_claiming_too_much_text_is_refused_before_converting() -> None:
    """ccpText (FibRgLw97, at byte 76 of the stream) says ten million characters."""
    with bounded(10) as usage:
        message = _refused(_patched(76, "<I", 10_000_000))
    assert usage.seconds < 1
    assert (
        f"10,000,000 characters of text by its own count, more than the {doc_reader.MAX_CHARS:,}"
        in message
    )


def test_formatting_runs_past_the_bound_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture has some 1,000 runs; with a bound of 500 it is refused, unconverted."""
    monkeypatch.setattr(doc_reader, "MAX_STRUCTURES", 500)
    assert "more than 500 formatting runs, text pieces, styles" in _refused(DATA)


def test_large_streams_are_refused_before_they_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "MAX_WORD_STREAM", 4096)
    assert "its WordDocument stream holds" in _refused(DATA)
    monkeypatch.undo()
    monkeypatch.setattr(doc_reader, "MAX_TABLE_STREAM", 100)
    assert "its 1Table stream holds" in _refused(DATA)


def test_a_conversion_past_its_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "MAX_CONVERTED_RATIO", 0)
    monkeypatch.setattr(doc_reader, "_CONVERTED_FLOOR", 1000)
    assert "it converts to a .docx of" in _refused(DATA)


@pytest.mark.parametrize("error", [ValueError("boom"), RecursionError(), IndexError()])
def test_a_converter_crash_is_an_input_error(
    monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(doc2docx, "convert", crash)
    message = _refused(FIXTURE)
    assert message.startswith(f"{FIXTURE}: a damaged Word .doc file, or one cut short")


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "doc2docx", None)
    expected = "reading .doc needs the doc extra: pip install 'ogi-report[doc]'"
    assert _refused(FIXTURE) == f"{FIXTURE}: {expected}"
    with pytest.raises(ImportError, match=r"pip install 'ogi-report\[doc\]'"):
        read_doc(DATA)


# --- damaged files, within bounds ---------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_a_truncated_doc_is_an_input_error_or_a_report(fraction: float) -> None:
    outcome = _bounded(DATA[: max(8, int(len(DATA) * fraction))])
    if fraction <= 0.1:
        assert isinstance(outcome, InputError)


@pytest.mark.parametrize("seed", range(12))
def test_a_doc_with_flipped_bytes_is_an_input_error_or_a_report(seed: int) -> None:
    """Bytes flipped anywhere, or in the FIB (the first 1,500 bytes of WordDocument)."""
    rng = random.Random(seed)
    data = bytearray(DATA)
    start = _word_document_at(DATA) if seed % 2 else 0
    end = start + 1500 if seed % 2 else len(data)
    for _ in range(rng.randint(1, 16)):
        data[rng.randrange(start, end)] ^= 1 << rng.randrange(8)
    _bounded(bytes(data))


# --- the command line ----------------------------------------------------------------------------


def test_cli_checks_a_doc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert f"{FIXTURE}: 示例县人民政府 2021, 2021 format" in out


@pytest.mark.parametrize("broken", ["truncated", "xls"])
def test_cli_on_a_broken_doc_exits_2_with_one_line(
    broken: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(DATA[:1536] if broken == "truncated" else _ole2("Workbook"))
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert "Traceback" not in captured.err + captured.out
