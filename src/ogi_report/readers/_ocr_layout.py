"""Page images to tables and lines of text for the OCR reader.

A page lying askew (by up to three degrees) is straightened first: the boxes given are the
straightened page's. It is made black and white (Otsu's threshold); its ruling lines are
runs of ink longer than any character prints (measured by the page's own characters) and
thinner than text. Rules that meet make a table, cut into a lattice by their positions,
where neighbouring squares with no rule between them are one merged cell (repeated in every
position it covers, as :class:`~._document.Grid` wants). A table border a page break left
out is closed where the other rules end. As in the PDF reader, a row that is one cell across
the table is a caption line, and the rows between captions are grids with only the columns
they draw.

Text is cut into lines by the rows of ink it covers: in a cell its lines, outside tables the
page's lines, each split where a gap of over two characters opens; every piece is recognised
(:mod:`._ocr_read`). A cell whose only ink is a thin horizontal stroke is a dash (``-``,
``—`` or ``——`` by its length), read by its shape. Ink taller than three lines of text
outside a table (a seal, a picture) is not read, and said so; so is a page of more than
:data:`MAX_PIECES` pieces of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
import numpy as np
import numpy.typing as npt

from ..cells import Provenance
from ..model import Unplaced
from ._document import Fragment, Grid
from ._ocr_read import Glyph, Gray, Reading, Recogniser, as_number
from .pdf import _Line, _Page

__all__ = ["ILLEGIBLE", "MAX_PIECES", "CellText", "OcrPage", "read_page"]

#: Pieces of text (a cell's line, a line's part) read on one page, at most: a dense page of
#: a report has some 600, and each takes the recogniser a few milliseconds. A page with
#: more (a grid of specks, a photograph) is not read, and said so.
MAX_PIECES = 5_000

#: The list marker of a row label without its point: one or two digits, then words.
_MARKER = re.compile(r"\d{1,2}(?=[\u4e00-\u9fff]{2})")
#: The text of a cell with ink that nothing was read from (U+FFFD): it is read as
#: unreadable text, which the OCR reader then makes missing.
ILLEGIBLE = "\ufffd"

Mask = npt.NDArray[np.bool_]
#: A box in pixels: (x0, top, x1, bottom).
Box = tuple[int, int, int, int]
#: A box as provenance gives it, in the page's unit.
_Box = tuple[float, float, float, float]


@attrs.frozen
class CellText:
    """What OCR made of one printed cell: the reading its text is, how it was read when not
    as the model printed it (``note``), and whether the cell holds ink nothing was read from."""

    reading: Reading
    note: str | None = None
    illegible: bool = False


@attrs.define
class OcrPage:
    """One page read by OCR: its blocks (as the PDF reader's pages hold them), the text of
    each cell by its box, and what was not read; ``bound`` says why the page was not read
    at all (a bound), if it was not."""

    page: _Page
    cells: dict[_Box, CellText] = attrs.field(factory=dict)
    notes: list[Unplaced] = attrs.field(factory=list)
    bound: str | None = None


@attrs.frozen
class _Table:
    """A ruled table: its lattice (column and row rule positions) and its cells, each the
    lattice squares ``rows`` x ``columns`` it covers (first and last, inclusive)."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    cells: tuple[tuple[int, int, int, int], ...]  # (first row, last row, first col, last col)

    def box(self, index: int) -> Box:
        r0, r1, c0, c1 = self.cells[index]
        return (self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1])


# --- ink -------------------------------------------------------------------------------------


def _ink(gray: Gray) -> Mask:
    """Dark pixels, by Otsu's threshold (between 100 and 200: a blank page has none)."""
    counts = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    below = np.cumsum(counts)
    mass = np.cumsum(counts * levels)
    above = below[-1] - below
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mass[-1] * below - mass * below[-1]) ** 2 / (below * above)
    threshold = int(np.clip(np.nan_to_num(between).argmax(), 100, 200))
    return np.asarray(gray <= threshold)


