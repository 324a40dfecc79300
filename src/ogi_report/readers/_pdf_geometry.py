"""Page geometry to tables and lines: ruling edges to cells, characters to words and lines.

This is the geometry the PDF reader has always used (pdfplumber's "lines" table finder and
its text lines, with the tolerances of :mod:`.pdf`), written over plain tuples so that no
PDF parser is imported: coordinates are PDF points from the page's top-left corner, a
character is ``(text, x0, top, x1, bottom, upright, size)`` and an edge
``(x0, top, x1, bottom, orientation)`` with ``orientation`` ``"h"`` or ``"v"``. The steps and
their order are pdfplumber's, so that a page reads cell for cell as it did:

* edges within :data:`TOLERANCE` of one line snap to their average and join where they meet
  or nearly meet; edges shorter than :data:`MIN_EDGE` are dropped;
* a cell is the smallest rectangle whose four corners are crossings joined by edges; cells
  sharing a corner form a table;
* characters whose middles fall in a cell are its text: grouped in lines by their tops and
  in words by the gaps between them (more than :data:`TOLERANCE` apart, or a space).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Literal, TypeVar

__all__ = [
    "MIN_EDGE",
    "TOLERANCE",
    "Box",
    "Char",
    "Edge",
    "Table",
    "closing_rules",
    "find_tables",
    "merge_edges",
    "middles",
    "rules",
    "text_lines",
]

#: Geometry tolerance in PDF points (1/72 inch): snapping, joining, crossing, and the gaps
#: that separate words and lines.
TOLERANCE = 3.0
#: Edges shorter than this (in points) after joining are not rules.
MIN_EDGE = 3.0

Box = tuple[float, float, float, float]
"""``(x0, top, x1, bottom)``."""
Char = tuple[str, float, float, float, float, bool, float]
"""``(text, x0, top, x1, bottom, upright, size)``."""
Edge = tuple[float, float, float, float, str]
"""``(x0, top, x1, bottom, orientation)``."""

#: Ligatures spelt out, as pdfplumber does.
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_T = TypeVar("_T")
# a character's fields, for min(), max() and sorted() over many (no Python frame each)
_TEXT: Callable[[Char], str] = itemgetter(0)
_X0: Callable[[Char], float] = itemgetter(1)
_TOP: Callable[[Char], float] = itemgetter(2)
_X1: Callable[[Char], float] = itemgetter(3)
_BOTTOM: Callable[[Char], float] = itemgetter(4)
_UPRIGHT: Callable[[Char], bool] = itemgetter(5)
_SIZE: Callable[[Char], float] = itemgetter(6)


def _clusters(items: Sequence[_T], key: Callable[[_T], float]) -> list[list[_T]]:
    """``items`` grouped by ``key``: values within :data:`TOLERANCE` of the previous one
    (in sorted order) are one group; groups in ascending order, items in their own order."""
    keys = list(map(key, items))
    group_of = _groups(keys)
    out: list[list[_T]] = [[] for _ in range(max(group_of.values(), default=-1) + 1)]
    for number, item in zip(map(group_of.__getitem__, keys), items):
        out[number].append(item)
    return out


def _groups(values: Iterable[float]) -> dict[float, int]:
    """Each distinct value's group number: in ascending order, a value within
    :data:`TOLERANCE` of the previous one is in its group, any other starts the next."""
    group_of: dict[float, int] = {}
    group = -1
    last = None
    for value in sorted(set(values)):
        if last is None or value > last + TOLERANCE:
            group += 1
        group_of[value] = group
        last = value
    return group_of


# --- edges --------------------------------------------------------------------------------


def _place(edge: Edge) -> float:
    """Where an edge lies: a horizontal one's top, a vertical one's x."""
    return edge[1] if edge[4] == "h" else edge[0]


def _start(edge: Edge) -> float:
    return edge[0] if edge[4] == "h" else edge[1]


def _end(edge: Edge) -> float:
    return edge[2] if edge[4] == "h" else edge[3]


def _snap(edges: list[Edge]) -> list[Edge]:
    """Vertical edges snapped to their groups' average x, horizontal ones to their average
    top (the vertical ones first)."""
    out: list[Edge] = []
    for orientation in ("v", "h"):
        group = [edge for edge in edges if edge[4] == orientation]
        for cluster in _clusters(group, _place):
            average = sum(_place(edge) for edge in cluster) / len(cluster)
            for x0, top, x1, bottom, kind in cluster:
                if orientation == "v":
                    shift = average - x0
                    out.append((x0 + shift, top, x1 + shift, bottom, kind))
                else:
                    shift = average - top
                    out.append((x0, top + shift, x1, bottom + shift, kind))
    return out


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Edges snapped to their lines and joined where they meet within :data:`TOLERANCE`."""
    snapped = sorted(_snap(edges), key=lambda e: (e[4], _place(e)))
    joined: list[Edge] = []
    for _, group in itertools.groupby(snapped, key=lambda e: (e[4], _place(e))):
        line: list[Edge] = []
        for edge in sorted(group, key=_start):
            if line and _start(edge) <= _end(line[-1]) + TOLERANCE:
                if _end(edge) > _end(line[-1]):
                    x0, top, x1, bottom, kind = line[-1]
                    if kind == "h":
                        line[-1] = (x0, top, edge[2], bottom, kind)
                    else:
                        line[-1] = (x0, top, x1, edge[3], kind)
            else:
                line.append(edge)
        joined.extend(line)
    return joined


