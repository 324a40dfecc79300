"""Compare a report read from a published source with its hand-checked truth file."""

from __future__ import annotations

import json
from pathlib import Path

from ogi_report import Report
from ogi_report.compare import Accuracy, accuracy

Comparison = Accuracy


def compare(report: Report, truth_path: Path) -> Accuracy:
    """Cell for cell against the truth file at ``truth_path``."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))["cells"]
    return accuracy(report, truth)
