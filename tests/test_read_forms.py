"""Reading the forms real sites publish: one cell per line, a section 4 with no heading,
traditional characters, titles under breadcrumbs and flipbook headers, spam in the title.

Every input is the fictional 示例县 example rendered as Markdown and then reshaped the way a
crawler or a mirror site prints it. A cell reads back as published, or ``Ambiguous`` with
the published value among its candidates, or (where the shape prints nothing of a row) not at
all: never as another number.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ogi_report
from ogi_report import MISSING, Ambiguous, Report
from ogi_report.cells import BLANK, Cell, NotApplicable
from ogi_report.compare import accuracy
from ogi_report.readers._assemble import PREAMBLE
from ogi_report.readers._labels import normalise_label
from ogi_report.readers._numbers import parse_value
from ogi_report.readers.text import read_text
from ogi_report.rules.text import (
    INJECTED_TERMS,
    TRADITIONAL,
    Injection,
    fold_traditional,
    injected_spans,
)
from ogi_report.strategies import reports
from ogi_report.templates import get_template
from ogi_report.writers.cells import to_cells_json
from ogi_report.writers.render import to_markdown

from .conftest import CORPUS

VERSIONS = ("2019", "2021")
Shape = Callable[[list[str]], list[str]]

# --- the example, reshaped --------------------------------------------------------------------


def _with_blanks(version: str) -> Report:
    """The example with blank cells and not-applicable marks where real reports print them."""
    report = ogi_report.example_report(version)
    first = report.template.tables[0]
    changes: dict[str, Cell] = {
        f"s2.{first.row_keys[0]}.{first.column_keys[0]}": NotApplicable("/"),
        "s3.new.research": BLANK,
        "s3.carried_over.research": BLANK,
        "s4.review.pending": NotApplicable("/"),
        "s4.suit_direct.upheld": BLANK,
    }
    return report.replace_cells(changes)


def _cells(line: str) -> list[str]:
    core = line.strip()
    core = core[1:] if core.startswith("|") else core
    core = core[:-1] if core.endswith("|") else core
    return [cell.strip() for cell in core.split("|")]


def _reshape_text(markdown: str, shape: Shape) -> str:
    """``markdown`` with every pipe-table row printed by ``shape`` (a list of lines)."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if "|" not in line:
            lines.append(line)
        elif not re.match(r"^\s*\|?\s*:?-{3,}", line):
            lines.extend(shape(_cells(line)))
    return "\n".join(lines) + "\n"


def _reshape(report: Report, shape: Shape) -> str:
    """The report's Markdown with every pipe-table row printed by ``shape``."""
    return _reshape_text(to_markdown(report), shape)


def _one_per_line(cells: list[str]) -> list[str]:
    """BeautifulSoup's get_text("\\n", strip=True): each cell a line, empty cells no line."""
    return [cell for cell in cells if cell]


def _empty_lines_too(cells: list[str]) -> list[str]:
    """Each cell a line, an empty cell an empty line."""
    return list(cells)


def _bars_apart(cells: list[str]) -> list[str]:
    """Each cell a line and each boundary a ``|`` line of its own."""
    return [line for cell in cells for line in (cell, "|")]


def _cell_bar(cells: list[str]) -> list[str]:
    """``label |`` / ``value |`` lines; an empty cell a bare `` |``."""
    return [f"{cell} |" for cell in cells]


def _cell_bar_padded(cells: list[str]) -> list[str]:
    """``value | | |``: each cell a line padded with empty cells (a colspan flattened)."""
    return [f"{cell} | | |" for cell in cells]


SHAPES: dict[str, Shape] = {
    "one cell per line": _one_per_line,
    "empty lines for empty cells": _empty_lines_too,
    "cells and bars on lines of their own": _bars_apart,
    "label | and value | lines": _cell_bar,
    "value | | | lines": _cell_bar_padded,
}
#: Shapes whose empty cells print a boundary: every cell, blank or not, reads back exactly.
EXPLICIT = {
    "cells and bars on lines of their own",
    "label | and value | lines",
    "value | | | lines",
}


def _header_words(version: str) -> set[str]:
    template = get_template(version)
    heads = {part for table in template.tables for column in table.columns for part in column.zh}
    return heads | {
        "信息内容",
        "申请人情况",
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    }


