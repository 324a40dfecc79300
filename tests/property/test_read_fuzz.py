"""Fuzzing the readers with reports printed back: what was printed is what is read.

- Round trip: a generated report printed with ``to_markdown`` reads back with the same cells,
  cell for cell (kind, digits, mark); a cell read as Ambiguous passes only if its true value is
  among the candidates. Anything else (a wrong number, a blank read as 0, MISSING, a row more
  or less) is a failure.
- Variations: the same holds when the printed text is varied the way real reports vary, one
  or several at a time: full-width digits (０-９) in cells; blank cells; not-applicable marks;
  spaces inside labels (只计这一情 形); ``1、`` for ``1.``; a section 3 row flattened to its
  digits run together (``（一）予以公开 7000007``: the right values or Ambiguous holding them,
  never a wrong number; MISSING only for a row printed so, and only where ``Report.unplaced``
  says the reader could not read it: too many ways to cut its digits to list them all).
- HTML: the same for ``to_html``, and for its label cells merged differently (a merged cell
  split into copies of itself, or into smaller merged cells); skipped until the HTML reader
  (``ogi_report.readers.html``) exists.
- Robustness: random text, random bytes and every truncation of a printed report either read
  or raise ``InputError``, and never hang.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from copy import deepcopy
from dataclasses import dataclass, field
from types import FrameType, ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, note, settings, target
from hypothesis import strategies as st

import ogi_report
from ogi_report import BLANK, MISSING, Ambiguous, Cell, InputError, NotApplicable, Report
from ogi_report.cells import format_cell
from ogi_report.strategies import reports
from ogi_report.templates import TEMPLATES
from ogi_report.writers.render import (
    APPLICANTS,
    BALANCE_NOTE,
    HEADINGS,
    ITEM_CORNER,
    to_html,
    to_markdown,
)

#: Seconds one read may take before it counts as a hang.
HANG_SECONDS = 10
#: Marks that normalisation leaves as they are (full-width ／ and － fold to / and -).
MARKS = ("/", "—", "——", "-", "--", "无")
FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
SPACES = (" ", "  ", "\u3000", "\u00a0")
VARIATIONS = ("full_width", "spaced_labels", "list_markers", "flattened")

#: Sized for the whole module to run in well under a minute when every law holds: a report
#: is read in about 10 ms, but a flattened row can take a second (its digits cut every way).
FUZZ = settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
ROBUST = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


# --- comparing ----------------------------------------------------------------------------------


def _same(expected: Cell, got: Cell) -> bool:
    """The same kind and the same printed form (every digit of a Decimal, the same mark)."""
    return type(expected) is type(got) and format_cell(expected) == format_cell(got)


def _acceptable(expected: Cell, got: Cell) -> bool:
    """Read right, or read ambiguous with the right value among the candidates."""
    if _same(expected, got):
        return True
    return isinstance(got, Ambiguous) and any(_same(expected, c) for c in got.candidates)


def _mismatches(expected: Report, got: Report, flattened: Iterable[str] = ()) -> list[str]:
    """Every cell read wrong, missing or extra, as ``code: expected -> got`` lines.

    ``flattened`` names the rows (``s3.granted``) printed as one run of digits: such a row
    may be MISSING if the reader says in ``Report.unplaced`` that it could not read it (its
    digits cut too many ways to list them all). That is never a wrong number.
    """
    want, have = expected.values(), got.values()
    unread = {
        item.reason.split(":")[0].removeprefix("row ")
        for item in got.unplaced
        if item.reason.startswith("row ")
    } & set(flattened)
    wrong = [
        f"{code}: {want[code]!r} -> {have.get(code, 'not read')!r}"
        for code in want
        if code not in have
        or not (
            _acceptable(want[code], have[code])
            or (have[code] is MISSING and _row_of(code) in unread)
        )
    ]
    wrong += [f"{code}: not printed -> {have[code]!r}" for code in have if code not in want]
    if got.template is not expected.template:
        wrong.insert(0, f"format {expected.template.version} read as {got.template.version}")
    return wrong


def _row_of(code: str) -> str:
    """``s3.new`` for ``s3.new.total``: the row a cell belongs to."""
    return ".".join(code.split(".")[:2])


class ReaderHang(Exception):
    """A read that took longer than :data:`HANG_SECONDS`."""


@contextmanager
def _bounded(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`ReaderHang` inside the block once ``seconds`` have passed (POSIX only)."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows has no alarm signal
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise ReaderHang(f"read() did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read(source: str | bytes) -> Report:
    with _bounded():
        return ogi_report.read(source)


def _assert_reads_back(expected: Report, printed: str, flattened: Iterable[str] = ()) -> None:
    """``printed`` reads back with ``expected``'s cells; notes the input when it does not."""
    wrong = _mismatches(expected, _read(printed), flattened)
    if wrong:
        note("printed input:\n" + printed)
        note("read wrong:\n" + "\n".join(wrong))
    assert not wrong, wrong[:10]


