"""The OCR reader: reports drawn as scans (``ocr_render``) and read back cell for cell.

Each corpus text report is drawn from its truth file, saved as a PDF of images (no text
layer) and read through ``ogi_report.read``: at least 99% of its cells right and none wrong,
the rest flagged. Pictures (PNG, JPEG, TIFF), the marks, a smudged digit, the bounds and a
missing ``ocr`` extra are checked on small pages; what is done with a doubtful number is
checked without OCR, on reports made to order. OCR takes seconds a page: each drawing is
read once a session.
"""

from __future__ import annotations

import functools
import io
import json
import sys
import unicodedata
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from PIL import Image, ImageDraw

import ogi_report
from ogi_report import InputError, Metadata, Report, check
from ogi_report.cells import (
    BLANK,
    MISSING,
    Ambiguous,
    Cell,
    NotApplicable,
    Provenance,
    Unreadable,
)
from ogi_report.readers import detect_form
from ogi_report.readers import ocr as ocr_reader
from ogi_report.readers._ocr_layout import CellText
from ogi_report.readers._ocr_read import Glyph, Reading
from ogi_report.templates import TEMPLATE_2021

from .conftest import CORPUS
from .ocr_render import Rendered, font_file, render, tally, to_image, to_pdf
from .pdf_bytes import write_pdf

needs_ocr = pytest.mark.skipif(
    not ocr_reader.ocr_installed() or font_file() is None,
    reason="needs the ocr extra and the mplfonts CJK font",
)
#: The corpus text reports (crawler text, Markdown) with a truth file.
TEXT_TRUTHS = sorted(
    path
    for path in (CORPUS.glob("*.truth.json") if CORPUS.is_dir() else ())
    if path.name.endswith((".txt.truth.json", ".md.truth.json"))
)
#: Points per pixel of the drawings (150 dpi).
POINT = 72 / 150


@attrs.frozen
class Scanned:
    """A truth file's report drawn, saved as a scanned PDF and read back."""

    truth: Mapping[str, Any]
    drawn: Rendered
    read: Report


@functools.cache
def scanned(truth_path: Path) -> Scanned:
    """The report of ``truth_path`` drawn, scanned to a PDF and read, once a session."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    drawn = render(ogi_report.read(truth_path))
    return Scanned(truth, drawn, ogi_report.read(to_pdf(drawn.pages)))


def review_report() -> Report:
    """A report of section 4 only, with a mark of each kind and a blank."""
    values: dict[str, list[Cell]] = {
        "review": [3, NotApplicable("/"), BLANK, NotApplicable("—"), 3],
        "suit_direct": [0, 1, 0, 0, 1],
        "suit_after_review": [10, 0, 0, 2, 12],
    }
    columns = ("upheld", "corrected", "other", "pending", "total")
    cells = {f"s4.{row}.{c}": v for row, vs in values.items() for c, v in zip(columns, vs)}
    return Report.from_cells(
        TEMPLATE_2021, cells, metadata=Metadata(agency="示例县人民政府", reporting_year=2023)
    )


@functools.cache
def review_drawn() -> Rendered:
    """:func:`review_report` drawn (one page), once a session."""
    return render(review_report())


# --- corpus reports, scanned ----------------------------------------------------------------


@needs_ocr
@pytest.mark.parametrize("truth_path", TEXT_TRUTHS, ids=lambda path: path.name.split(".")[0])
def test_a_scan_of_each_corpus_report_reads_its_cells_right_or_flagged(truth_path: Path) -> None:
    """A rasterised render of the report read by OCR: >= 99% of cells right, 0 wrong."""
    result = scanned(truth_path)
    score = tally(result.read, result.truth["cells"])
    assert score.wrong == ()
    assert score.share_right >= 0.99, score.flagged
    assert result.read.metadata.reporting_year == result.truth["reporting_year"]
    agency = result.read.metadata.agency or ""
    assert unicodedata.normalize("NFKC", agency) == unicodedata.normalize(
        "NFKC", result.truth["agency"]
    )


@needs_ocr
@pytest.mark.skipif(not TEXT_TRUTHS, reason="../shared/corpus is not beside the repository")
def test_a_scan_is_reported_as_read_by_ocr() -> None:
    """READ.NO_TEXT_LAYER says the pages were read by OCR."""
    result = scanned(TEXT_TRUTHS[0])
    pages = len(result.drawn.pages)
    (finding,) = [f for f in check(result.read) if f.code == "READ.NO_TEXT_LAYER"]
    assert f"no text layer on pages 1-{pages}: a scanned image, read by OCR" in finding.message


@needs_ocr
@pytest.mark.skipif(not TEXT_TRUTHS, reason="../shared/corpus is not beside the repository")
def test_cells_read_by_ocr_carry_their_box_and_confidence() -> None:
    """Each cell's provenance names its page, the box of the printed cell (in points: it
    holds the text drawn there) and the OCR's confidence."""
    result = scanned(TEXT_TRUTHS[0])
    for code, (index, box) in result.drawn.cells.items():
        where = result.read.provenance[code]
        assert where.page == index + 1
        assert where.bbox is not None
        x0, y0, x1, y1 = where.bbox
        assert x0 <= box[0] * POINT <= box[2] * POINT <= x1
        assert y0 <= box[1] * POINT <= box[3] * POINT <= y1
        assert where.confidence is not None
        assert 0.0 <= where.confidence <= 1.0
        assert "OCR confidence" in str(where)


