"""From a :class:`Document` to a :class:`Report`: sections, tables, rows, cells, provenance.

The assembler finds the six section headings, then each standard table inside its section
by the row labels the format prints (with the variants real reports use), and reads each
row's cells from the text between its label and the next one: on the label's line, or line
by line where the document prints one cell per line (a crawler's ``规章\n0\n0\n2``). Where a
row's pieces are fewer than its cells, :mod:`._split` recovers the cuts from the table's
identities; cells printed one per line are never cut, and blanks that printed no line leave
their row's cells ``Ambiguous``. What it cannot place goes to :attr:`Report.unplaced`;
nothing is guessed. A section whose heading is missing is looked for only after the text
already read and before the next heading found, and section 4's table only under a real
header. Agency and year come from the title line (not a breadcrumb or a flipbook page
header), else from what the text states, noted as inferred in :attr:`Metadata.notes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache, lru_cache
from itertools import combinations
from math import comb

import attrs

from ..cells import BLANK, MISSING, NOT_APPLICABLE_MARKS, Cell, Provenance, Unreadable
from ..dates import parse_date
from ..model import Metadata, Report, Section, Unplaced
from ..rules.relations import Relation, relations
from ..rules.text import fold_traditional
from ..templates import TEMPLATE_2019, TEMPLATE_2021, TableSpec, Template
from ._document import Document, Fragment
from ._labels import (
    CELL,
    LINE,
    Label,
    Stream,
    label_pattern,
    normalise_label,
    table_labels,
    words,
)
from ._narrative import PREAMBLE, narrative_parts
from ._numbers import is_digit_run, parse_value
from ._pre2019 import is_pre_2019, read_pre_2019
from ._split import Budget, cuts, cuts_with_total, solve

__all__ = ["PREAMBLE", "assemble"]

#: The reason given for text before section 一 (the report's opening paragraph).

_NUMERALS = "一二三四五六"
#: Headings as printed (without their numeral), then the words a heading must at least have.
_HEADINGS: dict[int, tuple[tuple[str, ...], str]] = {
    1: (("总体情况", "概述"), "总体|概述"),
    2: (("主动公开政府信息情况", "行政机关主动公开政府信息情况"), "主动公开"),
    3: (("收到和处理政府信息公开申请情况",), "收到|处理.{0,6}申请"),
    4: (
        (
            "政府信息公开行政复议、行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        ),
        "复议|诉讼",
    ),
    5: (
        (
            "存在的主要问题及改进情况",
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题及整改措施",
        ),
        "问题",
    ),
    6: (("其他需要报告的事项", "其他需要报告事项"), "其他"),
}

_MARKERS = {
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "行政规范性文件",
        "申请人无正当理由逾期不补正",
        "本年处理决定数量",
    ),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购总金额",
        "政府集中采购",
        "其他对外管理服务事项",
    ),
}

#: A cell or line boundary in the stream (a printed ``|`` is one too).
_BOUNDARY = re.compile(r"[|\n]")
#: A digit first, boundaries aside.
_DIGIT_AFTER_BOUNDARIES = re.compile(r"[|\n]*\d")
#: Page chrome that turns up inside tables: page footers such as ``— 4 —`` or ``-3-``.
_FOOTER = re.compile(r"[-—–]{1,2}\d{1,3}[-—–]{1,2}")
#: Converter placeholders for column headers (数据1 … 数据6).
_GENERIC_HEADER = re.compile(r"数据\d")
_IDENTITY_RULES = frozenset(
    {"S3.BALANCE", "S3.HANDLED_SUM", "S3.ROW_TOTAL", "S4.GROUP_TOTAL", "S3.SUBTOTAL_MISMATCH"}
)
_S4_WORDS = (
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "合计",
)


class _Words(tuple[re.Pattern[str], ...]):
    """Patterns of known non-data words, and one pattern for any of them (their alternation:
    a search costs at most what theirs do): a row where it finds nothing (most rows) needs
    none of them tried."""

    any: re.Pattern[str]

    def __new__(cls, patterns: Iterable[re.Pattern[str]]) -> _Words:
        self = super().__new__(cls, patterns)
        self.any = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in self))
        return self


@attrs.define
class _Piece:
    """A printed piece of a row: text between boundaries, and where it sits in the stream."""

    text: str
    start: int
    end: int
    printed: str = ""  # the same characters as the source prints them (full-width, spaces)


@attrs.define
class _Context:
    stream: Stream
    template: Template
    consumed: bytearray
    cells: dict[str, Cell] = attrs.field(factory=dict)
    provenance: dict[str, Provenance] = attrs.field(factory=dict)
    unplaced: list[Unplaced] = attrs.field(factory=list)
    budget: Budget = attrs.field(factory=Budget)  # the document's steps for cutting digits
    per_line: bool = False  # the document prints table cells one per line
    # A row printed one cell per line showed empty lines that are not cells (paragraph
    # spacing): from then on an empty line is never read as a blank cell.
    loose_empty_lines: bool = False

    def consume(self, start: int, end: int) -> None:
        self.consumed[start:end] = b"\x01" * (end - start)


# --- sections -----------------------------------------------------------------------------


@cache
def _heading_patterns() -> dict[int, tuple[re.Pattern[str], ...]]:
    """Section number -> the patterns of its heading, best first (compiled once)."""
    patterns: dict[int, tuple[re.Pattern[str], ...]] = {}
    for number, (variants, fallback) in _HEADINGS.items():
        numeral = re.escape(_NUMERALS[number - 1])
        exact = "|".join(re.escape(normalise_label(v)) for v in variants)
        patterns[number] = tuple(
            re.compile(pattern)
            for pattern in (
                rf"(?:^|(?<=[\n|#]))#*{numeral}[、.](?:{exact})",
                rf"(?:^|(?<=[\n|#]))#*{numeral}[、.][^\n|。]{{0,24}}?(?:{fallback})[^\n|。]{{0,24}}?情况",
                rf"#*{numeral}[、.](?:{exact})",
            )
        )
    return patterns


def _headings(text: str) -> dict[int, tuple[int, int]]:
    """Section number -> (start, end) of its heading in the stream, in order."""
    found: dict[int, tuple[int, int]] = {}
    position = 0
    for number, patterns in _heading_patterns().items():
        best = None
        for pattern in patterns:
            match = pattern.search(text, position)
            if match:
                best = match
                break
        if best is not None:
            found[number] = (best.start(), best.end())
            position = best.end()
    return found


def _spans(headings: dict[int, tuple[int, int]], length: int) -> dict[int, tuple[int, int]]:
    """Section number -> (start of its body, end) for the sections found."""
    ordered = sorted(headings.items(), key=lambda item: item[1][0])
    spans = {}
    for index, (number, (_, body)) in enumerate(ordered):
        end = ordered[index + 1][1][0] if index + 1 < len(ordered) else length
        spans[number] = (body, end)
    return spans


def _template(text: str, year: int | None) -> Template:
    counts = {v: sum(text.count(m) for m in markers) for v, markers in _MARKERS.items()}
    if counts["2021"] != counts["2019"]:
        return TEMPLATE_2021 if counts["2021"] > counts["2019"] else TEMPLATE_2019
    return TEMPLATE_2019 if year is not None and year <= 2020 else TEMPLATE_2021


# --- pieces -------------------------------------------------------------------------------


def _blocked(
    ctx: _Context, start: int, end: int, noise: _Words
) -> tuple[bytearray, list[re.Match[str]]]:
    """Which characters of ``start:end`` are known non-data words (1 in the mask), and the
    page footers among them."""
    text = ctx.stream.text
    blocked = bytearray(end - start)
    footers = []
    present = noise if noise.any.search(text, start, end) is not None else ()
    for pattern in (*present, _FOOTER):
        for match in pattern.finditer(text, start, end):
            if match.start() == match.end():
                continue
            blocked[match.start() - start : match.end() - start] = b"\x01" * (
                match.end() - match.start()
            )
            if pattern is _FOOTER:
                footers.append(match)
    return blocked, footers


def _set_aside(ctx: _Context, footers: Iterable[re.Match[str]]) -> None:
    """Page footers inside a table are read as such: kept in unplaced, never cells."""
    for match in footers:
        ctx.consume(match.start(), match.end())
        ctx.unplaced.append(
            Unplaced(
                match.group(0),
                "page footer inside a table",
                ctx.stream.provenance(match.start(), match.end()),
            )
        )


def _pieces(ctx: _Context, start: int, end: int, noise: _Words) -> list[_Piece]:
    """The printed pieces between ``start`` and ``end``: cells and whitespace-split runs.

    Known non-data words (group labels, column headers, page footers) are cut out first.
    """
    stream = ctx.stream
    text, gap = stream.text, stream.gap
    blocked, footers = _blocked(ctx, start, end, noise)
    _set_aside(ctx, footers)
    pieces: list[_Piece] = []

    def piece(first: int, last: int) -> _Piece:
        return _Piece(text[first:last], first, last, stream.printed(first, last))

    # Between printed cell boundaries a space is part of the cell (见 附件); only where no
    # boundary is printed does a space separate values (the crawler's 0 0 0 00).
    split_on_spaces = CELL not in text[start:end]
    cells_seen = False
    cell_had_text = False  # a header cell cut out as noise is not an empty cell
    first = -1  # where the piece being read started; -1 between pieces
    for position in range(start, end):
        if blocked[position - start]:
            if first >= 0:
                pieces.append(piece(first, position))
                first = -1
            cell_had_text = True
            continue
        char = text[position]
        if char in (CELL, LINE):
            if first >= 0:
                pieces.append(piece(first, position))
                first = -1
            elif cells_seen and not cell_had_text:
                pieces.append(_Piece("", position, position))  # an empty cell between boundaries
            cells_seen = cells_seen or char == CELL
            cell_had_text = False
            continue
        if first < 0:
            first = position
        elif split_on_spaces and gap[position]:
            pieces.append(piece(first, position))
            first = position
        cell_had_text = True
    # A row cut at its line end still closes its last cell there (an empty last cell counts).
    if first >= 0:
        pieces.append(piece(first, end))
    elif end < len(text) and text[end] in (CELL, LINE) and cells_seen and not cell_had_text:
        pieces.append(_Piece("", end, end))
    return pieces


def _explicit(ctx: _Context, pieces: list[_Piece]) -> bool:
    """True if the pieces are cells with printed boundaries (a grid or a pipe table): then
    each is one cell, never digits of several to cut apart."""
    if not pieces:
        return False
    return CELL in ctx.stream.text[pieces[0].start : pieces[-1].end + 1] or any(
        not p.text for p in pieces
    )


def _readings(
    pieces: list[_Piece], spec: TableSpec, explicit: bool, budget: Budget, per_line: bool = False
) -> tuple[list[tuple[Cell, ...]], list[_Piece]]:
    """Every reading of a row's pieces as the table's cells; the pieces left over.

    ``per_line``: each piece was printed on a line of its own, so it is one cell whatever
    its digits; fewer pieces than cells leave blanks whose places are not known.
    """
    width = len(spec.columns)
    money = [column.is_money for column in spec.columns]
    if per_line:
        if len(pieces) == width:
            return [
                tuple(parse_value(p.printed or p.text, money=m) for p, m in zip(pieces, money))
            ], []
        placed = _placements(pieces, money) if len(pieces) < width else []
        return placed, ([] if placed else pieces)
    # Empty pieces at the edges are layout padding (``| |||``), not cells.
    while pieces and not pieces[-1].text and len(pieces) > width:
        pieces = pieces[:-1]
    while pieces and not pieces[0].text and len(pieces) > width:
        pieces = pieces[1:]
    if len(pieces) == width:
        return [tuple(parse_value(p.printed or p.text, money=m) for p, m in zip(pieces, money))], []
    if len(pieces) > width or explicit:
        return [], pieces  # too many, or too few cells with printed boundaries: not read
    texts = [p.text for p in pieces]
    totalled = cuts_with_total(texts, width, budget) if spec.column_keys[-1] == "total" else None
    if totalled is not None:
        return totalled, ([] if totalled else pieces)
    found = cuts(texts, width, money=money, budget=budget) if pieces else []
    return found, ([] if found else pieces)


# --- tables -------------------------------------------------------------------------------


def _noise(spec: TableSpec, template: Template) -> _Words:
    """Patterns of a table's known non-data words: column headers, group labels, captions."""
    headers = [part for column in spec.columns for part in column.zh]
    groups = [part for row in spec.rows for part in row.zh[:-1]]
    captions = [t.caption_zh for t in template.tables if t.section == spec.section]
    extra = [
        "信息内容",
        "申请人情况",
        "(本列数据的勾稽关系为:第一项加第二项之和、等于第三项加第四项之和)",
        "单位:万元",
        "(单位:万元)",
        "(数据项目)",
        "数量",
        "类别",
    ]
    return _Words((*words([*headers, *groups, *captions, *extra]), _GENERIC_HEADER))


