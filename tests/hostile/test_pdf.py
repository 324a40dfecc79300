"""Hostile PDFs: decompression bombs, content that pdfminer parses in quadratic time or
nests without end, pages that draw too much, rule grids, damaged corpus files.

Every PDF is built here by a small writer and read within time and memory bounds
(:func:`~tests.hostile.bounds.read_bounded`): it is read, with what was skipped named in
``unplaced``, or refused with one InputError; pdfminer says nothing on stderr. The bounds are
lowered where that keeps a test quick; each ``MAX_`` bound of the reader is reached here.
"""

from __future__ import annotations

import functools
import io
import logging
import random
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ogi_report import InputError, Report
from ogi_report.readers import pdf as pdf_reader
from ogi_report.readers.pdf import read_pdf

from ..conftest import CORPUS
from .bounds import assert_kept, kept_text, read_bounded

pytest.importorskip("pdfplumber")

MiB = 1024 * 1024
#: The font every page has as /F1.
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

# --- writing PDFs --------------------------------------------------------------------------


def stream(data: bytes, attrs: bytes = b"", *, flate: bool = True) -> bytes:
    """A stream object's body: ``data`` zlib-compressed unless ``flate`` is false."""
    if flate:
        data = zlib.compress(data, 9)
        attrs += b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), attrs, data)


@functools.cache
def bomb(size: int) -> bytes:
    """A zlib stream of ``size`` spaces (about a thousandth of that), made a MiB at a time."""
    compressor = zlib.compressobj(9)
    block = b" " * MiB
    parts = [compressor.compress(block) for _ in range(size // MiB)]
    return b"".join(parts) + compressor.compress(b" " * (size % MiB)) + compressor.flush()


def bomb_stream(size: int, attrs: bytes = b"") -> bytes:
    """A stream object's body: :func:`bomb` of ``size``, with ``attrs`` (and a font's
    ``/Length1``, in case it is read as one)."""
    data = bomb(size)
    return b"<< /Length %d /Length1 %d /Filter /FlateDecode %s >>\nstream\n%s\nendstream" % (
        len(data),
        len(data),
        attrs,
        data,
    )


def write(objects: dict[int, bytes]) -> bytes:
    """Objects numbered as given, an xref table (gaps free) and a trailer: a PDF."""
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0 0 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def pdf(
    contents: list[bytes],
    *,
    resources: bytes = b"",
    extra: dict[int, bytes] | None = None,
    font: bytes = FONT,
) -> bytes:
    """One A4 page per content stream (page n is object 8 + 2n, its content 9 + 2n), ``font``
    as /F1 (object 3), ``resources`` added to each page's; ``extra`` objects are added last
    (the tests number theirs from 1001, or replace a page's content)."""
    kids = b" ".join(b"%d 0 R" % (10 + 2 * i) for i in range(len(contents)))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        3: font,
    }
    for index, content in enumerate(contents):
        objects[10 + 2 * index] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> %s >> >>" % (11 + 2 * index, resources)
        )
        objects[11 + 2 * index] = stream(content)
    objects.update(extra or {})
    return write(objects)


def line(text: str, y: int = 700) -> bytes:
    """Content that prints ``text`` at (72, ``y``)."""
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (y, text.encode())


def report_pages(middle: list[bytes]) -> list[bytes]:
    """``middle`` between a first and a last page that each print a sentence."""
    return [line("The first page is read."), *middle, line("The last page is read.")]


def unplaced(outcome: Report | InputError) -> list[str]:
    assert isinstance(outcome, Report), outcome
    return [item.reason for item in outcome.unplaced]


# --- decompression bombs --------------------------------------------------------------------


def test_content_bomb_skips_its_page_without_inflating_it() -> None:
    """A page whose content inflates to 256 MiB (2.4 s and 570 MB before) is skipped after
    512 KiB (MAX_PAGE_CONTENT); the others are read."""
    data = pdf(report_pages([b""]), extra={13: bomb_stream(256 * MiB)})  # page 2's content
    outcome = read_bounded(data, seconds=10)
    assert "page 2 was not read: its content is more than 512 KiB" in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


