"""The PDF reader: the corpus PDFs cell for cell, hand-made PDFs, and what is not a PDF."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import InputError, Report, check, read
from ogi_report.readers import pdf as pdf_reader
from ogi_report.readers._document import Document, Fragment, Grid
from ogi_report.readers._labels import Stream
from ogi_report.readers.pdf import parse_pdf, read_pdf

from .corpus_compare import compare
from .pdf_bytes import write_pdf

pytest.importorskip("pypdfium2")

PDFS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
CORPUS_PDFS = sorted(PDFS.glob("*.pdf")) if PDFS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus is not beside the repo")

#: Error findings each truth file's notes name (2023: section 4 totals printed as 0).
EXPECTED_ERRORS: dict[str, set[tuple[str, str]]] = {
    "2023_hongzequ_pdf_1.pdf": {
        ("S4.GROUP_TOTAL", "review"),
        ("S4.GROUP_TOTAL", "suit_after_review"),
    },
    "2024_hongzequ_pdf_2.pdf": set(),
    "2024_huaianshi_pdf_3.pdf": set(),
}

#: Whether the shared label stream folds a list marker ``3、`` to ``3.`` as the spec's
#: normalisation says; until it does, 淮安市's ``3、其他`` row (other_other) is not found.
FOLDS_MARKERS = Stream(Document((Fragment("3、其他"),))).text.startswith("3.")
EXPECTED_MISSING: dict[str, set[str]] = {
    "2024_huaianshi_pdf_3.pdf": (
        set()
        if FOLDS_MARKERS
        else {
            f"s3.other_other.{column}"
            for column in (
                "natural_person",
                "commercial",
                "research",
                "social_org",
                "legal_service",
                "other_org",
                "total",
            )
        }
    ),
}


@cache
def read_corpus(path: Path) -> Report:
    """A corpus PDF read once for all the tests that look at it."""
    return read(path)


# --- PDFs made by hand ----------------------------------------------------------------------


def make_pdf(
    pages: list[bytes], *, encrypt: bool = False, form: tuple[bytes, bytes] | None = None
) -> bytes:
    """A minimal PDF: one content stream per A4 page, Helvetica as /F1; ``form`` (a form
    XObject's dictionary entries and content) as /Fm1."""
    count = len(pages)
    xobject = b" /XObject << /Fm1 %d 0 R >>" % (4 + 2 * count) if form is not None else b""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, content in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >>%s >> /Contents %d 0 R >>"
            % (xobject, 5 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    if form is not None:
        spec, content = form
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] %s /Length %d >>\n"
            b"stream\n%s\nendstream" % (spec, len(content), content)
        )
    trailer = b""
    if encrypt:  # the standard handler with a user password that "" does not open
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s> >>" % (b"11" * 32, b"22" * 32)
        )
        trailer = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"ab" * 16, b"ab" * 16)
    return write_pdf(objects, trailer)


def text(x: float, y: float, words: str, size: int = 10) -> bytes:
    """Content that prints ``words`` at (x, y), PDF coordinates (origin bottom left)."""
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, words.encode())


def rule(x0: float, y0: float, x1: float, y1: float) -> bytes:
    """Content that strokes a line from (x0, y0) to (x1, y1)."""
    return b"0.5 w %.1f %.1f m %.1f %.1f l S\n" % (x0, y0, x1, y1)


#: A scanned page: a 2x2 gray image painted over the page, no text at all.
SCAN = b"q 595 0 0 842 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"


