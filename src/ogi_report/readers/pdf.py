"""PDF: the text layer, read with pdfplumber; tables found by their ruling lines.

Each page's ruled tables become :class:`~._document.Grid`\\ s, a merged cell repeated in
every position it covers (pdfplumber leaves those positions ``None``); the text outside the
tables becomes one :class:`~._document.Fragment` per printed line, in reading order. Every
cell and line carries its page and box (``bbox`` in PDF points from the page's top-left
corner) as :class:`~ogi_report.cells.Provenance`. A table continued on the next page (the
same number of columns, nothing printed between) is one grid.

Only drawn lines, stroked rectangles and thin dark bars count as rules: the white boxes
some converters put behind every line of text are not tables. A border missing where a
table breaks across pages is closed where its column rules end. Page numbers (``- 4 -``,
``第3页``) and running headers are page chrome (:attr:`~._document.Document.chrome`).

A PDF without a text layer (a scan) reads as a report with no cells that says so in
:attr:`~ogi_report.model.Report.unplaced`; a truncated, damaged or password-protected file
is an :class:`~ogi_report.errors.InputError`. Needs the ``pdf`` extra (pdfplumber); examples
build a PDF, so they live in the tests.

The work a PDF can cause is bounded, each bound a ``MAX_`` constant below, checked before
pdfminer parses what it bounds. Every stream pdfminer reads is decoded here, as pdfminer
would, zlib a chunk at a time, never past what is left of :data:`MAX_DECODED`; the code
ranges of fonts are counted before pdfminer expands them. A page's content is measured and
scanned before it runs, what it draws is counted as it is drawn, and its rules are counted
before tables are looked for. A page over a page bound is skipped, and one over a PDF-wide
bound ends the reading; either way :attr:`~ogi_report.model.Report.unplaced` says which
page and which bound, as it does for pages after :data:`MAX_PAGES`. A decompression bomb or
a font of billions of codes is an InputError. pdfminer's log messages are held back while a
PDF is read: a damaged file gives one InputError and nothing on stderr.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import logging
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..cells import Provenance
from ..errors import InputError
from ..model import Metadata, Report, Unplaced
from ..templates import TEMPLATE_2021
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

if TYPE_CHECKING:
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream

__all__ = [
    "MAX_CONTENT",
    "MAX_CROSSINGS",
    "MAX_DECODED",
    "MAX_DECODED_RATIO",
    "MAX_ESCAPES",
    "MAX_FONT_CODES",
    "MAX_NESTING",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_PAGE_CONTENT",
    "MAX_PAGE_CROSSINGS",
    "MAX_PAGE_OBJECTS",
    "parse_pdf",
    "read_pdf",
]

# The bounds have wide margins over real reports. The corpus's largest page runs 44 KB of
# content, draws 1,317 characters and path segments and has 486 rule crossings; its largest
# PDF decodes to 2.0 MB (5 times its size), runs 141 KB of content, draws 3,904 characters
# and path segments, has 900 rule crossings, and its fonts map 41,152 codes.

#: Pages after this many are not read (a report has a handful; this bounds the work).
MAX_PAGES = 200
#: Bytes of content a page may run: its content streams, and each form XObject as often as
#: it is drawn. pdfminer parses the tersest content at 0.2 to 0.5 MB a second, and an array
#: of numbers costs it 60 bytes of memory a byte. A page over it is skipped.
MAX_PAGE_CONTENT = 512 * 1024
#: Bytes of content the pages may run together (at the corpus's density, 90 pages); the page
#: that goes over it, and those after it, are not read. The tersest content this allows
#: takes pdfminer 15 seconds.
MAX_CONTENT = 2 * 1024 * 1024
#: Characters, images and path segments (a rectangle is five) a page may draw: pdfminer and
#: pdfplumber make 1.5 KB of objects for each. A page over it is skipped.
MAX_PAGE_OBJECTS = 20_000
#: Characters, images and path segments the pages may draw together; the page that goes
#: over it, and those after it, are not read.
MAX_OBJECTS = 100_000
#: Parentheses and backslashes in one string, ``#`` escapes in one name, or ``E`` bytes in
#: one inline image, that content may hold: pdfminer copies the token so far at each, so the
#: work grows with their number times the token's length. A page over it is skipped.
MAX_ESCAPES = 10_000
#: Arrays, dictionaries and inline images content may nest (pdfminer keeps a frame for each
#: level; real content nests three deep). A page over it is skipped.
MAX_NESTING = 64
#: Crossings of a page's horizontal and vertical rules (after merging) the table finder may
#: meet: its work grows with their square. Past it the page's tables are not looked for and
#: their text is read as lines, which ``unplaced`` says.
MAX_PAGE_CROSSINGS = 2_500
#: Crossings of rules the table finder may meet on all pages together; past it, the tables
#: of the pages left are not looked for.
MAX_CROSSINGS = 25_000
#: Codes the fonts may map, together: their character maps' entries (ToUnicode and embedded
#: CMaps, a range counted whole) and the codes their CID width arrays (/W, /W2) cover, each
#: time pdfminer builds the font. pdfminer expands every range, at 90 to 150 bytes a code;
#: a CJK font gives one width to 28,000 codes. A PDF over it is refused.
MAX_FONT_CODES = 300_000
#: Bytes all the streams pdfminer reads (content, fonts, object and cross-reference streams)
#: may decode to, together, whatever the PDF's size …
MAX_DECODED = 8 * 1024 * 1024
#: … plus this many times the PDF's size. A PDF over it is refused (a decompression bomb):
#: no stream is ever inflated past what is left.
MAX_DECODED_RATIO = 10

_NEEDS_EXTRA = "reading PDF needs the pdf extra: pip install 'ogi-report[pdf]'"
#: Geometry tolerances in PDF points (1/72 inch), as pdfplumber's defaults.
_TOLERANCE = 3.0
#: A filled rectangle at most this thick is a rule (a table border drawn as a bar).
_BAR = 2.0
#: Share of the page height at top and bottom where headers and footers are printed.
_MARGIN = 0.08
_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": _TOLERANCE,
    "join_tolerance": _TOLERANCE,
    "intersection_tolerance": _TOLERANCE,
}
#: A box as pdfplumber gives it: (x0, top, x1, bottom), in points from the top left.
_Box = tuple[float, float, float, float]
_DASHES = "-—–－―_~·•"
#: A page number on its own line: ``- 4 -``, ``— 4 —``, ``第 3 页``, ``3/6``, ``第3页 共6页``.
_PAGE_NUMBER = re.compile(
    rf"[{_DASHES}\s]*(?:第\s*)?\d{{1,4}}\s*(?:页)?"
    rf"(?:\s*(?:[/／]|共)\s*\d{{1,4}}\s*页?)?[{_DASHES}\s]*"
)
#: Dashes around a number are a page number wherever the line is printed.
_DASHED_NUMBER = re.compile(rf"\s*[{_DASHES}]{{1,3}}\s*\d{{1,4}}\s*[{_DASHES}]{{1,3}}\s*")


def _pdfplumber() -> Any:
    try:
        import pdfplumber
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    return pdfplumber


# --- bounded reading -----------------------------------------------------------------------

_Scope = Literal["page", "rest", "pdf"]


class _Exceeded(Exception):
    """A bound was reached. ``scope`` is what is given up: the page, the pages from this one
    on, or the PDF."""

    def __init__(self, reason: str, scope: _Scope) -> None:
        super().__init__(reason)
        self.reason = reason
        self.scope = scope


class _Overflow(Exception):
    """A stream would decode to more than it may."""


def _size(count: int) -> str:
    """Bytes in plain words: ``512 KiB``, ``26.3 MiB``."""
    if count >= 1 << 20:
        return f"{count / (1 << 20):.3g} MiB"
    if count >= 1 << 10:
        return f"{count / (1 << 10):.3g} KiB"
    return f"{count} bytes"


#: Bytes given to zlib, and taken from it, at a time.
_CHUNK = 64 * 1024


def _inflate(data: bytes, limit: int) -> bytes:
    """zlib ``data`` inflated as pdfminer inflates it, never to more than ``limit`` bytes.

    As in pdfminer, a stream cut short gives what it holds; one that breaks in its last
    three bytes (a bad checksum) keeps what came before, one broken earlier is empty.
    """
    inflater = zlib.decompressobj()
    out = bytearray()
    given = 0  # data[:given] went to the inflater; ``pending`` is what it has not taken
    pending = b""
    while True:
        if not pending and given < len(data):
            pending = data[given : given + _CHUNK]
            given += len(pending)
        before = inflater.copy()
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            start = given - len(pending)
            return _inflate_to_error(before, pending, start, len(data), out, limit)
        out += chunk
        if len(out) > limit:
            raise _Overflow
        pending = inflater.unconsumed_tail
        if inflater.eof or (not pending and given >= len(data) and len(chunk) < _CHUNK):
            return bytes(out)


def _inflate_to_error(
    inflater: Any, pending: bytes, start: int, size: int, out: bytearray, limit: int
) -> bytes:
    """Find where ``pending`` (at ``start`` in ``size`` bytes) breaks, a byte at a time as
    pdfminer does: what came before if that is in the last three bytes, else nothing."""
    for index in range(len(pending)):
        try:
            out += inflater.decompress(pending[index : index + 1])
        except zlib.error:
            return bytes(out) if start + index >= size - 3 else b""
        if len(out) > limit:
            raise _Overflow
    return bytes(out)


def _unlzw(data: bytes, limit: int) -> bytes:
    """LZW ``data`` decoded by pdfminer's decoder, a code at a time, never to more than
    ``limit``: its ``run`` is not used, as it copies its whole table at every code (for a
    debug message), which makes many short codes quadratic."""
    from pdfminer.lzw import CorruptDataError, LZWDecoder

    decoder = LZWDecoder(io.BytesIO(data))
    out = bytearray()
    while True:
        try:
            code = decoder.readbits(decoder.nbits)
        except EOFError:
            return bytes(out)
        try:
            out += decoder.feed(code)
        except CorruptDataError:
            return bytes(out)
        if len(out) > limit:
            raise _Overflow


def _unrun(data: bytes, limit: int) -> bytes:
    """RunLength ``data`` decoded as pdfminer does, never to more than ``limit`` bytes."""
    out = bytearray()
    index = 0
    while index < len(data) and data[index] != 128:
        length = data[index]
        if length < 128:
            run = data[index + 1 : index + 2 + length]
            index += 2 + length
        else:
            run = data[index + 1 : index + 2] * (257 - length)
            index += 2
        if index > len(data):
            raise ValueError("RunLength data cut short")
        out += run
        if len(out) > limit:
            raise _Overflow
    return bytes(out)


def _unfax(data: bytes, params: Any, limit: int) -> bytes:
    """CCITT fax ``data`` decoded by pdfminer if it cannot exceed ``limit`` (a row per bit)."""
    from pdfminer.ccitt import ccittfaxdecode

    columns = params.get("Columns") if isinstance(params, dict) else None
    if not isinstance(columns, int) or (columns + 7) // 8 * (8 * len(data) + 1) > limit:
        raise _Overflow
    return ccittfaxdecode(data, params)


def _unpredict(data: bytes, params: Any) -> bytes:
    """``data`` with the PNG or TIFF predictor that ``params`` name undone, as pdfminer does."""
    from pdfminer.pdftypes import PDFNotImplementedError, int_value
    from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

    if not params or "Predictor" not in params:
        return data
    predictor = int_value(params["Predictor"])
    if predictor == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    if predictor == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if predictor >= 10:
        return apply_png_predictor(predictor, colors, columns, bits, data)
    raise PDFNotImplementedError(f"Unsupported predictor: {predictor!r}")


def _decoded(stream: PDFStream, limit: int) -> bytes:
    """What pdfminer's ``PDFStream.decode`` makes of ``stream``, no step of it ever holding
    more than ``limit`` bytes: zlib, LZW, RunLength and fax data are decoded here."""
    from pdfminer import pdftypes as types
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    data = stream.rawdata or b""
    if stream.decipher:
        assert stream.objid is not None
        assert stream.genno is not None
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, params in stream.get_filters():
        if name in types.LITERALS_FLATE_DECODE:
            data = _inflate(data, limit)
        elif name in types.LITERALS_LZW_DECODE:
            data = _unlzw(data, limit)
        elif name in types.LITERALS_RUNLENGTH_DECODE:
            data = _unrun(data, limit)
        elif name in types.LITERALS_CCITTFAX_DECODE:
            data = _unfax(data, params, limit)
        elif name in types.LITERALS_ASCII85_DECODE:
            data = ascii85decode(data)
        elif name in types.LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        elif name == types.LITERAL_CRYPT:
            raise types.PDFNotImplementedError("/Crypt filter is unsupported")
        elif name not in (
            *types.LITERALS_DCT_DECODE,
            *types.LITERALS_JBIG2_DECODE,
            *types.LITERALS_JPX_DECODE,
        ):
            raise types.PDFNotImplementedError(f"Unsupported filter: {name!r}")
        data = _unpredict(data, params)
    return data


#: Where pdfminer's tokenizer changes state in content: a comment, a string, a name, a hex
#: string, an array, dictionary or procedure opened or closed, and the operators around
#: inline image data (BI, ID).
_SYNTAX = re.compile(
    rb"%|\(|/[^\s/%\[\]()<>{}]*|<<|>>|<|[\[\]{}]"
    rb"|(?<![^\s/%\[\]()<>{}])(?:BI|ID)(?![^\s/%\[\]()<>{}])"
)
#: Where pdfminer copies a string so far: a parenthesis or a backslash.
_IN_STRING = re.compile(rb"[()\\]")
_LINE_END = re.compile(rb"[\r\n]")
#: The end of inline image data, as pdfminer looks for it (``~>`` ends ASCII85 data).
_IMAGE_END = re.compile(rb"(?:EI|~>)\s")
_OPENERS = {b"[": b"]", b"{": b"}", b"<<": b">>", b"BI": b"ID"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items() if opener != b"BI"}


def _string_end(content: bytes, pos: int) -> tuple[int, int]:
    """Where the string opened before ``pos`` ends, and its parentheses and escapes
    (counted up to one more than :data:`MAX_ESCAPES`)."""
    depth = 1
    escapes = 0
    while escapes <= MAX_ESCAPES and (match := _IN_STRING.search(content, pos)) is not None:
        escapes += 1
        pos = match.end()
        char = match.group()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if not depth:
                return pos, escapes
    return len(content), escapes


def _hard_to_parse(content: bytes) -> str | None:
    """Why pdfminer would take quadratic time or much memory over ``content``, or None.

    Follows pdfminer's tokenizer where it copies a token so far (a string's parentheses and
    escapes, a name's ``#`` escapes, inline image data at each ``E``) and where it nests.
    """
    opened: list[bytes] = []
    pos = 0
    while (match := _SYNTAX.search(content, pos)) is not None:
        token, pos = match.group(), match.end()
        if token == b"(":
            pos, escapes = _string_end(content, pos)
        elif token[:1] == b"/":
            escapes = token.count(b"#")
        elif token == b"%":
            end = _LINE_END.search(content, pos)
            pos = end.end() if end else len(content)
            continue
        elif token == b"<":
            pos = content.find(b">", pos) + 1 or len(content)
            continue
        elif token == b"ID":
            if not opened or opened[-1] != b"BI":
                continue
            opened.pop()
            end = _IMAGE_END.search(content, pos)
            stop = end.end() if end else len(content)
            escapes = content.count(b"E", pos, stop) + content.count(b"~", pos, stop)
            pos = stop
        elif token in _OPENERS:
            opened.append(token)
            if len(opened) > MAX_NESTING:
                return f"its content nests arrays or dictionaries more than {MAX_NESTING} deep"
            continue
        else:
            if opened and opened[-1] == _CLOSERS[token]:
                opened.pop()
            continue
        if escapes > MAX_ESCAPES:
            return (
                f"a string, name or inline image in its content has more than {MAX_ESCAPES:,}"
                " parentheses or escapes"
            )
    return None


#: A character map's section (bfrange, cidrange, bfchar, cidchar) up to where it ends.
_CMAP_SECTION = re.compile(rb"begin(bf|cid)(range|char)")
#: A range's first and last code and what they map to (a code, an array, or a CID).
_CMAP_RANGE = re.compile(rb"<([^<>]*)>\s*<([^<>]*)>\s*(?:<[^<>]*>|\[[^\]]*\]|[-+.\d]+)")
#: A single code and what it maps to.
_CMAP_CHAR = re.compile(rb"<[^<>]*>\s*(?:<[^<>]*>|/[^\s/<>\[\]]*|[-+.\d]+)")


def _code(hex_digits: bytes) -> int:
    """A code as pdfminer numbers it in a range: its last four bytes."""
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", hex_digits)[-8:]
    return int(digits, 16) if digits else 0


def _cmap_codes(data: bytes) -> int:
    """The entries pdfminer would make of ``data`` if it is a character map: one a code, a
    range counted whole (sections it would not reach the end of count nothing)."""
    codes = 0
    for match in _CMAP_SECTION.finditer(data):
        end = data.find(b"end" + match.group()[5:], match.end())
        if end < 0:
            break
        section = data[match.end() : end]
        if match.group(2) == b"char":
            codes += sum(1 for _ in _CMAP_CHAR.finditer(section))
        else:
            for first, last, *_ in (m.groups() for m in _CMAP_RANGE.finditer(section)):
                codes += max(_code(last) - _code(first) + 1, 0)
    return codes


def _font_codes(spec: dict[object, object]) -> int:
    """The codes pdfminer expands into tables when it builds the font ``spec``: the entries
    of its character maps (ToUnicode, an embedded CMap) and its CID widths."""
    from pdfminer.pdftypes import PDFStream, dict_value, list_value, resolve1

    descendants = list_value(spec.get("DescendantFonts"))
    codes = 0
    for part in [spec, dict_value(descendants[0])] if descendants else [spec]:
        for key in ("ToUnicode", "Encoding"):
            cmap = resolve1(part.get(key))
            if isinstance(cmap, PDFStream):
                codes += _cmap_codes(cmap.get_data())
        codes += _width_codes(resolve1(part.get("W")), 3)
        codes += _width_codes(resolve1(part.get("W2")), 5)
    return codes


def _width_codes(widths: object, step: int) -> int:
    """The codes a CID font's /W (``step`` 3) or /W2 (``step`` 5) array gives widths to, as
    pdfminer reads it: a code and an array, or a first and last code and their width."""
    if not isinstance(widths, list):
        return 0
    codes = 0
    run: list[object] = []
    for value in widths:
        if isinstance(value, list):
            codes += len(value) if step == 3 else len(value) // 3
            run = []
        elif isinstance(value, (int, float)):
            run.append(value)
            if len(run) == step:
                first, last = run[0], run[1]
                if isinstance(first, int) and isinstance(last, int):
                    codes += max(last - first + 1, 0)
                run = []
    return codes


@attrs.define
class _Budget:
    """What is left of each bound while one PDF is read; ``page`` is the page being read."""

    most_decoded: int
    """The PDF's bound on decoded bytes: :data:`MAX_DECODED` and its share of the size."""
    decoded: int
    content: int = attrs.field(factory=lambda: MAX_CONTENT)
    objects: int = attrs.field(factory=lambda: MAX_OBJECTS)
    crossings: int = attrs.field(factory=lambda: MAX_CROSSINGS)
    font_codes: int = attrs.field(factory=lambda: MAX_FONT_CODES)
    page: int = 0
    page_content: int = 0
    page_objects: int = 0
    running: bool = False
    """Content is being decoded to run: it may not exceed what is left of the content bounds."""
    refused: set[object] = attrs.field(factory=set)
    """Streams that went over a bound: they are not decoded again."""
    scanned: set[tuple[object, ...]] = attrs.field(factory=set)
    fonts: set[int] = attrs.field(factory=set)
    """Fonts given by reference (their object numbers) whose codes were charged."""

    @classmethod
    def for_pdf(cls, size: int) -> _Budget:
        most = MAX_DECODED + MAX_DECODED_RATIO * size
        return cls(most, most)

    def start(self, page: int) -> None:
        self.page = page
        self.page_content = MAX_PAGE_CONTENT
        self.page_objects = MAX_PAGE_OBJECTS

    def _where(self) -> str:
        return f" (reading page {self.page})" if self.page else ""

    def _too_much_content(self) -> _Exceeded:
        if self.content < self.page_content:
            return _Exceeded(
                f"page {self.page} and those after it were not read: the PDF's content is"
                f" more than {_size(MAX_CONTENT)}",
                "rest",
            )
        return _Exceeded(
            f"page {self.page} was not read: its content is more than {_size(MAX_PAGE_CONTENT)}",
            "page",
        )

    def _too_much_decoded(self) -> _Exceeded:
        return _Exceeded(
            f"its streams decode to more than {_size(self.most_decoded)}{self._where()}:"
            " a decompression bomb, or a damaged file",
            "pdf",
        )

    def decode(self, stream: PDFStream) -> None:
        """Decode ``stream`` in place, as pdfminer would, within what is left."""
        if self.running and min(self.page_content, self.content) < self.decoded:
            limit, too_much = min(self.page_content, self.content), self._too_much_content
        else:
            limit, too_much = self.decoded, self._too_much_decoded
        if stream in self.refused:
            raise too_much()
        try:
            data = _decoded(stream, limit)
        except _Overflow:
            self.refused.add(stream)
            raise too_much() from None
        self.decoded -= len(data)
        stream.data = data
        stream.rawdata = None

    def map(self, codes: int) -> None:
        """Charge ``codes`` a font maps or gives widths to."""
        self.font_codes -= codes
        if self.font_codes < 0:
            raise _Exceeded(
                f"its fonts map more than {MAX_FONT_CODES:,} character codes{self._where()}:"
                " a damaged file",
                "pdf",
            )

    def load(self, resources: dict[object, object]) -> None:
        """Charge the codes of the fonts in ``resources`` that pdfminer is about to build (one
        given by reference is built once, one given in place each time)."""
        from pdfminer.pdftypes import PDFObjRef, dict_value

        for spec in dict_value(resources.get("Font")).values():
            if isinstance(spec, PDFObjRef):
                if spec.objid in self.fonts:
                    continue
                self.fonts.add(spec.objid)
            self.map(_font_codes(dict_value(spec)))

    def run(self, streams: Sequence[PDFStream]) -> None:
        """Charge content about to run to the page and the PDF; scan it once."""
        parts: list[bytes] = []
        for stream in streams:
            self.running = True
            try:
                data = stream.get_data()
            finally:
                self.running = False
            if len(data) > self.page_content or len(data) > self.content:
                raise self._too_much_content()
            self.page_content -= len(data)
            self.content -= len(data)
            parts.append(data)
        key = tuple(streams)
        if key not in self.scanned:
            problem = _hard_to_parse(b"".join(parts))
            if problem:
                raise _Exceeded(f"page {self.page} was not read: {problem}", "page")
            self.scanned.add(key)

    def draw(self, count: int) -> None:
        """Charge ``count`` characters, images or path segments to the page and the PDF."""
        self.page_objects -= count
        self.objects -= count
        if self.objects < 0:
            raise _Exceeded(
                f"page {self.page} and those after it were not read: the PDF draws more than"
                f" {MAX_OBJECTS:,} characters and shapes",
                "rest",
            )
        if self.page_objects < 0:
            raise _Exceeded(
                f"page {self.page} was not read: it draws more than {MAX_PAGE_OBJECTS:,}"
                " characters and shapes",
                "page",
            )

    def cross(self, crossings: int) -> str | None:
        """Charge a page's rule crossings; why its tables are not looked for, or None."""
        if crossings > MAX_PAGE_CROSSINGS:
            why = f"its rules cross more than {MAX_PAGE_CROSSINGS:,} times"
        elif crossings > self.crossings:
            why = f"the PDF's rules cross more than {MAX_CROSSINGS:,} times"
        else:
            self.crossings -= crossings
            return None
        return f"page {self.page}: {why}; its tables were not looked for, its text is read as lines"