def cid_font(
    descriptor: bytes = b"", widths: bytes = b"", encoding: bytes = b"/Identity-H"
) -> bytes:
    """A CID-keyed TrueType font, as Chinese reports embed them, with ``descriptor`` added to
    its descriptor and ``widths`` (/W, /W2) to its CID font."""
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding %s /DescendantFonts"
        b" [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /CIDSystemInfo << /Registry"
        b" (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor << /Type"
        b" /FontDescriptor /FontName /F %s >> %s >>] >>" % (encoding, descriptor, widths)
    )


@pytest.mark.parametrize(
    "font",
    [
        b"<< /Type /Font /Subtype /TrueType /BaseFont /F /ToUnicode 1001 0 R >>",
        cid_font(b"/FontFile2 1001 0 R"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /F /FontDescriptor << /FontFile 1001 0 R >> >>",
    ],
    ids=["tounicode", "truetype-program", "type1-program"],
)
def test_font_bomb_is_an_input_error(font: bytes) -> None:
    """A font's CMap or program inflating to 256 MiB is a decompression bomb: refused."""
    data = pdf([line("Text in a bombed font.")], font=font, extra={1001: bomb_stream(256 * MiB)})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "decode to more than" in str(outcome)
    assert "a decompression bomb" in str(outcome)


def compressed_pdf(
    objects: dict[int, bytes],
    packed: dict[int, bytes],
    *,
    object_stream: bytes | None = None,
    xref_attrs: bytes = b"",
    xref_stream: bytes | None = None,
) -> bytes:
    """A PDF 1.5: ``objects`` written out, ``packed`` ones in an object stream (object 900,
    or ``object_stream`` instead), found through a cross-reference stream (object 999, with
    ``xref_attrs`` added, or ``xref_stream`` instead). Its rows are 7 bytes: type 1 and an
    offset, or type 2, the object stream's number (900 is 0x384) and the place in it."""
    places = b""
    body = b""
    for number, obj in packed.items():
        places += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    attrs = b"/Type /ObjStm /N %d /First %d" % (len(packed), len(places))
    objects = {**objects, 900: object_stream or stream(places + body, attrs)}
    out = bytearray(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    offsets[999] = len(out)
    rows = bytearray()
    for number in range(1000):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif number in packed:
            rows += b"\x02\x00\x00\x03\x84" + list(packed).index(number).to_bytes(2, "big")
        else:
            rows += b"\x00" * 7
    attrs = b"/Type /XRef /Size 1000 /W [1 4 2] /Root 1 0 R " + xref_attrs
    out += b"999 0 obj\n%s\nendobj\n" % (xref_stream or stream(bytes(rows), attrs))
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[999]
    return bytes(out)


#: A catalog, page tree and page, to pack in an object stream; the content is object 11.
PACKED_PAGES = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [10 0 R] /Count 1 >>",
    3: FONT,
    10: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 11 0 R"
    b" /Resources << /Font << /F1 3 0 R >> >> >>",
}


def test_compressed_pdf_reads() -> None:
    """The object-stream writer makes a PDF that reads: the bombs below are the only fault."""
    data = compressed_pdf({11: stream(line("Packed page."))}, PACKED_PAGES)
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "Packed page.")


@pytest.mark.parametrize("where", ["object stream", "xref stream"])
def test_object_and_xref_stream_bombs_are_input_errors(where: str) -> None:
    """An object stream or cross-reference stream inflating to 256 MiB is refused, having
    inflated no more than what is left of MAX_DECODED (before: 570 MB, then "a PDF without
    pages")."""
    if where == "object stream":
        big = bomb_stream(256 * MiB, b"/Type /ObjStm /N 4 /First 20")
        data = compressed_pdf({11: stream(line("x"))}, PACKED_PAGES, object_stream=big)
    else:
        xref = bomb_stream(256 * MiB, b"/Type /XRef /Size 1000 /W [1 4 2] /Root 1 0 R")
        data = compressed_pdf({11: stream(line("x"))}, PACKED_PAGES, xref_stream=xref)
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "decode to more than" in str(outcome)


