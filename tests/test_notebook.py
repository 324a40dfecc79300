"""Notebook use (issue 11 item 4): findings as a DataFrame, reprs that summarise, a report
display that opens with its findings, diff columns headed by agency and year."""

from __future__ import annotations

from pathlib import Path

import pytest

import ogi_report
from ogi_report import check, example_report
from ogi_report.aggregate import ReportSet
from ogi_report.compare import diff, diff_html
from ogi_report.writers.render import to_html, to_markdown

PRE_2019 = Path(__file__).resolve().parents[1] / "examples" / "shili-county-2017.txt"


def test_findings_to_records_and_frame() -> None:
    """One record per finding; in pandas, all-count columns are nullable Int64."""
    pd = pytest.importorskip("pandas")
    findings = check(example_report("2019"))
    records = findings.to_records()
    assert [r["code"] for r in records] == [f.code for f in findings]
    assert records[0]["severity"] == "error"
    frame = findings.to_frame()
    assert list(frame["code"]) == [f.code for f in findings]
    assert str(frame["published"].dtype) == "Int64"
    assert pd.isna(frame.loc[frame["code"] == "TEXT.NARRATIVE_MISMATCH", "tolerance"]).all()
    assert frame.loc[0, "cells"] == ", ".join(findings[0].cells)
    assert len(pd.DataFrame(findings.to_records())) == len(findings)


def test_reprs_summarise() -> None:
    """Diff, ReportSet and Aggregate say what they hold in one line, not a dump."""
    a, b = example_report("2019"), example_report("2021")
    assert repr(diff(a, b)).startswith("<Diff 示例县人民政府 2020 -> 示例县人民政府 2021: ")
    reports = ReportSet([a, b])
    assert repr(reports) == "<ReportSet: 2 reports, 1 bodies, years 2020-2021>"
    assert repr(reports.aggregate(2021)).startswith("<Aggregate 2021: 200 cells over 1 bodies")
    assert len(repr(reports)) < 100


def test_diff_columns_are_headed_by_agency_and_year() -> None:
    """The HTML diff heads its value columns with each report's agency and year."""
    a = example_report("2021")
    html = diff_html(diff(a, a.replace_cells({"s3.new.total": 5})))
    assert html.count("示例县人民政府 2021") == 2
    assert "<th>A</th>" not in html


def test_report_display_opens_with_findings_and_folds_the_narrative() -> None:
    """The notebook display: findings with visible messages and a legend, then the tables."""
    html = example_report("2019")._repr_html_()
    summary = html.index("Findings 检查结果: 2 error, 1 warning")
    assert summary < html.index("<h2>")
    assert "S3.BALANCE: column total" in html  # the message itself, not only a tooltip
    assert 'class="legend"' in html
    assert "<details><summary>正文 narrative</summary>" in html
    page = to_html(example_report("2019"))
    assert "<details>" not in page
    assert "检查结果" not in page


def test_a_report_before_2019_renders_all_its_sections_and_figures() -> None:
    """Seven sections as printed and the stated figures, in HTML and Markdown."""
    report = ogi_report.read(PRE_2019)
    html = to_html(report)
    assert "七、其他需要报告的事项" in html
    assert "申请行政复议" in html
    assert ">1236<" in html
    markdown = to_markdown(report)
    assert "## 七、其他需要报告的事项" in markdown