@functools.cache
def _bounded_classes() -> tuple[type[PDFParser], type[Any]]:
    """A parser whose streams decode through the budget, and a pdfplumber page that runs its
    content through it (defined on first use: pdfplumber is an extra)."""
    from pdfminer.layout import LTPage
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, list_value, stream_value
    from pdfminer.psparser import PSKeyword
    from pdfminer.utils import MATRIX_IDENTITY, Matrix
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    class BoundedParser(PDFParser):
        def __init__(self, fp: io.BytesIO, budget: _Budget) -> None:
            super().__init__(fp)
            self.budget = budget

        def do_keyword(self, pos: int, token: PSKeyword) -> None:
            super().do_keyword(pos, token)
            if token is self.KEYWORD_STREAM and self.curstack:
                stream = self.curstack[-1][1]
                if isinstance(stream, PDFStream):
                    # this stream, and only it, decodes through the budget
                    stream.decode = functools.partial(self.budget.decode, stream)  # type: ignore[method-assign]

    class CountingDevice(PDFPageAggregatorWithMarkedContent):
        def __init__(self, rsrcmgr: PDFResourceManager, pageno: int, budget: _Budget) -> None:
            super().__init__(rsrcmgr, pageno=pageno, laparams=None)
            self.budget = budget

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.budget.draw(1)
            return float(super().render_char(*args, **kwargs))

        def render_image(self, *args: Any, **kwargs: Any) -> None:
            self.budget.draw(1)
            super().render_image(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            path = args[4] if len(args) > 4 else kwargs.get("path", ())
            self.budget.draw(max(len(path), 1))
            super().paint_path(*args, **kwargs)

    class BoundedInterpreter(PDFPageInterpreter):
        def render_contents(
            self,
            resources: dict[object, object],
            streams: Sequence[object],
            ctm: Matrix = MATRIX_IDENTITY,
        ) -> None:
            assert isinstance(self.device, CountingDevice)
            self.device.budget.run([stream_value(obj) for obj in list_value(streams)])
            self.device.budget.load(resources)
            super().render_contents(resources, streams, ctm)

    class BoundedPage(Page):
        budget: _Budget

        @property
        def layout(self) -> LTPage:
            if hasattr(self, "_layout"):
                return self._layout
            device = CountingDevice(self.pdf.rsrcmgr, self.page_number, self.budget)
            BoundedInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._layout = device.get_result()
            return self._layout

    return BoundedParser, BoundedPage


@attrs.define
class _Opened:
    """A PDF opened for bounded reading: what pdfplumber's pages need of their PDF."""

    doc: Any
    rsrcmgr: Any
    laparams: None = None
    unicode_norm: None = None
    raise_unicode_errors: bool = True


def _open(data: bytes, budget: _Budget) -> _Opened:
    """The PDF's document, its cross-reference and object streams decoded within ``budget``."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager

    parser_class, _ = _bounded_classes()
    parser = parser_class(io.BytesIO(data), budget)  # type: ignore[call-arg]
    return _Opened(PDFDocument(parser, password=""), PDFResourceManager())


@attrs.define
class _Hush:
    """pdfminer's and pdfplumber's loggers raised above CRITICAL while any PDF is read, and
    restored when the last read (of those running in threads) ends."""

    names: tuple[str, ...] = ("pdfminer", "pdfplumber")
    readers: int = 0
    levels: dict[str, int] = attrs.field(factory=dict)
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self.lock:
            if not self.readers:
                for name in self.names:
                    logger = logging.getLogger(name)
                    self.levels[name] = logger.level
                    logger.setLevel(logging.CRITICAL + 1)
            self.readers += 1
        try:
            yield
        finally:
            with self.lock:
                self.readers -= 1
                if not self.readers:
                    for name, level in self.levels.items():
                        logging.getLogger(name).setLevel(level)


#: Keeps pdfminer's warnings (``CropBox missing``, ``Could not get FontBBox``) off the host's
#: logs and stderr while a PDF is read; what is wrong with a file is said by the InputError.
_HUSH = _Hush()


# --- rules and tables -----------------------------------------------------------------------


def _is_light(color: object) -> bool:
    """True for a fill colour (gray, RGB or CMYK) close to white: invisible on paper."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)):
        return False  # unset (black by default) or a pattern
    values = [float(v) for v in color if isinstance(v, (int, float))]
    if len(values) in (1, 3):
        return sum(values) / len(values) > 0.85
    if len(values) == 4:
        return max(values) < 0.15
    return not values


def _in_page(obj: dict[str, Any], bbox: Sequence[float]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bool(bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3])


def _ruling(bbox: Sequence[float]) -> Callable[[dict[str, Any]], bool]:
    """The filter that keeps text on the page and the shapes that draw table rules."""

    def keep(obj: dict[str, Any]) -> bool:
        kind = obj.get("object_type")
        if kind == "char":
            return _in_page(obj, bbox)
        if kind == "line":
            return bool(obj.get("stroke", True))
        if kind == "rect":
            if obj.get("stroke"):
                return True
            thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) <= _BAR
            return bool(thin and obj.get("fill") and not _is_light(obj.get("non_stroking_color")))
        if kind == "curve":
            return bool(obj.get("stroke"))
        return False

    return keep