def table_pages() -> list[bytes]:
    """Two pages: a ruled table with a merged header cell, broken over the page without a
    bottom border on page 1 or a top border on page 2; page numbers in the footer."""
    xs = (100, 200, 300, 400)
    first = text(100, 760, "Intro line")
    for y in (700, 670, 640, 610):  # the rules of four rows; the last row has no bottom
        first += rule(100, y, 400, y)
    first += rule(100, 700, 100, 580) + rule(200, 700, 200, 580) + rule(400, 700, 400, 580)
    first += rule(300, 670, 300, 580)  # the header cell spans the last two columns
    for y, cells in ((680, ("Item", "Merged")), (650, ("a", "1", "2")), (620, ("b", "3", "4"))):
        for x, word in zip(xs, cells):
            first += text(x + 5, y, word)
    for x, word in zip(xs, ("c", "5", "6")):
        first += text(x + 5, 590, word)
    first += text(290, 40, "- 1 -")
    second = b"".join(rule(x, 800, x, 740) for x in xs)
    second += rule(100, 770, 400, 770) + rule(100, 740, 400, 740)
    for y, cells in ((780, ("d", "7", "8")), (750, ("e", "9", "10"))):
        for x, word in zip(xs, cells):
            second += text(x + 5, y, word)
    second += text(100, 700, "After the table") + text(290, 40, "- 2 -")
    return [first, second]


# --- the corpus -----------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_corpus_pdf_cells_match_the_truth(path: Path) -> None:
    """Every truth cell is read right; none wrong, none missing that the PDF prints."""
    report = read_corpus(path)
    comparison = compare(report, path.with_name(path.name + ".truth.json"))
    assert comparison.wrong == ()
    assert set(comparison.missing) == EXPECTED_MISSING.get(path.name, set())
    assert comparison.ambiguous == ()


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_corpus_pdf_template_and_year_match_the_truth(path: Path) -> None:
    """The format and the reporting year are those of the truth file."""
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    report = read_corpus(path)
    assert report.template.version == truth["template"]
    assert report.metadata.reporting_year == truth["reporting_year"]


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_corpus_pdf_errors_are_those_the_notes_name(path: Path) -> None:
    """`check` finds exactly the published errors the truth notes name."""
    findings = check(read_corpus(path))
    assert set(findings.errors.flatten(("code", "instance"))) == EXPECTED_ERRORS[path.name]


@needs_corpus
@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_corpus_pdf_page_numbers_are_chrome(path: Path) -> None:
    """The footers ``- n -`` are page chrome, one a page, and never inside a block."""
    document = parse_pdf(path.read_bytes(), path.name)
    assert [f.text for f in document.chrome] == [
        f"- {n} -" for n in range(1, len(document.chrome) + 1)
    ]
    assert len(document.chrome) >= 5
    texts = [b.text for b in document.blocks if isinstance(b, Fragment)]
    texts += [c.text for b in document.blocks if isinstance(b, Grid) for r in b.rows for c in r]
    assert not any(t.strip().startswith("- ") and t.strip().endswith(" -") for t in texts)


@needs_corpus
def test_huaian_table_across_pages_is_one_grid_with_page_provenance() -> None:
    """淮安市 2024's section 3 table (pages 4-5) is one grid; cells say their page and box."""
    path = PDFS / "2024_huaianshi_pdf_3.pdf"
    document = parse_pdf(path.read_bytes(), path.name)
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    section3 = next(g for g in grids if any("本年新收" in c.text for r in g.rows for c in r))
    pages = {c.where.page for r in section3.rows for c in r}
    assert pages == {4, 5}
    labels = [r[1].text for r in section3.rows]
    assert "（四）无" in labels
    assert "法提供" in labels
    report = read_corpus(path)
    where = report.provenance["s4.review.total"]
    assert (where.page, where.source) == (5, str(path))
    assert where.bbox is not None
    assert report["s4.review.total"] == 351


@needs_corpus
def test_hongzequ_one_row_other_is_deduced_zero() -> None:
    """洪泽区 prints （六）其他处理 as one row of 0: its three sub-rows are deduced 0, said so."""
    report = read_corpus(PDFS / "2024_hongzequ_pdf_2.pdf")
    assert report["s3.other.total"] == 0
    assert report["s3.other_no_fee.total"] == 0
    note = report.provenance["s3.other_no_fee.total"].note
    assert note is not None
    assert note.startswith("deduced")