@attrs.frozen(eq=False)
class _TableLayout:
    """What reading a table takes from its declaration alone (labels, header words, its
    identities): made once per template and table by :func:`_table_layout`, never holding
    anything of a document."""

    labels: tuple[Label, ...]  # its row labels, in printed order
    noise: _Words  # header words, group labels, captions
    row_noise: Mapping[str, _Words]  # noise and the row's own labels
    layout: tuple[re.Pattern[str], ...]  # noise and every row label: what it owns but cells
    identities: tuple[Relation, ...]  # the relations among its own cells
    caption: re.Pattern[str]  # its caption (第二十条第（…）项)
    other_captions: tuple[re.Pattern[str], ...]  # the other section 2 tables' captions


#: Templates times tables: a few dozen layouts at most, each a few hundred patterns.
_LAYOUTS = 64


@lru_cache(maxsize=_LAYOUTS)
def _table_layout(template: Template, key: str) -> _TableLayout:
    """The layout of ``template``'s table ``key``."""
    spec = template.table(key)
    labels = table_labels(spec)
    noise = _noise(spec, template)
    return _TableLayout(
        labels=labels,
        noise=noise,
        row_noise={label.key: _Words((*noise, *label.patterns)) for label in labels},
        layout=(*noise, *(pattern for label in labels for pattern in label.patterns)),
        identities=_identities(template, spec),
        caption=_caption(spec),
        other_captions=tuple(
            _caption(table)
            for table in template.tables
            if table.section == 2 and table.key != spec.key
        ),
    )