def _flipbook(report: Report, version: str) -> str:
    """A flipbook page's text: ``PageN-title`` headers and ``- N -`` footers at page breaks,
    table headers printed one character per line, each cell a line."""
    title = "示例县人民政府2021年政府信息公开工作年度报告"
    heads = _header_words(version)
    lines = [f"Page1-{title}"]
    page = 1
    for line in _reshape(report, lambda cells: ["\x00" + "\x01".join(cells)]).splitlines():
        if line.startswith("\x00"):
            cells = line[1:].split("\x01")
            if cells[0].startswith(("（四）无法提供", "行政处罚")):
                page += 1
                lines += [f"- {page - 1} -", f"Page{page}-{title}"]
            for cell in cells:
                lines.extend(cell if cell in heads else [cell] if cell else [])
        else:
            if line.startswith("## 五"):
                page += 1
                lines += [f"- {page - 1} -", f"Page{page}-{title}"]
            lines.append(line)
    return "\n".join(lines) + "\n"


def _assert_read_back(report: Report, text: str, *, exact: bool, unread: str = "\x00") -> Report:
    """Every cell right, or Ambiguous holding the truth; MISSING only where a shape that drops
    empty cells printed nothing at all of the row, or in the row ``unread`` (a prefix).
    ``exact``: every cell right."""
    read = read_text(text)
    truth = to_cells_json(report)["cells"]
    result = accuracy(read, truth)
    assert not result.wrong, result.wrong
    if exact:
        assert not result.ambiguous, result.ambiguous
        assert not result.missing, result.missing
    for code in result.missing:
        row = code.rsplit(".", 1)[0] + "."
        if row == unread:
            continue
        assert all(truth[c] is None for c in truth if c.startswith(row)), code
    return read


# --- 1. cells one per line --------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_every_cell_reads_back_in_each_shape(template: str, shape: str) -> None:
    """Each crawler shape of the example reads back exactly: 200 (2021) / 198 (2019) cells."""
    report = ogi_report.example_report(template)
    read = _assert_read_back(report, _reshape(report, SHAPES[shape]), exact=True)
    assert read.values() == report.values()


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_blanks_and_marks_stay_apart_in_each_shape(template: str, shape: str) -> None:
    """Blank, 0 and / stay different; where a blank printed no line its place is not guessed."""
    report = _with_blanks(template)
    _assert_read_back(report, _reshape(report, SHAPES[shape]), exact=shape in EXPLICIT)