_Edges = list[dict[str, Any]]


def _rules(page: Any, plumber: Any) -> tuple[_Edges, _Edges]:
    """``page``'s vertical and horizontal rules, merged as the table finder merges them."""
    edges = plumber.table.merge_edges(
        list(page.edges), _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE
    )
    columns = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 1]
    across = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 1]
    return columns, across


def _closing_rules(columns: _Edges, across: _Edges) -> dict[str, Any]:
    """Table settings for a page with these rules, plus the borders a page break left out.

    A table broken over pages is often printed without its bottom (or top) border: its
    column rules simply stop. Where column rules end without meeting a rule across them,
    a border is drawn between them (a rule at that height is carried to them), so the
    last (or first) row on the page is still a row.
    """
    closing: list[dict[str, Any]] = []
    for end in ("top", "bottom"):
        loose = sorted(
            (column[end], column["x0"])
            for column in columns
            if not any(
                abs(rule["top"] - column[end]) <= _TOLERANCE
                and rule["x0"] - _TOLERANCE <= column["x0"] <= rule["x1"] + _TOLERANCE
                for rule in across
            )
        )
        groups: list[list[tuple[float, float]]] = []
        for item in loose:
            if groups and item[0] - groups[-1][-1][0] <= _TOLERANCE:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            y = group[0][0] if end == "top" else group[-1][0]
            xs = [x for _, x in group]
            xs += [
                x
                for rule in across
                if abs(rule["top"] - y) <= _TOLERANCE
                for x in (rule["x0"], rule["x1"])
            ]
            if len(xs) >= 2:
                low, high = min(xs), max(xs)
                closing.append(
                    {
                        "object_type": "line",
                        "x0": low,
                        "x1": high,
                        "top": y,
                        "bottom": y,
                        "width": high - low,
                        "height": 0,
                    }
                )
    return {**_TABLE_SETTINGS, "explicit_horizontal_lines": closing}


