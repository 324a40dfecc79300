"""PDF: the text layer, read with pdfium (pypdfium2); tables found by their ruling lines.

Each page's ruled tables become :class:`~._document.Grid`\\ s, a merged cell repeated in
every position it covers; the text outside the tables becomes one
:class:`~._document.Fragment` per printed line, in reading order. Every cell and line carries
its page and box (``bbox`` in PDF points from the page's top-left corner) as
:class:`~ogi_report.cells.Provenance`. A table continued on the next page (the same number of
columns, nothing printed between) is one grid.

Only drawn lines, stroked rectangles and thin dark bars count as rules: the white boxes
some converters put behind every line of text are not tables. A border missing where a
table breaks across pages is closed where its column rules end. Page numbers (``- 4 -``,
``第3页``) and running headers are page chrome (:attr:`~._document.Document.chrome`).
pdfium gives the characters, their boxes and the shapes (:mod:`._pdf_page`); tables and
lines are made from them as pdfplumber made them (:mod:`._pdf_geometry`), so a PDF reads
cell for cell as it did when pdfplumber read it.

A PDF without a text layer (a scan) reads as a report with no cells that says so in
:attr:`~ogi_report.model.Report.unplaced`; a truncated, damaged or password-protected file
is an :class:`~ogi_report.errors.InputError`. Needs the ``pdf`` extra (pypdfium2); examples
build a PDF, so they live in the tests.

The work a PDF can cause is bounded, each bound a ``MAX_`` constant below. pdfium cannot be
interrupted once called, so what it would decode and run is measured from the file's bytes
first (:mod:`._pdf_scan`): every stream it could decode, within :data:`MAX_DECODED`, and each
page's content, forms as often as they are drawn, before the page is loaded. What a page
draws is counted before its characters are read, and its rules before tables are looked for.
A page over a page bound is skipped, and one over a PDF-wide bound ends the reading; either
way :attr:`~ogi_report.model.Report.unplaced` says which page and which bound, as it does
for pages after :data:`MAX_PAGES`. A decompression bomb is an InputError.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..cells import Provenance
from ..errors import InputError
from ..model import Metadata, Report, Unplaced
from ..templates import TEMPLATE_2021
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid
from ._pdf_geometry import (
    TOLERANCE,
    Char,
    Table,
    closing_rules,
    find_tables,
    middles,
    rules,
    text_lines,
)
from ._pdf_scan import Cost, Limits, Refused, Scan, _size, scan

if TYPE_CHECKING:
    from ._pdf_page import Drawing

__all__ = [
    "MAX_CONTENT",
    "MAX_CROSSINGS",
    "MAX_DECODED",
    "MAX_DECODED_RATIO",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_PAGE_CONTENT",
    "MAX_PAGE_CROSSINGS",
    "MAX_PAGE_OBJECTS",
    "parse_pdf",
    "read_pdf",
]

# The bounds have wide margins over real reports. The corpus's largest page runs 44 KB of
# content showing 1,383 bytes of text, draws 1,521 characters, path segments and objects
# (pdfium's count, with the spaces and line ends it adds) and has 486 rule crossings; its
# largest PDF decodes to 2.0 MB (5 times its size), runs 141 KB of content, draws 4,460
# characters, path segments and objects, and has 900 rule crossings.

#: Pages after this many are not read (a report has a handful; this bounds the work).
MAX_PAGES = 200
#: Bytes of content a page may run: its content streams, and each form XObject as often as
#: it is drawn (pdfium parses a form each time). pdfium builds some 100 bytes of objects a
#: byte of the densest content. A page over it is skipped before pdfium loads it.
MAX_PAGE_CONTENT = 512 * 1024
#: Bytes of content the pages may run together (at the corpus's density, 90 pages); the page
#: that goes over it, and those after it, are not read.
MAX_CONTENT = 2 * 1024 * 1024
#: Characters, images, path segments and other objects a page may draw. A page over it is
#: skipped, before pdfium reads its characters if it has more objects. pdfium keeps some 300
#: bytes a character, so a page whose content shows more than twice as many bytes of text
#: (a character takes one or two) is skipped before pdfium loads it.
MAX_PAGE_OBJECTS = 20_000
#: Characters, images and path segments the pages may draw together; the page that goes
#: over it, and those after it, are not read.
MAX_OBJECTS = 100_000
#: Crossings of a page's horizontal and vertical rules (after merging) the table finder may
#: meet: its work grows with their square. Past it the page's tables are not looked for and
#: their text is read as lines, which ``unplaced`` says.
MAX_PAGE_CROSSINGS = 2_500
#: Crossings of rules the table finder may meet on all pages together; past it, the tables
#: of the pages left are not looked for.
MAX_CROSSINGS = 25_000
#: Bytes all the streams pdfium may decode (content, fonts, character maps, object and
#: cross-reference streams; not images) may decode to, together, whatever the PDF's size …
MAX_DECODED = 8 * 1024 * 1024
#: … plus this many times the PDF's size. A PDF over it is refused (a decompression bomb):
#: no stream is ever inflated past what is left.
MAX_DECODED_RATIO = 10

_NEEDS_EXTRA = "reading PDF needs the pdf extra: pip install 'ogi-report[pdf]'"
#: Share of the page height at top and bottom where headers and footers are printed.
_MARGIN = 0.08
#: A box: (x0, top, x1, bottom), in points from the top left.
_Box = tuple[float, float, float, float]
_DASHES = "-—–－―_~·•"
#: A page number on its own line: ``- 4 -``, ``— 4 —``, ``第 3 页``, ``3/6``, ``第3页 共6页``.
_PAGE_NUMBER = re.compile(
    rf"[{_DASHES}\s]*(?:第\s*)?\d{{1,4}}\s*(?:页)?"
    rf"(?:\s*(?:[/／]|共)\s*\d{{1,4}}\s*页?)?[{_DASHES}\s]*"
)
#: Dashes around a number are a page number wherever the line is printed.
_DASHED_NUMBER = re.compile(rf"\s*[{_DASHES}]{{1,3}}\s*\d{{1,4}}\s*[{_DASHES}]{{1,3}}\s*")


def _pdfium() -> Any:
    """The pdfium page reader (:mod:`._pdf_page`); ImportError naming the extra without it."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    from . import _pdf_page

    return _pdf_page