# --- the printed Markdown, as lines to vary ----------------------------------------------------


@dataclass
class Line:
    """One line of printed Markdown: text, or a pipe row with its cells and table."""

    text: str
    cells: list[str] = field(default_factory=list)
    table: str | None = None
    """``s2``, ``s3`` or ``s4`` for a data row (labelled, or section 4's fifteen cells)."""
    row: str | None = None
    """The row a labelled line prints (``s3.granted``); None for a group heading."""
    flat: bool = False

    @property
    def labelled(self) -> bool:
        """True for a section 2 or 3 row: its label in the first cell, its values after."""
        return self.table in ("s2", "s3")

    @property
    def values(self) -> list[str]:
        """The value cells' texts (all of section 4's row)."""
        return self.cells[1:] if self.labelled else self.cells if self.table else []

    def set_values(self, values: Sequence[str]) -> None:
        """Replace the value cells."""
        self.cells[len(self.cells) - len(values) :] = list(values)

    def render(self) -> str:
        """The line as printed."""
        if self.flat:
            return f"{self.cells[0]} {''.join(self.values)}"
        if self.cells:
            return "| " + " | ".join(self.cells) + " |"
        return self.text


def _labels(report: Report) -> dict[str, tuple[str, str | None]]:
    """Every label a labelled row prints -> its table (``s2``, ``s3``) and row (``s3.new``).

    A group label (三、本年度办理结果, （三）不予公开) prints on a row of its own: it is the
    row of its subtotal where the format has one, else of no row.
    """
    found: dict[str, tuple[str, str | None]] = {}
    for spec in report.template.tables:
        if spec.section in (2, 3):
            table = f"s{spec.section}"
            for row in spec.rows:
                for label in row.zh[:-1]:
                    found.setdefault(label, (table, None))
            for row in spec.rows:
                found[row.zh[-1]] = (table, f"s{spec.section}.{row.key}")
    return found


def _lines(markdown: str, report: Report) -> list[Line]:
    """The printed Markdown as lines, the data rows told apart from headers and text."""
    labels = _labels(report)
    lines = []
    for text in markdown.splitlines():
        if not (text.startswith("| ") and text.endswith(" |")):
            lines.append(Line(text))
            continue
        cells = [cell.strip() for cell in text[1:-1].split("|")]
        if cells[0] in labels:
            table, row = labels[cells[0]]
            lines.append(Line(text, cells, table, row))
        elif len(cells) == 15 and all(re.fullmatch(r"[\d/—\-无.]*", cell) for cell in cells):
            lines.append(Line(text, cells, "s4"))
        else:
            lines.append(Line(text, cells))
    return lines


def _text(lines: Sequence[Line]) -> str:
    return "\n".join(line.render() for line in lines) + "\n"


# --- variations ---------------------------------------------------------------------------------