def test_xref_stream_listing_billions_without_a_page_tree_is_refused() -> None:
    """Without /Pages pdfminer looks for pages among every object the cross-reference
    streams list: two billion listed in a 7 kB stream (over 120 s before) is refused."""
    objects = {1: b"<< /Type /Catalog >>", 11: stream(line("x"))}
    data = compressed_pdf(objects, {3: FONT}, xref_attrs=b"/Index [0 2000000000]")
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "lists 2,000,000,000 objects" in str(outcome)


def test_an_image_is_never_inflated() -> None:
    """A page's image XObject is a 256 MiB bomb: pdfminer never decodes an image, nor do we."""
    image = bomb_stream(
        256 * MiB,
        b"/Type /XObject /Subtype /Image /Width 16384 /Height 16384 /BitsPerComponent 8"
        b" /ColorSpace /DeviceGray",
    )
    content = line("A page with a picture.") + b"q 100 0 0 100 72 500 cm /Im1 Do Q\n"
    data = pdf([content], resources=b"/XObject << /Im1 1001 0 R >>", extra={1001: image})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "A page with a picture.")
    assert not [reason for reason in unplaced(outcome) if "not read" in reason]


def test_a_run_length_bomb_skips_its_page() -> None:
    """RunLength repeats a byte 128 times for two: 1 MB of it is 64 MB of content."""
    runs = stream(b"\x81 " * 512 * 1024 + b"\x80", b"/Filter /RunLengthDecode", flate=False)
    data = pdf(report_pages([b""]), extra={13: runs})
    outcome = read_bounded(data, seconds=10)
    assert "page 2 was not read: its content is more than 512 KiB" in unplaced(outcome)


def lzw_literals(count: int) -> bytes:
    """LZW data of a clear code and ``count`` codes for ``A``, each widening pdfminer's table,
    in the code widths it reads (9 bits until the table holds 511 entries, then 10, 11, 12)."""
    bits = [format(256, "09b")]
    width, size = 9, 258
    for index in range(count):
        bits.append(format(65, f"0{width}b"))
        size += index > 0
        width = {511: 10, 1023: 11, 2047: 12}.get(size, width)
    text = "".join(bits)
    text += "0" * (-len(text) % 8)
    return int(text, 2).to_bytes(len(text) // 8, "big")


def test_lzw_content_of_many_short_codes_is_read_in_linear_time() -> None:
    """pdfminer's LZW decoder copies its table at every code: 100,000 one-byte codes (100 kB
    of content, within every bound) took it 8 s, and ten times as many would take minutes."""
    content = stream(lzw_literals(100_000), b"/Filter /LZWDecode", flate=False)
    outcome = read_bounded(pdf([line("Before."), b""], extra={13: content}), seconds=5)
    assert not [reason for reason in unplaced(outcome) if "not read" in reason]


# --- content that costs pdfminer too much ---------------------------------------------------


def test_three_million_text_operators_skip_their_page() -> None:
    """Issue 8's case: three million tiny text operators (21 MB of content in 38 kB) ran
    past a minute; their page is skipped once 512 KiB have inflated."""
    content = b"BT /F1 1 Tf " + b"(a) Tj " * 3_000_000 + b"ET"
    outcome = read_bounded(pdf(report_pages([content])), seconds=10)
    assert "page 2 was not read: its content is more than 512 KiB" in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


def test_a_form_drawn_sixty_thousand_times_runs_its_content_each_time() -> None:
    """A 1.4 kB form XObject drawn 60,000 times is 84 MB of content to run (over 120 s
    before): the page is skipped when what it ran passes 512 KiB."""
    form = stream(b"0 0 m 1 1 l n\n" * 100, b"/Type /XObject /Subtype /Form /BBox [0 0 9 9]")
    content = b"/Fm1 Do\n" * 60_000
    data = pdf(
        report_pages([content]), resources=b"/XObject << /Fm1 1001 0 R >>", extra={1001: form}
    )
    outcome = read_bounded(data, seconds=10)
    assert "page 2 was not read: its content is more than 512 KiB" in unplaced(outcome)


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 1 Tf (" + b"a" * 400_000 + b") Tj ET",
        b"0 0 m 1 1 l S\n" * 20_000,
        b"/Im1 Do\n" * 25_000,
    ],
    ids=["characters", "path-segments", "images"],
)
def test_a_page_drawing_too_much_is_skipped(content: bytes) -> None:
    """400,000 characters (15 s and 840 MB before), 40,000 path segments or 25,000 images,
    each an object pdfminer builds, are more than MAX_PAGE_OBJECTS: the page is skipped,
    the others read."""
    image = stream(
        b"\x00", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8"
    )
    data = pdf(
        report_pages([content]), resources=b"/XObject << /Im1 1001 0 R >>", extra={1001: image}
    )
    outcome = read_bounded(data, seconds=20)
    reason = "page 2 was not read: it draws more than 20,000 characters and shapes"
    assert reason in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"(" * 300_000, "parentheses or escapes"),
        (b"(" + b"\\n" * 150_000 + b") Tj", "parentheses or escapes"),
        (b"/" + b"#41" * 100_000 + b" Do", "parentheses or escapes"),
        (b"BI /W 9 /H 9 /BPC 8 /CS /G ID " + b"E" * 300_000 + b" EI", "parentheses or escapes"),
        (b"[" * 300_000, "nests arrays or dictionaries more than 64 deep"),
        (b"<<" * 150_000, "nests arrays or dictionaries more than 64 deep"),
    ],
    ids=["nested-string", "escapes", "name-escapes", "inline-image", "arrays", "dictionaries"],
)
def test_content_pdfminer_parses_in_quadratic_time_skips_its_page(content: bytes, why: str) -> None:
    """pdfminer copies a string, name or inline image so far at each parenthesis, escape or
    ``E`` (300 kB of ``(`` took 1.4 s, 1 MB 15 s), and keeps a frame for each level of
    nesting (512 kB of ``[`` took 260 MB): such a page is skipped before it is parsed
    (MAX_ESCAPES, MAX_NESTING)."""
    outcome = read_bounded(pdf(report_pages([content])), seconds=10)
    reasons = unplaced(outcome)
    assert any(r.startswith("page 2 was not read: ") and why in r for r in reasons), reasons


