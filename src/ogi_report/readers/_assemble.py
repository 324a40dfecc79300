"""From a :class:`Document` to a :class:`Report`: sections, tables, rows, cells, provenance.

The assembler finds the six section headings, then each standard table inside its section
by the row labels the format prints (with the variants real reports use), and reads each
row's cells from the text between its label and the next one. Where a row's pieces are
fewer than its cells, :mod:`._split` recovers the cuts from the table's identities. What it
cannot place goes to :attr:`Report.unplaced`; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from ..cells import MISSING, NOT_APPLICABLE_MARKS, Cell, Provenance, Unreadable
from ..dates import parse_date
from ..model import Metadata, Part, Report, Section, Unplaced
from ..rules.relations import Relation, relations
from ..templates import TEMPLATE_2019, TEMPLATE_2021, TableSpec, Template
from ._document import Document, Fragment
from ._labels import (
    CELL,
    LINE,
    NOWHERE,
    Label,
    Stream,
    label_pattern,
    normalise_label,
    table_labels,
    words,
)
from ._numbers import parse_value
from ._split import Budget, cuts, cuts_with_total, solve

__all__ = ["PREAMBLE", "assemble"]

#: The reason given for text before section 一 (the report's opening paragraph).
PREAMBLE = "preamble: text before section 一"

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

    def consume(self, start: int, end: int) -> None:
        self.consumed[start:end] = b"\x01" * (end - start)


# --- sections -----------------------------------------------------------------------------


def _headings(text: str) -> dict[int, tuple[int, int]]:
    """Section number -> (start, end) of its heading in the stream, in order."""
    found: dict[int, tuple[int, int]] = {}
    position = 0
    for number, (variants, fallback) in _HEADINGS.items():
        numeral = re.escape(_NUMERALS[number - 1])
        exact = "|".join(re.escape(normalise_label(v)) for v in variants)
        best = None
        for pattern in (
            rf"(?:^|(?<=[\n|#]))#*{numeral}[、.](?:{exact})",
            rf"(?:^|(?<=[\n|#]))#*{numeral}[、.][^\n|。]{{0,24}}?(?:{fallback})[^\n|。]{{0,24}}?情况",
            rf"#*{numeral}[、.](?:{exact})",
        ):
            match = re.compile(pattern).search(text, position)
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


def _pieces(ctx: _Context, start: int, end: int, noise: Sequence[re.Pattern[str]]) -> list[_Piece]:
    """The printed pieces between ``start`` and ``end``: cells and whitespace-split runs.

    Known non-data words (group labels, column headers, page footers) are cut out first.
    """
    text = ctx.stream.text
    blocked = bytearray(end - start)
    for pattern in (*noise, _FOOTER):
        for match in pattern.finditer(text, start, end):
            if match.start() == match.end():
                continue
            blocked[match.start() - start : match.end() - start] = b"\x01" * (
                match.end() - match.start()
            )
            if pattern is _FOOTER:
                ctx.consume(match.start(), match.end())
                ctx.unplaced.append(
                    Unplaced(
                        match.group(0),
                        "page footer inside a table",
                        ctx.stream.provenance(match.start(), match.end()),
                    )
                )
    pieces: list[_Piece] = []
    current: list[int] = []
    # Between printed cell boundaries a space is part of the cell (见 附件); only where no
    # boundary is printed does a space separate values (the crawler's 0 0 0 00).
    split_on_spaces = CELL not in text[start:end]
    cells_seen = False
    cell_had_text = False  # a header cell cut out as noise is not an empty cell

    def close(boundary: str | None, position: int) -> None:
        nonlocal cells_seen, cell_had_text
        if current:
            first, last = current[0], current[-1] + 1
            pieces.append(_Piece(text[first:last], first, last, ctx.stream.printed(first, last)))
        elif boundary is not None and cells_seen and not cell_had_text:
            pieces.append(_Piece("", position, position))  # an empty cell between boundaries
        current.clear()
        if boundary is not None:
            cell_had_text = False

    for position in range(start, end):
        char = text[position]
        if blocked[position - start]:
            close(None, position)
            cell_had_text = True
            continue
        if char in (CELL, LINE):
            close(char, position)
            cells_seen = cells_seen or char == CELL
            continue
        if split_on_spaces and ctx.stream.gap[position] and current:
            close(None, position)
        current.append(position)
        cell_had_text = True
    # A row cut at its line end still closes its last cell there (an empty last cell counts).
    close(text[end] if end < len(text) and text[end] in (CELL, LINE) else None, end)
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
    pieces: list[_Piece], spec: TableSpec, explicit: bool, budget: Budget
) -> tuple[list[tuple[Cell, ...]], list[_Piece]]:
    """Every reading of a row's pieces as the table's cells; the pieces left over."""
    width = len(spec.columns)
    money = [column.is_money for column in spec.columns]
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


def _noise(spec: TableSpec, template: Template) -> tuple[re.Pattern[str], ...]:
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
    return (*words([*headers, *groups, *captions, *extra]), _GENERIC_HEADER)


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
    """True if the line after a label holds a number or a not-applicable mark."""
    stop = _cut_at_line(ctx, start, end)
    line = ctx.stream.text[start:stop]
    return any(
        not isinstance(parse_value(piece), Unreadable) and piece
        for piece in re.split(r"[|\n]", line)
    ) or bool(re.match(r"[|\n]*\d", line))


def _cut_at_line(ctx: _Context, start: int, end: int) -> int:
    """A row's data ends at the first line break after its first printed character."""
    text = ctx.stream.text
    seen = False
    for position in range(start, end):
        char = text[position]
        if char == LINE and seen:
            return position
        if char != LINE:
            seen = True  # a printed character, or a cell boundary of a grid row
    return end