# --- pictures -------------------------------------------------------------------------------


def test_pictures_are_found_by_their_first_bytes() -> None:
    """PNG, JPEG and TIFF (either byte order) are the image form."""
    for head in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*"):
        assert detect_form(head + b"\x00" * 64) == "image"


@needs_ocr
@pytest.mark.skipif(not TEXT_TRUTHS, reason="../shared/corpus is not beside the repository")
def test_a_png_of_a_page_reads_its_tables_with_boxes_in_pixels() -> None:
    """Page 1 of a 2021 report as PNG: section 2's cells, their boxes in pixels."""
    path = next(p for p in TEXT_TRUTHS if json.loads(p.read_text("utf-8"))["template"] == "2021")
    result = scanned(path)  # the corpus has reports of both formats
    page = result.drawn.pages[0]
    report = ogi_report.read(to_image(page, "PNG"))
    section_2 = {code: v for code, v in result.truth["cells"].items() if code.startswith("s2.")}
    assert tally(report, section_2).right == tuple(section_2)
    for code in section_2:
        _, box = result.drawn.cells[code]
        where = report.provenance[code]
        assert where.page == 1
        assert where.bbox is not None
        assert where.bbox[0] <= box[0] <= box[2] <= where.bbox[2] <= page.width
    assert report.metadata.reporting_year == result.truth["reporting_year"]
    assert any(u.reason == "no text layer: a picture, read by OCR" for u in report.unplaced)


@needs_ocr
def test_a_jpeg_reads_marks_blanks_and_dashes_as_printed() -> None:
    """``/`` and ``—`` are not-applicable marks, an empty cell is blank; a dash is read by
    its shape, and says so."""
    expected = review_report()
    report = ogi_report.read(to_image(review_drawn().pages[0], "JPEG"))
    assert report.table("s4") == expected.table("s4")
    assert report.provenance["s4.review.pending"].note == "a dash, by its shape"


@needs_ocr
def test_a_tiff_frame_is_a_page() -> None:
    """Each frame of a TIFF is a page: the table drawn on the second is read there."""
    page = review_drawn().pages[0].copy()  # a copy: a page saved before keeps its options
    out = io.BytesIO()
    blank = Image.new("L", page.size, 255)
    blank.save(out, "TIFF", save_all=True, append_images=[page])
    report = ogi_report.read(out.getvalue())
    assert report.table("s4") == review_report().table("s4")
    assert report.provenance["s4.review.total"].page == 2


# --- doubtful digits ------------------------------------------------------------------------


