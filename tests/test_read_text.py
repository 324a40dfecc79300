"""Reading the text and Markdown reports of the corpus, cell for cell against their truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi_report import Ambiguous, check, read
from ogi_report.cli import main

from .conftest import CORPUS
from .corpus_compare import compare

TEXTS = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
TEXTS = [p for p in TEXTS if Path(f"{p}.truth.json").exists()]
needs_corpus = pytest.mark.skipif(not TEXTS, reason="../shared/corpus is not beside the repo")

#: Findings the notes of each file lead us to expect from its narrative.
EXPECTED_TEXT_FINDINGS = {
    "2019_chengcheng_seed.txt": {
        ("TEXT.PERCENT", "13件,占15.4%"),
        ("TEXT.INJECTED", "澳门金沙城"),
    },
}


@needs_corpus
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_every_cell_right_or_honestly_ambiguous(path: Path) -> None:
    """No cell is read wrong or lost; an ambiguous cell keeps the true value as a candidate."""
    report = read(path)
    result = compare(report, Path(f"{path}.truth.json"))
    assert not result.wrong, result
    assert not result.missing, result


@needs_corpus
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_run_together_rows_are_recovered_from_identities(path: Path) -> None:
    """Sections 3 and 4, which have identities, come back with no ambiguity at all."""
    report = read(path)
    unsettled = [c for c, v in report.values().items() if isinstance(v, Ambiguous)]
    assert all(code.startswith("s2.") for code in unsettled), unsettled


@needs_corpus
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_no_error_findings_and_the_text_findings_named(path: Path) -> None:
    """The text reports have no arithmetic errors; the seed's percentage and spam are found."""
    findings = check(read(path))
    assert findings.errors.flatten() == []
    expected = EXPECTED_TEXT_FINDINGS.get(path.name, set())
    text = set(findings.filter(code="TEXT.").flatten(("code", "instance")))
    assert text == expected


@needs_corpus
def test_pingtan_2019_run_together_section_3() -> None:
    """平潭 2019 prints '230 000023' for 一、本年新收: read back as 23,0,0,0,0,0,23."""
    report = read(CORPUS / "2019_pingtan_1.txt")
    row = [report[f"s3.new.{c}"] for c in report.template.table("s3").column_keys]
    assert row == [23, 0, 0, 0, 0, 0, 23]
    assert report.metadata.reporting_year == 2019


@needs_corpus
def test_section_2_without_identities_stays_ambiguous() -> None:
    """'规范性文件898989' has many cuts and no identity to choose one: kept ambiguous."""
    report = read(CORPUS / "2019_pingtan_1.txt")
    cell = report["s2.normative_documents.published"]
    assert isinstance(cell, Ambiguous)
    assert 89 in cell.candidates


@needs_corpus
def test_cli_points_findings_at_the_source_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`ogi-report check` on a text report names file:line:column for cell findings."""
    assert main(["check", str(CORPUS / "2019_pingtan_1.txt")]) == 0
    out = capsys.readouterr().out
    assert "2019_pingtan_1.txt:10:" in out
    assert "CELL.AMBIGUOUS" in out


@needs_corpus
def test_cells_json_writes_ambiguous_and_missing(capsys: pytest.CaptureFixture[str]) -> None:
    """convert --to cells-json writes {"ambiguous": [...]} for unsettled cells."""
    assert main(["convert", str(CORPUS / "2023_pingtan_5.txt"), "--to", "cells-json"]) == 0
    out = capsys.readouterr().out
    assert '"s2.normative_documents.issued": {\n      "ambiguous": [' in out