def _bbox(box: Sequence[float]) -> _Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


@attrs.frozen
class _Line:
    """A printed line outside the tables, with its font size and whether it is in a margin."""

    fragment: Fragment
    size: float = 0.0
    margin: bool = False


def _table_blocks(table: Any, page: int, source: str | None) -> list[tuple[float, Grid | _Line]]:
    """A pdfplumber table as grids, merged cells repeated where they reach.

    A row that is one cell across the whole table (第二十条第（五）项 above its own small
    table) is a caption: it becomes a line, and the rows between captions are grids of
    their own, with only the columns they draw. A one-column grid is not a table.
    """
    cells: list[_Box] = [tuple(cell) for cell in table.cells]
    text_of: dict[_Box, str] = {}
    for row, texts in zip(table.rows, table.extract()):
        for cell, text in zip(row.cells, texts):
            if cell is not None:
                text_of[tuple(cell)] = text or ""
    left, right = table.bbox[0], table.bbox[2]
    by_top: dict[float, list[_Box]] = {}
    for cell in cells:
        by_top.setdefault(cell[1], []).append(cell)
    blocks: list[tuple[float, Grid | _Line]] = []
    band: list[_Box] = []

    def flush() -> None:
        if band:
            grid = _grid(band, text_of, page, source)
            if grid is not None:
                blocks.append((min(c[1] for c in band), grid))
            band.clear()

    for top in sorted(by_top):
        row = by_top[top]
        if len(row) == 1 and row[0][0] <= left + _TOLERANCE and row[0][2] >= right - _TOLERANCE:
            flush()
            text = text_of.get(row[0], "").strip()
            if text:
                where = Provenance(source, page=page, bbox=_bbox(row[0]))
                blocks.append((top, _Line(Fragment(text, where))))
        else:
            band.extend(row)
    flush()
    return blocks