def _identities(template: Template, spec: TableSpec) -> tuple[Relation, ...]:
    """The identities of the format among the cells of table ``spec`` alone."""
    section = f"s{spec.section}."
    prefix = "s3." if spec.key == "s3" else "s4." if spec.key == "s4" else "s2."
    return tuple(
        r
        for r in relations(template)
        if r.rule in _IDENTITY_RULES
        and all(c.startswith(section) for c in r.cells)
        and all(c.startswith(prefix) for c in r.cells)
    )


def _caption(spec: TableSpec) -> re.Pattern[str]:
    """The pattern of a table's printed caption (第二十条第（…）项)."""
    return label_pattern(normalise_label(spec.caption_zh))


def _row_spans(
    ctx: _Context, labels: Sequence[Label], start: int, end: int
) -> list[tuple[str, int, int, int]]:
    """(row key, label start, data start, data end) for each row label found, in order."""
    text = ctx.stream.text
    found: list[tuple[str, int, int]] = []
    position = start
    for label in labels:
        match = label.find(text, position, end)
        if match is None:
            continue
        # A label with no value after it on its line is a heading (### 一、本年新收…):
        # the row is the next printing of the same label, if there is one before the end.
        again: re.Match[str] | None = match
        while again is not None and not _has_values(ctx, again.end(), end):
            again = label.find(text, again.end(), end)
        match = again or match
        found.append((label.key, match.start(), match.end()))
        position = match.end()
    spans = []
    for index, (key, label_start, data_start) in enumerate(found):
        data_end = found[index + 1][1] if index + 1 < len(found) else end
        spans.append((key, label_start, data_start, data_end))
    return spans


def _has_values(ctx: _Context, start: int, end: int) -> bool:
    """True if the line after a label holds a number or a not-applicable mark (printing one
    cell per line: if the lines after an otherwise empty label line begin with one)."""
    if ctx.per_line:
        below = _value_below(ctx, start, min(end, start + _LOOKAHEAD))
        if below is not None:
            return below
    stop = _cut_at_line(ctx, start, end)
    line = ctx.stream.text[start:stop]
    return any(
        not isinstance(parse_value(piece), Unreadable) and piece for piece in _BOUNDARY.split(line)
    ) or bool(_DIGIT_AFTER_BOUNDARIES.match(line))


def _value_below(ctx: _Context, start: int, end: int) -> bool | None:
    """Whether the first printed line below an otherwise empty label line holds one value;
    None if the label's line holds more than boundaries (the row is printed across)."""
    text = ctx.stream.text
    line_end = text.find(LINE, start, end)
    if line_end < 0 or text[start:line_end].strip(CELL):
        return None
    while line_end < end:
        position = line_end + 1
        line_end = text.find(LINE, position, end)
        line_end = end if line_end < 0 else line_end
        if text[position:line_end].strip(CELL) and not _only_footers(text, position, line_end):
            return _line_value(ctx, position, line_end) is not None
    return False


def _cut_at_line(ctx: _Context, start: int, end: int) -> int:
    """A row's data ends at the first line break after its first printed character (or
    cell boundary of a grid row)."""
    text = ctx.stream.text
    segment = text[start:end]
    first = start + len(segment) - len(segment.lstrip(LINE))
    if first == end:
        return end  # line breaks only
    found = text.find(LINE, first + 1, end)
    return end if found < 0 else found


# --- one cell per line ----------------------------------------------------------------------

#: The longest text one printed cell holds on its own line (a count, an amount, a mark).
_CELL_LINE_CHARS = 24
#: Past this many ways to place a row's missing blank cells the row is not read.
MAX_PLACEMENTS = 500
#: How far after a label its first value printed on a line of its own is looked for.
_LOOKAHEAD = 400


@lru_cache(maxsize=4096)  # the same few values (0, 1, /) fill a table's lines
def _is_value(text: str) -> bool:
    """True for the text of one cell that holds a number or a not-applicable mark."""
    if len(text) > _CELL_LINE_CHARS or not (_DIGIT.search(text) or text in NOT_APPLICABLE_MARKS):
        return False
    return is_digit_run(text) or not isinstance(parse_value(text), Unreadable)


_DIGIT = re.compile(r"\d")


def _line_value(ctx: _Context, start: int, end: int) -> tuple[int, int] | None:
    """The span of the one value a stream line ``start:end`` holds, between its edge
    boundaries (``0`` and ``0||`` alike); None if it holds anything else or nothing."""
    text = ctx.stream.text
    while start < end and text[start] == CELL:
        start += 1
    while end > start and text[end - 1] == CELL:
        end -= 1
    if start == end or end - start > _CELL_LINE_CHARS or CELL in text[start:end]:
        return None
    if any(ctx.stream.gap[i] for i in range(start + 1, end)):
        return None  # "0 0": two cells run on one line, not one cell per line
    return (start, end) if _is_value(text[start:end]) else None


def _prints_per_line(ctx: _Context) -> bool:
    """True if the document prints table cells one per line: somewhere three lines in a row
    each hold one value and nothing else (a crawler's ``规章\n0\n0\n2``)."""
    text = ctx.stream.text
    run = 0
    start = 0
    while start <= len(text):
        end = text.find(LINE, start)
        end = len(text) if end < 0 else end
        if text[start:end].strip(CELL):
            run = run + 1 if _line_value(ctx, start, end) else 0
            if run >= 3:
                return True
        start = end + 1
    return False


@attrs.define
class _Slots:
    """The lines after a row label in a document printing one cell per line."""

    slots: list[_Piece]  # one per line: its value, or "" for a line with no printed text
    end: int  # where the row's last value ends (its label's end if it has none)
    footers: list[re.Match[str]]  # page footers between its lines
    interrupted: bool = False  # a value follows the text that ended the row
    ragged: bool = False  # what ended the row is short text that may be one of its cells
    reach: int = 0  # where that following value ends

    @property
    def read_to(self) -> int:
        """Where the row's printing ends: its last value, or a value after text that ended
        it (the text and that value are then the table's, kept in unplaced)."""
        return max(self.end, self.reach)

    @property
    def values(self) -> list[_Piece]:
        return [piece for piece in self.slots if piece.text]


