"""The bundled examples/ files are the fictional 示例县 reports, current with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi_report import check, dumps, example_report, read
from ogi_report.examples import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(("version", "year"), [("2019", 2020), ("2021", 2021)])
def test_example_files_are_current(version: str, year: int) -> None:
    """examples/shili-county-<year>.json is exactly what example_report writes today."""
    path = EXAMPLES / f"shili-county-{year}.json"
    assert path.read_bytes() == dumps(example_report(version), indent=True), (
        "regenerate with: python -c \"from ogi_report.examples import main; main(['examples'])\""
    )


def test_main_writes_both_examples(tmp_path: Path) -> None:
    """main() writes both examples, and they read back to the same reports."""
    assert main([str(tmp_path)]) == 0
    assert read(tmp_path / "shili-county-2021.json") == example_report("2021")
    assert check(read(tmp_path / "shili-county-2020.json")).has_errors