# --- bounds ----------------------------------------------------------------------------------

_Scope = Literal["page", "rest"]


class _Exceeded(Exception):
    """A bound was reached. ``scope`` is what is given up: the page, or the pages from this
    one on."""

    def __init__(self, reason: str, scope: _Scope) -> None:
        super().__init__(reason)
        self.reason = reason
        self.scope = scope


@attrs.define
class _Budget:
    """What is left of the PDF-wide bounds while one PDF is read."""

    content: int = attrs.field(factory=lambda: MAX_CONTENT)
    objects: int = attrs.field(factory=lambda: MAX_OBJECTS)
    crossings: int = attrs.field(factory=lambda: MAX_CROSSINGS)

    def run(self, page: int, cost: Cost) -> None:
        """Charge the content a page runs; :class:`_Exceeded` if it may not."""
        if cost.content > min(MAX_PAGE_CONTENT, self.content):
            if self.content < MAX_PAGE_CONTENT:
                raise _Exceeded(
                    f"page {page} and those after it were not read: the PDF's content is"
                    f" more than {_size(MAX_CONTENT)}",
                    "rest",
                )
            raise _Exceeded(
                f"page {page} was not read: its content is more than {_size(MAX_PAGE_CONTENT)}",
                "page",
            )
        self.content -= cost.content
        if cost.text > 2 * MAX_PAGE_OBJECTS:
            raise _Exceeded(
                f"page {page} was not read: its content shows more than"
                f" {2 * MAX_PAGE_OBJECTS:,} bytes of text",
                "page",
            )

    def most(self) -> int:
        """The characters and shapes the next page may draw."""
        return min(MAX_PAGE_OBJECTS, self.objects)

    def overdrawn(self, page: int) -> _Exceeded:
        if self.objects >= MAX_PAGE_OBJECTS:
            return _Exceeded(
                f"page {page} was not read: it draws more than {MAX_PAGE_OBJECTS:,}"
                " characters and shapes",
                "page",
            )
        return _Exceeded(
            f"page {page} and those after it were not read: the PDF draws more than"
            f" {MAX_OBJECTS:,} characters and shapes",
            "rest",
        )

    def cross(self, page: int, crossings: int) -> str | None:
        """Charge a page's rule crossings; why its tables are not looked for, or None."""
        if crossings > MAX_PAGE_CROSSINGS:
            why = f"its rules cross more than {MAX_PAGE_CROSSINGS:,} times"
        elif crossings > self.crossings:
            why = f"the PDF's rules cross more than {MAX_CROSSINGS:,} times"
        else:
            self.crossings -= crossings
            return None
        return f"page {page}: {why}; its tables were not looked for, its text is read as lines"