#: After the text that ends a table's last row, how many printed lines are looked at for a
#: value that would still be the row's.
_AFTER_STOP = 3


def _line_slots(
    ctx: _Context,
    start: int,
    end: int,
    noise: _Words,
    *,
    bounded: bool,
    labelled: bool = True,
) -> _Slots | None:
    """The cells printed one per line after a row label ending at ``start``, up to ``end``.

    None if the label's own line holds anything but boundaries and header words (the row is
    printed across). Values are taken line by line while each line holds one value or
    nothing; a line of header words or text ends the row. A value after that text would be
    the row's too (``interrupted``): up to ``end`` if ``bounded`` (the next row label
    follows there), else in the next few printed lines. Not ``labelled`` (section 4, whose
    cells follow its header): lines before the first value are passed over.
    """
    text = ctx.stream.text
    blocked, footers = _blocked(ctx, start, end, noise)
    position = start
    if labelled:
        line_end = text.find(LINE, start, end)
        line_end = end if line_end < 0 else line_end
        if any(not blocked[i - start] and text[i] != CELL for i in range(start, line_end)):
            return None
        position = line_end + 1
    slots: list[_Piece] = []
    last = start
    stop: tuple[int, int] | None = None  # the line that ended the row
    after = 0  # printed lines looked at since
    while position < end:
        line_end = text.find(LINE, position, end)
        line_end = end if line_end < 0 else line_end
        printed = [i for i in range(position, line_end) if text[i] != CELL]
        free = len([i for i in printed if not blocked[i - start]])
        span = _line_value(ctx, position, line_end) if printed and free == len(printed) else None
        if stop is not None:
            if span is not None:
                found = _within(footers, start, last)
                return _Slots(slots, last, found, interrupted=True, reach=span[1])
            after += bool(printed)
            if not bounded and after >= _AFTER_STOP:
                break
        elif not printed:
            slots.append(_Piece("", position, position))
        elif span is not None:
            first, following = span
            slots.append(
                _Piece(
                    text[first:following], first, following, ctx.stream.printed(first, following)
                )
            )
            last = following
        elif not labelled and not any(piece.text for piece in slots):
            slots.clear()  # the header and what precedes it: not yet the cells
        elif free or not _only_footers(text, position, line_end):
            stop = (position, line_end)  # header words, a group label or text: the row ends
        position = line_end + 1
    ragged = stop is not None and _cell_like(ctx, blocked, start, *stop)
    return _Slots(slots, last, _within(footers, start, last), ragged=ragged)


def _cell_like(ctx: _Context, blocked: bytearray, base: int, start: int, end: int) -> bool:
    """True if the stream line ``start:end`` could be one cell of a row printed one per line:
    short text that is not header words (见附件, 注), as opposed to a sentence or a heading."""
    text = ctx.stream.text
    free = [i for i in range(start, end) if text[i] != CELL and not blocked[i - base]]
    return (
        bool(free) and len(free) <= _CELL_LINE_CHARS and not re.search(r"[。；;]", text[start:end])
    )


def _within(matches: list[re.Match[str]], start: int, end: int) -> list[re.Match[str]]:
    return [m for m in matches if start <= m.start() and m.end() <= end]


def _only_footers(text: str, start: int, end: int) -> bool:
    """True if the line ``start:end`` prints nothing but page footers (``— 4 —``)."""
    return not _FOOTER.sub("", text[start:end]).strip(CELL)


def _placements(pieces: Sequence[_Piece], money: Sequence[bool]) -> list[tuple[Cell, ...]]:
    """Every way to put the printed ``pieces`` in order into the row's cells, the rest blank:
    a row printed one cell per line whose blank cells printed no line at all."""
    width = len(money)
    missing = width - len(pieces)
    if missing <= 0 or not pieces or comb(width, missing) > MAX_PLACEMENTS:
        return []
    readings: dict[tuple[Cell, ...], None] = {}
    for blanks in combinations(range(width), missing):
        given = iter(pieces)
        reading: list[Cell] = []
        for column in range(width):
            if column in blanks:
                reading.append(BLANK)
            else:
                piece = next(given)
                reading.append(parse_value(piece.printed or piece.text, money=money[column]))
        readings[tuple(reading)] = None
    return list(readings)


def _read_rows(
    ctx: _Context,
    spec: TableSpec,
    rows: list[tuple[str, list[_Piece]]],
    per_line: frozenset[str] = frozenset(),
) -> None:
    """Readings for every row found, then the cuts the identities allow, into ``ctx``.

    Rows whose keys are in ``per_line`` were printed one cell per line."""
    readings: dict[tuple[str, ...], list[tuple[Cell, ...]]] = {}
    sources: dict[tuple[str, ...], list[_Piece]] = {}
    for key, pieces in rows:
        codes = spec.row_codes(key)
        found, left = _readings(
            pieces, spec, _explicit(ctx, pieces), ctx.budget, per_line=key in per_line
        )
        if left:
            where = ctx.stream.provenance(left[0].start, left[-1].end)
            ctx.unplaced.append(
                Unplaced(
                    " ".join(p.text for p in left),
                    f"row {spec.key}.{key}: {len(left)} pieces for {len(codes)} cells",
                    where,
                )
            )
        if found:
            readings[codes] = found
            sources[codes] = pieces
        else:
            ctx.cells.update(dict.fromkeys(codes, MISSING))
    identities = _table_layout(ctx.template, spec.key).identities
    solved = solve(readings, ctx.cells, identities)
    for codes, pieces in sources.items():
        if all(solved[code] is MISSING for code in codes):
            where = ctx.stream.provenance(pieces[0].start, pieces[-1].end) if pieces else None
            ctx.unplaced.append(
                Unplaced(
                    " ".join(p.text for p in pieces),
                    f"row {spec.key}.{codes[0].split('.')[1]}: no way to cut its digits"
                    " satisfies its total",
                    where,
                )
            )
            ctx.cells.update(dict.fromkeys(codes, MISSING))
            continue
        width = len(codes)
        # One piece per cell, else every cell comes from the whole run (found once).
        run = None if len(pieces) == width else _covering(pieces)
        run_where = None
        if run is not None and run.text:
            run_where = ctx.stream.provenance(run.start, run.end)
        for index, code in enumerate(codes):
            ctx.cells[code] = solved[code]
            if run is None:
                piece = pieces[index]
                where = ctx.stream.provenance(piece.start, piece.end) if piece.text else None
            else:
                where = run_where
            if where is not None:
                ctx.provenance[code] = where


def _covering(pieces: list[_Piece]) -> _Piece:
    """The piece a cut cell came from: its run, when the split is not one piece per cell."""
    printed = [p for p in pieces if p.text]
    if not printed:
        return pieces[0]
    # Without knowing the cut, the whole run is the honest location.
    return _Piece(" ".join(p.text for p in printed), printed[0].start, printed[-1].end)