@needs_corpus
def test_truncated_corpus_pdf_is_an_input_error() -> None:
    """A corpus PDF cut in half (an interrupted download) is refused, not half-read."""
    data = CORPUS_PDFS[0].read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 2000):
        with pytest.raises(InputError, match="truncated"):
            read_pdf(data[:cut], "cut.pdf")


@needs_corpus
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.replace(b"/Root", b"/Roat"), "damaged PDF: .*no usable catalog"),
        (lambda d: d.replace(b" obj", b" jbo"), "without pages"),
        (lambda d: d[:20] + b"\x00" * (len(d) - 40) + d[-20:], "damaged PDF"),
    ],
    ids=["no-root", "no-objects", "zeroed"],
)
def test_damaged_corpus_pdf_is_an_input_error(
    damage: Callable[[bytes], bytes], message: str
) -> None:
    """A corpus PDF with its catalogue, objects or body destroyed is a plain InputError."""
    with pytest.raises(InputError, match=message) as raised:
        read_pdf(damage(CORPUS_PDFS[0].read_bytes()), "damaged.pdf")
    assert raised.value.source == "damaged.pdf"


# --- hand-made PDFs -------------------------------------------------------------------------


def test_ruled_table_merged_cells_continuation_and_footers() -> None:
    """A merged cell repeats; a table over two pages is one grid; footers are chrome."""
    document = parse_pdf(make_pdf(table_pages()), "made.pdf")
    assert [f.text for f in document.chrome] == ["- 1 -", "- 2 -"]
    lines = [b.text for b in document.blocks if isinstance(b, Fragment)]
    assert lines == ["Intro line", "After the table"]
    (grid,) = [b for b in document.blocks if isinstance(b, Grid)]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["Item", "Merged", "Merged"],
        ["a", "1", "2"],
        ["b", "3", "4"],
        ["c", "5", "6"],
        ["d", "7", "8"],
        ["e", "9", "10"],
    ]
    merged = grid.rows[0][1]
    assert merged is grid.rows[0][2]
    assert merged.where.page == 1
    assert merged.where.source == "made.pdf"
    assert merged.where.bbox == pytest.approx((200, 142, 400, 172), abs=1)
    assert grid.rows[4][0].where.page == 2


def test_a_curve_beside_a_table_is_no_rule_and_no_error() -> None:
    """A stroked Bézier curve (a seal, a rounded corner) gives no rule: the table beside it
    is read (pdfplumber's rule merging raised KeyError on such a page)."""
    box = b"1 w 100 700 m 100 750 l 200 750 l 200 700 l h S 100 725 m 200 725 l S"
    box += b" 150 700 m 150 750 l S 300 300 m 350 350 400 300 450 350 c S\n"
    cells = text(105, 730, "x") + text(155, 730, "y") + text(105, 705, "z") + text(155, 705, "w")
    (grid,) = parse_pdf(make_pdf([box + cells])).blocks
    assert isinstance(grid, Grid)
    assert [[c.text for c in row] for row in grid.rows] == [["x", "y"], ["z", "w"]]


def test_a_table_ruled_in_a_moved_form_is_read_where_it_is_drawn() -> None:
    """Rules drawn by a form XObject, moved by its /Matrix and by the page's ``cm``, rule a
    table where they are printed: the form's objects are walked and mapped as the page's."""
    rules = b"".join(rule(100, y, 300, y) for y in (700, 670, 640))
    rules += b"".join(rule(x, 700, x, 640) for x in (100, 200, 300))
    form = (b"/Matrix [1 0 0 1 10 10]", rules)
    cells = text(165, 670, "x") + text(265, 670, "y") + text(165, 640, "z") + text(265, 640, "w")
    page = b"q 1 0 0 1 50 -20 cm /Fm1 Do Q\n" + cells
    (grid,) = parse_pdf(make_pdf([page], form=form)).blocks
    assert isinstance(grid, Grid)
    assert [[c.text for c in row] for row in grid.rows] == [["x", "y"], ["z", "w"]]
    assert grid.rows[0][0].where.bbox == pytest.approx((160, 152, 260, 182))