def _limits(size: int) -> Limits:
    return Limits(
        decoded=MAX_DECODED + MAX_DECODED_RATIO * size,
        page_content=MAX_PAGE_CONTENT,
        content=MAX_CONTENT,
        pages=MAX_PAGES + 1,
        text=2 * MAX_PAGE_OBJECTS,
    )


def _check_whole(measured: Scan) -> None:
    """Where the pages could not be told apart, the content of all of them within the
    PDF-wide bounds (each stream was within a page's, or the scan refused it)."""
    if measured.whole.content > MAX_CONTENT or measured.whole.text > 2 * MAX_OBJECTS:
        raise Refused(
            "its pages could not be told apart in its bytes, and together they run more than"
            f" {_size(MAX_CONTENT)} of content or {2 * MAX_OBJECTS:,} bytes of text"
        )


# --- tables ----------------------------------------------------------------------------------


class _Where:
    """The provenance of boxes on one page: their corners rounded to a tenth of a point
    (``round(x, 1)``), each coordinate once for the whole PDF (its boxes share many)."""

    def __init__(self, source: str | None, page: int, tenths: dict[float, float]) -> None:
        self.source = source
        self.page = page
        self.tenths = tenths
        """Coordinates rounded so far, but zeros (0.0 and -0.0 are one key)."""

    def __call__(self, box: Sequence[float]) -> Provenance:
        tenths = self.tenths
        x0, top, x1, bottom = box
        bbox = (
            tenths.get(x0) or self.tenth(x0),
            tenths.get(top) or self.tenth(top),
            tenths.get(x1) or self.tenth(x1),
            tenths.get(bottom) or self.tenth(bottom),
        )
        return Provenance(self.source, page=self.page, bbox=bbox)

    def tenth(self, value: float) -> float:
        rounded = round(value, 1)
        if value:
            self.tenths[value] = rounded
        return rounded


@attrs.frozen
class _Line:
    """A printed line outside the tables, with its font size and whether it is in a margin."""

    fragment: Fragment
    size: float = 0.0
    margin: bool = False


def _table_blocks(
    table: Table, texts: tuple[dict[_Box, str], set[int]], where: _Where
) -> tuple[list[tuple[float, Grid | _Line]], set[int]]:
    """A table as grids, merged cells repeated where they reach, and the indexes of the
    characters in its cells; ``texts`` are its cells' (:meth:`Table.texts`).

    A row that is one cell across the whole table (第二十条第（五）项 above its own small
    table) is a caption: it becomes a line, and the rows between captions are grids of
    their own, with only the columns they draw. A one-column grid is not a table.
    """
    cells = table.cells
    text_of, held = texts
    left, _, right, _ = table.bbox
    by_top: dict[float, list[_Box]] = {}
    for cell in cells:
        by_top.setdefault(cell[1], []).append(cell)
    blocks: list[tuple[float, Grid | _Line]] = []
    band: list[_Box] = []

    def flush() -> None:
        if band:
            grid = _grid(band, text_of, where)
            if grid is not None:
                blocks.append((min(c[1] for c in band), grid))
            band.clear()

    for top in sorted(by_top):
        row = by_top[top]
        if len(row) == 1 and row[0][0] <= left + TOLERANCE and row[0][2] >= right - TOLERANCE:
            flush()
            text = text_of.get(row[0], "").strip()
            if text:
                blocks.append((top, _Line(Fragment(text, where(row[0])))))
        else:
            band.extend(row)
    flush()
    return blocks, held