def test_ordinary_escapes_nesting_and_image_bytes_are_read() -> None:
    """Many short strings with escapes, nesting a few deep, and inline image bytes that look
    like parentheses and brackets are ordinary content: read."""
    content = b"BT /F1 12 Tf 72 700 Td [(a\\(b\\)c) -20 (\\101)] TJ ET\n" * 2_000
    content += b"/Span << /MCID 0 /Alt [(x) [<41>]] >> BDC EMC\n" * 100
    content += b"BI /W 64 /H 64 /BPC 8 /CS /G ID " + b"([<{\\" * 800 + b" EI\n"
    content += line("After the image.", 600)
    outcome = read_bounded(pdf([content]), seconds=20)
    assert not [reason for reason in unplaced(outcome) if "not read" in reason]
    assert isinstance(outcome, Report)
    assert_kept(outcome, "After the image.")


# --- bounds over the whole PDF --------------------------------------------------------------


def test_content_of_all_pages_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_CONTENT, the page that goes over and those after it are not read."""
    monkeypatch.setattr(pdf_reader, "MAX_CONTENT", 100 * 1024)
    pages = [line(f"Page {n} is here.") + b"%" + b"x" * 40_000 + b"\n" for n in range(1, 6)]
    outcome = read_bounded(pdf(pages), seconds=10)
    reasons = unplaced(outcome)
    assert (
        "page 3 and those after it were not read: the PDF's content is more than 100 KiB" in reasons
    )
    assert isinstance(outcome, Report)
    assert_kept(outcome, "Page 1 is here.", "Page 2 is here.")
    assert "Page3ishere." not in kept_text(outcome)


def test_objects_of_all_pages_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_OBJECTS, the page that goes over and those after it are not read."""
    monkeypatch.setattr(pdf_reader, "MAX_OBJECTS", 50)
    pages = [line(f"Page {n} is here.") for n in range(1, 6)]  # 15 characters a page
    reasons = unplaced(read_bounded(pdf(pages), seconds=10))
    assert (
        "page 4 and those after it were not read: the PDF draws more than 50 characters"
        " and shapes" in reasons
    )