def test_running_header_and_page_n_of_m_are_chrome() -> None:
    """A title repeated in the top margin of every page and ``n/2`` footers are chrome."""
    pages = [
        text(100, 815, f"Annual report 2024 / part {n}")
        + text(100, 600, f"Body text {n}")
        + text(280, 30, f"{n}/2")
        for n in (1, 2)
    ]
    document = parse_pdf(make_pdf(pages))
    assert [b.text for b in document.blocks if isinstance(b, Fragment)] == [
        "Body text 1",
        "Body text 2",
    ]
    assert [f.text for f in document.chrome] == [
        "Annual report 2024 / part 1",
        "1/2",
        "Annual report 2024 / part 2",
        "2/2",
    ]


def test_pages_after_the_limit_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the first MAX_PAGES pages are read, and the report says so."""
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    data = make_pdf([text(100, 700, f"Page {n}") for n in (1, 2, 3)])
    lines = [b.text for b in parse_pdf(data).blocks if isinstance(b, Fragment)]
    assert lines == ["Page 1", "Page 2"]
    reasons = [u.reason for u in read_pdf(data).unplaced]
    assert "more than 2 pages: only the first 2 were read" in reasons


def test_without_pypdfium2_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pypdfium2, parse_pdf raises ImportError and read() an InputError, both naming
    the pdf extra."""
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    data = make_pdf([text(100, 700, "x")])
    with pytest.raises(ImportError, match=r"pip install 'ogi-report\[pdf\]'"):
        parse_pdf(data)
    with pytest.raises(InputError, match="needs the pdf extra"):
        read(data)


def test_scanned_pdf_reads_as_no_text_layer_and_no_cells() -> None:
    """A PDF of images only gives one unplaced entry that says OCR it, and no cells."""
    report = read(make_pdf([SCAN, SCAN]))
    assert report.tables == ()
    assert report.provenance == {}
    (entry,) = report.unplaced
    assert entry.text == ""
    assert entry.reason == "no text layer on pages 1-2: a scanned image; OCR it first"
    assert entry.provenance is not None
    assert entry.provenance.source == "<bytes>"


def test_scanned_page_among_text_pages_is_noted() -> None:
    """One scanned page in a PDF with text is named in unplaced; the rest is read."""
    report = read_pdf(make_pdf([text(100, 700, "Text page"), SCAN]), "mixed.pdf")
    reasons = [u.reason for u in report.unplaced]
    assert "no text layer on page 2: a scanned image; OCR it first" in reasons


def test_encrypted_pdf_is_an_input_error_that_says_password() -> None:
    """A PDF whose password is not empty cannot be read and says why."""
    with pytest.raises(InputError, match="password"):
        read_pdf(make_pdf([text(100, 700, "secret")], encrypt=True), "locked.pdf")


def test_empty_and_headerless_input_are_input_errors() -> None:
    """An empty file and bytes without %PDF- are refused with a plain message."""
    with pytest.raises(InputError, match="empty"):
        read_pdf(b"", "empty.pdf")
    with pytest.raises(InputError, match="not a PDF"):
        read_pdf(b"GIF89a not a pdf at all %%EOF", "image.gif")
    with pytest.raises(InputError, match="empty"):
        read(b"   ")


def test_pdf_without_pages_is_an_input_error() -> None:
    """A PDF whose page tree is empty is refused."""
    with pytest.raises(InputError, match="without pages"):
        read_pdf(make_pdf([]), "blank.pdf")


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_are_input_errors(data: bytes) -> None:
    """Any bytes given as a PDF are an InputError, never another exception."""
    with pytest.raises(InputError):
        read_pdf(data, "random.pdf")


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_between_pdf_markers_are_input_errors(body: bytes) -> None:
    """Garbage between a %PDF- header and %%EOF reaches pdfium and comes back as InputError."""
    with pytest.raises(InputError):
        read(b"%PDF-1.7\n" + body + b"\n%%EOF\n", form="pdf")