def _header_start(
    ctx: _Context, noise: Sequence[re.Pattern[str]], start: int, first_row: int
) -> int:
    """Where the header above a table's first row (captions, column labels) starts: the
    first header word before the first row, else the row itself."""
    text = ctx.stream.text
    found = [m.start() for p in noise if (m := p.search(text, start, first_row)) is not None]
    return min(found, default=first_row)


def _claim(
    ctx: _Context,
    table: str,
    start: int,
    end: int,
    layout: Sequence[re.Pattern[str]],
    pieces: Iterable[_Piece],
) -> None:
    """The table owns ``start:end``: its layout (labels, headers: ``layout``) and its cells'
    ``pieces`` are read; any other text there (a sentence between rows, a row whose label is
    unknown) is kept in :attr:`Report.unplaced`, never narrative and never dropped."""
    text = ctx.stream.text
    for pattern in layout:
        for match in pattern.finditer(text, start, end):
            ctx.consume(*match.span())
    for piece in pieces:
        ctx.consume(piece.start, piece.end)
    for stray, where in _runs(ctx, start, end):
        stray = stray.strip()
        if stray and not _PUNCTUATION.fullmatch(re.sub(r"[\s|\-:]+", "", stray) or "#"):
            ctx.unplaced.append(Unplaced(stray, _STRAY.format(table=table), where))
    ctx.consume(start, end)


_STRAY = "inside table {table}: not a cell, a row label or a header"


def _labelled_table(ctx: _Context, spec: TableSpec, start: int, end: int) -> bool:
    """Read a table whose rows are labelled (section 2 item tables, section 3)."""
    declared = _table_layout(ctx.template, spec.key)
    spans = _row_spans(ctx, declared.labels, start, end)
    if not spans:
        return False
    rows = []
    lines: dict[str, _Slots] = {}
    last_end = spans[0][1]
    for index, (key, _, data_start, data_end) in enumerate(spans):
        # A label cell spanning several grid columns repeats: its copies are not data.
        row_noise = declared.row_noise[key]
        slots = (
            _line_slots(ctx, data_start, data_end, row_noise, bounded=index + 1 < len(spans))
            if ctx.per_line
            else None
        )
        if slots is not None:
            _set_aside(ctx, slots.footers)
            pieces = slots.slots
            full = len(slots.values) == len(spec.columns)
            last_end = slots.end if full or not slots.interrupted else slots.read_to
        else:
            data_end = _cut_at_line(ctx, data_start, data_end)
            pieces = _pieces(ctx, data_start, data_end, row_noise)
            last_end = data_end
        if spec.row(key).optional and not any(p.text for p in pieces):
            continue  # a group heading such as （三）不予公开, not a printed subtotal
        if slots is not None:
            lines[key] = slots
        rows.append((key, pieces))
    rows = _one_per_line(ctx, spec, rows, lines)
    found = {key for key, _ in rows}
    if not any(not spec.row(key).optional for key in found):
        return False
    # From its header to its last row the table is layout and cells: group labels and header
    # rows between its rows (a converter's one table per row) are not narrative.
    table_start = _header_start(ctx, declared.noise, start, spans[0][1])
    rows_pieces = (p for _, ps in rows for p in ps)
    _claim(ctx, spec.key, table_start, last_end, declared.layout, rows_pieces)
    for row in spec.rows:
        if not row.optional and row.key not in found:
            ctx.cells.update(dict.fromkeys(spec.row_codes(row.key), MISSING))
    _read_rows(ctx, spec, rows, frozenset(lines))
    if spec.key == "s3":
        _merged_other(ctx, spec)
    return True


def _one_per_line(
    ctx: _Context,
    spec: TableSpec,
    rows: list[tuple[str, list[_Piece]]],
    lines: dict[str, _Slots],
) -> list[tuple[str, list[_Piece]]]:
    """The cells of the rows printed one per line: their values when they fill the row, else
    their lines with the empty ones as blank cells, when empty lines are cells here."""
    width = len(spec.columns)
    if any(len(s.values) == width and _inner_empty(s) for s in lines.values()):
        ctx.loose_empty_lines = True  # empty lines between a full row's values: spacing
    chosen = []
    for key, pieces in rows:
        slots = lines.get(key)
        if slots is not None:
            if len(slots.values) == width:
                pieces = slots.values  # every cell printed before anything else
            elif slots.interrupted or slots.ragged:
                pieces = []  # not read: its lines are kept in unplaced by the table's claim
            elif ctx.loose_empty_lines or len(pieces) != width:
                pieces = slots.values
        chosen.append((key, pieces))
    return chosen


def _inner_empty(slots: _Slots) -> bool:
    """True if an empty line stands between two of the values."""
    marks = "".join("v" if piece.text else "e" for piece in slots.slots)
    return "e" in marks.strip("e")


def _merged_other(ctx: _Context, spec: TableSpec) -> None:
    """（六）其他处理 printed as one row (2021): its sub-rows are 0 where it is 0, else unknown."""
    if "other" not in spec.row_keys or "s3.other.total" not in ctx.cells:
        return
    parts = spec.row("other").parts
    if any(ctx.cells.get(code) is not MISSING for p in parts for code in spec.row_codes(p)):
        return
    for column, subtotal in zip(spec.column_keys, spec.row_codes("other")):
        value = ctx.cells[subtotal]
        for part in parts:
            code = f"s3.{part}.{column}"
            if value == 0 and isinstance(value, int):
                # Non-negative counts that sum to 0 are each 0: deduced, and said so.
                ctx.cells[code] = 0
                ctx.provenance[code] = attrs.evolve(
                    ctx.provenance.get(subtotal, Provenance()),
                    note="deduced: （六）其他处理 printed as one row, 0 in this column",
                )
            else:
                ctx.cells[code] = MISSING


