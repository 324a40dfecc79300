"""Reports before 2019 (issue 10 item 2): recognised, read as their own kind, checked for
what applies. Inputs are written here, after the fictional examples/shili-county-2017.txt."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

from ogi_report import (
    Ambiguous,
    Report,
    check,
    check_pair,
    read,
)
from ogi_report.cells import MISSING
from ogi_report.templates import TEMPLATE_PRE_2019
from ogi_report.writers.cells import from_cells_json, to_cells_json
from ogi_report.writers.json import dumps, loads

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "shili-county-2017.txt"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def _read(text: str) -> Report:
    return read(text.encode("utf-8"), form="text")


def test_example_is_read_as_a_report_before_2019() -> None:
    """Metadata, seven sections as numbered, the five stated figures with their lines."""
    report = read(EXAMPLE)
    assert report.template is TEMPLATE_PRE_2019
    assert (report.metadata.agency, report.metadata.reporting_year) == ("示例县人民政府", 2017)
    assert [s.number for s in report.sections or ()] == [1, 2, 3, 4, 5, 6, 7]
    assert report.section(4).heading == "四、政府信息公开的收费及减免情况"  # type: ignore[union-attr]
    assert dict(report.values()) == {
        "s2.proactive.items": 1236,
        "s3.requests.received": 15,
        "s3.requests.answered": 15,
        "s5.appeals.reconsideration": 0,
        "s5.appeals.litigation": 0,
    }
    received = report.provenance["s3.requests.received"]
    line = TEXT.splitlines()[received.line - 1]  # type: ignore[operator]
    assert line[received.start : received.end] == "15"
    assert "none" in (report.provenance["s5.appeals.litigation"].note or "")


def test_label_words_in_prose_are_not_cells_and_blame_nothing() -> None:
    """规范性文件, 行政许可, 行政事业性收费 in the prose: no table cell, no error finding."""
    findings = check(read(EXAMPLE))
    assert [f.code for f in findings] == ["READ.SET_ASIDE", "REPORT.PRE_2019"]
    assert not findings.errors
    pre = next(f for f in findings if f.code == "REPORT.PRE_2019")
    assert "5 figures" in pre.message


def test_year_unknown_but_fees_heading_is_before_2019() -> None:
    """No year anywhere, but the 2008 content list's fees heading: read as before 2019."""
    text = TEXT.replace("2017年", "").replace("2017", "").replace("2018年3月20日", "")
    report = _read(text)
    assert report.template is TEMPLATE_PRE_2019
    assert report.metadata.reporting_year is None
    assert report["s3.requests.received"] == 15


def test_a_figure_stated_twice_differently_is_ambiguous() -> None:
    """Two different counts for one figure: both kept as candidates, the place noted."""
    text = TEXT.replace(
        "七、其他需要报告的事项\n无。", "七、其他需要报告的事项\n全年共受理申请16件。"
    )
    report = _read(text)
    assert report["s3.requests.received"] == Ambiguous((15, 16))
    assert "different values" in (report.provenance["s3.requests.received"].note or "")
    assert "CELL.AMBIGUOUS" in {f.code for f in check(report)}


def test_unstated_figures_are_missing_and_not_reported_as_errors() -> None:
    """A table of figures with one stated: the others MISSING, and no CELL.MISSING noise."""
    text = TEXT.replace("已答复15件，", "")
    report = _read(text)
    assert report["s3.requests.received"] == 15
    assert report["s3.requests.answered"] is MISSING
    assert "CELL.MISSING" not in {f.code for f in check(report)}


def test_no_figure_stated_gives_no_tables() -> None:
    """A report that states no figure prints no table of figures."""
    lines = [
        line
        for line in TEXT.splitlines()
        if not any(ch.isdigit() for ch in line) and "未发生" not in line
    ]
    report = _read("示例县人民政府2016年政府信息公开工作年度报告\n" + "\n".join(lines))
    assert report.template is TEMPLATE_PRE_2019
    assert report.tables == ()
    assert len(report.sections or ()) == 7


def test_a_report_for_2017_printing_the_2019_tables_is_read_in_that_format() -> None:
    """The later formats' table words win over the year: then REPORT.TEMPLATE_MISMATCH."""
    table = "\n（一）本年新收政府信息公开申请数量|3|3|0|0|0|0|0|3\n"
    report = _read(
        TEXT.replace("三、依申请公开政府信息情况\n", "三、依申请公开政府信息情况" + table)
    )
    assert report.template.version != "pre-2019"
    assert "REPORT.TEMPLATE_MISMATCH" in {f.code for f in check(report)}


def test_text_without_numbered_headings_is_kept_not_dropped() -> None:
    """No 一、… headings: every line is kept in unplaced, the figures still read."""
    body = (
        "示例县人民政府2015年政府信息公开工作年度报告\n全年共受理政府信息公开申请8件，已答复8件。"
    )
    report = _read(body + "\n四、政府信息公开的收费及减免情况\n未收费。")
    assert report.template is TEMPLATE_PRE_2019
    assert report["s3.requests.received"] == 8
    kept = " ".join(item.text for item in report.unplaced)
    assert "全年共受理政府信息公开申请8件" in kept
    assert "READ.UNPLACED" in {f.code for f in check(report)}


def test_late_before_2019_is_after_march_31() -> None:
    """The 2008 Regulations: every body by 3月31日 of the next year."""
    report = read(EXAMPLE)
    on_time = attrs.evolve(
        report, metadata=attrs.evolve(report.metadata, published_on="2018-03-31")
    )
    late = attrs.evolve(
        report, metadata=attrs.evolve(report.metadata, published_on=date(2018, 4, 1))
    )
    assert "REPORT.LATE" not in {f.code for f in check(on_time)}
    assert "REPORT.LATE" in {f.code for f in check(late)}


@pytest.mark.parametrize("form", ["json", "cells-json"])
def test_round_trips(form: str) -> None:
    """The JSON form and cells JSON carry a report before 2019 unchanged."""
    report = read(EXAMPLE)
    if form == "json":
        assert loads(dumps(report)) == report
    else:
        back = from_cells_json(to_cells_json(report))
        assert back.template is TEMPLATE_PRE_2019
        assert dict(back.values()) == dict(report.values())


def test_html_page_of_a_report_before_2019() -> None:
    """The same report as a web page reads the same figures."""
    pytest.importorskip("lxml")
    paragraphs = "".join(f"<p>{line}</p>" for line in TEXT.splitlines() if line.strip())
    report = read(f"<html><body>{paragraphs}</body></html>".encode(), form="html")
    assert report.template is TEMPLATE_PRE_2019
    assert report["s2.proactive.items"] == 1236
    assert report.provenance["s2.proactive.items"].path


def test_two_years_copied_are_found() -> None:
    """X.COPIED applies before 2019: a section repeated word for word the next year."""
    first = read(EXAMPLE)
    second = _read(TEXT.replace("2017", "2018").replace("2018年3月20日", "2019年3月1日"))
    codes = {f.code for f in check_pair(first, second)}
    assert "X.COPIED" in codes
