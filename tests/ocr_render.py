"""Reports drawn as scanned pages, the OCR reader's test input, and its score against them.

:func:`render` draws a report the way a printed report looks: its title, the six section
headings and the standard tables as ruled grids in the official layout (the merged cells of
:mod:`ogi_report.writers.render`), the cells as published (a blank empty, a mark as the
mark). Pages are A4 at the resolution asked for (the last one cut to what it holds), as
many as the tables need; section 三 begins a page, and a table that fits on one page is
not broken. :func:`to_pdf` saves the pages as a PDF of images only (no text layer), as a
scanner does; :func:`to_image` a page as PNG or JPEG. The font is Noto Sans CJK SC from the
``mplfonts`` package (:func:`font_file` is ``None`` without it). :func:`tally` scores what
was read against the truth.
"""

from __future__ import annotations

import importlib.resources
import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from PIL import Image, ImageDraw, ImageFont

from ogi_report import Report
from ogi_report.cells import Ambiguous, Missing, Unreadable, format_cell
from ogi_report.writers.render import (
    HEADINGS,
    _Cell,
    _item_layout,
    _Layout,
    _requests_layout,
    _review_layout,
    _title,
)

__all__ = ["Rendered", "Tally", "font_file", "render", "tally", "to_image", "to_pdf"]

#: A4 in inches, and the margins.
_PAGE = (8.27, 11.69)
_MARGIN = 0.55
#: A box in pixels: (x0, top, x1, bottom).
Box = tuple[int, int, int, int]


def font_file() -> Path | None:
    """The Noto Sans CJK SC font that ``mplfonts`` ships, or None without it."""
    try:
        folder = Path(str(importlib.resources.files("mplfonts") / "fonts"))
    except ModuleNotFoundError:
        return None
    font = folder / "NotoSansCJKsc-Regular.otf"
    return font if font.is_file() else None


@attrs.frozen
class Rendered:
    """A report drawn: its pages, and where each value cell's text is drawn (the page's
    index and the text's box in pixels), by code."""

    pages: tuple[Image.Image, ...]
    cells: Mapping[str, tuple[int, Box]]


@attrs.define
class _Canvas:
    """Pages being drawn, top to bottom, a new page when the next block does not fit."""

    dpi: int
    font: Path
    pages: list[Image.Image] = attrs.field(factory=list)
    cells: dict[str, tuple[int, Box]] = attrs.field(factory=dict)
    y: int = 0

    def px(self, inches: float) -> int:
        return round(inches * self.dpi)

    def face(self, points: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.font), round(points * self.dpi / 72))

    @property
    def width(self) -> int:
        return self.px(_PAGE[0])

    @property
    def bottom(self) -> int:
        return self.px(_PAGE[1] - _MARGIN)

    def room(self, height: int) -> ImageDraw.ImageDraw:
        """A drawing surface with ``height`` pixels free at :attr:`y`."""
        if not self.pages or self.y + height > self.bottom:
            self.pages.append(Image.new("L", (self.width, self.px(_PAGE[1])), 255))
            self.y = self.px(_MARGIN)
        return ImageDraw.Draw(self.pages[-1])

    def text(self, text: str, points: float) -> None:
        """A line of ``text`` at ``points`` size, wrapped to the page."""
        face = self.face(points)
        left = self.px(_MARGIN)
        for line in _wrap(text, face, self.width - 2 * left):
            height = round(face.size * 1.6)
            self.room(height).text((left, self.y), line, font=face, fill=0)
            self.y += height


def _wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """``text`` cut into lines no wider than ``width``, a character at a time."""
    lines = [""]
    for char in text:
        if lines[-1] and face.getlength(lines[-1] + char) > width:
            lines.append("")
        lines[-1] += char
    return lines