def _long(edge: Edge, least: float) -> bool:
    return (edge[3] - edge[1] if edge[4] == "v" else edge[2] - edge[0]) >= least


def rules(edges: list[Edge]) -> tuple[list[Edge], list[Edge]]:
    """A page's vertical and horizontal rules, merged as the table finder merges them."""
    merged = merge_edges(edges)
    columns = [e for e in merged if e[4] == "v" and e[3] - e[1] > 1]
    across = [e for e in merged if e[4] == "h" and e[2] - e[0] > 1]
    return columns, across


def closing_rules(columns: list[Edge], across: list[Edge]) -> list[Edge]:
    """The borders a page break left out of a table.

    A table broken over pages is often printed without its bottom (or top) border: its
    column rules simply stop. Where column rules end without meeting a rule across them,
    a border is drawn between them (a rule at that height is carried to them), so the
    last (or first) row on the page is still a row.
    """
    closing: list[Edge] = []
    for at_top in (True, False):  # the top and the bottom of the columns
        ends = [(column[1] if at_top else column[3], column[0]) for column in columns]
        loose = sorted(
            (end, x)
            for end, x in ends
            if not any(
                abs(rule[1] - end) <= TOLERANCE and rule[0] - TOLERANCE <= x <= rule[2] + TOLERANCE
                for rule in across
            )
        )
        groups: list[list[tuple[float, float]]] = []
        for item in loose:
            if groups and item[0] - groups[-1][-1][0] <= TOLERANCE:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            y = group[0][0] if at_top else group[-1][0]
            xs = [x for _, x in group]
            xs += [
                x for rule in across if abs(rule[1] - y) <= TOLERANCE for x in (rule[0], rule[2])
            ]
            if len(xs) >= 2:
                closing.append((min(xs), y, max(xs), y, "h"))
    return closing


# --- tables -------------------------------------------------------------------------------