def _components(mask: Mask) -> npt.NDArray[np.int32]:
    """Bounding boxes and areas of the 8-connected parts of ``mask``: x, y, w, h, area."""
    import cv2

    _, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return np.asarray(stats[1:], np.int32)


def _em(ink: Mask) -> float:
    """The height of the page's characters: the upper quartile of the heights of its small
    parts of ink (a character of several parts has one as tall as itself); a fiftieth of
    the width on a page of no text."""
    stats = _components(ink)
    heights = stats[:, 3]
    small = (heights >= 4) & (heights <= max(ink.shape) // 20) & (stats[:, 2] <= 3 * heights)
    if small.sum() < 8:
        return max(8.0, int(ink.shape[1]) / 50)
    return max(8.0, float(np.percentile(heights[small], 75)))


def _opened(mask: Mask, length: int, horizontal: bool) -> Mask:
    """The pixels of ``mask`` in straight runs of at least ``length`` pixels."""
    import cv2

    shape = (length, 1) if horizontal else (1, length)  # cv2 sizes are (width, height)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
    opened = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel)
    return np.asarray(opened, dtype=bool)


def _runs(flags: npt.ArrayLike, gap: int = 0) -> list[tuple[int, int]]:
    """The [start, end) runs of True in ``flags``, runs closer than ``gap`` joined."""
    padded = np.concatenate(([False], np.asarray(flags, bool), [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[0::2].tolist(), edges[1::2].tolist()):
        if runs and start - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


# --- rules and tables ------------------------------------------------------------------------


@attrs.frozen
class _Rule:
    """A straight rule: where across it lies, and from where to where along."""

    at: float
    start: int
    end: int


def _rules(mask: Mask, thickest: float, horizontal: bool) -> list[tuple[_Rule, int, int]]:
    """The rules of one direction, each with its middle pixel (x, y); solid areas left out."""
    import cv2

    found = []
    _, _, stats, middles = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    for (x, y, w, h, _), (mx, my) in zip(stats[1:].tolist(), middles[1:].tolist()):
        if (h if horizontal else w) > thickest:
            continue  # a filled area, not a rule
        rule = _Rule(y + h / 2, x, x + w) if horizontal else _Rule(x + w / 2, y, y + h)
        found.append((rule, round(mx), round(my)))
    return found


def _positions(values: list[float], tolerance: float) -> list[int]:
    """Values within ``tolerance`` of each other as one position (their middle)."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [round(sum(group) / len(group)) for group in groups]


def _tables(ink: Mask, em: float) -> tuple[list[_Table], Mask]:
    """The page's ruled tables, and the pixels of their rules (long strokes of large
    characters are not rules: they meet no other)."""
    import cv2

    across = _opened(ink, max(16, round(2.5 * em)), horizontal=True)
    down = _opened(ink, max(12, round(1.3 * em)), horizontal=False)
    thickest = max(3.0, 0.4 * em)
    tolerance = max(2, round(0.15 * em))
    rules_h = _rules(across, thickest, horizontal=True)
    rules_v = _rules(down, thickest, horizontal=False)
    lines = across | down
    joined = cv2.dilate(lines.astype(np.uint8), np.ones((3, 3), np.uint8))  # a gap of a pixel
    _, labels, _, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for rules, index in ((rules_h, 0), (rules_v, 1)):
        for rule, x, y in rules:
            groups.setdefault(int(labels[y, x]), ([], []))[index].append(rule)
    # A rule between two cells may be as short as the cell: still longer than a stroke.
    short_across = _opened(ink, max(8, round(1.2 * em)), horizontal=True)
    short_down = _opened(ink, max(8, round(1.1 * em)), horizontal=False)
    tables = []
    kept = []
    for label, (horizontal, vertical) in groups.items():
        if len(horizontal) >= 2 and len(vertical) >= 2:
            table = _lattice(short_across, short_down, horizontal, vertical, tolerance, em)
            if table is not None:
                tables.append(table)
                kept.append(label)
    return tables, lines & np.isin(labels, kept)


def _lattice(
    across: Mask,
    down: Mask,
    horizontal: list[_Rule],
    vertical: list[_Rule],
    tolerance: int,
    em: float,
) -> _Table | None:
    """A table's lattice and merged cells; a border a page break left out is closed.
    ``across`` and ``down`` are the runs of ink long enough to be a rule between cells;
    rules closer than half a character (a double border, a thick rule's two edges) are one."""
    ys = _positions([rule.at for rule in horizontal], max(2 * tolerance, em / 2))
    xs = _positions([rule.at for rule in vertical], max(2 * tolerance, em / 2))
    top, bottom = min(r.start for r in vertical), max(r.end for r in vertical)
    left, right = min(r.start for r in horizontal), max(r.end for r in horizontal)
    if top < ys[0] - 3 * tolerance:
        ys.insert(0, top)
    if bottom > ys[-1] + 3 * tolerance:
        ys.append(bottom)
    if left < xs[0] - 3 * tolerance:
        xs.insert(0, left)
    if right > xs[-1] + 3 * tolerance:
        xs.append(right)
    if len(xs) < 2 or len(ys) < 2:
        return None

    def ruled(x0: int, y0: int, x1: int, y1: int) -> bool:
        """True if ink covers most of the boundary from (x0, y0) to (x1, y1)."""
        if x0 == x1:
            along = slice(y0 + tolerance, max(y0 + tolerance + 1, y1 - tolerance))
            covered = down[along, max(0, x0 - tolerance) : x0 + tolerance + 1].any(axis=1)
        else:
            along = slice(x0 + tolerance, max(x0 + tolerance + 1, x1 - tolerance))
            covered = across[max(0, y0 - tolerance) : y0 + tolerance + 1, along].any(axis=0)
        return covered.size > 0 and float(covered.mean()) >= 0.8

    rows, columns = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * columns))

    def find(square: int) -> int:
        while parent[square] != square:
            parent[square] = parent[parent[square]]
            square = parent[square]
        return square

    for r in range(rows):
        for c in range(columns):
            if c + 1 < columns and not ruled(xs[c + 1], ys[r], xs[c + 1], ys[r + 1]):
                parent[find(r * columns + c + 1)] = find(r * columns + c)
            if r + 1 < rows and not ruled(xs[c], ys[r + 1], xs[c + 1], ys[r + 1]):
                parent[find((r + 1) * columns + c)] = find(r * columns + c)
    spans: dict[int, list[int]] = {}
    for square in range(rows * columns):
        r, c = divmod(square, columns)
        span = spans.setdefault(find(square), [r, r, c, c])
        span[:] = [min(span[0], r), max(span[1], r), min(span[2], c), max(span[3], c)]
    cells = tuple(sorted((r0, r1, c0, c1) for r0, r1, c0, c1 in spans.values()))
    return _Table(tuple(xs), tuple(ys), cells)


