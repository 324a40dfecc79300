"""Plain text and Markdown: crawler text, converter output, pipe-flattened web pages.

Lines holding ``|`` are table rows (Markdown tables and pipe-flattened pages alike); a
crawler's header block (``标题:`` … up to ``===== 正文 =====``) is page chrome: its facts go
to the metadata, never into the narrative.

Some crawlers print one cell per line with its boundary: ``规章 |`` then ``0 |`` (an empty cell
a bare ``|``), or the cell and a ``|`` on lines of their own. Such a run is one table row
whose cells are its lines, so an empty cell stays an empty cell between two boundaries.

>>> report = read_text("一、总体情况\\n本年度……\\n四、政府信息公开行政复议、行政诉讼情况\\n"
...                    "行政复议 | 行政诉讼\\n" + " | ".join(["0"] * 15))
>>> report["s4.review.total"], str(report.provenance["s4.review.total"])
(0, '<text>:5:17-17')
"""

from __future__ import annotations

import re

from ..cells import Provenance, _new_provenance
from ..model import Report
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid, refuse_long_text

__all__ = ["parse_text", "read_text"]

_CRAWLER_END = re.compile(r"^=+\s*正文\s*=+\s*$")
_FACT = re.compile(r"^\s*([^:：\s]{2,8})\s*[:：]\s*(.*)$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
#: A run of one-cell lines holds at least this many cells before it is read as one row.
_MIN_RUN = 3


def _cells(line: str, number: int, source: str | None) -> tuple[Fragment, ...]:
    """The cells of a pipe row, each with its character span on the line; an empty cell
    outside a leading or trailing ``|`` is no cell (``| a | b |`` holds two)."""
    texts = line.split("|")
    stripped = line.strip()
    first, last = 0, len(texts)
    start = 0
    if stripped.startswith("|") and not texts[0].strip():
        first, start = 1, len(texts[0]) + 1
    if stripped.endswith("|") and last > first and not texts[-1].strip():
        last -= 1
    cells = []
    for text in texts[first:last]:
        cells.append(Fragment(text, _new_provenance(source, number, start)))
        start += len(text) + 1
    return tuple(cells)


def _bar_runs(lines: list[str], first: int) -> dict[int, tuple[int, list[tuple[int, int, str]]]]:
    """Runs of one-cell lines: start index -> (end index, cells as (line, column, text)).

    A cell is ``X |`` on one line, or ``X`` on a line followed by a line holding only ``|``;
    a ``|`` line right after a boundary is an empty cell. Blank lines inside a run are
    skipped: they carry no cell.
    """
    runs: dict[int, tuple[int, list[tuple[int, int, str]]]] = {}
    if not any(line.count("|") == 1 and line.rstrip().endswith("|") for line in lines):
        return runs  # no line ends in its one boundary: no such run
    index = first
    while index < len(lines):
        cells: list[tuple[int, int, str]] = []
        at = index
        end = index
        while at < len(lines):
            stripped = lines[at].strip()
            if not stripped and cells:
                at += 1
                continue
            if stripped == "|" and cells:
                cells.append((at, lines[at].index("|"), ""))  # a boundary after a boundary
                at += 1
                end = at
                continue
            if stripped.count("|") == 1 and stripped.endswith("|") and stripped != "|":
                cells.append((at, 0, lines[at][: lines[at].index("|")]))
                at += 1
                end = at
                continue
            if stripped and "|" not in stripped:
                after = at + 1
                while after < len(lines) and not lines[after].strip():
                    after += 1
                if after < len(lines) and lines[after].strip() == "|":
                    cells.append((at, 0, lines[at]))
                    at = after + 1
                    end = at
                    continue
            break
        if len(cells) >= _MIN_RUN:
            runs[index] = (end, cells)
            index = end
        else:
            index += 1
    return runs


def parse_text(text: str, source: str | None = None) -> Document:
    """Text to a :class:`Document`: lines, and runs of pipe rows as grids."""
    refuse_long_text(len(text), source)
    lines = text.splitlines()
    facts: list[tuple[str, str]] = []
    chrome: list[Fragment] = []
    first = 0
    for index, line in enumerate(lines[:40]):
        if _CRAWLER_END.match(line):
            for number, header in enumerate(lines[:index], start=1):
                match = _FACT.match(header)
                if match:
                    facts.append((match.group(1), match.group(2).strip()))
                if header.strip():  # a fact is kept as printed too (标题: …, spam and all)
                    chrome.append(Fragment(header, _new_provenance(source, number)))
            first = index + 1
            break
    blocks: list[Block] = []
    grid: list[tuple[Fragment, ...]] = []

    def flush() -> None:
        if grid:
            blocks.append(Grid(tuple(grid), grid[0][0].where if grid[0] else Provenance()))
            grid.clear()

    runs = _bar_runs(lines, first)
    index = first
    while index < len(lines):
        line, number = lines[index], index + 1
        if index in runs:
            end, cells = runs[index]
            flush()
            row = tuple(
                Fragment(cell, _new_provenance(source, at + 1, column))
                for at, column, cell in cells
            )
            blocks.append(Grid((row,), row[0].where))
            index = end
            continue
        index += 1
        if "|" in line:
            if not _RULE.match(line):
                grid.append(_cells(line, number, source))
            continue
        flush()
        if line.strip():
            blocks.append(Fragment(line, _new_provenance(source, number, 0)))
    flush()
    return Document(tuple(blocks), source, tuple(facts), tuple(chrome))


def read_text(text: str, source: str | None = None) -> Report:
    """Read a report from text or Markdown."""
    return assemble(parse_text(text, source or "<text>"))