def _positions(layout: _Layout) -> Iterator[tuple[int, int, _Cell]]:
    """Each cell of ``layout`` with its first row and column, merged cells placed as HTML
    places them."""
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(layout):
        column = 0
        for cell in row:
            while (r, column) in covered:
                column += 1
            yield r, column, cell
            covered.update(
                (r + dr, column + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
            )
            column += cell.colspan


def _table(canvas: _Canvas, layout: _Layout, weights: Sequence[float]) -> None:
    """``layout`` drawn as a ruled grid, its columns sharing the page as ``weights`` say."""
    face = canvas.face(10)
    left = canvas.px(_MARGIN)
    edges = [left]
    for weight in weights:
        edges.append(edges[-1] + round((canvas.width - 2 * left) * weight / sum(weights)))
    pad = canvas.px(0.05)
    line = round(face.size * 1.35)
    placed = list(_positions(layout))
    wrapped = {
        (r, c): _wrap(cell.text, face, edges[c + cell.colspan] - edges[c] - 2 * pad)
        for r, c, cell in placed
    }
    heights = [line + 2 * pad] * len(layout)
    for r, c, cell in sorted(placed, key=lambda item: item[2].rowspan):
        lacking = len(wrapped[r, c]) * line + 2 * pad - sum(heights[r : r + cell.rowspan])
        if lacking > 0:
            heights[r + cell.rowspan - 1] += lacking
    tops = [0]
    for height in heights:
        tops.append(tops[-1] + height)
    if canvas.y + tops[-1] > canvas.bottom and tops[-1] <= canvas.bottom - canvas.px(_MARGIN):
        canvas.y = canvas.bottom  # a table that fits on a page is not broken over two
    first = 0  # the first row not drawn yet
    while first < len(layout):
        canvas.room(tops[first + 1] - tops[first])
        last = first + 1  # rows first:last fit on this page
        while last < len(layout) and canvas.y + tops[last + 1] - tops[first] <= canvas.bottom:
            last += 1
        draw = ImageDraw.Draw(canvas.pages[-1])
        origin = canvas.y - tops[first]
        for row, column, cell in placed:
            if first <= row < last:
                x0, x1 = edges[column], edges[column + cell.colspan]
                y0, y1 = origin + tops[row], origin + tops[min(row + cell.rowspan, last)]
                draw.rectangle((x0, y0, x1, y1), outline=0, width=max(1, canvas.px(0.012)))
                _cell_text(canvas, draw, cell, wrapped[row, column], (x0, y0, x1, y1), line)
        canvas.y = origin + tops[last] + canvas.px(0.2)
        if last < len(layout):
            canvas.y = canvas.bottom  # the rest on the next page
        first = last


def _cell_text(
    canvas: _Canvas, draw: ImageDraw.ImageDraw, cell: _Cell, lines: list[str], box: Box, line: int
) -> None:
    """A cell's lines, centred; a value cell's text box noted in ``canvas.cells``."""
    face = canvas.face(10)
    x0, y0, x1, y1 = box
    y = (y0 + y1) // 2 - len(lines) * line // 2 + (line - face.size) // 2
    for text in lines:
        width = face.getlength(text)
        left = round((x0 + x1 - width) / 2)
        draw.text((left, y), text, font=face, fill=0)
        if cell.code is not None and text:
            x0, y0, x1, y1 = (round(v) for v in draw.textbbox((left, y), text, font=face))
            canvas.cells[cell.code] = (len(canvas.pages) - 1, (x0, y0, x1, y1))
        y += line


def render(report: Report, *, dpi: int = 150) -> Rendered:
    """``report`` drawn on A4 pages (grayscale) at ``dpi``: its title, headings and tables.

    Raises ``LookupError`` without the font (see :func:`font_file`).
    """
    font = font_file()
    if font is None:
        raise LookupError("no CJK font: pip install mplfonts")
    canvas = _Canvas(dpi, font)
    canvas.text(_title(report), 15)
    tables = {table.spec.key: table for table in report.tables}
    items = [table for table in report.tables if table.spec.section == 2]
    for number, heading in enumerate(HEADINGS, start=1):
        if number == 3 and "s3" in tables:
            canvas.y = canvas.bottom  # section 三 and its table begin a page
        canvas.text(heading, 12)
        if number == 2 and items:
            width = 1 + max(len(table.spec.columns) for table in items)
            layout = [row for table in items for row in _item_layout(table, width)]
            _table(canvas, layout, [2.2] + [1.0] * (width - 1))
        if number == 3 and "s3" in tables:
            _table(canvas, _requests_layout(tables["s3"]), [0.7, 0.7, 3.4] + [1.0] * 7)
        if number == 4 and "s4" in tables:
            _table(canvas, _review_layout(tables["s4"]), [1.0] * 15)
    last = canvas.pages[-1]
    canvas.pages[-1] = last.crop((0, 0, last.width, min(last.height, canvas.y + canvas.px(0.3))))
    return Rendered(tuple(canvas.pages), canvas.cells)


def to_pdf(pages: Sequence[Image.Image], *, dpi: int = 150) -> bytes:
    """``pages`` as a PDF of images only, as a scanner saves them."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=list(pages[1:]))
    return out.getvalue()


def to_image(page: Image.Image, form: str = "PNG") -> bytes:
    """One page as PNG or JPEG bytes."""
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 90} if form == "JPEG" else {}
    page.save(out, form, **options)
    return out.getvalue()


@attrs.frozen
class Tally:
    """Cells read right, flagged (ambiguous, unreadable, missing or not found) and wrong (a
    plain value that differs from the truth), by code."""

    right: tuple[str, ...]
    flagged: tuple[str, ...]
    wrong: tuple[tuple[str, Any, Any], ...]

    @property
    def share_right(self) -> float:
        """The share of cells read right."""
        return len(self.right) / max(1, len(self.right) + len(self.flagged) + len(self.wrong))


def tally(report: Report, truth: Mapping[str, Any]) -> Tally:
    """``report`` against the cells of a truth file (``{code: value}`` in cells JSON)."""
    values = report.values()
    right, flagged, wrong = [], [], []
    for code, expected in truth.items():
        found = values.get(code)
        if found is None or isinstance(found, Ambiguous | Unreadable | Missing):
            flagged.append(code)
        elif format_cell(found) == expected:
            right.append(code)
        else:
            wrong.append((code, format_cell(found), expected))
    return Tally(tuple(right), tuple(flagged), tuple(wrong))
