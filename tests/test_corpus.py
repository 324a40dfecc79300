"""Every hand-checked truth file of ../shared/corpus: read as cells JSON, checked, written back.

The expected errors come from reading each truth file's ``notes``; a new truth file fails
here until someone reads its notes and records what it must report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogi_report import check, check_pair, read, to_cells_json
from ogi_report.cli import main

from .conftest import CORPUS, truth_files

#: Error findings (code, instance) each truth file's notes name; every other file has none.
EXPECTED_ERRORS: dict[str, set[tuple[str, str]]] = {
    "2019_chengcheng_seed.txt.truth.json": set(),
    "2019_pingtan_1.txt.truth.json": set(),
    "2023_pingtan_5.txt.truth.json": set(),
    "2025_shuyangxian_8.md.truth.json": set(),
    "2021_template_blank_docx_1.docx.truth.json": set(),
    "2023_pingtan_html_2.html.truth.json": set(),
    "2023_shuyang_fgj_html_1.html.truth.json": set(),
    # notes: "PUBLISHED ERRORS … S4.GROUP_TOTAL fails for review … and for suit_after_review"
    "2023_hongzequ_pdf_1.pdf.truth.json": {
        ("S4.GROUP_TOTAL", "review"),
        ("S4.GROUP_TOTAL", "suit_after_review"),
    },
    "2024_hongzequ_pdf_2.pdf.truth.json": set(),
    "2024_huaianshi_pdf_3.pdf.truth.json": set(),
}

#: Warnings the notes imply: rows printed empty (the blank form; 沭阳发改局's organisation columns).
EXPECTED_BLANK_ROWS = {
    "2021_template_blank_docx_1.docx.truth.json": 34,
    "2023_shuyang_fgj_html_1.html.truth.json": 25,
}

TRUTHS = truth_files()
needs_corpus = pytest.mark.skipif(
    not TRUTHS, reason="../shared/corpus is not beside the repository"
)


@needs_corpus
@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name)
def test_truth_file_reports_exactly_the_errors_its_notes_name(path: Path) -> None:
    """`check` reports the published arithmetic errors the notes name, and no other error."""
    assert path.name in EXPECTED_ERRORS, f"read the notes of {path.name} and record its errors"
    findings = check(read(path))
    assert set(findings.errors.flatten(("code", "instance"))) == EXPECTED_ERRORS[path.name]


@needs_corpus
@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name)
def test_truth_file_warnings_are_the_blank_rows_only(path: Path) -> None:
    """Without narrative the only warnings are rows printed empty, as the notes describe."""
    findings = check(read(path))
    warnings = findings.filter(severity="warning")
    assert set(warnings.summary()) <= {"CELL.BLANK"}
    assert len(warnings) == EXPECTED_BLANK_ROWS.get(path.name, 0)


@needs_corpus
@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name)
def test_truth_file_cells_come_back_exactly_as_published(path: Path) -> None:
    """Reading and writing cells JSON keeps every value as printed (0 vs null vs text, decimals)."""
    truth = json.loads(path.read_text(encoding="utf-8"))
    written = to_cells_json(read(path))
    assert written["cells"] == truth["cells"]
    assert (written["agency"], written["reporting_year"], written["template"]) == (
        truth["agency"],
        truth["reporting_year"],
        truth["template"],
    )


@needs_corpus
@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name)
def test_cli_exit_status_follows_the_errors(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ogi-report check` exits 1 exactly for the files with published errors."""
    status = main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == (1 if EXPECTED_ERRORS[path.name] else 0)
    for code, _ in EXPECTED_ERRORS[path.name]:
        assert f"error {code}" in out


@needs_corpus
def test_hongzequ_consecutive_years_reconcile() -> None:
    """洪泽区 2023 → 2024: carried over equals carried forward and in-force documents add up."""
    pdf = CORPUS / "pdf"
    findings = check_pair(
        read(pdf / "2024_hongzequ_pdf_2.pdf.truth.json"),
        read(pdf / "2023_hongzequ_pdf_1.pdf.truth.json"),
    )
    assert findings.flatten(("code", "instance")) == []
    assert findings.notes == ()
