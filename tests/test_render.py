"""Rendering for people: HTML with findings highlighted, Jupyter reprs, the render command."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi_report import check, dumps, example_report
from ogi_report.cli import main
from ogi_report.compare import diff
from ogi_report.writers.render import to_html


def test_html_highlights_the_cells_of_each_finding() -> None:
    """Every cell of an error finding is marked, with the message in its tooltip."""
    report = example_report("2019")
    page = to_html(report, check(report))
    # S3.BALANCE's 4 total cells and S3.ROW_TOTAL's 7 cells of 一, sharing 一's 总计: 10 cells
    assert page.count('class="finding-error"') == 10
    assert "S3.BALANCE" in page
    assert 'class="finding-error"' not in to_html(report)


def test_jupyter_reprs() -> None:
    """Report, Findings and Diff render as HTML in a notebook; values are escaped."""
    report = example_report("2019")
    assert "finding-error" in report._repr_html_()
    table = check(report)._repr_html_()
    assert "S3.ROW_TOTAL" in table
    assert table.startswith("<table")
    changed = report.replace_cells({"s3.new.total": 77})
    assert "s3.new.total" in diff(report, changed)._repr_html_()
    assert "<script>" not in check(report.replace_cells({"s2.rules.made": 0}))._repr_html_()


@pytest.mark.parametrize(("form", "marker"), [("html", "<table"), ("md", "| 规章 |")])
def test_render_command(
    form: str, marker: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ogi-report render FILE --to html|md` prints the report in the official layout."""
    path = tmp_path / "r.json"
    path.write_bytes(dumps(example_report("2021")))
    assert main(["render", str(path), "--to", form]) == 0
    out = capsys.readouterr().out
    assert marker in out
    assert "六、其他需要报告的事项" in out


def test_diff_command_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ogi-report diff A B` prints changed cells; --format json lists them with deltas."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(dumps(example_report("2021")))
    b.write_bytes(dumps(example_report("2021").replace_cells({"s3.new.total": 100})))
    assert main(["diff", str(a), str(b)]) == 1  # different, as diff(1)
    assert "s3.new.total" in capsys.readouterr().out
    assert main(["diff", str(a), str(b), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert '"delta": 1' in out
    assert main(["diff", str(a), str(a)]) == 0
    assert "no differences" in capsys.readouterr().out


def test_indicators_and_aggregate_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ogi-report indicators` and `ogi-report aggregate --year` work on files and folders."""
    for version in ("2019", "2021"):
        (tmp_path / f"{version}.json").write_bytes(dumps(example_report(version)))
    assert main(["indicators", str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"granted_share": "0.6337"' in out
    assert '"report": "(all files)"' in out
    assert main(["aggregate", str(tmp_path), "--year", "2021", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"s3.new.total": 99' in out
    assert '"bodies": [\n    "示例县人民政府"\n  ]' in out


def test_convert_to_parquet(tmp_path: Path) -> None:
    """`convert --to parquet -o FILE` writes the long form."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    source, target = tmp_path / "r.json", tmp_path / "r.parquet"
    source.write_bytes(dumps(example_report("2021")))
    assert main(["convert", str(source), "--to", "parquet", "-o", str(target)]) == 0
    assert len(pd.read_parquet(target)) == 200


def test_aliases_join_renamed_bodies_in_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--aliases makes two printed names one body: their years are checked as a pair."""
    import attrs

    first = example_report("2021")
    second = attrs.evolve(
        first.replace_cells({"s3.carried_over.natural_person": 9, "s3.new.natural_person": 81}),
        metadata=attrs.evolve(first.metadata, agency="示例县人民政府办公室", reporting_year=2022),
    )
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.json").write_bytes(dumps(first))
    (folder / "b.json").write_bytes(dumps(second))
    (folder / "c.json").write_bytes(dumps(example_report("2019")))
    aliases = tmp_path / "aliases.json"
    aliases.write_text(
        '{"示例县人民政府办公室": "示例县", "示例县人民政府": "示例县"}', encoding="utf-8"
    )
    main(["check", str(folder), "--select", "X."])
    assert "X.CARRY_OVER" not in capsys.readouterr().out  # two names: not paired
    assert main(["check", str(folder), "--select", "X.", "--aliases", str(aliases)]) == 1
    assert "X.CARRY_OVER" in capsys.readouterr().out