# --- text ------------------------------------------------------------------------------------


def _speckless(ink: Mask, em: float) -> Mask:
    """``ink`` without specks (parts smaller than a decimal point prints)."""
    import cv2

    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    kept = np.asarray(stats[:, cv2.CC_STAT_AREA] >= max(2.0, (em / 12) ** 2))
    kept[0] = False  # the background
    return np.asarray(kept[labels], bool)


def _lines_of(ink: Mask, em: float) -> list[tuple[int, int]]:
    """The rows of ink as lines of text: [top, bottom) each. Bands of ink that together
    are no taller than a character (the halves of a line no stroke crosses, a mark below
    it) are one line."""
    lines: list[tuple[int, int]] = []
    for start, end in _runs(ink.any(axis=1), gap=1):
        if lines and end - lines[-1][0] <= 1.25 * em:
            lines[-1] = (lines[-1][0], end)
        else:
            lines.append((start, end))
    return lines


def _dash(ink: Mask, em: float) -> str | None:
    """The dash a cell prints if its only ink is one thin horizontal stroke clear of the
    cell's sides (not what is left of a rule)."""
    rows = np.flatnonzero(ink.any(axis=1))
    columns = np.flatnonzero(ink.any(axis=0))
    height = int(rows[-1] - rows[0] + 1)
    width = int(columns[-1] - columns[0] + 1)
    inside = rows[0] > 0 and rows[-1] < ink.shape[0] - 1
    inside = inside and columns[0] > 0 and columns[-1] < ink.shape[1] - 1
    thin = height <= 0.3 * em and width >= 2 * height
    if not (inside and thin) or len(_runs(ink.any(axis=0), gap=1)) != 1:
        return None
    return "-" if width < 0.6 * em else "—" if width < 1.5 * em else "——"