def _span(middles: list[float], low: float, high: float) -> range:
    """The positions whose middle (in ascending ``middles``) is in ``[low, high)``."""
    return range(bisect.bisect_left(middles, low), bisect.bisect_left(middles, high))


class _Cells:
    """Whether a point is inside any of a table's cells, in logarithmic time: the cells are
    cut along all their edges into a lattice whose covered squares are kept."""

    def __init__(self, cells: list[_Box]) -> None:
        self.xs = sorted({x for cell in cells for x in (cell[0], cell[2])})
        self.ys = sorted({y for cell in cells for y in (cell[1], cell[3])})
        self.covered: set[tuple[int, int]] = set()
        for x0, top, x1, bottom in cells:
            rows = range(bisect.bisect_left(self.ys, top), bisect.bisect_left(self.ys, bottom))
            for column in range(bisect.bisect_left(self.xs, x0), bisect.bisect_left(self.xs, x1)):
                self.covered.update((column, row) for row in rows)

    def __contains__(self, point: tuple[float, float]) -> bool:
        column = bisect.bisect_right(self.xs, point[0]) - 1
        row = bisect.bisect_right(self.ys, point[1]) - 1
        return (column, row) in self.covered


def _grid(
    cells: list[_Box], text_of: dict[_Box, str], page: int, source: str | None
) -> Grid | None:
    """Cells as a grid on their own column and row boundaries; None for one column."""
    xs = sorted({cell[0] for cell in cells})
    tops = sorted({cell[1] for cell in cells})
    if len(xs) < 2:
        return None
    rights = [*xs[1:], max(cell[2] for cell in cells)]
    bottoms = [*tops[1:], max(cell[3] for cell in cells)]
    middles_x = [(x0 + x1) / 2 for x0, x1 in zip(xs, rights)]
    middles_y = [(top + bottom) / 2 for top, bottom in zip(tops, bottoms)]
    covers: dict[tuple[int, int], _Box] = {}  # position: the first cell over its middle
    for cell in cells:
        rows_over = _span(middles_y, cell[1], cell[3])
        for column in _span(middles_x, cell[0], cell[2]):
            for row_index in rows_over:
                covers.setdefault((row_index, column), cell)
    rows: list[tuple[Fragment, ...]] = []
    made: dict[_Box, Fragment] = {}
    for row_index, (top, bottom) in enumerate(zip(tops, bottoms)):
        row: list[Fragment] = []
        for column, (x0, x1) in enumerate(zip(xs, rights)):
            cover = covers.get((row_index, column), (x0, top, x1, bottom))
            fragment = made.get(cover)
            if fragment is None:
                where = Provenance(source, page=page, bbox=_bbox(cover))
                fragment = made[cover] = Fragment(text_of.get(cover, ""), where)
            row.append(fragment)
        if any(fragment.text.strip() for fragment in row):
            rows.append(tuple(row))
    if not rows:
        return None
    box = (xs[0], tops[0], rights[-1], bottoms[-1])
    return Grid(tuple(rows), Provenance(source, page=page, bbox=_bbox(box)))


