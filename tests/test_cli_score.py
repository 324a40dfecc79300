"""``ogi-report score``: the assessor's command (issue 12)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ogi_report.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
JSONS = [str(EXAMPLES / "shili-county-2020.json"), str(EXAMPLES / "shili-county-2021.json")]


def test_ranking_in_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Best first, each line the body, year and score (a range while anything is uncertain)."""
    assert main(["score", *JSONS]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1. 示例县人民政府 2021: 98 of 100"
    assert lines[1].startswith("2. 示例县人民政府 2020: 66-86 of 100 (uncertain:")


def test_csv_has_every_deduction_with_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv: a row per report, item, and deduction, with the rule code."""
    assert main(["score", *JSONS, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    penalties = [r for r in rows if r["row"] == "penalty" and r["reporting_year"] == "2020"]
    assert {r["code"] for r in penalties} >= {"S3.BALANCE", "S3.ROW_TOTAL"}


def test_xlsx_output(tmp_path: Path) -> None:
    """-o scores.xlsx writes the workbook with its sheets."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "scores.xlsx"
    assert main(["score", *JSONS, "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["cells", "findings", "scores", "deductions"]


def test_a_bad_methodology_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A methodology that does not load: one line naming it, exit 2, nothing scored."""
    bad = tmp_path / "m.toml"
    bad.write_text("name = [", encoding="utf-8")
    assert main(["score", *JSONS, "--methodology", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "m.toml" in captured.err
    assert "Traceback" not in captured.err


def test_an_unreadable_file_exits_2_and_the_rest_are_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One file unreadable: the others are ranked, exit 2."""
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["score", *JSONS, str(broken)]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert "broken.json" in captured.err


def test_site_with_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o FOLDER: the static site, its index with a score column."""
    site = tmp_path / "site"
    assert main(["score", *JSONS, "-o", str(site)]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "98" in index
    assert "of 100" in index or "/ 100" in index
    assert "site:" in capsys.readouterr().err


def test_a_paragraph_copied_from_another_body_is_deducted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two bodies, two years each; one copies another's paragraph in its 2021 report: the
    originality item of that report loses the X.COPIED_FROM_BODY deduction."""
    import attrs

    import ogi_report
    from ogi_report.model import Part

    copied = (
        "本机关建立了政务公开专员制度，每季度对各科室公开情况进行逐项核查，核查结果通报全局并纳入"
        "年终考评，对发现的链接失效、栏目空转、信息滞后等问题限期整改并跟踪复查，确保整改到位。"
    )
    for body in ("甲", "乙"):
        for year, version in ((2020, "2019"), (2021, "2021")):
            report = ogi_report.example_report(version)
            sections = []
            for section in report.sections or ():
                own = "".join(f"{body}{year}年{section.number}项{i}" for i in range(3))
                text = own + (copied if year == 2021 and section.number == 1 else "")
                sections.append(attrs.evolve(section, parts=(Part(None, text),)))
            meta = attrs.evolve(report.metadata, agency=f"{body}县人民政府", reporting_year=year)
            changed = attrs.evolve(report, metadata=meta, sections=tuple(sections))
            (tmp_path / f"{body}-{year}.json").write_bytes(ogi_report.dumps(changed))
    assert main(["score", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    copied_rows = [r for r in rows if r["code"] == "X.COPIED_FROM_BODY" and r["row"] == "penalty"]
    assert {r["agency"] for r in copied_rows} == {"甲县人民政府", "乙县人民政府"}
    assert {r["reporting_year"] for r in copied_rows} == {"2021"}
    assert all(r["item"] == "originality" for r in copied_rows)