@attrs.frozen
class _Piece:
    """A crop to recognise and the box it came from (pixels)."""

    box: Box
    image: Gray


def _pieces(clean: Gray, ink: Mask, box: Box, em: float, split: bool) -> Iterator[_Piece]:
    """The lines of text in ``box``; with ``split``, each cut where a gap of over two
    characters opens."""
    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    for top, bottom in _lines_of(region, em):
        columns = region[top:bottom].any(axis=0)
        for left, right in _runs(columns, gap=round(2 * em) if split else region.shape[1]):
            pad = max(2, round(0.25 * (bottom - top)))
            crop = np.full((bottom - top + 2 * pad, right - left + 2 * pad), 255, np.uint8)
            crop[pad:-pad, pad:-pad] = clean[y0 + top : y0 + bottom, x0 + left : x0 + right]
            yield _Piece((x0 + left, y0 + top, x0 + right, y0 + bottom), crop)


# --- the page --------------------------------------------------------------------------------


@attrs.frozen
class _Where:
    """How a page's pixels map to provenance: its number, source, unit per pixel, height."""

    page: int
    source: str | None
    unit: float
    height: int

    def box(self, box: Box) -> _Box:
        x0, y0, x1, y1 = (round(value * self.unit, 1) for value in box)
        return (x0, y0, x1, y1)

    def provenance(self, box: Box, text: CellText | None = None) -> Provenance:
        confidence = None if text is None else text.reading.confidence
        return Provenance(
            self.source,
            page=self.page,
            bbox=self.box(box),
            note=None if text is None else text.note,
            confidence=None if confidence is None else round(confidence, 4),
        )


#: The most a page is turned to straighten it, in degrees either way.
_MOST_SKEW = 3.0


def _straightened(gray: Gray) -> Gray:
    """``gray`` turned so that its lines run level, if it lies askew by a twentieth of a
    degree to :data:`_MOST_SKEW`: the angle at which the rows of a smaller copy of its ink
    are most unequal (lines of text and rules fall in fewest rows)."""
    import cv2

    height, width = gray.shape
    factor = min(1.0, 800 / max(height, width))
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    small = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)
    dark = _ink(small).astype(np.float32)
    middle = (size[0] / 2, size[1] / 2)

    def unequal(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(middle, angle, 1.0)
        rows = np.asarray(cv2.warpAffine(dark, turn, size), np.float32).sum(axis=1)
        return float(np.square(rows).sum())

    coarse = max(np.arange(-_MOST_SKEW, _MOST_SKEW + 0.01, 0.25).tolist(), key=unequal)
    angle = max(np.arange(coarse - 0.2, coarse + 0.21, 0.05).tolist(), key=unequal)
    if abs(angle) < 0.05:
        return gray
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    straight = cv2.warpAffine(gray, turn, (width, height), borderValue=(255,))
    return np.asarray(straight, np.uint8)


@attrs.frozen
class _Scan:
    """A page made ready to read: its text's ink (no rules, no specks), the page as printed
    without them, the height of its characters, and its tables."""

    ink: Mask
    clean: Gray
    em: float
    tables: list[_Table]

    @classmethod
    def of(cls, gray: Gray) -> _Scan:
        import cv2

        gray = _straightened(gray)
        raw = _ink(gray)
        em = _em(raw)
        tables, rules = _tables(raw, em)
        ink = _speckless(raw & ~rules, em)
        wide = np.asarray(cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)), bool)
        # Light edges of strokes kept, as recognition was trained on them.
        clean = np.where(wide | (raw & ~ink), np.uint8(255), gray).astype(np.uint8)
        return cls(ink, clean, em, tables)

    def pieces(self, box: Box, split: bool) -> list[_Piece]:
        """:func:`_pieces` of ``box``."""
        return list(_pieces(self.clean, self.ink, box, self.em, split))