@st.composite
def _reshaped(draw: st.DrawFn) -> tuple[Report, str]:
    """A valid report with some cells blank or marked /, and a shape to print it in."""
    report = draw(reports(draw(st.sampled_from(VERSIONS))))
    codes = sorted(report.values())
    changes: dict[str, Cell] = dict.fromkeys(
        draw(st.sets(st.sampled_from(codes), max_size=6)), BLANK
    )
    changes.update(
        dict.fromkeys(draw(st.sets(st.sampled_from(codes), max_size=3)), NotApplicable("/"))
    )
    return report.replace_cells(changes), draw(st.sampled_from(list(SHAPES)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_reshaped())
def test_any_report_in_any_shape_reads_back_never_wrong(case: tuple[Report, str]) -> None:
    """Law: whatever the counts, blanks and marks, and the shape, no cell reads wrong; the
    shapes with printed boundaries read back exactly."""
    report, shape = case
    _assert_read_back(report, _reshape(report, SHAPES[shape]), exact=shape in EXPLICIT)


def test_a_blank_that_printed_no_line_leaves_its_row_ambiguous() -> None:
    """一、本年新收 printed 86 9 0 2 1 99 one per line for 7 cells: the blank's place is not
    known, so the cells are Ambiguous, each with the published value among its candidates."""
    report = _with_blanks("2021")
    read = read_text(_reshape(report, _one_per_line))
    for column in ("commercial", "research", "social_org"):
        cell = read[f"s3.new.{column}"]
        assert isinstance(cell, Ambiguous), column
        assert report[f"s3.new.{column}"] in cell.candidates
    assert read["s3.new.natural_person"] == 86
    assert read["s4.review.pending"] == NotApplicable("/")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_flipbook_page_with_headers_one_character_per_line(version: str) -> None:
    """Headers printed one character per line, page headers and footers between rows."""
    report = ogi_report.example_report(version)
    read = _assert_read_back(report, _flipbook(report, version), exact=True)
    kept = [u.text for u in read.unplaced]
    assert "- 2 -" in kept
    assert any(t.startswith("Page3-") for t in kept)


def test_digits_cut_apart_never_when_each_line_is_a_cell() -> None:
    """行政许可 120 / 3 / 14876 one per line: 120 is one cell, never 1, 2, 0 (as read before)."""
    report = ogi_report.example_report("2019")
    read = read_text(_reshape(report, _one_per_line))
    assert [read[f"s2.licensing.{c}"] for c in ("items_prev_year", "items_change")] == [120, 3]


def test_each_cell_read_one_per_line_points_at_its_line() -> None:
    """Provenance names the line each value was printed on."""
    report = ogi_report.example_report("2021")
    text = _reshape(report, _one_per_line)
    read = read_text(text)
    lines = text.splitlines()
    for code in ("s3.new.natural_person", "s3.new.total", "s4.suit_after_review.total"):
        where = read.provenance[code]
        assert where.line is not None
        assert lines[where.line - 1].strip() == str(report[code]), code


def test_numbers_in_the_narrative_after_the_last_row_are_not_cells() -> None:
    """A line of text ends the last row: numbers printed after it stay narrative."""
    report = ogi_report.example_report("2021")
    text = _reshape(report, _one_per_line).replace(
        "## 四、", "注：本表数据截至\n2021\n12\n31\n## 四、"
    )
    read = _assert_read_back(report, text, exact=True)
    section = read.section(3)
    assert section is not None
    assert "2021\n12\n31" in section.text


def test_a_label_ending_a_sentence_is_not_the_row() -> None:
    """A note ending in 规章, then a line opening with 2021年: the row is the table's
    printing of 规章, not the note's."""
    report = ogi_report.example_report("2021")
    caption = "第二十条第（一）项\n"
    text = _reshape(report, _one_per_line).replace(
        caption, caption + "注：本表统计规章\n2021年度制发、废止情况\n", 1
    )
    assert text.count("注：") == 1
    _assert_read_back(report, text, exact=True)


def test_text_between_a_rows_values_leaves_the_row_unread_and_kept() -> None:
    """A sentence between a row's values and the next row label: the values after it would
    be the row's too, so the row is not read at all, and everything is kept in unplaced."""
    report = ogi_report.example_report("2021")
    text = _reshape(report, _one_per_line).replace(
        "一、本年新收政府信息公开申请数量\n86\n9\n1\n",
        "一、本年新收政府信息公开申请数量\n86\n9\n（此处转页）\n1\n",
    )
    read = _assert_read_back(report, text, exact=False, unread="s3.new.")
    assert all(read[f"s3.new.{c}"] is MISSING for c in ("natural_person", "total"))
    kept = " ".join(u.text for u in read.unplaced)
    assert "此处转页" in kept
    assert "86" in kept


@pytest.mark.parametrize(
    ("row", "codes"),
    [
        ("四、结转下年度继续办理\n3\n0\n0\n", "s3.carried_forward."),  # the table's last row
        ("一、本年新收政府信息公开申请数量\n86\n9\n1\n", "s3.new."),
    ],
)
def test_a_cell_printed_as_text_leaves_a_short_row_unread(row: str, codes: str) -> None:
    """见附件 where a count stood: the row falls short of its cells and may hold text, so it
    is not read (never placed around a guessed blank); its lines are kept."""
    report = ogi_report.example_report("2021")
    label, *values = row.rstrip("\n").split("\n")
    text = _reshape(report, _one_per_line).replace(
        row, "\n".join([label, *values[:2], "见附件", *values[3:]]) + "\n"
    )
    read = _assert_read_back(report, text, exact=False, unread=codes)
    assert {read[c] for c in _codes(read, codes)} == {MISSING}
    assert "见附件" in " ".join(u.text for u in read.unplaced)


def test_section_4_one_per_line_with_a_dropped_blank_and_a_date_above() -> None:
    """A date above section 4's header is no cell; a blank that printed no line leaves the
    cells Ambiguous with the published values among their candidates."""
    report = _with_blanks("2021")
    text = _reshape(report, _one_per_line).replace(
        "## 四、政府信息公开行政复议、行政诉讼情况\n",
        "## 四、政府信息公开行政复议、行政诉讼情况\n2022\n",
    )
    read = _assert_read_back(report, text, exact=False)
    assert all(2022 not in getattr(read[c], "candidates", (read[c],)) for c in _codes(read, "s4."))
    assert isinstance(read["s4.suit_direct.corrected"], Ambiguous)


def test_text_around_section_4s_table_stays_narrative() -> None:
    """A sentence above section 4's table and one below it are the section's narrative (they
    were once taken with the table's cells and lost)."""
    report = ogi_report.example_report("2021")
    heading = "## 四、政府信息公开行政复议、行政诉讼情况\n"
    text = (
        to_markdown(report)
        .replace(heading, heading + "\n表前说明文字。\n")
        .replace("## 五、", "说明：本年度案件均已办结。\n\n## 五、")
    )
    read = _assert_read_back(report, text, exact=True)
    section = read.section(4)
    assert section is not None
    assert section.text == "表前说明文字。\n说明：本年度案件均已办结。"


# --- 3. section 4 without its heading ----------------------------------------------------------


def _without_section_4(report: Report) -> str:
    markdown = to_markdown(report)
    return markdown[: markdown.index("## 四、")] + markdown[markdown.index("## 五、") :]


@pytest.mark.parametrize(
    "noise",
    [
        "信息编号 202203281030451 发布",  # 15 digits: once read as fifteen cells
        "发布时间\n2022\n03\n28\n10\n30\n45\n12",
        "本年度未发生行政复议、行政诉讼案件，总计0件。2022年3月28日 10:30",
    ],
)
def test_no_section_4_gives_no_section_4_cells(noise: str) -> None:
    """Dates, times and 行政复议/总计 in prose never start section 4: its cells are MISSING."""
    report = ogi_report.example_report("2021")
    text = _without_section_4(report)
    for form in (text, _reshape_text(text, lambda cells: [" ".join(c for c in cells if c)])):
        form = form.replace("2022年3月28日", noise, 1)
        form = form.replace("## 五、", noise + "\n## 五、", 1)
        read = read_text(form)
        s4 = {code: read.get(code, MISSING) for code in _codes(report, "s4.")}
        assert set(s4.values()) == {MISSING}, s4


def _codes(report: Report, prefix: str) -> list[str]:
    return [code for code in report.values() if code.startswith(prefix)]


def test_section_4_without_its_heading_is_read_under_a_real_header() -> None:
    """The heading lost, the table kept: its header (both groups and the result columns)
    starts it, and its cells read back."""
    report = ogi_report.example_report("2021")
    text = to_markdown(report).replace("## 四、政府信息公开行政复议、行政诉讼情况", "")
    read = read_text(text)
    assert {c: v for c, v in read.values().items() if c.startswith("s4.")} == {
        c: v for c, v in report.values().items() if c.startswith("s4.")
    }


# --- 4. traditional characters ------------------------------------------------------------------

#: Simplified → traditional for rendering the example as a mirror site prints it: the
#: inverse of the reader's table, and characters of the narrative the reader never folds.
_TO_TRADITIONAL = str.maketrans(
    {
        **{s: t for t, s in reversed(list(zip(TRADITIONAL[0::2], TRADITIONAL[1::2])))},
        "复": "復",
        "发": "發",
        "县": "縣",
        "门": "門",
        "网": "網",
        "与": "與",
    }
)


def _traditional(report: Report) -> str:
    return to_markdown(report).translate(_TO_TRADITIONAL)


@pytest.mark.parametrize("shape", ["pipe table", "one cell per line"])
def test_a_traditional_character_mirror_page_reads_back(template: str, shape: str) -> None:
    """規章, 總計, 行政許可, 結轉: labels, headings and header words fold, every cell reads
    back, and the narrative and the agency keep the characters they printed."""
    report = ogi_report.example_report(template)
    text = _traditional(report)
    for printed in ("規章", "總計", "行政許可", "結轉", "行政復議", "示例縣人民政府"):
        assert printed in text
    if shape == "one cell per line":
        text = _reshape_text(text, _one_per_line)
    read = _assert_read_back(report, text, exact=True)
    assert read.metadata.agency == "示例縣人民政府"
    assert read.metadata.reporting_year == report.metadata.reporting_year
    assert [s.number for s in read.sections or ()] == [1, 2, 3, 4, 5, 6]
    narrative = "\n".join(s.text for s in read.sections or ())
    assert "示例縣" in narrative
    assert "示例县" not in narrative


def test_traditional_units_and_marks() -> None:
    """萬元 is 万元 (every digit kept); 無 is the not-applicable mark, kept as printed."""
    assert parse_value("12.50萬元") == Decimal("12.50")
    assert parse_value("無") == NotApplicable("無")
    assert parse_value(" 無 ") == NotApplicable("無")


def test_the_traditional_table_folds_only_into_the_spec_words(spec_dir: Path) -> None:
    """Each traditional form folds into a character of the spec's labels, headings or the
    foreign words; no character those print in simplified form is ever folded; the mirror-site
    variants the spec records fold to their labels."""
    words = _spec_words(spec_dir)
    simplified = {c for word in words for c in word}
    keys, values = TRADITIONAL[0::2], TRADITIONAL[1::2]
    assert len(set(keys)) == len(keys)
    assert not set(keys) & simplified
    # What the reader reads the metadata by: page facts, breadcrumbs, the statistics period,
    # how a report speaks of its government or department; units and marks.
    metadata = "标题 发布机构 发布时间 公开日期 成文日期 首页 当前位置 您的位置 所在位置 正文 年报"
    metadata += " 统计期限 关于 人大 政协 厅 中心 单位 万元 无"
    assert set(values) <= simplified | set(metadata) | {c for t in INJECTED_TERMS for c in t}
    mirror = "規章 / 規範性文件 / 信息內容 / 總計"
    assert fold_traditional(mirror) == "规章 / 规范性文件 / 信息内容 / 总计"
    for label in (
        "行政許可",
        "結果維持",
        "尚未審結",
        "二、上年結轉政府信息公開申請數量",
        "(四)無法提供",
    ):
        assert normalise_label(label) in {normalise_label(w) for w in words}


def _spec_words(spec_dir: Path) -> set[str]:
    """The labels, headings and captions the spec declares (traps and scripts left out)."""
    words: set[str] = set()
    for name in ("cells-2019.csv", "cells-2021.csv"):
        with (spec_dir / name).open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                words.update(row["row_label_zh"].split("·"))
                words.update(row["col_label_zh"].split("·"))
                words.add(row["item"])
    with (spec_dir / "sections.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            words.add(row["heading_zh"])
            words.update(row["table_captions"].split("|"))
    with (spec_dir / "label-variants.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["kind"] != "trap" and row["target"] != "script":
                words.update((row["variant"], row["target"]))
    return {unicodedata.normalize("NFKC", w) for w in words if w}


# --- 5. metadata ------------------------------------------------------------------------------

TITLE = "# 示例县人民政府2021年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "title",
    [
        "首页 > 政务公开 > 政府信息公开年报 > 示例县人民政府2021年政府信息公开工作年度报告",
        "当前位置：首页>>信息公开>>示例县人民政府2021年政府信息公开工作年度报告",
        "Page1-示例县人民政府2021年政府信息公开工作年度报告",
        "Page9 - 示例县人民政府2021年政府信息公开工作年度报告",
    ],
)
def test_agency_and_year_from_the_title_not_its_breadcrumb(title: str) -> None:
    """A breadcrumb or a flipbook page header before the title is not the agency."""
    text = to_markdown(ogi_report.example_report("2021")).replace(TITLE, title)
    metadata = read_text(text).metadata
    assert (metadata.agency, metadata.reporting_year) == ("示例县人民政府", 2021)
    assert "inferred" not in (metadata.notes or "")  # read from the title, not inferred


def test_a_clean_title_line_wins_over_a_breadcrumb() -> None:
    """The breadcrumb above the title is kept as preamble, the title line read."""
    text = to_markdown(ogi_report.example_report("2021")).replace(
        TITLE, "首页 > 年报 > 示例县2021年年报\n" + TITLE
    )
    read = read_text(text)
    assert read.metadata.agency == "示例县人民政府"
    assert any(u.text.startswith("首页") for u in read.unplaced)


def test_year_from_the_text_when_the_title_has_none() -> None:
    """No year in the title: the agency from the title, the year from the statistics period
    the text states, and the note says it was inferred."""
    text = to_markdown(ogi_report.example_report("2021")).replace(
        TITLE,
        "示例县人民政府政府信息公开工作年度报告\n本报告所列数据统计期限自2021年1月1日起至12月31日止。",
    )
    metadata = read_text(text).metadata
    assert (metadata.agency, metadata.reporting_year) == ("示例县人民政府", 2021)
    assert metadata.notes is not None
    assert "inferred" in metadata.notes
    assert "statistics period" in metadata.notes


def test_no_year_is_inferred_where_the_text_names_competing_years() -> None:
    """2020 and 2021 named as often: no year, rather than a guess."""
    text = to_markdown(ogi_report.example_report("2021")).replace(
        TITLE, "示例县人民政府政府信息公开工作年度报告\n2020年完成目录编制，2020年启动平台建设。"
    )
    text = text.replace("2021年，", "2021年，2021年计划")
    assert read_text(text).metadata.reporting_year is None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_seeds_agency_and_year_are_read_from_its_text() -> None:
    """The seed prints no title: 澄城县人民政府 and 2019 are inferred from its text (我县,
    澄城县政务公开工作领导小组; 2019年 three times), and the notes say so."""
    metadata = ogi_report.read(CORPUS / "2019_chengcheng_seed.txt").metadata
    assert (metadata.agency, metadata.reporting_year) == ("澄城县人民政府", 2019)
    assert metadata.notes is not None
    assert "agency 澄城县人民政府 inferred" in metadata.notes
    assert "reporting year 2019 inferred" in metadata.notes


def test_a_departments_report_gets_no_inferred_government() -> None:
    """A report that speaks of 我局 is a department's: no people's government is inferred."""
    text = to_markdown(ogi_report.example_report("2021")).replace(TITLE, "")
    text = text.replace("2021年，示例县人民政府", "2021年，我局按照示例县政府部署").replace(
        "县政府门户网站", "我县政府门户网站"
    )
    assert read_text(text).metadata.agency is None


# --- 6. foreign text ------------------------------------------------------------------------------


def test_one_span_per_injection_overlapping_terms_merged() -> None:
    """澳门金沙 and 金沙城 in 澳门金沙城中心 are one injection, printed as 澳门金沙城."""
    text = "按照《国务院办公厅秘书局澳门金沙城中心:印发…》要求"
    spans = injected_spans(text)
    assert spans == [Injection(12, 17, "澳门金沙城")]
    assert text[spans[0].start : spans[0].end] == "澳门金沙城"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("点击365bet官网", ["365bet"]),
        ("进入365体育平台", ["365体育"]),
        ("ＢＥＴ３６５ 注册", ["ＢＥＴ３６５"]),
        ("澳門金沙娛樂城歡迎您", ["澳門金沙娛樂城"]),
        ("365 bet 与 bet365", ["365 bet", "bet365"]),
        ("本年度体育局主动公开信息365条", []),
    ],
)
def test_foreign_words_in_any_script_spacing_or_width(text: str, found: list[str]) -> None:
    """365bet, 365体育, full-width and traditional forms are found; 体育局 and 365条 are not."""
    assert [span.term for span in injected_spans(text)] == found


def test_spam_in_the_title_and_preamble_is_kept_where_the_check_can_see_it() -> None:
    """A title and a preamble carrying spam: both stay in Report.unplaced (as preamble) and
    each holds one injection; a crawler's 标题 line is kept as page chrome."""
    text = to_markdown(ogi_report.example_report("2021")).replace(
        TITLE, "示例县人民政府2021年政府信息公开工作年度报告365bet\n澳门金沙城欢迎您"
    )
    read = read_text(text)
    preamble = [u.text for u in read.unplaced if u.reason == PREAMBLE]
    assert [span.term for line in preamble for span in injected_spans(line)] == [
        "365bet",
        "澳门金沙城",
    ]
    crawled = "标题: 示例县2021年年度报告365体育\n==== 正文 ====\n" + to_markdown(
        ogi_report.example_report("2021")
    )
    chrome = [u.text for u in read_text(crawled).unplaced if u.reason == "page chrome"]
    assert [span.term for line in chrome for span in injected_spans(line)] == ["365体育"]