def _read_rows(
    ctx: _Context,
    spec: TableSpec,
    rows: list[tuple[str, list[_Piece]]],
) -> None:
    """Readings for every row found, then the cuts the identities allow, into ``ctx``."""
    readings: dict[tuple[str, ...], list[tuple[Cell, ...]]] = {}
    sources: dict[tuple[str, ...], list[_Piece]] = {}
    for key, pieces in rows:
        codes = spec.row_codes(key)
        found, left = _readings(pieces, spec, _explicit(ctx, pieces), ctx.budget)
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
    identities = [
        r
        for r in relations(ctx.template)
        if r.rule in _IDENTITY_RULES and all(c.startswith(f"s{spec.section}.") for c in r.cells)
    ]
    solved = solve(readings, ctx.cells, _table_identities(identities, spec))
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
        direct = len([p for p in pieces if p.text]) == width or len(pieces) == width
        for index, code in enumerate(codes):
            ctx.cells[code] = solved[code]
            piece = (
                pieces[index]
                if direct and len(pieces) == width
                else _covering(pieces, index, width)
            )
            where = ctx.stream.provenance(piece.start, piece.end) if piece.text else None
            if where is not None:
                ctx.provenance[code] = where


def _table_identities(identities: list[Relation], spec: TableSpec) -> list[Relation]:
    prefix = "s3." if spec.key == "s3" else "s4." if spec.key == "s4" else "s2."
    return [r for r in identities if all(c.startswith(prefix) for c in r.cells)]


def _covering(pieces: list[_Piece], index: int, width: int) -> _Piece:
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
            ctx.consume(match.start(), match.end())
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
    labels = table_labels(spec)
    spans = _row_spans(ctx, labels, start, end)
    if not spans:
        return False
    noise = _noise(spec, ctx.template)
    own = {label.key: label.patterns for label in labels}
    rows = []
    last_end = spans[0][1]
    for key, _, data_start, data_end in spans:
        data_end = _cut_at_line(ctx, data_start, data_end)
        # A label cell spanning several grid columns repeats: its copies are not data.
        pieces = _pieces(ctx, data_start, data_end, (*noise, *own[key]))
        last_end = data_end
        if spec.row(key).optional and not any(p.text for p in pieces):
            continue  # a group heading such as （三）不予公开, not a printed subtotal
        rows.append((key, pieces))
    found = {key for key, _ in rows}
    if not any(not spec.row(key).optional for key in found):
        return False
    # From its header to its last row the table is layout and cells: group labels and header
    # rows between its rows (a converter's one table per row) are not narrative.
    layout = (*noise, *(pattern for label in labels for pattern in label.patterns))
    table_start = _header_start(ctx, noise, start, spans[0][1])
    _claim(ctx, spec.key, table_start, last_end, layout, (p for _, ps in rows for p in ps))
    for row in spec.rows:
        if not row.optional and row.key not in found:
            ctx.cells.update(dict.fromkeys(spec.row_codes(row.key), MISSING))
    _read_rows(ctx, spec, rows)
    if spec.key == "s3":
        _merged_other(ctx, spec)
    return True


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