def smudged(style: str) -> bytes:
    """The section 4 page with the 0 of 复议后起诉 结果维持 ``10`` blotted out or half
    erased (the OCR reads ``1`` and nothing for the rest): a PNG."""
    drawn = review_drawn()
    page = drawn.pages[0].copy()
    _, (x0, y0, x1, y1) = drawn.cells["s4.suit_after_review.upheld"]
    middle = (x0 + x1) // 2
    draw = ImageDraw.Draw(page)
    if style == "blot":
        draw.ellipse((middle, y0 + 2, x1 + 1, y1 - 2), fill=0)
    else:
        draw.rectangle((middle + 1, (y0 + y1) // 2, x1 + 1, y1 + 1), fill=255)
    return to_image(page, "PNG")


@needs_ocr
@pytest.mark.parametrize("style", ["blot", "erased"])
def test_a_smudged_digit_that_breaks_an_identity_is_ambiguous(style: str) -> None:
    """The cell is Ambiguous between what was read and what 总计 = the sum needs (10),
    never a plain wrong number; its provenance says so."""
    report = ogi_report.read(smudged(style))
    value = report["s4.suit_after_review.upheld"]
    assert isinstance(value, Ambiguous)
    assert 10 in value.candidates
    where = report.provenance["s4.suit_after_review.upheld"]
    assert where.note is not None
    assert "the identities need 10" in where.note
    codes = {(f.code, f.instance) for f in check(report)}
    assert ("CELL.AMBIGUOUS", "s4.suit_after_review.upheld") in codes
    assert report["s4.suit_after_review.total"] == 12


def read_as(report: Report, code: str, value: Cell, text: CellText) -> Report:
    """``report`` as if OCR had read ``value`` in cell ``code`` as ``text``, then settled."""
    where = Provenance("scan.pdf", page=1, bbox=(1.0, 2.0, 3.0, 4.0))
    where = attrs.evolve(where, confidence=text.reading.confidence)
    changed = attrs.evolve(report.replace_cells({code: value}), provenance={code: where})
    return ocr_reader._settle(changed, {(1, where.bbox): text})


def digits(*readings: tuple[tuple[str, float], ...], unread_ink: bool = False) -> CellText:
    """A cell read as these characters, each with its readings."""
    return CellText(Reading(tuple(Glyph(r) for r in readings), unread_ink))


def test_a_doubtful_number_that_breaks_the_identities_is_ambiguous() -> None:
    """自然人 一 printed 86, read 36 at 0.55 (the 8 with 0.4 left to it): ambiguous between
    what was read and what 一 + 二 = 三 + 四 and 总计 = the sum need (and its runner-up)."""
    report = ogi_report.example_report("2021")
    assert report["s3.new.natural_person"] == 86
    text = digits((("3", 0.55), ("8", 0.4)), (("6", 1.0),))
    settled = read_as(report, "s3.new.natural_person", 36, text)
    assert settled["s3.new.natural_person"] == Ambiguous((36, 86))
    note = settled.provenance["s3.new.natural_person"].note
    assert note == "OCR read 36, confidence 0.55; the identities need 86"
    text = digits((("3", 0.55), ("5", 0.4)), (("6", 1.0),))  # a runner-up that is not 86
    settled = read_as(report, "s3.new.natural_person", 36, text)
    assert settled["s3.new.natural_person"] == Ambiguous((36, 86, 56))


def test_a_doubtful_number_an_identity_confirms_is_kept() -> None:
    """86 read at 0.55 makes its identities hold: it stays, its confidence kept."""
    report = ogi_report.example_report("2021")
    text = digits((("8", 0.55), ("3", 0.4)), (("6", 1.0),))
    settled = read_as(report, "s3.new.natural_person", 86, text)
    assert settled["s3.new.natural_person"] == 86
    assert settled.provenance["s3.new.natural_person"].confidence == 0.55


def test_a_certain_number_that_breaks_an_identity_is_kept_as_printed() -> None:
    """Read with certainty, a number that breaks 总计 = the sum is the report's error."""
    report = ogi_report.example_report("2021")
    settled = read_as(report, "s3.new.natural_person", 36, digits((("3", 1.0),), (("6", 1.0),)))
    assert settled["s3.new.natural_person"] == 36
    assert "S3.ROW_TOTAL" in {f.code for f in check(settled)}


def test_a_doubtful_number_no_identity_checks_is_ambiguous_with_its_runner_up() -> None:
    """Section 2 has no identity: 15236 read at 0.6 with 15230 at 0.35 is ambiguous
    between them; without a runner-up it stays, its confidence in its provenance."""
    report = ogi_report.example_report("2021")
    code = "s2.licensing.decisions"
    sure = [((c, 1.0),) for c in "1523"]
    settled = read_as(report, code, 15236, digits(*sure, (("6", 0.6), ("0", 0.35))))
    assert settled[code] == Ambiguous((15236, 15230))
    settled = read_as(report, code, 15236, digits(*sure, (("6", 0.6), ("。", 0.35))))
    assert settled[code] == 15236
    assert settled.provenance[code].confidence == 0.6


def test_a_number_read_with_little_confidence_needs_a_sure_identity() -> None:
    """Read at 0.3, a number is kept only if an identity holds whose other cells were read
    with confidence; one no identity checks, without a runner-up, is missing."""
    report = ogi_report.example_report("2021")
    text = digits((("8", 0.3), ("3", 0.2)), (("6", 1.0),))
    settled = read_as(report, "s3.new.natural_person", 86, text)  # the others: no OCR
    assert settled["s3.new.natural_person"] == 86
    sure = [((c, 1.0),) for c in "1523"]
    settled = read_as(report, "s2.licensing.decisions", 15230, digits(*sure, (("0", 0.3),)))
    assert settled["s2.licensing.decisions"] is MISSING
    note = settled.provenance["s2.licensing.decisions"].note
    assert note == "OCR read 15230, confidence 0.30"


def test_a_cell_with_ink_the_ocr_read_nothing_from_is_missing() -> None:
    """Ink but no character: MISSING, the value the identities need in the note."""
    report = ogi_report.example_report("2021")
    settled = read_as(report, "s3.new.natural_person", BLANK, CellText(Reading(), illegible=True))
    assert settled["s3.new.natural_person"] is MISSING
    note = settled.provenance["s3.new.natural_person"].note
    assert note == "ink the OCR read nothing from; the identities need 86"


def test_a_digit_beside_a_smudge_read_as_text_is_ambiguous() -> None:
    """``8口`` (a digit and a blot read as a character) is ambiguous between that text and
    what the identities need."""
    report = ogi_report.example_report("2021")
    text = digits((("8", 0.99),), (("口", 0.4),))
    settled = read_as(report, "s3.new.natural_person", Unreadable("8口"), text)
    assert settled["s3.new.natural_person"] == Ambiguous((Unreadable("8口"), 86))


# --- bounds and the extra -------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` x ``height`` and holds no pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    size = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", size + b"\x08\x00\x00\x00\x00") + chunk(b"IEND", b"")
    )


@needs_ocr
def test_a_picture_larger_than_the_bound_is_refused_before_it_is_decoded() -> None:
    """A PNG of 8,000 x 6,000 pixels (48 million) is an InputError naming the bound."""
    with pytest.raises(InputError, match="8000 x 6000 pixels, more than the 40,000,000 allowed"):
        ogi_report.read(png_header(8000, 6000))


def scanned_pdf(images: list[tuple[int, int, bytes]]) -> bytes:
    """A PDF of A4 pages, each showing a grayscale image (width, height, Flate data)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for width, height, data in images:
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        content = b"q 595 0 0 842 0 0 cm /Im Do Q"
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /XObject << /Im %d 0 R >> >> >>" % (number + 1, number + 2),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8"
            b" /ColorSpace /DeviceGray /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, len(data), data),
        ]
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return write_pdf(objects)


@needs_ocr
def test_a_scanned_page_drawing_a_huge_image_is_not_rendered() -> None:
    """A page whose image says it is 20,000 x 20,000 pixels is not rendered (its pixels
    are never decoded): ``unplaced`` says so."""
    report = ogi_report.read(scanned_pdf([(20_000, 20_000, zlib.compress(b"\xff" * 1000))]))
    reasons = [u.reason for u in report.unplaced]
    assert (
        "page 1 was not read by OCR: it draws an image of 20000 x 20000 pixels,"
        " more than the 40,000,000 allowed" in reasons
    )


@needs_ocr
def test_pages_past_the_bound_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAX_OCR_PAGES 1, the first scanned page is read and the second said unread."""
    monkeypatch.setattr(ocr_reader, "MAX_OCR_PAGES", 1)
    page = review_drawn().pages[0]
    data = to_pdf([page, page])
    report = ogi_report.read(data)
    assert report.table("s4") == review_report().table("s4")
    reasons = [u.reason for u in report.unplaced]
    assert "more than 1 scanned pages: the pages after page 1 were not read by OCR" in reasons


def test_without_the_ocr_extra_a_picture_is_an_input_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without rapidocr, a picture is an InputError that names the extra, and a scanned PDF
    says it has no text layer, as before."""
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    assert not ocr_reader.ocr_installed()
    with pytest.raises(InputError, match=r"needs the ocr extra: pip install 'ogi-report\[ocr\]'"):
        ogi_report.read(png_header(100, 100))
    blank = zlib.compress(b"\xff" * 100 * 100)
    report = ogi_report.read(scanned_pdf([(100, 100, blank)]))
    assert [u.reason for u in report.unplaced] == [
        "no text layer on pages 1-1: a scanned image; OCR it first"
    ]