# --- pages ---------------------------------------------------------------------------------


@attrs.define
class _Page:
    """One page read: its tables and lines by height on the page, and what it holds."""

    number: int
    items: list[tuple[float, Grid | _Line]] = attrs.field(factory=list)
    has_text: bool = False
    has_images: bool = False
    notes: list[str] = attrs.field(factory=list)
    """What was not done on the page, and why (a bound reached)."""


def _read_page(page: Any, plumber: Any, source: str | None, budget: _Budget) -> _Page:
    """A page's ruled tables as grids and captions, and its other text as lines."""
    result = _Page(page.page_number, has_images=bool(page.images))
    bbox = page.bbox
    ruled = page.filter(_ruling(bbox))
    if not ruled.chars:
        return result
    result.has_text = True
    tables: list[tuple[Sequence[float], _Cells]] = []
    columns, across = _rules(ruled, plumber)
    too_many = budget.cross(len(columns) * len(across))
    if too_many:
        result.notes.append(too_many)
    for table in [] if too_many else ruled.find_tables(_closing_rules(columns, across)):
        blocks = _table_blocks(table, result.number, source)
        if any(isinstance(block, Grid) for _, block in blocks):
            result.items.extend(blocks)
            tables.append((table.bbox, _Cells([tuple(cell) for cell in table.cells])))

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return False
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(
            box[0] <= x < box[2] and box[1] <= y < box[3] and (x, y) in cells
            for box, cells in tables
        )

    text = ruled.filter(outside_tables) if tables else ruled
    top_margin = bbox[1] + _MARGIN * (bbox[3] - bbox[1])
    bottom_margin = bbox[3] - _MARGIN * (bbox[3] - bbox[1])
    for line in text.extract_text_lines(return_chars=True, strip=True):
        if not line["text"]:
            continue
        box = (line["x0"], line["top"], line["x1"], line["bottom"])
        where = Provenance(source, page=result.number, bbox=_bbox(box))
        size = max((float(char.get("size") or 0.0) for char in line["chars"]), default=0.0)
        margin = line["top"] < top_margin or line["bottom"] > bottom_margin
        result.items.append((line["top"], _Line(Fragment(line["text"], where), size, margin)))
    result.items.sort(key=lambda item: item[0])
    return result


