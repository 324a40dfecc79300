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
is an :class:`~ogi_report.errors.InputError`. Only the first :data:`MAX_PAGES` pages are
read. Needs the ``pdf`` extra (pdfplumber); examples build a PDF, so they live in the tests.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from ..cells import Provenance
from ..errors import InputError
from ..model import Metadata, Report, Unplaced
from ..templates import TEMPLATE_2021
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

__all__ = ["MAX_PAGES", "parse_pdf", "read_pdf"]

#: Pages after this many are not read (a report has a handful; this bounds the work).
MAX_PAGES = 200

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


def _closing_rules(page: Any, plumber: Any) -> dict[str, Any]:
    """Table settings for ``page``: its rules, plus the borders a page break left out.

    A table broken over pages is often printed without its bottom (or top) border: its
    column rules simply stop. Where column rules end without meeting a rule across them,
    a border is drawn between them (a rule at that height is carried to them), so the
    last (or first) row on the page is still a row.
    """
    edges = plumber.table.merge_edges(
        list(page.edges), _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE
    )
    columns = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 1]
    across = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 1]
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
    rows: list[tuple[Fragment, ...]] = []
    made: dict[_Box, Fragment] = {}
    for top, bottom in zip(tops, bottoms):
        y = (top + bottom) / 2
        row: list[Fragment] = []
        for x0, x1 in zip(xs, rights):
            x = (x0 + x1) / 2
            cover = next(
                (c for c in cells if c[0] <= x < c[2] and c[1] <= y < c[3]), (x0, top, x1, bottom)
            )
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


def _read_page(page: Any, plumber: Any, source: str | None) -> _Page:
    """A page's ruled tables as grids and captions, and its other text as lines."""
    result = _Page(page.page_number, has_images=bool(page.images))
    bbox = page.bbox
    ruled = page.filter(_ruling(bbox))
    if not ruled.chars:
        return result
    result.has_text = True
    tables: list[tuple[Sequence[float], list[_Box]]] = []
    for table in ruled.find_tables(_closing_rules(ruled, plumber)):
        blocks = _table_blocks(table, result.number, source)
        if any(isinstance(block, Grid) for _, block in blocks):
            result.items.extend(blocks)
            tables.append((table.bbox, [tuple(cell) for cell in table.cells]))

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return False
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(
            box[0] <= x < box[2]
            and box[1] <= y < box[3]
            and any(c[0] <= x < c[2] and c[1] <= y < c[3] for c in cells)
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


def _pages(pdf: Any, plumber: Any) -> Iterator[Any]:
    """Pages one at a time, no more than :data:`MAX_PAGES` + 1 (the page tree is walked no
    further)."""
    found = plumber.pdf.PDFPage.create_pages(pdf.doc)
    doctop = 0.0
    for number, page_obj in enumerate(itertools.islice(found, MAX_PAGES + 1), start=1):
        page = plumber.page.Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


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


def _parse(data: bytes, source: str | None) -> _Parsed:
    plumber = _pdfplumber()
    _check_bytes(data, source)
    pages: list[_Page] = []
    more = False
    try:
        with plumber.open(io.BytesIO(data)) as pdf:
            for page in _pages(pdf, plumber):
                if page.page_number > MAX_PAGES:
                    more = True
                    break
                try:
                    pages.append(_read_page(page, plumber, source))
                finally:
                    page.close()
        document = _document(pages, source)
    except InputError:
        raise
    except Exception as error:  # pdfminer raises many kinds on damaged files
        raise InputError(_problem(error), source=source) from None
    if not pages:
        raise InputError("a PDF without pages", source=source)
    if any(page.has_text for page in pages):
        textless = tuple(page.number for page in pages if page.has_images and not page.has_text)
    else:
        textless = tuple(page.number for page in pages)
    return _Parsed(document, len(pages), textless, more)


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
    if len(parsed.textless) == parsed.pages:
        reason = f"no text layer on pages 1-{parsed.pages}: a scanned image; OCR it first"
        return Report.from_cells(
            TEMPLATE_2021,
            {},
            metadata=Metadata(source=name),
            unplaced=[Unplaced("", reason, Provenance(name))],
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
    if parsed.more:
        notes.append(
            Unplaced(
                "",
                f"more than {MAX_PAGES} pages: only the first {MAX_PAGES} were read",
                Provenance(name, page=MAX_PAGES + 1),
            )
        )
    return attrs.evolve(report, unplaced=(*report.unplaced, *notes)) if notes else report