def _review_table(
    ctx: _Context, spec: TableSpec, start: int, end: int, *, headed: bool = True
) -> bool:
    """Section 4 prints no row labels: its 15 cells follow the header, group by group.

    Not ``headed`` (no 四、 heading was found): only a real table header starts the table
    (see :func:`_review_header`), and the cells are looked for from there on.
    """
    text = ctx.stream.text
    headers = _review_words()
    if not headed:
        begin = _review_header(ctx, start, end)
        if begin is None:
            return False
        start = begin
    has_header = any(pattern.search(text, start, end) for pattern in headers)
    if ctx.per_line and _review_per_line(ctx, spec, start, end, headers, has_header):
        return True
    pieces = [
        p
        for p in _pieces(ctx, start, end, headers)
        if p.start >= start and not (p.text and ctx.consumed[p.start])
    ]
    groups = [row.key for row in spec.rows]
    width = len(spec.columns)
    data: list[_Piece] = []
    leading: list[_Piece] = []  # empty cells before the first printed one, on its line
    previous_end = start
    for index, piece in enumerate(pieces):
        if piece.text and _PUNCTUATION.fullmatch(piece.text):
            continue  # what is left of a heading between the tables (### …（…）)
        if not data and text[previous_end : piece.start].strip(CELL):
            # Empty cells of a header row above, or before a header word on the same row (a
            # table printed as one row), are not the data row's.
            leading.clear()
        previous_end = piece.end
        if _count_like(piece):
            if piece.text or data:
                data.append(piece)
            else:
                leading.append(piece)
        elif data and _inside_row(pieces, index, len(data), width * len(groups)):
            data.append(piece)  # text or a decimal printed in a cell of the row: kept as such
        elif data:
            break
        else:
            leading.clear()  # text in between: those empty cells are not the data row's
    if data and len(leading) + len(data) == width * len(groups):
        data = leading + data  # the data row's first cells printed empty
    if not data and has_header:
        blanks = [p for p in pieces if not p.text]
        if len(blanks) == width * len(groups):
            data = blanks  # a table printed with every cell empty (the blank form)
    if not data or (not has_header and len(data) != width * len(groups)):
        return False  # no header and not fifteen numbers: not section 4's table
    header = [m.start() for p in headers if (m := p.search(text, start, end)) is not None]
    # Only the cells are read: text before the header and after the last cell is the
    # section's narrative, and text among them is kept in unplaced by the claim.
    _claim(ctx, spec.key, min([*header, data[0].start]), max(p.end for p in data), headers, data)
    if len(data) == width * len(groups):
        rows = [(g, data[i * width : (i + 1) * width]) for i, g in enumerate(groups)]
        _read_rows(ctx, spec, rows)
        return True
    # Run-together digits: read all groups as one row of 15 cells, then split back. Cells
    # with printed boundaries are never cut: then too few or too many is simply unreadable.
    joined = (
        cuts([p.text for p in data], width * len(groups), budget=ctx.budget)
        if len(data) < width * len(groups) and not _explicit(ctx, data)
        else []
    )
    codes = tuple(code for g in groups for code in spec.row_codes(g))
    identities = _table_layout(ctx.template, spec.key).identities
    solved = solve({codes: joined}, {}, identities) if joined else dict.fromkeys(codes, MISSING)
    where = ctx.stream.provenance(data[0].start, data[-1].end)
    for code in codes:
        ctx.cells[code] = solved[code]
        if where is not None:
            ctx.provenance[code] = where
    if not joined or all(solved[code] is MISSING for code in codes):
        ctx.unplaced.append(
            Unplaced(" ".join(p.text for p in data), "section 4: cells not readable", where)
        )
    return True


_PUNCTUATION = re.compile(r"[#()\[\]:、.。*_]+")  # not "-": alone it is a not-applicable mark


def _count_like(piece: _Piece) -> bool:
    """A piece that reads as a count, an empty cell or a not-applicable mark."""
    return (
        not piece.text
        or isinstance(parse_value(piece.text), int)
        or piece.text in NOT_APPLICABLE_MARKS
        or _all_digits(piece.text)
    )


def _inside_row(pieces: Sequence[_Piece], index: int, read: int, cells: int) -> bool:
    """True if the piece at ``index``, not a count, is a cell of the data row: after ``read``
    cells, the counts that follow it up to the next other text fill the row's ``cells``
    exactly, so it sits among them (text after the row is narrative, never a cell)."""
    following = 0
    for piece in pieces[index + 1 :]:
        if not _count_like(piece):
            break
        following += 1
    return read + 1 + following == cells


#: What a real header of section 4's table prints, within :data:`_HEADER_SPAN` characters:
#: both groups, and either two of the result columns or both kinds of suit. A sentence
#: (本年度未发生行政复议、行政诉讼) names the groups but never the columns.
_REVIEW_GROUPS = ("行政复议", "行政诉讼")
_REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
_SUIT_KINDS = ("未经复议直接起诉", "复议后起诉")
_HEADER_SPAN = 400
_REVIEW_HEADER_WORDS = (*_REVIEW_GROUPS, *_REVIEW_COLUMNS, *_SUIT_KINDS)


@cache
def _review_words() -> _Words:
    """Patterns of the words section 4's table prints around its cells (made once)."""
    return _Words(words(_S4_WORDS))


@cache
def _review_header_words() -> tuple[re.Pattern[str], ...]:
    """Patterns of :data:`_REVIEW_HEADER_WORDS`, in that order (made once)."""
    return words(_REVIEW_HEADER_WORDS)


def _review_header(ctx: _Context, start: int, end: int) -> int | None:
    """Where section 4's table header starts in ``start:end``, if a real one is printed
    there: used when the section's heading was not found, so that a word such as 行政复议
    or 总计 in the narrative never starts the table."""
    text = ctx.stream.text
    found = {
        word: [m.start() for m in pattern.finditer(text, start, end)]
        for word, pattern in zip(_REVIEW_HEADER_WORDS, _review_header_words())
    }

    def near(word: str, position: int) -> bool:
        places = found[word]
        index = bisect_left(places, position)
        return index < len(places) and places[index] <= position + _HEADER_SPAN

    for position in found[_REVIEW_GROUPS[0]]:
        if not near(_REVIEW_GROUPS[1], position):
            continue
        columns = sum(near(word, position) for word in _REVIEW_COLUMNS)
        if columns >= 2 or all(near(word, position) for word in _SUIT_KINDS):
            return position
    return None


def _review_per_line(
    ctx: _Context,
    spec: TableSpec,
    start: int,
    end: int,
    headers: _Words,
    has_header: bool,
) -> bool:
    """Section 4 printed one cell per line: its values line by line after the header."""
    text = ctx.stream.text
    header = [m.start() for p in headers if (m := p.search(text, start, end)) is not None]
    # From the header on: a number above it (a date, a page number) is not a cell.
    begin = min(header, default=start)
    slots = _line_slots(ctx, begin, end, headers, bounded=False, labelled=False)
    if slots is None or not slots.values:
        return False
    groups = [row.key for row in spec.rows]
    width = len(spec.columns) * len(groups)
    pieces = slots.values
    if len(pieces) != width and len(slots.slots) == width and not ctx.loose_empty_lines:
        pieces = slots.slots
    if not has_header and len(pieces) != width:
        return False  # no header and not fifteen values: not section 4's table
    if len(slots.values) != width and (slots.interrupted or slots.ragged):
        pieces = []  # a value after the text that ended the cells, or text that may be one
    _set_aside(ctx, slots.footers)
    _claim(ctx, spec.key, min([*header, slots.values[0].start]), slots.end, headers, pieces)
    size = len(spec.columns)
    if len(pieces) == width:
        rows = [(g, pieces[i * size : (i + 1) * size]) for i, g in enumerate(groups)]
        _read_rows(ctx, spec, rows, frozenset(groups))
        return True
    codes = tuple(code for g in groups for code in spec.row_codes(g))
    readings = _placements(pieces, [False] * width) if len(pieces) < width else []
    identities = _table_layout(ctx.template, spec.key).identities
    solved = solve({codes: readings}, {}, identities) if readings else {}
    where = ctx.stream.provenance(slots.values[0].start, slots.values[-1].end)
    for code in codes:
        ctx.cells[code] = solved.get(code, MISSING)
        if where is not None and readings:
            ctx.provenance[code] = where
    if pieces and (not readings or all(solved[code] is MISSING for code in codes)):
        ctx.unplaced.append(  # its values were claimed: kept here (unread ones stay strays)
            Unplaced(
                " ".join(p.text for p in pieces),
                f"section 4: {len(pieces)} values printed one per line for {width} cells",
                where,
            )
        )
    return True


