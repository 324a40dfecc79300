"""Hostile PDFs: decompression bombs (in streams and in inline images), content that runs
forms without end or nests without end, pages that draw too much, rule grids, damaged
corpus files.

Every PDF is built here by a small writer and read within time and memory bounds
(:func:`~tests.hostile.bounds.read_bounded`): it is read, with what was skipped named in
``unplaced``, or refused with one InputError; nothing reaches stderr. The bounds are
lowered where that keeps a test quick; each ``MAX_`` bound of the reader is reached here.
"""

from __future__ import annotations

import functools
import logging
import random
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ogi_report import InputError, Report
from ogi_report.readers import _pdf_scan
from ogi_report.readers import pdf as pdf_reader
from ogi_report.readers.pdf import read_pdf

from ..conftest import CORPUS
from ..pdf_bytes import write_pdf
from .bounds import assert_kept, kept_text, read_bounded

pytest.importorskip("pypdfium2")

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
    return write_pdf(objects)


def line(text: str, y: int = 700) -> bytes:
    """Content that prints ``text`` at (72, ``y``)."""
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (y, text.encode())


def report_pages(middle: list[bytes]) -> list[bytes]:
    """``middle`` between a first and a last page that each print a sentence."""
    return [line("The first page is read."), *middle, line("The last page is read.")]


@pytest.fixture(autouse=True, scope="module")
def _pdfium_loaded() -> None:
    """pdfium's library (some 10 MB of code and tables) is loaded once, by a first small read,
    before any read's memory is measured: the bounds are about what an input costs."""
    read_pdf(pdf(report_pages([])))


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
    """A catalog without /Pages and a cross-reference stream listing two billion objects in
    7 kB (pdfminer looked for pages among all of them, over 120 s) is refused at once."""
    objects = {1: b"<< /Type /Catalog >>", 11: stream(line("x"))}
    data = compressed_pdf(objects, {3: FONT}, xref_attrs=b"/Index [0 2000000000]")
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "damaged PDF: its structure cannot be parsed" in str(outcome)


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


#: Why a page is skipped before pdfium loads it: more bytes in strings than characters allowed.
TEXT_BOUND = "page 2 was not read: its content shows more than 40,000 bytes of text"


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
    """400,000 characters (15 s and 840 MB with pdfminer; pdfium would keep 120 MB), 40,000
    path segments or 25,000 images are more than MAX_PAGE_OBJECTS: the page is skipped (the
    characters before pdfium loads it, by the bytes of their strings), the others read."""
    image = stream(
        b"\x00", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8"
    )
    data = pdf(
        report_pages([content]), resources=b"/XObject << /Im1 1001 0 R >>", extra={1001: image}
    )
    outcome = read_bounded(data, seconds=20)
    reason = "page 2 was not read: it draws more than 20,000 characters and shapes"
    assert (TEXT_BOUND if content.startswith(b"BT") else reason) in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"(" * 300_000, TEXT_BOUND),
        (b"(" + b"\\n" * 150_000 + b") Tj", TEXT_BOUND),
        (b"/" + b"#41" * 100_000 + b" Do", None),
        (b"BI /W 9 /H 9 /BPC 8 /CS /G ID " + b"E" * 300_000 + b" EI", None),
        (b"[" * 300_000, None),
        (b"<<" * 150_000, None),
    ],
    ids=["nested-string", "escapes", "name-escapes", "inline-image", "arrays", "dictionaries"],
)
def test_content_pdfminer_parsed_in_quadratic_time_is_bounded(content: bytes, why: str) -> None:
    """pdfminer copied a string, name or inline image so far at each parenthesis, escape or
    ``E`` (300 kB of ``(`` took 1.4 s, 1 MB 15 s) and kept a frame for each level of nesting
    (512 kB of ``[`` took 260 MB); pdfium parses such content in linear time and bounded
    nesting: the page is read, unless its strings hold more text than a page may show."""
    outcome = read_bounded(pdf(report_pages([content])), seconds=10)
    assert [reason for reason in unplaced(outcome) if "not read" in reason] == (
        [why] if why else []
    )
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


def test_ordinary_escapes_nesting_and_image_bytes_are_read() -> None:
    """Many short strings with escapes, nesting a few deep, and inline image bytes that look
    like parentheses and brackets are ordinary content: read."""
    content = b"BT /F1 12 Tf 72 700 Td [(a\\(b\\)c) -20 (\\101)] TJ ET\n" * 2_000
    content += b"/Span << /MCID 0 /Alt [(x) [<41>]] >> BDC EMC\n" * 100
    content += b"BI /W 80 /H 50 /BPC 8 /CS /G ID " + b"([<{\\" * 800 + b" EI\n"
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
    image = stream(
        b"\x00", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8"
    )
    data = pdf(
        [b"/Im1 Do\n" * 25_000], resources=b"/XObject << /Im1 1001 0 R >>", extra={1001: image}
    )
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, InputError)
    assert "page 1 was not read: it draws more than 20,000 characters" in str(outcome)