def _span(middles: list[float], low: float, high: float) -> range:
    """The positions whose middle (in ascending ``middles``) is in ``[low, high)``."""
    return range(bisect.bisect_left(middles, low), bisect.bisect_left(middles, high))


def _grid(cells: list[_Box], text_of: dict[_Box, str], where: _Where) -> Grid | None:
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
                fragment = made[cover] = Fragment(text_of.get(cover, ""), where(cover))
            row.append(fragment)
        if any(fragment.text.strip() for fragment in row):
            rows.append(tuple(row))
    if not rows:
        return None
    box = (xs[0], tops[0], rights[-1], bottoms[-1])
    return Grid(tuple(rows), where(box))


# --- pages ---------------------------------------------------------------------------------


def _on_page(drawing: Drawing) -> tuple[list[Char], list[float], list[float]]:
    """The characters whose middles are on the page (in its box), and those middles."""
    x0, top, x1, bottom = drawing.bbox
    chars = drawing.chars
    middle_x, middle_y = middles(chars)
    kept = [
        index
        for index, x, y in zip(range(len(chars)), middle_x, middle_y)
        if x0 <= x <= x1 and top <= y <= bottom
    ]
    if len(kept) == len(chars):
        return chars, middle_x, middle_y
    return [chars[i] for i in kept], [middle_x[i] for i in kept], [middle_y[i] for i in kept]


@attrs.define
class _Page:
    """One page read: its tables and lines by height on the page, and what it holds."""

    number: int
    items: list[tuple[float, Grid | _Line]] = attrs.field(factory=list)
    has_text: bool = False
    has_images: bool = False
    notes: list[str] = attrs.field(factory=list)
    """What was not done on the page, and why (a bound reached)."""


def _read_page(drawing: Drawing, where: _Where, budget: _Budget) -> _Page:
    """A page's ruled tables as grids and captions, and its other text as lines."""
    number = where.page
    result = _Page(number, has_images=drawing.images > 0)
    chars, middle_x, middle_y = _on_page(drawing)
    if not chars:
        return result
    result.has_text = True
    in_tables: set[int] = set()  # the characters in the cells of the tables kept
    columns, across = rules(drawing.edges)
    too_many = budget.cross(number, len(columns) * len(across))
    if too_many:
        result.notes.append(too_many)
    found = [] if too_many else find_tables(drawing.edges, closing_rules(columns, across))
    for table in found:
        blocks, held = _table_blocks(table, table.texts(chars, middle_x, middle_y), where)
        if any(isinstance(block, Grid) for _, block in blocks):
            result.items.extend(blocks)
            in_tables |= held
    if in_tables:
        chars = [char for index, char in enumerate(chars) if index not in in_tables]
    _, top, _, bottom = drawing.bbox
    top_margin = top + _MARGIN * (bottom - top)
    bottom_margin = bottom - _MARGIN * (bottom - top)
    for text, box, size in text_lines(chars):
        margin = box[1] < top_margin or box[3] > bottom_margin
        result.items.append((box[1], _Line(Fragment(text, where(box)), size, margin)))
    result.items.sort(key=lambda item: item[0])
    return result


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


def _problem(error: BaseException, measured: Scan) -> str:
    """A plain sentence for why pdfium would not open a PDF (``measured`` from its bytes:
    pdfium's error code can be one left from an earlier call)."""
    code = getattr(error, "err_code", None)
    if measured.encrypted:
        if code == 4:  # FPDF_ERR_PASSWORD
            return "encrypted PDF: it needs a password to open"
        return "encrypted PDF that cannot be opened (an unsupported security handler)"
    if not measured.objects:
        return "damaged PDF: no objects in it, a PDF without pages"
    if measured.pages is not None and not measured.count:
        return "a PDF without pages"
    return (
        "damaged PDF: its structure cannot be parsed (no usable catalog, page tree or"
        " cross-reference table)"
    )