def _review_table(ctx: _Context, spec: TableSpec, start: int, end: int) -> bool:
    """Section 4 prints no row labels: its 15 cells follow the header, group by group."""
    text = ctx.stream.text
    headers = words(_S4_WORDS)
    has_header = any(pattern.search(text, start, end) for pattern in headers)
    pieces = [p for p in _pieces(ctx, start, end, headers) if p.start >= start]
    data: list[_Piece] = []
    leading: list[_Piece] = []  # empty cells before the first printed one, on its line
    previous_end = start
    for piece in pieces:
        if piece.text and _PUNCTUATION.fullmatch(piece.text):
            continue  # what is left of a heading between the tables (### …（…）)
        if not data and LINE in text[previous_end : piece.start]:
            leading.clear()  # empty cells of a header row above are not the data row's
        previous_end = piece.end
        value = parse_value(piece.text)
        if (
            isinstance(value, int)
            or not piece.text
            or piece.text in NOT_APPLICABLE_MARKS
            or _all_digits(piece.text)
        ):
            if piece.text or data:
                data.append(piece)
            else:
                leading.append(piece)
        elif data:
            break
        else:
            leading.clear()  # text in between: those empty cells are not the data row's
    groups = [row.key for row in spec.rows]
    width = len(spec.columns)
    if data and len(leading) + len(data) == width * len(groups):
        data = leading + data  # the data row's first cells printed empty
    if not data and has_header:
        blanks = [p for p in pieces if not p.text]
        if len(blanks) == width * len(groups):
            data = blanks  # a table printed with every cell empty (the blank form)
    if not data or (not has_header and len(data) != width * len(groups)):
        return False  # no header and not fifteen numbers: not section 4's table
    header = [m.start() for p in headers if (m := p.search(text, start, end)) is not None]
    _claim(ctx, spec.key, min([*header, data[0].start]), max(p.end for p in data), headers, pieces)
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
    identities = _table_identities(
        [r for r in relations(ctx.template) if r.rule in _IDENTITY_RULES], spec
    )
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


def _all_digits(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9０-９]+", text))


# --- narrative and metadata -----------------------------------------------------------------


_SUBHEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)"
)


def _runs(ctx: _Context, start: int, end: int) -> list[tuple[str, Provenance | None]]:
    """The unconsumed source text of ``start:end``, one run per stretch of one fragment."""
    stream = ctx.stream
    runs: list[tuple[str, Provenance | None]] = []
    first = last = NOWHERE  # stream positions of the open run's first and last characters

    def close() -> None:
        nonlocal first
        if first != NOWHERE:
            fragment = stream.fragments[stream.fragment[first]]
            text = fragment.text[stream.offset[first] : stream.offset[last] + 1]
            runs.append((text, fragment.where))
            first = NOWHERE

    for position in range(start, end):
        fragment = stream.fragment[position]
        if ctx.consumed[position] or fragment == NOWHERE:
            close()
            continue
        if first != NOWHERE and stream.fragment[last] != fragment:
            close()
        if first == NOWHERE:
            first = position
        last = position
    close()
    return runs