def test_the_decoded_bound_grows_with_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF may decode to MAX_DECODED plus MAX_DECODED_RATIO times its size, no more."""
    monkeypatch.setattr(pdf_reader, "MAX_DECODED", 0)
    rng = random.Random(8)
    noise = bytes(rng.choice(b"abcd") for _ in range(100_000))  # compresses 3 to 4 times
    text = line("Compressed a few times over.") + b"%" + noise + b"\n"
    assert isinstance(read_bounded(pdf([text]), seconds=10), Report)
    monkeypatch.setattr(pdf_reader, "MAX_DECODED_RATIO", 2)
    outcome = read_bounded(pdf([text]), seconds=10)
    assert isinstance(outcome, InputError)
    assert "its streams decode to more than" in str(outcome)


def test_a_pdf_whose_every_page_is_skipped_is_an_input_error() -> None:
    """Nothing could be read: the InputError says why the first page was not."""
    outcome = read_bounded(pdf([b"[" * 1000]), seconds=10)
    assert isinstance(outcome, InputError)
    assert "page 1 was not read: its content nests" in str(outcome)


# --- rule grids -------------------------------------------------------------------------------


def grid(size: int) -> bytes:
    """``size`` + 1 horizontal and vertical rules 5 pt apart, a word in every fifth cell."""
    end = 40 + 5 * size
    content = b"".join(
        b"0.5 w 40 %d m %d %d l S\n" % (40 + 5 * i, end, 40 + 5 * i) for i in range(size + 1)
    )
    content += b"".join(
        b"0.5 w %d 40 m %d %d l S\n" % (40 + 5 * i, 40 + 5 * i, end) for i in range(size + 1)
    )
    content += b"BT /F1 3 Tf "
    content += b"".join(
        b"1 0 0 1 %d %d Tm (c) Tj " % (41 + 5 * i, 41 + 5 * j)
        for i in range(size)
        for j in range(0, size, 5)
    )
    return content + b"ET\n" + line("Text above the grid.", 800)


def test_a_dense_rule_grid_is_read_as_lines() -> None:
    """151 rules each way cross 22,801 times (the table finder's work grows with the square:
    23 to 39 s before), more than MAX_PAGE_CROSSINGS: the page's text is read as lines, and
    ``unplaced`` says why."""
    outcome = read_bounded(pdf([grid(150)]), seconds=20)
    reason = (
        "page 1: its rules cross more than 2,500 times; its tables were not looked for, its"
        " text is read as lines"
    )
    assert reason in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "Text above the grid.")


def test_rule_crossings_of_all_pages_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_CROSSINGS the tables of the pages left are not looked for."""
    monkeypatch.setattr(pdf_reader, "MAX_CROSSINGS", 1000)
    reasons = unplaced(read_bounded(pdf([grid(20)] * 4), seconds=20))  # 441 crossings a page
    assert [r for r in reasons if "rules cross" in r] == [
        f"page {n}: the PDF's rules cross more than 1,000 times; its tables were not looked"
        " for, its text is read as lines"
        for n in (3, 4)
    ]


# --- pdfminer's log ---------------------------------------------------------------------------

#: Content pdfminer warns about (operands that are not numbers), then a line it reads.
GARBLED = b"q (a) (b) (c) (d) (e) (f) cm /x w Q\n" + line("Damaged but readable.")


def test_pdfminer_logs_nothing_while_a_pdf_is_read(caplog: pytest.LogCaptureFixture) -> None:
    """pdfminer warns about the garbled operators when it reads alone; through read_pdf it
    says nothing, and its logger's level is as it was."""
    from pdfminer.high_level import extract_text

    data = pdf([GARBLED])
    level = logging.getLogger("pdfminer").level
    caplog.set_level(logging.DEBUG)
    extract_text(io.BytesIO(data))
    assert [
        r for r in caplog.records if r.name.startswith("pdfminer") and r.levelno >= logging.WARNING
    ]
    caplog.clear()
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "Damaged but readable.")
    assert not [r for r in caplog.records if r.name.startswith(("pdfminer", "pdfplumber"))]
    assert logging.getLogger("pdfminer").level == level


