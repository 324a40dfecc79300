"""The project's own promises: README commands, lint and types clean, CHANGELOG present."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ogi_report import RULES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "pip install -e '.[test]' && pytest"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs exactly the test command the README gives (under each Python it finds)."""
    assert TEST_COMMAND in README.split("## Quick start")[0]
    lines = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ]
    assert TEST_COMMAND in lines


def test_readme_rule_table_lists_every_rule() -> None:
    """Every catalogue code has a row in the README's rule table, with its severity."""
    rows = dict(re.findall(r"^\| ([A-Z0-9_.]+) \| (error|warning|info) \|", README, re.M))
    assert rows == {code: rule.severity.value for code, rule in RULES.items()}


def test_changelog_has_an_unreleased_section() -> None:
    """CHANGELOG.md follows Keep a Changelog with an Unreleased section."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_ruff_is_clean() -> None:
    """ruff finds nothing to report and nothing to reformat."""
    ruff = _tool("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    """mypy --strict passes over src and tests (configured in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_classifiers_name_every_supported_python() -> None:
    """The trove classifiers list each Python from requires-python's lowest to the highest CI
    runs (3.13)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lowest = int(project["requires-python"].removeprefix(">=3."))
    listed = {
        int(c.rsplit(".", 1)[1])
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    }
    assert listed == set(range(lowest, 14))
