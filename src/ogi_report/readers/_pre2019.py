"""Reports before 2019: recognised, and read for what they have, never forced into a format.

A report for 2008-2018 has no standard tables. Read into the 2019 or 2021 format, label
words in its prose (规范性文件, 行政许可) would become cells and blame the report for errors it
cannot have. Such a report is read as :data:`~ogi_report.templates.TEMPLATE_PRE_2019`: its
metadata, its sections as it numbers them, and the figures its text states (requests
received and answered, items disclosed, reconsideration and lawsuits), each with where it
was printed. A figure stated twice with different values is ``Ambiguous``; one not stated
is ``MISSING``.
"""

from __future__ import annotations

import re

import attrs

from ..cells import MISSING, Ambiguous, Cell, Provenance
from ..model import Metadata, Report, Section, Unplaced
from ..rules.text import stated_figures
from ..templates import TEMPLATE_PRE_2019
from ._document import Document
from ._labels import Stream
from ._narrative import PREAMBLE, narrative_parts

__all__ = ["NO_HEADING", "is_pre_2019", "read_pre_2019"]

NO_HEADING = "a report before 2019 without numbered section headings: its text"

_NUMERALS = "一二三四五六七八九十"

#: Words only the 2019 and 2021 tables print: a report that has them is read in a format.
_FORMAT_WORDS = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "本年制发件数",
    "本年新制作数量",
    "对外公开总数量",
    "本年处理决定数量",
    "申请人无正当理由逾期不补正",
)
#: A heading of the 2008 Regulations' content list (第三十二条（三）) that later formats lack.
_FEES_HEADING = re.compile(r"收费(?:及|和|与)减免")


def is_pre_2019(text: str, year: int | None) -> bool:
    """True if normalised ``text`` is a report before 2019: for a year before 2019, or with no
    year known and a fees heading (收费及减免), and in either case none of the later formats'
    table words.

    >>> is_pre_2019("四、政府信息公开的收费及减免情况", None), is_pre_2019("三、收到申请", 2017)
    (True, True)
    >>> is_pre_2019("一、本年新收政府信息公开申请数量|3", 2017)
    False
    """
    if any(word in text for word in _FORMAT_WORDS):
        return False
    if year is not None:
        return TEMPLATE_PRE_2019.applies_to(year)
    return _FEES_HEADING.search(text) is not None


def _heading(number: int) -> re.Pattern[str]:
    """Section ``number``'s heading: a line of its own, 一、… up to 40 characters, no 。"""
    return re.compile(rf"(?:^|(?<=\n))#*{_NUMERALS[number - 1]}[、.]([^\n|。]{{2,40}})(?=\n|$)")


def _headings(text: str) -> list[tuple[int, int, int]]:
    """``(number, start, end)`` of each section heading: 一 first, each the next numeral
    after the one before (a list inside a section does not start a section)."""
    found: list[tuple[int, int, int]] = []
    position = 0
    for number in range(1, len(_NUMERALS) + 1):
        match = _heading(number).search(text, position)
        if match is None:
            break
        found.append((number, match.start(), match.end()))
        position = match.end()
    return found


def _figures(stream: Stream, start: int) -> tuple[dict[str, Cell], dict[str, Provenance]]:
    """The figures the text from ``start`` states, by code, and where each was printed; the
    tables of figures nothing is stated for are left out, the others' gaps MISSING."""
    cells: dict[str, Cell] = {}
    where: dict[str, Provenance] = {}
    text = stream.text
    for code, statements in stated_figures(text[start:]).items():
        values = list(dict.fromkeys(value for value, _, _ in statements))
        value, first, end = statements[0]
        place = stream.provenance(start + first, start + end) or Provenance(stream.document.source)
        notes = []
        if len(values) > 1:
            notes.append(f"stated {len(statements)} times with different values")
        if any(v == 0 and not text[start + s : start + e].isdigit() for v, s, e in statements):
            notes.append("stated in words as none (未…), read as 0")
        cells[code] = Ambiguous(tuple(values)) if len(values) > 1 else value
        where[code] = attrs.evolve(place, note="; ".join(notes)) if notes else place
    for spec in TEMPLATE_PRE_2019.tables:
        codes = [code for row in spec.rows for code in spec.row_codes(row.key)]
        if any(code in cells for code in codes):
            for code in codes:
                cells.setdefault(code, MISSING)
    return cells, where


def read_pre_2019(document: Document, stream: Stream, metadata: Metadata) -> Report:
    """The report ``stream`` (of ``document``) prints, read as a report before 2019: what
    precedes section 一 is kept as preamble; with no section heading, all its text is kept
    in ``unplaced`` (and its figures still read)."""
    text = stream.text
    headings = _headings(text)
    sections = []
    for index, (number, start, end) in enumerate(headings):
        body_end = headings[index + 1][1] if index + 1 < len(headings) else len(text)
        heading = "".join(run for run, _ in stream.runs(start, end)).lstrip("# ").strip()
        parts = narrative_parts(run for run, _ in stream.runs(end, body_end))
        sections.append(Section(number, heading, parts))
    first = headings[0][1] if headings else 0
    cells, provenance = _figures(stream, first)
    reason = PREAMBLE if headings else NO_HEADING
    end = first if headings else len(text)
    unplaced = [
        Unplaced(run.strip(), reason, where) for run, where in stream.runs(0, end) if run.strip()
    ]
    unplaced.extend(
        Unplaced(fragment.text, "page chrome", fragment.where) for fragment in document.chrome
    )
    return Report.from_cells(
        TEMPLATE_PRE_2019,
        cells,
        metadata=metadata,
        sections=sections,
        provenance=provenance,
        unplaced=unplaced,
    )