def test_nothing_reaches_stderr_from_a_damaged_pdf(tmp_path: Path) -> None:
    """In a process without logging set up, pdfminer's warnings would go to stderr: the only
    output of a damaged PDF is the InputError the program prints."""
    path = tmp_path / "damaged.pdf"
    path.write_bytes(pdf([GARBLED, b"q 1 2 3 cm x y z re f Q"]).replace(b"/Root", b"/Roat"))
    script = (
        "import sys\n"
        "from ogi_report import InputError\n"
        "from ogi_report.readers.pdf import read_pdf\n"
        "try:\n"
        "    read_pdf(open(sys.argv[1], 'rb').read(), 'damaged.pdf')\n"
        "except InputError as error:\n"
        "    print(error, file=sys.stderr)\n"
        "read_pdf(open(sys.argv[2], 'rb').read(), 'garbled.pdf')\n"
    )
    garbled = tmp_path / "garbled.pdf"
    garbled.write_bytes(pdf([GARBLED]))
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), str(garbled)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr == "damaged.pdf: damaged PDF: No /Root object! - Is this really a PDF?\n"


def test_log_levels_are_restored_after_concurrent_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads in threads raise pdfminer's level while any runs; the last one restores the
    level the host had set."""
    logger = logging.getLogger("pdfminer")
    seen: list[int] = []
    read_page = pdf_reader._read_page

    def spy(*args: Any) -> Any:
        seen.append(logger.level)
        return read_page(*args)

    monkeypatch.setattr(pdf_reader, "_read_page", spy)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        data = pdf([GARBLED] * 3)
        threads = [threading.Thread(target=read_pdf, args=(data,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert logger.level == logging.INFO
    finally:
        logger.setLevel(previous)
    assert seen == [logging.CRITICAL + 1] * 12


# --- the decoder is pdfminer's, bounded -----------------------------------------------------


def test_inflate_gives_what_pdfminer_gives_for_damaged_streams(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Cut, flipped, padded and beheaded zlib streams inflate as in pdfminer: a stream cut
    short gives what it holds, a bad checksum keeps the text, earlier damage gives nothing."""
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    caplog.set_level(logging.CRITICAL)  # pdfminer's own "Data-loss" warnings
    rng = random.Random(8)
    text = b"BT /F1 12 Tf (hello) Tj ET\n" * 2000 + bytes(rng.randrange(256) for _ in range(3000))
    whole = zlib.compress(text, 6)
    damages: list[Callable[[bytearray], bytearray]] = [
        lambda d: d[: rng.randrange(len(d))],
        lambda d: d[:-4] + bytes(4),
        lambda d: d + bytes(rng.randrange(256) for _ in range(9)),
        lambda d: d[rng.randrange(1, 3) :],
    ]
    for trial in range(400):
        data = bytearray(whole)
        if trial % 5 == 4:
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        else:
            data = damages[trial % 5](data)
        expected = PDFStream({"Filter": LIT("FlateDecode")}, bytes(data)).get_data()
        assert pdf_reader._inflate(bytes(data), 4 * len(text)) == expected, trial
    with pytest.raises(pdf_reader._Overflow):
        pdf_reader._inflate(whole, len(text) - 1)


@pytest.mark.parametrize(
    ("filters", "encoded"),
    [
        (
            b"[/ASCIIHexDecode /FlateDecode]",
            zlib.compress(b"q 1 0 0 1 0 0 cm Q\n" * 50).hex().encode() + b">",
        ),
        (b"/RunLengthDecode", b"\x04hello\xfc!\x00.\x80"),
        (b"/LZWDecode", bytes.fromhex("800b6050220c0c8501")),
    ],
    ids=["hex-flate", "run-length", "lzw"],
)
def test_decoding_other_filters_gives_what_pdfminer_gives(filters: bytes, encoded: bytes) -> None:
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    names = [LIT(name.decode()) for name in filters.strip(b"[]").replace(b"/", b" ").split()]
    attrs = {"Filter": names if len(names) > 1 else names[0]}
    expected = PDFStream(attrs, encoded).get_data()
    assert expected
    assert pdf_reader._decoded(PDFStream(attrs, encoded), 1 << 20) == expected


# --- damaged corpus files ---------------------------------------------------------------------