class Table:
    """Cells that share corners: ``cells`` in the order they were found."""

    def __init__(self, cells: list[Box]) -> None:
        self.cells = cells

    @property
    def bbox(self) -> Box:
        cells = self.cells
        return (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )

    def rows(self) -> list[list[Box | None]]:
        """The cells by row (their tops), each row over every column start of the table."""
        xs = sorted({cell[0] for cell in self.cells})
        ordered = sorted(self.cells, key=itemgetter(1, 0))
        rows: list[list[Box | None]] = []
        for _, row_cells in itertools.groupby(ordered, itemgetter(1)):
            at = {cell[0]: cell for cell in row_cells}
            rows.append([at.get(x) for x in xs])
        return rows

    def texts(
        self, chars: Sequence[Char], middle_x: list[float], middle_y: list[float]
    ) -> tuple[dict[Box, str], set[int]]:
        """Each cell's text: the characters whose middles (:func:`middles`) it holds, as
        lines of words; and the indexes of the characters some cell holds."""
        by_y = sorted(range(len(chars)), key=middle_y.__getitem__)
        ys = list(map(middle_y.__getitem__, by_y))
        bands: dict[tuple[int, int], tuple[list[float], list[int]]] = {}  # a row's chars
        out: dict[Box, str] = {}
        held: set[int] = set()
        for x0, top, x1, bottom in self.cells:
            span = (bisect.bisect_left(ys, top), bisect.bisect_left(ys, bottom))
            band = bands.get(span)
            if band is None:
                across = sorted(by_y[span[0] : span[1]])
                across.sort(key=middle_x.__getitem__)  # by x, then index
                band = bands[span] = (list(map(middle_x.__getitem__, across)), across)
            xs, indexes = band
            picked = sorted(indexes[bisect.bisect_left(xs, x0) : bisect.bisect_left(xs, x1)])
            out[(x0, top, x1, bottom)] = _cell_text([chars[i] for i in picked]) if picked else ""
            held.update(picked)
        return out, held


def middles(chars: Sequence[Char]) -> tuple[list[float], list[float]]:
    """The characters' middles: across (x) and down (y)."""
    return [(c[1] + c[3]) / 2 for c in chars], [(c[2] + c[4]) / 2 for c in chars]


def _crossings(edges: list[Edge]) -> dict[tuple[float, float], tuple[set[Box], set[Box]]]:
    """Where vertical and horizontal edges cross (within :data:`TOLERANCE`): each point with
    the boxes of the vertical and of the horizontal edges through it."""
    verticals = sorted((e for e in edges if e[4] == "v"), key=itemgetter(0, 1))
    xs = [e[0] for e in verticals]
    points: dict[tuple[float, float], tuple[set[Box], set[Box]]] = {}
    for h in sorted((e for e in edges if e[4] == "h"), key=itemgetter(1, 0)):
        y = h[1]
        low = bisect.bisect_left(xs, h[0] - TOLERANCE)
        high = bisect.bisect_right(xs, h[2] + TOLERANCE)
        for v in verticals[low:high]:
            if v[1] <= y + TOLERANCE and v[3] >= y - TOLERANCE:
                at = points.get((v[0], y))
                if at is None:
                    at = points[(v[0], y)] = (set(), set())
                at[0].add(v[:4])
                at[1].add(h[:4])
    return points