def _pages(opened: _Opened, budget: _Budget) -> Iterator[Any]:
    """Pages one at a time, no more than :data:`MAX_PAGES` + 1 (the page tree is walked no
    further), each read within ``budget``."""
    from pdfminer.pdfpage import PDFPage

    _, page_class = _bounded_classes()
    _check_page_tree(opened.doc)
    found = PDFPage.create_pages(opened.doc)
    doctop = 0.0
    for number, page_obj in enumerate(itertools.islice(found, MAX_PAGES + 1), start=1):
        page = page_class(opened, page_obj, page_number=number, initial_doctop=doctop)
        page.budget = budget
        doctop += page.height
        yield page


def _check_page_tree(doc: Any) -> None:
    """Refuse a PDF without a page tree whose cross-reference streams list more objects than
    they hold: pdfminer would look for pages among all of them, billions perhaps."""
    if "Pages" in doc.catalog:
        return
    for xref in doc.xrefs:
        ranges, width, data = (getattr(xref, name, None) for name in ("ranges", "entlen", "data"))
        if ranges is None or not width or data is None:
            continue
        listed = sum(count for _, count in ranges)
        if listed * width > len(data):
            raise InputError(
                f"damaged PDF: no page tree, and a cross-reference stream lists {listed:,}"
                f" objects but holds {len(data) // width:,}"
            )


# --- chrome, title, continued tables -----------------------------------------------------------


def _shape(text: str) -> str:
    """A line with its numbers blanked: what a running header or footer repeats."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running(pages: list[_Page]) -> set[str]:
    """Margin lines printed alike (numbers aside) on two pages or more."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update(
            {
                _shape(item.fragment.text)
                for _, item in page.items
                if isinstance(item, _Line) and item.margin
            }
        )
    return {shape for shape, count in seen.items() if count >= 2}


def _is_chrome(line: _Line, running: set[str]) -> bool:
    text = line.fragment.text
    if _DASHED_NUMBER.fullmatch(text):
        return True
    return line.margin and (bool(_PAGE_NUMBER.fullmatch(text)) or _shape(text) in running)


def _title(lines: list[_Line]) -> list[_Line]:
    """The first page's leading lines printed larger than its body text, joined as one."""
    sizes = Counter(round(line.size) for line in lines)
    if not sizes:
        return lines
    body = sizes.most_common(1)[0][0]
    count = len(list(itertools.takewhile(lambda line: line.size >= body + 2, lines)))
    if count < 2:
        return lines
    head = lines[:count]
    boxes = [line.fragment.where.bbox for line in head if line.fragment.where.bbox]
    where = head[0].fragment.where
    if boxes:
        union = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        where = attrs.evolve(where, bbox=union)
    title = Fragment("".join(line.fragment.text for line in head), where)
    return [_Line(title, head[0].size, head[0].margin), *lines[count:]]


def _document(pages: list[_Page], source: str | None) -> Document:
    """The pages' blocks in order: chrome set aside, the title joined, continued tables as one."""
    running = _running(pages)
    blocks: list[Block] = []
    chrome: list[Fragment] = []
    continues = False  # the previous page ended in a table
    for page in pages:
        body: list[Grid | _Line] = []
        for _, item in page.items:
            if isinstance(item, _Line) and _is_chrome(item, running):
                chrome.append(item.fragment)
            else:
                body.append(item)
        if page.number == 1:
            count = len(list(itertools.takewhile(lambda item: isinstance(item, _Line), body)))
            body = [*_title([i for i in body[:count] if isinstance(i, _Line)]), *body[count:]]
        for index, item in enumerate(body):
            last = blocks[-1] if blocks else None
            if isinstance(item, _Line):
                blocks.append(item.fragment)
            elif (
                index == 0
                and continues
                and isinstance(last, Grid)
                and len(last.rows[0]) == len(item.rows[0])
            ):
                blocks[-1] = Grid(last.rows + item.rows, last.where)
            else:
                blocks.append(item)
        continues = bool(body) and isinstance(body[-1], Grid)
    return Document(tuple(blocks), source, (), tuple(chrome))