def _joined(readings: list[Reading]) -> Reading:
    """Readings as one, a space between them."""
    glyphs: list[Glyph] = []
    for reading in readings:
        if glyphs and reading.glyphs:
            glyphs.append(Glyph(((" ", 1.0),)))
        glyphs.extend(reading.glyphs)
    return Reading(tuple(glyphs), any(reading.unread_ink for reading in readings))


def _cell_text(reading: Reading) -> CellText:
    """A cell's reading, as the number it shows when it is digits and letters of a digit's
    shape (noted when a letter was read as a digit). A row label's list marker whose point
    the OCR passed over (``2重复申请``: a number, then words) gets its point back."""
    number = as_number(reading)
    if number is not None:
        note = f"OCR read {reading.text!r}" if number.text != reading.text else None
        return CellText(number, note)
    glyphs = reading.glyphs  # ink left unread matters in a number only
    marker = _MARKER.match(reading.text)
    if marker:
        point = Glyph(((".", 1.0),))
        glyphs = (*glyphs[: marker.end()], point, *glyphs[marker.end() :])
    return CellText(Reading(glyphs), illegible=not glyphs)


def read_page(
    gray: Gray, recogniser: Recogniser, page: int, source: str | None, unit: float
) -> OcrPage:
    """One page image read: its tables as grids, its other text as lines, in page order.

    ``unit`` is what a pixel is in the provenance's boxes (PDF points, or 1 for pixels).
    """
    where = _Where(page, source, unit, gray.shape[0])
    scan = _Scan.of(gray)
    result = OcrPage(_Page(page, has_text=True))
    texts: dict[tuple[int, int], CellText] = {}
    cells: dict[tuple[int, int], list[_Piece]] = {}
    outside = scan.ink.copy()
    margin = max(2, round(0.15 * scan.em))
    for t, table in enumerate(scan.tables):
        outside[table.ys[0] : table.ys[-1] + 1, table.xs[0] : table.xs[-1] + 1] = False
        for c in range(len(table.cells)):
            x0, y0, x1, y1 = table.box(c)
            inner = (x0 + margin, y0 + margin, max(x0, x1 - margin), max(y0, y1 - margin))
            region = scan.ink[inner[1] : inner[3], inner[0] : inner[2]]
            if not region.any():
                continue
            dash = _dash(region, scan.em)
            if dash is not None:
                texts[t, c] = CellText(Reading((Glyph(((dash, 1.0),)),)), "a dash, by its shape")
            else:
                cells[t, c] = scan.pieces(inner, split=False)
    lines: list[list[_Piece]] = []
    for top, bottom in _lines_of(outside, scan.em):
        box = (0, top, outside.shape[1], bottom)
        if bottom - top <= 3 * scan.em:
            lines.append(scan.pieces(box, split=True))
        else:
            result.notes.append(Unplaced("", _TOO_TALL, where.provenance(box)))
    crops = [piece.image for pieces in [*cells.values(), *lines] for piece in pieces]
    if len(crops) > MAX_PIECES:
        result.bound = (
            f"page {page} was not read by OCR: it holds more than {MAX_PIECES:,} pieces of text"
        )
        return result
    readings = iter(recogniser.read(crops))
    for key, pieces in cells.items():
        texts[key] = _cell_text(_joined([next(readings) for _ in pieces]))
    for t, table in enumerate(scan.tables):
        result.page.items.extend(_blocks(table, t, texts, where, result.cells))
    for pieces in lines:
        read = [(piece.box, next(readings)) for piece in pieces]
        read = [(box, reading) for box, reading in read if reading.glyphs]
        if read:
            result.page.items.append(_line(read, where, result.cells))
    result.page.items.sort(key=lambda item: item[0])
    return result