def _cells(points: dict[tuple[float, float], tuple[set[Box], set[Box]]]) -> list[Box]:
    """The smallest rectangles whose corners are crossings joined by edges, one per top-left
    corner, in the order of the corners."""
    ordered = sorted(points)
    below: dict[float, list[tuple[float, float]]] = {}
    right: dict[float, list[tuple[float, float]]] = {}
    for point in ordered:
        below.setdefault(point[0], []).append(point)
        right.setdefault(point[1], []).append(point)

    def joined(a: tuple[float, float], b: tuple[float, float]) -> bool:
        """One vertical rule, or one horizontal, runs through both crossings."""
        if a[0] == b[0] and not points[a][0].isdisjoint(points[b][0]):
            return True
        return a[1] == b[1] and not points[a][1].isdisjoint(points[b][1])

    cells: list[Box] = []
    for point in ordered:
        column = below[point[0]]
        row = right[point[1]]
        found = None
        for down in column[bisect.bisect_right(column, point) :]:
            if not joined(point, down):
                continue
            for across in row[bisect.bisect_right(row, point) :]:
                if not joined(point, across):
                    continue
                corner = (across[0], down[1])
                if corner in points and joined(corner, across) and joined(corner, down):
                    found = (point[0], point[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[Box]) -> list[Table]:
    """Cells grouped into tables by shared corners (pdfplumber's passes, in its order),
    top to bottom; a single cell is not a table."""
    remaining = list(cells)
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    groups: list[list[Box]] = []
    while remaining:
        before = len(current)
        left: list[Box] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or not corners.isdisjoint(own):
                corners.update(own)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            groups.append(current)
            corners = set()
            current = []
    if current:
        groups.append(current)
    groups.sort(key=lambda group: min((c[1], c[0]) for c in group))
    return [Table(group) for group in groups if len(group) > 1]


def find_tables(edges: list[Edge], explicit: list[Edge]) -> list[Table]:
    """The ruled tables that ``edges`` and the ``explicit`` horizontal rules draw."""
    found = [e for e in edges if _long(e, 1)] + explicit
    merged = [e for e in merge_edges(found) if _long(e, MIN_EDGE)]
    return _tables(_cells(_crossings(merged)))


# --- words and lines ----------------------------------------------------------------------


def _words(chars: Sequence[Char]) -> list[list[Char]]:
    """The characters as words, line by line (runs of upright and of turned characters
    each by their own lines)."""
    words: list[list[Char]] = []
    if chars and all(map(_UPRIGHT, chars)):
        tops = list(map(_TOP, chars))
        if max(tops) - min(tops) <= TOLERANCE:  # one line: no need to cluster
            _split(sorted(chars, key=_X0), True, words)
            return words
    for upright, run in itertools.groupby(chars, itemgetter(5)):
        line_key: Callable[[Char], float] = _TOP if upright else _X0
        order: Callable[[Char], object] = _X0 if upright else itemgetter(2, 4)
        for line in _clusters(list(run), line_key):
            _split(sorted(line, key=order), upright, words)  # type: ignore[arg-type]
    return words


def _split(line: list[Char], upright: bool, words: list[list[Char]]) -> None:
    """A line's characters, in reading order, cut into words (added to ``words``) at spaces
    and gaps: a character before the previous one's start, more than :data:`TOLERANCE`
    past its end, or more than that off its line (upright characters run left to right on
    lines by their tops, turned ones top to bottom on lines by their left sides)."""
    start: Literal[1, 2]
    end: Literal[3, 4]
    place: Literal[1, 2]
    if upright:
        start, end, place = 1, 3, 2  # x0, x1, top
    else:
        start, end, place = 2, 4, 1  # top, bottom, x0
    word: list[Char] = []
    for char in line:
        if char[0].isspace():
            if word:
                words.append(word)
            word = []
            continue
        if word:
            previous = word[-1]
            if (
                char[start] < previous[start]
                or char[start] > previous[end] + TOLERANCE
                or abs(char[place] - previous[place]) > TOLERANCE
            ):
                words.append(word)
                word = [char]
                continue
        word.append(char)
    if word:
        words.append(word)


def _spelt(word: list[Char]) -> str:
    """A word's text, its ligatures spelt out."""
    texts = list(map(_TEXT, word))
    if _LIGATURES.keys().isdisjoint(texts):
        return "".join(texts)
    return "".join([_LIGATURES.get(text, text) for text in texts])


def _cell_text(chars: list[Char]) -> str:
    """A cell's characters as text: words joined by spaces, lines by newlines."""
    if len(chars) == 1:  # most cells: one digit
        text = chars[0][0]
        return "" if text.isspace() else _LIGATURES.get(text, text)
    words = [(min(map(_TOP, word)), _spelt(word)) for word in _words(chars)]
    if len(words) == 1:
        return words[0][1]
    lines = _clusters(words, itemgetter(0))
    return "\n".join(" ".join(word for _, word in line) for line in lines)


def text_lines(chars: Sequence[Char]) -> list[tuple[str, Box, float]]:
    """The characters as printed lines: each its text, box and largest character size."""
    words = _words(chars)
    tops = [min(map(_TOP, word)) for word in words]
    numbers = map(_groups(tops).__getitem__, tops)
    out: list[tuple[str, Box, float]] = []
    for _, members in itertools.groupby(zip(numbers, words), key=itemgetter(0)):
        line = [word for _, word in members]
        text = " ".join(map(_spelt, line)).strip(" ")
        if not text:
            continue
        flat = list(itertools.chain.from_iterable(line))
        box = (
            min(map(_X0, flat)),
            min(map(_TOP, flat)),
            max(map(_X1, flat)),
            max(map(_BOTTOM, flat)),
        )
        out.append((text, box, max(map(_SIZE, flat))))
    return out