# --- bytes to pages ---------------------------------------------------------------------------


@attrs.frozen
class _Parsed:
    document: Document
    pages: int
    textless: tuple[int, ...]
    """Pages without text but with an image (all pages, when none has text)."""
    more: bool
    """The PDF has more than :data:`MAX_PAGES` pages."""
    notes: tuple[tuple[int, str], ...] = ()
    """Pages skipped, or read in part, because a bound was reached: page and why."""


def _check_bytes(data: bytes, source: str | None) -> None:
    if not data.strip():
        raise InputError("empty: there is nothing to read", source=source)
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF: it does not start with %PDF-", source=source)
    if b"%%EOF" not in data[-2048:]:
        raise InputError(
            "truncated PDF: it does not end with %%EOF (an incomplete download?)", source=source
        )


def _problem(error: BaseException) -> str:
    """A plain sentence for what pdfminer or pdfplumber raised."""
    inner = error
    if type(error).__name__ == "PdfminerException" and error.args:
        first = error.args[0]
        if isinstance(first, BaseException):
            inner = first
    name = type(inner).__name__
    detail = str(inner).strip() or name
    if name == "PDFPasswordIncorrect":
        return "encrypted PDF: it needs a password to open"
    if "Encryption" in name or name == "PDFTextExtractionNotAllowed":
        return f"encrypted PDF that cannot be opened ({detail})"
    if name in ("PSEOF", "PDFNoValidXRef"):
        return f"truncated or damaged PDF ({detail})"
    if name.startswith(("PDF", "PS")):
        return f"damaged PDF: {detail}"
    return f"damaged PDF, it cannot be parsed ({name}: {detail})"


def _read_pages(opened: _Opened, plumber: Any, source: str | None, budget: _Budget) -> _Read:
    """The pages read within ``budget``; a page over a page bound is skipped, and one over a
    PDF-wide bound ends the reading (each noted); a bomb is an InputError."""
    read = _Read()
    for page in _pages(opened, budget):
        if page.page_number > MAX_PAGES:
            read.more = True
            break
        budget.start(page.page_number)
        try:
            read.pages.append(_read_page(page, plumber, source, budget))
        except _Exceeded as exceeded:
            if exceeded.scope == "pdf":
                raise InputError(exceeded.reason, source=source) from None
            read.notes.append((page.page_number, exceeded.reason))
            if exceeded.scope == "rest":
                break
        finally:
            page.close()
    for page_read in read.pages:
        read.notes.extend((page_read.number, note) for note in page_read.notes)
    read.notes.sort(key=lambda note: note[0])
    return read


@attrs.define
class _Read:
    pages: list[_Page] = attrs.field(factory=list)
    notes: list[tuple[int, str]] = attrs.field(factory=list)
    more: bool = False


def _parse(data: bytes, source: str | None) -> _Parsed:
    plumber = _pdfplumber()
    _check_bytes(data, source)
    budget = _Budget.for_pdf(len(data))
    try:
        with _HUSH.reading():
            read = _read_pages(_open(data, budget), plumber, source, budget)
            document = _document(read.pages, source)
    except InputError as error:
        raise InputError(error.reason, source=source) from None
    except _Exceeded as exceeded:  # while the page tree is walked
        raise InputError(exceeded.reason, source=source) from None
    except Exception as error:  # pdfminer raises many kinds on damaged files
        raise InputError(_problem(error), source=source) from None
    pages = read.pages
    if not pages:
        reason = read.notes[0][1] if read.notes else "a PDF without pages"
        raise InputError(reason, source=source)
    if any(page.has_text for page in pages):
        textless = tuple(page.number for page in pages if page.has_images and not page.has_text)
    else:
        textless = tuple(page.number for page in pages)
    return _Parsed(document, len(pages), textless, read.more, tuple(read.notes))


# --- the whole ------------------------------------------------------------------------------


def parse_pdf(data: bytes, source: str | None = None) -> Document:
    """A PDF's text layer as a :class:`Document`: tables as grids, other text as lines.

    Raises :class:`~ogi_report.errors.InputError` for what is not a readable PDF, and
    ``ImportError`` without pdfplumber.
    """
    return _parse(data, source).document


def read_pdf(data: bytes, source: str | None = None) -> Report:
    """Read a report from a PDF with a text layer; a scan gives a report without cells that
    says so in :attr:`~ogi_report.model.Report.unplaced`."""
    name = source or "<pdf>"
    parsed = _parse(data, name)
    bounds = [Unplaced("", reason, Provenance(name, page=page)) for page, reason in parsed.notes]
    if parsed.more:
        bounds.append(
            Unplaced(
                "",
                f"more than {MAX_PAGES} pages: only the first {MAX_PAGES} were read",
                Provenance(name, page=MAX_PAGES + 1),
            )
        )
    if len(parsed.textless) == parsed.pages:
        pages = f"{parsed.textless[0]}-{parsed.textless[-1]}"
        reason = f"no text layer on pages {pages}: a scanned image; OCR it first"
        return Report.from_cells(
            TEMPLATE_2021,
            {},
            metadata=Metadata(source=name),
            unplaced=[Unplaced("", reason, Provenance(name)), *bounds],
        )
    report = assemble(parsed.document)
    notes = [
        Unplaced(
            "",
            f"no text layer on page {number}: a scanned image; OCR it first",
            Provenance(name, page=number),
        )
        for number in parsed.textless
    ]
    notes.extend(bounds)
    return attrs.evolve(report, unplaced=(*report.unplaced, *notes)) if notes else report
