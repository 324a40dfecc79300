"""Plain text and Markdown: crawler text, converter output, pipe-flattened web pages.

Lines holding ``|`` are table rows (Markdown tables and pipe-flattened pages alike); a
crawler's header block (``标题:`` … up to ``===== 正文 =====``) is page chrome: its facts go
to the metadata, never into the narrative.

>>> report = read_text("一、总体情况\\n本年度……\\n四、政府信息公开行政复议、行政诉讼情况\\n"
...                    "行政复议 | 行政诉讼\\n" + " | ".join(["0"] * 15))
>>> report["s4.review.total"], str(report.provenance["s4.review.total"])
(0, '<text>:5:17-17')
"""

from __future__ import annotations

import re

from ..cells import Provenance
from ..model import Report
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid, refuse_long_text

__all__ = ["parse_text", "read_text"]

_CRAWLER_END = re.compile(r"^=+\s*正文\s*=+\s*$")
_FACT = re.compile(r"^\s*([^:：\s]{2,8})\s*[:：]\s*(.*)$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def _cells(line: str, number: int, source: str | None) -> tuple[Fragment, ...]:
    """The cells of a pipe row, each with its character span on the line."""
    cells = []
    start = 0
    for index, char in enumerate(line + "|"):
        if char == "|":
            text = line[start:index]
            cells.append(Fragment(text, Provenance(source=source, line=number, start=start)))
            start = index + 1
    stripped = line.strip()
    if stripped.startswith("|") and cells and not cells[0].text.strip():
        cells = cells[1:]
    if stripped.endswith("|") and cells and not cells[-1].text.strip():
        cells = cells[:-1]
    return tuple(cells)


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
                elif header.strip():
                    chrome.append(Fragment(header, Provenance(source=source, line=number)))
            first = index + 1
            break
    blocks: list[Block] = []
    grid: list[tuple[Fragment, ...]] = []

    def flush() -> None:
        if grid:
            blocks.append(Grid(tuple(grid), grid[0][0].where if grid[0] else Provenance()))
            grid.clear()

    for number, line in enumerate(lines[first:], start=first + 1):
        if "|" in line:
            if not _RULE.match(line):
                grid.append(_cells(line, number, source))
            continue
        flush()
        if line.strip():
            blocks.append(Fragment(line, Provenance(source=source, line=number, start=0)))
    flush()
    return Document(tuple(blocks), source, tuple(facts), tuple(chrome))


def read_text(text: str, source: str | None = None) -> Report:
    """Read a report from text or Markdown."""
    return assemble(parse_text(text, source or "<text>"))