def _value_slots(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """(line, value index) of every value cell that prints a number."""
    return [
        (i, j)
        for i, line in enumerate(lines)
        for j, value in enumerate(line.values)
        if re.fullmatch(r"-?\d+(\.\d+)?(万元)?", value)
    ]


def _full_width(data: st.DataObject, lines: list[Line]) -> None:
    """Some numbers (or all) printed in full-width digits (point and minus too)."""
    slots = _value_slots(lines)
    if not slots:
        return
    everything = data.draw(st.booleans(), label="all numbers full-width")
    chosen = slots if everything else data.draw(st.lists(st.sampled_from(slots), min_size=1))
    for i, j in chosen:
        values = lines[i].values
        values[j] = values[j].translate(FULL_WIDTH)
        lines[i].set_values(values)


def _label_lines(lines: Sequence[Line]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.labelled]


def _label_slots(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """(line, cell) of every printed label: row labels, column headers, captions."""
    return [
        (i, j)
        for i, line in enumerate(lines)
        for j, cell in enumerate(line.cells)
        if len(cell) > 1 and ((j == 0 and line.labelled) or line.table is None)
    ]


def _spaced_labels(data: st.DataObject, lines: list[Line]) -> None:
    """Spaces (ASCII, ideographic, no-break) inside some labels, as converters leave them."""
    for i, j in data.draw(st.lists(st.sampled_from(_label_slots(lines)), min_size=1, max_size=8)):
        label = lines[i].cells[j]
        at = data.draw(st.integers(1, len(label) - 1), label="space at")
        lines[i].cells[j] = label[:at] + data.draw(st.sampled_from(SPACES)) + label[at:]


def _list_markers(data: st.DataObject, lines: list[Line]) -> None:
    """``1、`` or ``1．`` for the list marker ``1.`` of labels (all of them, or some)."""
    marked = [i for i in _label_lines(lines) if re.match(r"\d+\.", lines[i].cells[0])]
    everything = data.draw(st.booleans(), label="every marker")
    chosen = marked if everything else data.draw(st.lists(st.sampled_from(marked), min_size=1))
    for i in chosen:
        marker = data.draw(st.sampled_from(("、", "．")), label="marker")
        lines[i].cells[0] = re.sub(r"^(\d+)\.", rf"\g<1>{marker}", lines[i].cells[0])


def _flattenable(lines: Sequence[Line]) -> list[int]:
    """Section 3 rows that print only counts (no blank, mark or amount to lose)."""
    return [
        i
        for i, line in enumerate(lines)
        if line.table == "s3"
        and line.values
        and all(re.fullmatch(r"[0-9０-９]+", value) for value in line.values)
    ]


def _flattened(data: st.DataObject, lines: list[Line]) -> None:
    """Some section 3 rows lose their separators: ``（一）予以公开 7000007``."""
    rows = _flattenable(lines)
    if rows:
        for i in data.draw(st.lists(st.sampled_from(rows), min_size=1, max_size=2)):
            lines[i].flat = True


APPLY: dict[str, Callable[[st.DataObject, list[Line]], None]] = {
    "full_width": _full_width,
    "spaced_labels": _spaced_labels,
    "list_markers": _list_markers,
    "flattened": _flattened,
}


@dataclass
class Varied:
    """A report printed as Markdown and varied: the text, and which rows lost separators."""

    text: str
    flattened: list[str]
    """The rows (``s3.granted``) printed as one run of digits."""
    longest_run: int
    """The most digits run together in one flattened row (0 if none)."""


def _vary(data: st.DataObject, report: Report, variations: Sequence[str]) -> Varied:
    """``report`` printed as Markdown, then varied by each of ``variations`` in turn."""
    lines = _lines(to_markdown(report), report)
    for name in variations:
        APPLY[name](data, lines)
    flat = [line for line in lines if line.flat]
    return Varied(
        _text(lines),
        [line.row for line in flat if line.row is not None],
        max((len("".join(line.values)) for line in flat), default=0),
    )


def _planted(data: st.DataObject, report: Report, cells: st.SearchStrategy[Cell]) -> Report:
    """``report`` with one to six of its cells replaced by ``cells``.

    Never a whole section 3 row (seven cells): a printed subtotal row left all blank is
    indistinguishable from its group's heading row.
    """
    codes = sorted(report.values())
    chosen = data.draw(st.dictionaries(st.sampled_from(codes), cells, min_size=1, max_size=6))
    return report.replace_cells(chosen)


# --- Markdown -----------------------------------------------------------------------------------


@FUZZ
@given(reports())
def test_markdown_round_trip(report: Report) -> None:
    """A generated report printed as Markdown reads back with the same cells."""
    _assert_reads_back(report, to_markdown(report))


@FUZZ
@given(reports(), st.data())
def test_full_width_digits(report: Report, data: st.DataObject) -> None:
    """Numbers printed in full-width digits read as the same numbers."""
    _assert_reads_back(report, _vary(data, report, ["full_width"]).text)


@FUZZ
@given(reports(), st.data())
def test_blank_cells_read_blank(report: Report, data: st.DataObject) -> None:
    """Cells printed empty read back BLANK, never 0, and leave their neighbours right."""
    blanked = _planted(data, report, st.just(BLANK))
    _assert_reads_back(blanked, to_markdown(blanked))


@FUZZ
@given(reports(), st.data())
def test_slash_marks_read_not_applicable(report: Report, data: st.DataObject) -> None:
    """Cells printed ``/`` read back as that not-applicable mark."""
    marked = _planted(data, report, st.just(NotApplicable("/")))
    _assert_reads_back(marked, to_markdown(marked))


@FUZZ
@given(reports(), st.data())
def test_other_marks_read_not_applicable(report: Report, data: st.DataObject) -> None:
    """Cells printed —, ——, -, -- or 无 read back as that mark."""
    marked = _planted(data, report, st.sampled_from(MARKS).map(NotApplicable))
    _assert_reads_back(marked, to_markdown(marked))


@FUZZ
@given(reports(), st.data())
def test_spaces_inside_labels(report: Report, data: st.DataObject) -> None:
    """Spaces inside row labels (只计这一情 形) do not change what is read."""
    _assert_reads_back(report, _vary(data, report, ["spaced_labels"]).text)


@FUZZ
@given(reports(), st.data())
def test_list_markers(report: Report, data: st.DataObject) -> None:
    """``1、`` and ``1．`` for ``1.`` in labels do not change what is read."""
    _assert_reads_back(report, _vary(data, report, ["list_markers"]).text)


@SLOW
@given(reports(), st.data())
def test_flattened_rows(report: Report, data: st.DataObject) -> None:
    """Section 3 rows run together (``（一）予以公开 7000007``) read right or ambiguous."""
    varied = _vary(data, report, ["flattened"])
    # Steer towards long runs: the more digits run together, the more ways to cut them.
    target(float(varied.longest_run), label="digits run together")
    _assert_reads_back(report, varied.text, varied.flattened)


@SLOW
@given(reports(), st.data(), st.lists(st.sampled_from(VARIATIONS), min_size=2, unique=True))
def test_variations_together(report: Report, data: st.DataObject, variations: list[str]) -> None:
    """Several variations at once, on a report with blanks and marks, still read right."""
    if data.draw(st.booleans(), label="plant blanks and marks"):
        report = _planted(data, report, st.sampled_from([BLANK, NotApplicable("/")]))
    varied = _vary(data, report, variations)
    _assert_reads_back(report, varied.text, varied.flattened)


# --- HTML ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_reader() -> ModuleType:
    """The HTML reader, or a skip while it does not exist yet."""
    module: ModuleType = pytest.importorskip("ogi_report.readers.html")
    return module


@dataclass
class Span:
    """A table cell placed on the grid: where it starts, how far it spans, what it holds."""

    row: int
    column: int
    rowspan: int
    colspan: int
    element: Any


def _spans(table: Any) -> list[Span]:
    """Every cell of an lxml table with its grid position (merged cells resolved)."""
    taken: set[tuple[int, int]] = set()
    spans = []
    for r, tr in enumerate(table.iter("tr")):
        column = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, column) in taken:
                column += 1
            rowspan = int(cell.get("rowspan", "1"))
            colspan = int(cell.get("colspan", "1"))
            taken |= {(r + i, column + j) for i in range(rowspan) for j in range(colspan)}
            spans.append(Span(r, column, rowspan, colspan, cell))
            column += colspan
    return spans


def _pieces(data: st.DataObject, span: Span) -> list[tuple[int, int, int, int]]:
    """A random guillotine cut of a merged cell's rectangle: (row, column, rows, columns)."""
    rect = [(span.row, span.column, span.rowspan, span.colspan)]
    done = []
    while rect:
        row, column, rows, columns = rect.pop()
        how = data.draw(
            st.sampled_from(
                ["keep"] + (["rows"] if rows > 1 else []) + (["columns"] if columns > 1 else [])
            ),
            label="cut",
        )
        if how == "rows":
            at = data.draw(st.integers(1, rows - 1), label="cut after rows")
            rect += [(row, column, at, columns), (row + at, column, rows - at, columns)]
        elif how == "columns":
            at = data.draw(st.integers(1, columns - 1), label="cut after columns")
            rect += [(row, column, rows, at), (row, column + at, rows, columns - at)]
        else:
            done.append((row, column, rows, columns))
    return done


def _remerged(data: st.DataObject, html: str, labels: set[str]) -> str:
    """``html`` with its merged label cells cut into copies of themselves, merged anew."""
    from lxml import html as lxml_html

    document = lxml_html.document_fromstring(html)
    for table in document.iter("table"):
        spans = _spans(table)
        merged = [
            s
            for s in spans
            if (s.rowspan > 1 or s.colspan > 1)
            and (s.element.tag == "th" or (s.element.text or "") in labels)
        ]
        chosen = data.draw(st.lists(st.sampled_from(merged), unique_by=id)) if merged else []
        placed: list[tuple[int, int, Any]] = [(s.row, s.column, s.element) for s in spans]
        for span in chosen:
            placed.remove((span.row, span.column, span.element))
            for row, column, rows, columns in _pieces(data, span):
                copy = deepcopy(span.element)
                copy.tail = None
                for name, size in (("rowspan", rows), ("colspan", columns)):
                    copy.attrib.pop(name, None)
                    if size > 1:
                        copy.set(name, str(size))
                placed.append((row, column, copy))
        trs = list(table.iter("tr"))
        for tr in trs:
            for cell in list(tr):
                tr.remove(cell)
        for row, _, cell in sorted(placed, key=lambda item: (item[0], item[1])):
            trs[row].append(cell)
    printed: str = lxml_html.tostring(document, encoding="unicode")
    return "<!DOCTYPE html>\n" + printed


@FUZZ
@given(reports(), st.data())
def test_html_round_trip(html_reader: ModuleType, report: Report, data: st.DataObject) -> None:
    """A generated report printed as HTML (some cells blank or /) reads back the same."""
    if data.draw(st.booleans(), label="plant blanks and marks"):
        report = _planted(data, report, st.sampled_from([BLANK, NotApplicable("/")]))
    _assert_reads_back(report, to_html(report))


@FUZZ
@given(reports(), st.data())
def test_html_merged_differently(
    html_reader: ModuleType, report: Report, data: st.DataObject
) -> None:
    """Label cells merged differently (split into copies, spans cut) read back the same."""
    labels = set(_labels(report))
    _assert_reads_back(report, _remerged(data, to_html(report), labels))


# --- robustness ---------------------------------------------------------------------------------


def _reads_or_refuses(source: str | bytes) -> None:
    """``read(source)`` returns a report or raises InputError, within the time bound."""
    with suppress(InputError):
        _read(source)


@ROBUST
@given(st.text(max_size=400))
@example("x" * 256)  # a str with no line break is tried as a path first: too long a name
@example("文" * 86)
@example("\ud800\n")  # a lone surrogate: a str Python allows and UTF-8 cannot encode
def test_random_text(text: str) -> None:
    """Random text reads or raises InputError, nothing else."""
    _reads_or_refuses(text)


@ROBUST
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    """Random bytes read or raise InputError, nothing else."""
    _reads_or_refuses(data)


def _tokens() -> list[str]:
    """The words a report is made of: headings, labels, captions, marks, separators."""
    words = {*HEADINGS, BALANCE_NOTE, APPLICANTS, ITEM_CORNER, *MARKS, "元", "万元", "总计"}
    for template in TEMPLATES:
        for spec in template.tables:
            words.add(spec.caption_zh)
            words.update(label for row in spec.rows for label in row.zh)
            words.update(label for column in spec.columns for label in column.zh)
    return [*sorted(words), "|", " | ", "\n", "\n| ", " |\n", " ", "\u3000", "、", "1、", "## "]


TOKENS = _tokens()
NUMBERS = st.integers(0, 10**6).map(str) | st.decimals(0, 10**4, places=2).map(str)
REPORT_LIKE = st.lists(st.sampled_from(TOKENS) | NUMBERS, max_size=150).map("".join)
SPAN = st.integers(0, 40).map(str)
TAGS = (
    st.sampled_from(["<table>", "</table>", "<tr>", "</tr>", "</td>", "<p>", "<br>", "</th>"])
    | st.builds("<td rowspan={}>".format, SPAN)
    | st.builds("<td colspan={}>".format, SPAN)
    | st.builds('<th colspan="{}" rowspan="{}">'.format, SPAN, SPAN)
    | st.just("<td>")
)
HTML_LIKE = st.lists(st.sampled_from(TOKENS) | NUMBERS | TAGS, max_size=150).map(
    lambda parts: "<html><body>" + "".join(parts)
)


@ROBUST
@given(REPORT_LIKE)
def test_report_like_text(text: str) -> None:
    """Text made of a report's own words, numbers and pipes reads or raises InputError."""
    _reads_or_refuses(text.encode())


@ROBUST
@given(HTML_LIKE)
def test_report_like_html(html_reader: ModuleType, page: str) -> None:
    """HTML made of table tags (odd spans too) and a report's words reads or raises InputError."""
    _reads_or_refuses(page.encode())


def _cut_points(data: st.DataObject, size: int, count: int = 20) -> list[int]:
    """About ``count`` places to cut ``size`` bytes: evenly spread, each moved a little."""
    step = max(1, size // count)
    return [
        min(size, at + data.draw(st.integers(0, step - 1), label="shift"))
        for at in range(0, size, step)
    ]


@settings(deadline=None, max_examples=6, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_truncated_markdown(report: Report, data: st.DataObject) -> None:
    """A printed Markdown report cut anywhere (mid-character too) reads or raises InputError."""
    printed = to_markdown(report).encode()
    for at in _cut_points(data, len(printed)):
        _reads_or_refuses(printed[:at])


@settings(deadline=None, max_examples=6, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.data())
def test_truncated_html(html_reader: ModuleType, report: Report, data: st.DataObject) -> None:
    """A printed HTML report cut anywhere reads or raises InputError."""
    printed = to_html(report).encode()
    for at in _cut_points(data, len(printed)):
        _reads_or_refuses(printed[:at])