def _all_digits(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9０-９]+", text))


# --- narrative and metadata -----------------------------------------------------------------


def _runs(ctx: _Context, start: int, end: int) -> list[tuple[str, Provenance | None]]:
    """The unconsumed source text of ``start:end``, one run per stretch of one fragment."""
    return ctx.stream.runs(start, end, ctx.consumed)


def _section(
    ctx: _Context, number: int, heading: tuple[int, int], body: tuple[int, int]
) -> Section:
    heading_text = "".join(text for text, _ in _runs(ctx, *heading)) or _HEADINGS[number][0][0]
    ctx.consume(*heading)
    texts = (text for text, _ in _runs(ctx, *body))
    return Section(number, heading_text.lstrip("# ").strip(), narrative_parts(texts))


_YEAR = re.compile(r"(20\d{2})\s*年\s*度?")
#: Who publishes, as a title names it before the year: what precedes it is not the agency.
_TITLE_LEAD = re.compile(r"[《<]|关于$")


def _metadata(document: Document, title: str | None, text: str) -> Metadata:
    """Agency, year and date from the page's facts and the title line; what they do not give
    is inferred from the text where it says so unambiguously, and said so in ``notes``."""
    facts = {fold_traditional(key): value for key, value in document.facts}
    fact = facts.get("标题")
    title = (_clean_title(fact, page_title=True) if fact else None) or title
    year = agency = None
    if title:
        compact = re.sub(r"\s+", "", title)
        match = _YEAR.search(compact)
        if match:
            year = int(match.group(1))
            agency = _TITLE_LEAD.sub("", compact[: match.start()]) or None
        else:
            agency = _agency_without_year(compact)
    agency = facts.get("发布机构") or agency
    notes = []
    published, where = _dated(document)
    for key in ("发布时间", "公开日期", "发布日期", "成文日期", "日期"):
        if facts.get(key) and published is None:
            try:
                published, where = parse_date(facts[key].strip()), f"the page's {key}"
                break
            except ValueError:
                continue
    if published is None:
        published, where = _signed(document, year)
    if published is not None:
        notes.append(f"published on {published.isoformat()}: {where}")
    if year is None:
        year, how = _inferred_year(text, published)
        if year is not None:
            notes.append(f"reporting year {year} inferred from the text ({how}): no title names it")
    if agency is None:
        agency, how = _inferred_agency(text)
        if agency is not None:
            notes.append(f"agency {agency} inferred from the text ({how}): no title names it")
    return Metadata(
        agency=agency,
        reporting_year=year,
        published_on=published,
        source=document.source,
        notes="; ".join(notes) or None,
    )


#: The statistics period a report states (本报告所列数据统计期限自2019年1月1日起至12月31日止).
_PERIOD = re.compile(r"(20\d{2})年1月1日起?(?:至|到|-|—|~)(?:\1年)?12月31日")
#: A year named on its own (2019年, 2019年度), not as the start of a date (2020年1月20日).
_NAMED_YEAR = re.compile(r"(?<!\d)(20\d{2})年(?!\d{1,2}月)")


def _agency_without_year(title: str) -> str | None:
    """Who a title without a year names: what precedes its 政府信息公开 (or 信息公开,
    年度报告, 年报); None for a title that starts with them (格式模板)."""
    folded = fold_traditional(title)
    found = [
        at
        for word in ("政府信息公开", "信息公开", "年度报告", "年报")
        if (at := folded.find(word)) >= 0
    ]
    at = min(found, default=0)
    if fold_traditional(title[:at]).endswith("人民") and folded.startswith("政府", at):
        at += 2  # 示例县人民政府信息公开…: the 政府 is the agency's
    lead = _TITLE_LEAD.sub("", title[:at])
    return lead if len(lead) >= 2 and fold_traditional(lead) not in ("政府", "人民政府") else None


def _inferred_year(text: str, published: date | None) -> tuple[int | None, str]:
    """The reporting year the text states: its statistics period, else the year it names
    most, at least twice and more than any other, or named once and alone when the report is
    dated the year after. None where the text does not settle it."""
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1)), "its statistics period"
    counts = Counter(int(m.group(1)) for m in _NAMED_YEAR.finditer(text)).most_common(2)
    if not counts or (len(counts) > 1 and counts[0][1] <= counts[1][1]):
        return None, ""
    year, times = counts[0]
    if times >= 2:
        return year, f"{year}年 named {times} times, more than any other year"
    if len(counts) == 1 and published is not None and published.year == year + 1:
        return year, f"the only year it names, and the report is dated {published.isoformat()}"
    return None, ""


#: How a government's report speaks of its own area (我县, 全县), and of itself when the
#: report is a department's (我局, 本单位): then the government is not the publisher.
_OWN_AREA = re.compile(r"[我全本](县|区|市|州|旗|盟)")
_DEPARTMENT = re.compile(r"[我本](?:局|委|厅|署|中心|单位|办(?![理公]))")
#: A place named with one of its institutions (澄城县政务公开工作领导小组, 澄城县人民政府).
_INSTITUTION = "(?:人民政府|政府|政务|人大|政协|委)"
_NOT_IN_NAME = frozenset("的在和与及为对由是了等全我本该各共向把被从以于将至到经按据其每此这那个")


def _inferred_agency(text: str) -> tuple[str | None, str]:
    """The people's government a report speaks for, when its text says so: it speaks of 我县
    (or 全县 …) and of no department of its own, and one place of that level is named with
    its institutions (澄城县政务公开…) more than any other, its name appearing elsewhere too.
    None where any of this is missing: a department's report, or names that compete."""
    if _DEPARTMENT.search(text):
        return None, ""
    areas = Counter(m.group(1) for m in _OWN_AREA.finditer(text)).most_common(2)
    if not areas or (len(areas) > 1 and areas[1][1] * 2 > areas[0][1]):
        return None, ""
    level = areas[0][0]
    named: Counter[str] = Counter()
    for match in re.finditer(level + _INSTITUTION, text):
        stem = _place_stem(text, match.start())
        if stem is not None:
            named[stem] += 1
    ranked = named.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] >= ranked[0][1]):
        return None, ""
    stem = ranked[0][0]
    if text.count(stem) < 2:
        return None, ""
    return (
        f"{stem}{level}人民政府",
        f"it speaks of 我{level}, and names {stem}{level} with its institutions"
        f" ({ranked[0][1]}x, no other place so)",
    )