_TOO_TALL = (
    "ink taller than three lines of text (a seal, a picture or a skewed scan): not read by OCR"
)


def _line(
    read: list[tuple[Box, Reading]], where: _Where, texts: dict[_Box, CellText]
) -> tuple[float, _Line]:
    """A line of text outside the tables from its pieces read, by its top; ``texts`` gets
    its text by its box (a table without rules is read from lines)."""
    box = (
        min(b[0] for b, _ in read),
        min(b[1] for b, _ in read),
        max(b[2] for b, _ in read),
        max(b[3] for b, _ in read),
    )
    text = CellText(Reading(_joined([reading for _, reading in read]).glyphs))
    texts[where.box(box)] = text
    margin = box[1] < 0.08 * where.height or box[3] > 0.92 * where.height
    fragment = Fragment(text.reading.text, where.provenance(box, text))
    return box[1] * where.unit, _Line(fragment, (box[3] - box[1]) * where.unit, margin)


def _blocks(
    table: _Table,
    t: int,
    texts: dict[tuple[int, int], CellText],
    where: _Where,
    cells: dict[_Box, CellText],
) -> list[tuple[float, Grid | _Line]]:
    """Table ``t`` as grids and caption lines (see the module's docstring) by their tops;
    ``cells`` gets the text of each cell read, by its box."""
    rows, columns = len(table.ys) - 1, len(table.xs) - 1
    owner = [[0] * columns for _ in range(rows)]
    for index, (r0, r1, c0, c1) in enumerate(table.cells):
        for r in range(r0, r1 + 1):
            owner[r][c0 : c1 + 1] = [index] * (c1 - c0 + 1)
    fragments: list[Fragment] = []
    for index in range(len(table.cells)):
        box = table.box(index)
        text = texts.get((t, index))
        printed = "" if text is None else ILLEGIBLE if text.illegible else text.reading.text
        fragments.append(Fragment(printed, where.provenance(box, text)))
        if text is not None:
            cells[where.box(box)] = text
    blocks: list[tuple[float, Grid | _Line]] = []
    band: list[int] = []

    def flush() -> None:
        """The rows in ``band`` as a grid of the columns they draw."""
        kept = sorted({table.cells[owner[r][c]][2] for r in band for c in range(columns)})
        grid = [tuple(fragments[owner[r][c]] for c in kept) for r in band]
        grid = [row for row in grid if any(fragment.text.strip() for fragment in row)]
        if grid and len(kept) > 1:
            box = (table.xs[0], table.ys[band[0]], table.xs[-1], table.ys[band[-1] + 1])
            top = table.ys[band[0]] * where.unit
            blocks.append((top, Grid(tuple(grid), where.provenance(box))))
        band.clear()

    for r in range(rows):
        index = owner[r][0]
        first_row, _, first, last = table.cells[index]
        if first == 0 and last == columns - 1:  # a caption across the table
            flush()
            if r == first_row and fragments[index].text.strip():
                blocks.append((table.ys[r] * where.unit, _Line(fragments[index])))
        else:
            band.append(r)
    flush()
    return blocks