def test_an_inline_image_bomb_is_an_input_error() -> None:
    """pdfium inflates a compressed inline image to find where it ends: 200 MiB of zeros in
    200 kB of content (400 MB before it was measured) is a decompression bomb."""
    data = zlib.compress(b"\x00" * (200 * MiB), 9)
    content = b"q 100 0 0 100 0 0 cm BI /W 16000 /H 13000 /BPC 8 /CS /G /F /Fl ID "
    outcome = read_bounded(pdf([content + data + b" EI Q\n" + line("After.")]), seconds=10)
    assert isinstance(outcome, InputError)
    assert "a decompression bomb" in str(outcome)


def test_a_character_map_bomb_without_font_lengths_is_an_input_error() -> None:
    """A ToUnicode map is a stream without a type, as content is: inflating to 256 MiB, it
    is a decompression bomb all the same."""
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /F /ToUnicode 1001 0 R >>"
    data = zlib.compress(b" " * (256 * MiB), 9)
    cmap = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    outcome = read_bounded(pdf([line("Mapped.")], font=font, extra={1001: cmap}), seconds=10)
    assert isinstance(outcome, InputError)
    assert "a decompression bomb" in str(outcome)


def test_a_form_that_draws_itself_is_bounded() -> None:
    """A form XObject that draws itself runs until pdfium stops it: its page is skipped as
    running more content than MAX_PAGE_CONTENT."""
    form = stream(
        b"0 0 m 1 1 l S /Fm1 Do /Fm1 Do\n",
        b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /Fm1 1001 0"
        b" R >> >>",
    )
    data = pdf(
        report_pages([b"/Fm1 Do\n"]), resources=b"/XObject << /Fm1 1001 0 R >>", extra={1001: form}
    )
    outcome = read_bounded(data, seconds=10)
    assert "page 2 was not read: its content is more than 512 KiB" in unplaced(outcome)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "The first page is read.", "The last page is read.")


def test_pages_that_cannot_be_found_in_the_bytes_are_bounded_together() -> None:
    """Without a page tree pdfium can use the pages are not told apart: a form drawn 60,000
    times is refused as content of the PDF, not read."""
    form = stream(b"0 0 m 1 1 l n\n" * 100, b"/Type /XObject /Subtype /Form /BBox [0 0 9 9]")
    data = pdf(
        report_pages([b"/Fm1 Do\n" * 60_000]),
        resources=b"/XObject << /Fm1 1001 0 R >>",
        extra={1001: form},
    )
    damaged = data.replace(b"/Type /Pages /Kids", b"/Type /Pages /Kidz")
    outcome = read_bounded(damaged, seconds=10)
    assert isinstance(outcome, InputError)


def test_many_objects_are_scanned_in_linear_time() -> None:
    """The bytes are measured in one pass: 100,000 small objects (6 MB), with their
    ``endobj`` or without (a search from each object to the next ``endobj`` would be
    quadratic), are read within the bounds."""
    extra = {2000 + i: b"<< /A %d /B [1 2 3] >>" % i for i in range(100_000)}
    data = pdf([line("Many objects.")], extra=extra)
    for version in (data, data.replace(b"endobj", b"endxbj")):
        outcome = read_bounded(version, seconds=20)
        assert isinstance(outcome, Report)
        assert_kept(outcome, "Many objects.")


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


# --- what a read says -------------------------------------------------------------------------

#: Content a parser may warn about (operands that are not numbers), then a line it reads.
GARBLED = b"q (a) (b) (c) (d) (e) (f) cm /x w Q\n" + line("Damaged but readable.")


def test_a_read_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """Garbled operators are skipped, the line after them read, and nothing is logged."""
    caplog.set_level(logging.DEBUG)
    outcome = read_bounded(pdf([GARBLED]), seconds=10)
    assert isinstance(outcome, Report)
    assert_kept(outcome, "Damaged but readable.")
    assert not caplog.records


def test_nothing_reaches_stderr_from_a_damaged_pdf(tmp_path: Path) -> None:
    """The only output of a damaged PDF is the InputError the program prints: pdfium prints
    nothing of its own."""
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
    assert done.stderr == (
        "damaged.pdf: damaged PDF: its structure cannot be parsed (no usable catalog, page tree"
        " or cross-reference table)\n"
    )