CORPUS_PDFS = sorted((CORPUS / "pdf").glob("*.pdf")) if (CORPUS / "pdf").is_dir() else []


def mutation(data: bytes, index: int) -> bytes:
    """The ``index``-th damage to ``data``: cut (with a new end marker, so pdfminer reads
    it), or 32 bytes flipped at places seeded by ``index``."""
    if index < 4:
        cut = len(data) * (1 + 2 * index) // 8
        return data[:cut] + b"\n%%EOF\n"
    rng = random.Random(index)
    flipped = bytearray(data)
    for _ in range(32):
        flipped[rng.randrange(len(flipped))] ^= 0xFF
    return bytes(flipped)


@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("index", range(10))
def test_a_damaged_corpus_pdf_is_a_report_or_an_input_error(
    index: int, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A corpus PDF cut short or with bytes flipped reads, or is one InputError; nothing
    else is raised and nothing is printed."""
    caplog.set_level(logging.DEBUG)
    read_bounded(mutation(CORPUS_PDFS[0].read_bytes(), index), seconds=20, form="pdf")
    assert capsys.readouterr().err == ""
    assert not [r for r in caplog.records if r.name.startswith(("pdfminer", "pdfplumber"))]


# --- fonts pdfminer expands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "cmap"),
    [
        (
            b"<< /Type /Font /Subtype /TrueType /BaseFont /F /ToUnicode 1001 0 R >>",
            b"begincmap 1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange endcmap",
        ),
        (cid_font(widths=b"/W [0 4000000000 500]"), b""),
        (cid_font(widths=b"/W2 [0 4000000000 1000 500 880]"), b""),
        (
            cid_font(encoding=b"1001 0 R"),
            b"begincmap 1 begincidrange <0000> <FFFF> 0 endcidrange"
            b" 1 begincidrange <00000000> <00FFFFFF> 0 endcidrange endcmap",
        ),
    ],
    ids=["tounicode-range", "widths", "vertical-widths", "encoding-cmap"],
)
def test_a_font_with_billions_of_codes_is_refused(font: bytes, cmap: bytes) -> None:
    """A ToUnicode range, a width range or an embedded CMap of billions of codes (pdfminer
    expands each, a 100-byte stream taking hours and hundreds of GB) is refused before it is
    built."""
    data = pdf([line("Text in that font.")], font=font, extra={1001: stream(cmap)})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "its fonts map more than 300,000 character codes (reading page 1)" in str(outcome)


def test_a_font_given_in_place_is_charged_each_time_it_is_built() -> None:
    """pdfminer builds a font given in place (not by reference) each time a form using it
    runs: 40 runs of a form with a 28,000-code font are more than MAX_FONT_CODES."""
    font = cid_font(widths=b"/W [0 28000 1000]")
    form = stream(
        line("In a form."),
        b"/Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %s >> >>" % font,
    )
    content = b"/Fm1 Do\n" * 40
    data = pdf([content], resources=b"/XObject << /Fm1 1001 0 R >>", extra={1001: form})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "its fonts map more than 300,000 character codes" in str(outcome)


def test_a_font_given_by_reference_is_charged_once() -> None:
    """The same font by reference on 40 pages is built once: read."""
    font = cid_font(widths=b"/W [0 28000 1000]")
    outcome = read_bounded(pdf([line(f"Page {n}.") for n in range(40)], font=font), seconds=20)
    assert isinstance(outcome, Report)


# --- the bounds themselves ---------------------------------------------------------------------


def test_every_bound_is_documented_and_reached_by_a_test() -> None:
    """Each ``MAX_`` constant of the reader has a comment and is named in its tests."""
    source = Path(pdf_reader.__file__).read_text(encoding="utf-8").splitlines()
    tests = Path(__file__).read_text(encoding="utf-8")
    tests += (Path(__file__).parents[1] / "test_read_pdf.py").read_text(encoding="utf-8")
    bounds = [name for name in pdf_reader.__all__ if name.startswith("MAX_")]
    assert len(bounds) == 12
    for name in bounds:
        index = next(i for i, text in enumerate(source) if text.startswith(f"{name} = "))
        assert source[index - 1].startswith("#: "), name
        assert name in tests, name