def _place_stem(text: str, end: int) -> str | None:
    """The place name ending at ``end`` (before 县): two characters, extended to the left
    while every other printing of it has the same character before it (综合实验 → 平潭综合实验
    stays ambiguous: then None). None if it holds a character no place name starts with."""
    stem = text[max(0, end - 2) : end]
    if len(stem) < 2 or not all(_is_han(c) and c not in _NOT_IN_NAME for c in stem):
        return None
    for _ in range(4):
        before = {
            text[m.start() - 1] if m.start() else "" for m in re.finditer(re.escape(stem), text)
        }
        if len(before) != 1:
            return stem
        char = before.pop()
        if not char or not _is_han(char) or char in _NOT_IN_NAME:
            return stem
        stem = char + stem
    return None


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


_DATE_LINE = re.compile(r"^\s*[(（]?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[)）]?\s*$")


def _dated(document: Document) -> tuple[date | None, str]:
    """A date printed on a line of its own under the title, as reports sign them, and where."""
    for block in document.blocks[:8]:
        if isinstance(block, Fragment):
            match = _DATE_LINE.match(block.text)
            if match:
                try:
                    return parse_date(match.group(1)), f"the date under the title, at {block.where}"
                except ValueError:
                    return None, ""
    return None, ""


#: How far from the end a signature date (落款) may stand: the signing body, the date, and a
#: few lines of page chrome after them.
_SIGNATURE_BLOCKS = 12


def _signed(document: Document, year: int | None) -> tuple[date | None, str]:
    """The date signed under the report (落款): a line of its own among the last blocks, in
    the year after the reporting year (or up to two years later: a late report) when that is
    known; and where it was printed."""
    blocks = [block for block in document.blocks if isinstance(block, Fragment)]
    for block in reversed(blocks[-_SIGNATURE_BLOCKS:]):
        for line in reversed(block.text.splitlines()):
            match = _DATE_LINE.match(line)
            if match is None:
                continue
            try:
                signed = parse_date(match.group(1))
            except ValueError:
                return None, ""
            if year is not None and not year < signed.year <= year + 2:
                return None, ""
            return signed, f"the date signed under the report (落款), at {block.where}"
    return None, ""


_TITLE_WORDS = re.compile(r"年度?报告|年报")
#: A breadcrumb (首页 > 政务公开 > … > title): the title is its last part.
_BREADCRUMB = re.compile(r"首页|当前位置|您的位置|所在位置")
_CRUMB = re.compile(r"\s*(?:>|＞|»|›|→)+\s*")
#: A flipbook page header (Page9-title): the title follows it.
_PAGE_HEADER = re.compile(r"^\s*page\s*\d+\s*[-–—_:：|]?\s*", re.IGNORECASE)
#: Longer than this, or ending a sentence, a line is prose that mentions the report.
_TITLE_CHARS = 80


def _clean_title(line: str, *, page_title: bool = False) -> str | None:
    """The report's title in a line: the line itself, the last part of a breadcrumb, or what
    follows a flipbook page header; None if what is left is not a title (``page_title``: the
    page says it is its title, so it need not name a report)."""
    title = line.strip().strip("#").strip()
    if _BREADCRUMB.search(fold_traditional(title)) and _CRUMB.search(title):
        title = _CRUMB.split(title)[-1]
    title = _PAGE_HEADER.sub("", title).strip()
    if page_title:
        return title or None
    if (
        not _TITLE_WORDS.search(fold_traditional(title))
        or len(title) > _TITLE_CHARS
        or title.endswith("。")
    ):
        return None
    return title


def _title(ctx: _Context, end: int) -> str | None:
    """The title line before section 一: a line of its own first, else one read out of a
    breadcrumb or a flipbook page header."""
    found = None
    for text, _ in _runs(ctx, 0, end):
        for line in text.splitlines():
            title = _clean_title(line)
            if title is not None and title == line.strip().strip("#").strip():
                return title
            found = found or title
    return found


# --- the whole ------------------------------------------------------------------------------


def assemble(document: Document) -> Report:
    """Build the report a document prints; never invents a value it cannot read."""
    stream = Stream(document)
    text = stream.text
    ctx = _Context(stream, TEMPLATE_2021, bytearray(len(text)))
    ctx.per_line = _prints_per_line(ctx)
    headings = _headings(text)
    spans = _spans(headings, len(text))
    first = min((start for start, _ in headings.values()), default=len(text))
    title = _title(ctx, first)
    metadata = _metadata(document, title, text)
    if is_pre_2019(text, metadata.reporting_year):
        return read_pre_2019(document, stream, metadata)
    ctx.template = _template(text, metadata.reporting_year)
    for spec in ctx.template.tables:
        headed = spec.section in spans
        start, end = spans[spec.section] if headed else _unheaded(ctx, headings, spec.section)
        if spec.key == "s4":
            _review_table(ctx, spec, start, end, headed=headed)
        elif spec.section == 2:
            _disclosure_table(ctx, spec, start, end)
        else:
            _labelled_table(ctx, spec, start, end)
    sections = tuple(
        _section(ctx, number, headings[number], spans[number]) for number in sorted(headings)
    )
    for body, where in _runs(ctx, 0, first):
        if body.strip():  # the title line too: it is read into the metadata, and kept as printed
            ctx.unplaced.append(Unplaced(body.strip(), PREAMBLE, where))
    for fragment in document.chrome:
        ctx.unplaced.append(Unplaced(fragment.text, "page chrome", fragment.where))
    return Report.from_cells(
        ctx.template,
        ctx.cells,
        metadata=metadata,
        sections=sections,
        provenance={c: p for c, p in ctx.provenance.items() if c in ctx.cells},
        unplaced=ctx.unplaced,
    )


def _unheaded(ctx: _Context, headings: dict[int, tuple[int, int]], number: int) -> tuple[int, int]:
    """Where a section whose heading was not found can be: after the text already read
    (the tables before it) and the headings before it, up to the next heading found."""
    start = max(
        ctx.consumed.rfind(b"\x01") + 1,
        max((end for n, (_, end) in headings.items() if n < number), default=0),
    )
    later = [first for n, (first, _) in headings.items() if n > number and first >= start]
    return start, min(later, default=len(ctx.stream.text))


def _disclosure_table(ctx: _Context, spec: TableSpec, start: int, end: int) -> None:
    """A section 2 item table: from its caption (第二十条第（…）项) to the next one."""
    declared = _table_layout(ctx.template, spec.key)
    caption = declared.caption.search(ctx.stream.text, start, end)
    if caption is not None:
        ctx.consume(caption.start(), caption.end())
        start = caption.end()
    later = [pattern.search(ctx.stream.text, start, end) for pattern in declared.other_captions]
    stops = [m.start() for m in later if m is not None and m.start() >= start]
    _labelled_table(ctx, spec, start, min(stops, default=end))