@attrs.define
class _Read:
    pages: list[_Page] = attrs.field(factory=list)
    notes: list[tuple[int, str]] = attrs.field(factory=list)
    more: bool = False


def _draw_pages(
    document: Any, measured: Scan, pdfium: Any, budget: _Budget
) -> tuple[list[tuple[int, Drawing]], _Read]:
    """What each page draws, read by pdfium within the bounds (hold its lock); a page over
    a page bound is skipped, and one over a PDF-wide bound ends the reading (each noted)."""
    read = _Read()
    count = len(document)
    costs = measured.pages
    if costs is not None and measured.count != count:
        costs = None  # the pages found in the bytes are not pdfium's: bound them together
    if costs is None:
        _check_whole(measured)
    drawn: list[tuple[int, Drawing]] = []
    decimals: dict[float, float] = {}  # the pages' places, made decimal once
    for index in range(min(count, MAX_PAGES + 1)):
        number = index + 1
        if number > MAX_PAGES:
            read.more = True
            break
        try:
            if costs is not None:
                budget.run(number, costs[index] if index < len(costs) else Cost(MAX_CONTENT + 1))
            try:
                drawing = pdfium.draw_page(document, index, budget.most(), decimals)
            except pdfium.Overdrawn:
                raise budget.overdrawn(number) from None
            except (RuntimeError, ValueError, OSError) as error:  # pdfium did not load it
                raise _Exceeded(
                    f"page {number} was not read: it is damaged ({error})", "page"
                ) from None
        except _Exceeded as exceeded:
            read.notes.append((number, exceeded.reason))
            if exceeded.scope == "rest":
                break
            continue
        budget.objects -= drawing.count
        drawn.append((number, drawing))
    return drawn, read


def _parse(data: bytes, source: str | None) -> _Parsed:
    pdfium = _pdfium()
    _check_bytes(data, source)
    try:
        try:
            measured = scan(data, _limits(len(data)))
        except (ValueError, LookupError, TypeError, ArithmeticError, RecursionError) as error:
            # pdfium is not given bytes that could not be measured
            raise Refused(f"damaged PDF: its bytes cannot be read ({error!r})") from None
        budget = _Budget()
        with pdfium.LOCK:
            try:
                document = pdfium.open_pdf(data)
            except (RuntimeError, ValueError, OSError) as error:  # pdfium's PdfiumError
                raise InputError(_problem(error, measured), source=source) from None
            try:
                drawn, read = _draw_pages(document, measured, pdfium, budget)
            finally:
                document.close()
    except Refused as refused:
        raise InputError(refused.reason, source=source) from None
    tenths: dict[float, float] = {}
    for number, drawing in drawn:
        read.pages.append(_read_page(drawing, _Where(source, number, tenths), budget))
    for page_read in read.pages:
        read.notes.extend((page_read.number, note) for note in page_read.notes)
    read.notes.sort(key=lambda note: note[0])
    pages = read.pages
    if not pages:
        reason = read.notes[0][1] if read.notes else "a PDF without pages"
        raise InputError(reason, source=source)
    document_read = _document(pages, source)
    if any(page.has_text for page in pages):
        textless = tuple(page.number for page in pages if page.has_images and not page.has_text)
    else:
        textless = tuple(page.number for page in pages)
    return _Parsed(document_read, len(pages), textless, read.more, tuple(read.notes))


# --- the whole ------------------------------------------------------------------------------


def parse_pdf(data: bytes, source: str | None = None) -> Document:
    """A PDF's text layer as a :class:`Document`: tables as grids, other text as lines.

    Raises :class:`~ogi_report.errors.InputError` for what is not a readable PDF, and
    ``ImportError`` without pypdfium2.
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
        from .ocr import ocr_installed, read_scanned_pdf

        if ocr_installed():  # read by OCR, unless it finds no text either
            scanned = read_scanned_pdf(data, name, parsed.textless, bounds)
            if scanned is not None:
                return scanned
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
