"""Compare a report read from a published source with its hand-checked truth file."""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from ogi_report import MISSING, Ambiguous, Report
from ogi_report.cells import format_cell


@attrs.frozen
class Comparison:
    """Per cell of the truth: read right, honestly ambiguous, missing, or wrong."""

    right: tuple[str, ...]
    ambiguous: tuple[str, ...]
    missing: tuple[str, ...]
    wrong: tuple[tuple[str, object, object], ...]

    def __str__(self) -> str:
        return (
            f"{len(self.right)} right, {len(self.ambiguous)} ambiguous,"
            f" {len(self.missing)} missing, {len(self.wrong)} wrong {list(self.wrong)[:5]}"
        )


def compare(report: Report, truth_path: Path) -> Comparison:
    """Cell for cell against the truth: an ambiguous cell counts only if the truth is among
    its candidates; a cell the truth has but the report lacks or misreads is wrong."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))["cells"]
    values = report.values()
    right, ambiguous, missing, wrong = [], [], [], []
    for code, expected in truth.items():
        value = values.get(code)
        if value is None or value is MISSING:
            missing.append(code)
        elif isinstance(value, Ambiguous):
            if expected in [format_cell(c) for c in value.candidates]:
                ambiguous.append(code)
            else:
                wrong.append((code, format_cell(value), expected))
        elif format_cell(value) == expected:
            right.append(code)
        else:
            wrong.append((code, format_cell(value), expected))
    return Comparison(tuple(right), tuple(ambiguous), tuple(missing), tuple(wrong))