def _section(
    ctx: _Context, number: int, heading: tuple[int, int], body: tuple[int, int]
) -> Section:
    heading_text = "".join(text for text, _ in _runs(ctx, *heading)) or _HEADINGS[number][0][0]
    ctx.consume(*heading)
    parts: list[Part] = []
    title: str | None = None
    lines: list[str] = []
    for text, _ in _runs(ctx, *body):
        for line in text.splitlines():
            line = line.strip()
            if not line or set(line) <= set("|-:# "):
                continue
            if _SUBHEADING.match(line) and len(line) <= 40:
                if lines or title is not None:
                    parts.append(Part(title, "\n".join(lines)))
                title, lines = line.lstrip("# ").strip(), []
            else:
                lines.append(line.strip("| "))
    if lines or title is not None:
        parts.append(Part(title, "\n".join(lines)))
    return Section(number, heading_text.lstrip("# ").strip(), tuple(parts))


_YEAR = re.compile(r"(20\d{2})\s*年\s*度?")


def _metadata(document: Document, title: str | None) -> Metadata:
    facts = dict(document.facts)
    title = facts.get("标题") or title
    year = agency = None
    if title:
        compact = re.sub(r"\s+", "", title)
        match = _YEAR.search(compact)
        if match:
            year = int(match.group(1))
            agency = compact[: match.start()].strip("《") or None
    agency = facts.get("发布机构") or agency
    published = _dated(document)
    for key in ("发布时间", "公开日期", "发布日期", "成文日期", "日期"):
        if facts.get(key) and published is None:
            try:
                published = parse_date(facts[key].strip())
                break
            except ValueError:
                continue
    return Metadata(
        agency=agency, reporting_year=year, published_on=published, source=document.source
    )


_DATE_LINE = re.compile(r"^\s*[(（]?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[)）]?\s*$")


def _dated(document: Document) -> date | None:
    """A date printed on a line of its own under the title, as reports sign them."""
    for block in document.blocks[:8]:
        if isinstance(block, Fragment):
            match = _DATE_LINE.match(block.text)
            if match:
                try:
                    return parse_date(match.group(1))
                except ValueError:
                    return None
    return None


def _title(ctx: _Context, end: int) -> str | None:
    for text, _ in _runs(ctx, 0, end):
        for line in text.splitlines():
            if re.search(r"年度?报告|年报", line):
                return line.strip("# ").strip()
    return None


# --- the whole ------------------------------------------------------------------------------


def assemble(document: Document) -> Report:
    """Build the report a document prints; never invents a value it cannot read."""
    stream = Stream(document)
    text = stream.text
    ctx = _Context(stream, TEMPLATE_2021, bytearray(len(text)))
    headings = _headings(text)
    spans = _spans(headings, len(text))
    first = min((start for start, _ in headings.values()), default=len(text))
    title = _title(ctx, first)
    metadata = _metadata(document, title)
    ctx.template = _template(text, metadata.reporting_year)
    for spec in ctx.template.tables:
        start, end = spans.get(spec.section, (0, len(text)))
        if spec.key == "s4":
            _review_table(ctx, spec, start, end)
        elif spec.section == 2:
            _disclosure_table(ctx, spec, start, end)
        else:
            _labelled_table(ctx, spec, start, end)
    sections = tuple(
        _section(ctx, number, headings[number], spans[number]) for number in sorted(headings)
    )
    for body, where in _runs(ctx, 0, first):
        if body.strip() and body.strip() != (title or ""):
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


def _disclosure_table(ctx: _Context, spec: TableSpec, start: int, end: int) -> None:
    """A section 2 item table: from its caption (第二十条第（…）项) to the next one."""
    caption = label_pattern(normalise_label(spec.caption_zh)).search(ctx.stream.text, start, end)
    if caption is not None:
        ctx.consume(caption.start(), caption.end())
        start = caption.end()
    later = [
        label_pattern(normalise_label(t.caption_zh)).search(ctx.stream.text, start, end)
        for t in ctx.template.tables
        if t.section == 2 and t.key != spec.key
    ]
    stops = [m.start() for m in later if m is not None and m.start() >= start]
    _labelled_table(ctx, spec, start, min(stops, default=end))