def test_reads_in_threads_give_what_one_read_gives() -> None:
    """pdfium must not run in two threads at once: reads in threads take turns (readers
    _pdf_page.LOCK) and each gives what a read alone gives."""
    data = pdf([line(f"Page {n} in a thread.") for n in range(1, 4)])
    alone = read_pdf(data)
    results: list[Report] = []
    threads = [threading.Thread(target=lambda: results.append(read_pdf(data))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [alone] * 4


# --- the scan's decoders, bounded ---------------------------------------------------------------


def test_inflate_never_passes_its_limit_and_keeps_what_damage_leaves(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Cut, flipped, padded and beheaded zlib streams inflate to the text before the damage
    (or nothing); no stream is inflated past its limit."""
    rng = random.Random(8)
    text = b"BT /F1 12 Tf (hello) Tj ET\n" * 2000 + bytes(rng.randrange(256) for _ in range(3000))
    whole = zlib.compress(text, 6)
    damages: list[Callable[[bytearray], bytearray]] = [
        lambda d: d[: rng.randrange(len(d))],
        lambda d: d[:-4] + bytes(4),
        lambda d: d + bytes(rng.randrange(256) for _ in range(9)),
        lambda d: d[rng.randrange(1, 3) :],
    ]
    assert _pdf_scan._inflate(whole, len(text)) == text
    for trial in range(400):
        data = bytearray(whole)
        if trial % 5 == 4:
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        else:
            data = damages[trial % 5](data)
        inflated = _pdf_scan._inflate(bytes(data), 4 * len(text))
        assert text.startswith(inflated) or trial % 5 == 4, trial
        assert len(inflated) <= len(text), trial
    with pytest.raises(_pdf_scan._Overflow):
        _pdf_scan._inflate(whole, len(text) - 1)


@pytest.mark.parametrize(
    ("filters", "encoded", "decoded"),
    [
        (
            ["ASCIIHexDecode", "FlateDecode"],
            zlib.compress(b"q 1 0 0 1 0 0 cm Q\n" * 50).hex().encode() + b">",
            b"q 1 0 0 1 0 0 cm Q\n" * 50,
        ),
        (["RunLengthDecode"], b"\x04hello\xfc!\x00.\x80", b"hello!!!!!."),
        (["LZWDecode"], bytes.fromhex("800b6050220c0c8501"), b"-----A---B"),
        (["ASCII85Decode"], b'87cURD]i,"Ebo80~>', b"Hello World!"),
    ],
    ids=["hex-flate", "run-length", "lzw", "ascii85"],
)
def test_decoders_decode_and_stop_at_their_limit(
    filters: list[str], encoded: bytes, decoded: bytes
) -> None:
    """Each filter pdfium decodes is decoded here as the specification says, and never past
    the limit it is given."""
    assert _pdf_scan._decode(encoded, filters, 1 << 20) == decoded
    with pytest.raises(_pdf_scan._Overflow):
        _pdf_scan._decode(encoded, filters, len(decoded) - 1)


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


# --- fonts pdfminer expanded ------------------------------------------------------------------


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
def test_a_font_with_billions_of_codes_is_read_quickly(font: bytes, cmap: bytes) -> None:
    """A ToUnicode range, a width range or an embedded CMap of billions of codes (pdfminer
    expanded each, a 100-byte stream taking hours and hundreds of GB) costs pdfium nothing:
    the page is read within the bounds."""
    data = pdf([line("Text in that font.")], font=font, extra={1001: stream(cmap)})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, Report)
    assert not [reason for reason in unplaced(outcome) if "not read" in reason]


def test_a_font_given_in_place_in_a_form_drawn_many_times_is_read() -> None:
    """pdfminer built a font given in place (not by reference) each time a form using it
    ran (40 runs of a 28,000-code font were refused); pdfium reads it within the bounds."""
    font = cid_font(widths=b"/W [0 28000 1000]")
    form = stream(
        line("In a form."),
        b"/Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %s >> >>" % font,
    )
    content = b"/Fm1 Do\n" * 40
    data = pdf([content], resources=b"/XObject << /Fm1 1001 0 R >>", extra={1001: form})
    outcome = read_bounded(data, seconds=10)
    assert isinstance(outcome, Report)
    assert not [reason for reason in unplaced(outcome) if "not read" in reason]


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
    assert len(bounds) == 9
    for name in bounds:
        index = next(i for i, text in enumerate(source) if text.startswith(f"{name} = "))
        assert source[index - 1].startswith("#: "), name
        assert name in tests, name
