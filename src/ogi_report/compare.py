"""Comparison utilities: how well a read report matches hand-checked cells.

>>> from ogi_report import example_report, to_cells_json
>>> truth = to_cells_json(example_report("2021"))["cells"]
>>> truth["s3.new.total"] = 98
>>> result = accuracy(example_report("2021"), truth)
>>> len(result.right), result.wrong
(199, (('s3.new.total', 99, 98),))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .cells import MISSING, Ambiguous, format_cell
from .model import Report

__all__ = ["Accuracy", "accuracy"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Accuracy:
    """Each expected cell: read right, honestly ambiguous, missing, or wrong.

    An ambiguous cell counts as ambiguous only if the expected value is among its
    candidates; otherwise it is wrong.
    """

    right: tuple[str, ...]
    ambiguous: tuple[str, ...]
    missing: tuple[str, ...]
    wrong: tuple[tuple[str, Any, Any], ...]

    def __str__(self) -> str:
        return (
            f"{len(self.right)} right, {len(self.ambiguous)} ambiguous,"
            f" {len(self.missing)} missing, {len(self.wrong)} wrong"
        )


def accuracy(report: Report, expected: Mapping[str, Any]) -> Accuracy:
    """Compare ``report`` with ``{code: value}`` in the cells-JSON form (a truth file's cells)."""
    values = report.values()
    right: list[str] = []
    ambiguous: list[str] = []
    missing: list[str] = []
    wrong: list[tuple[str, Any, Any]] = []
    for code, value in expected.items():
        found = values.get(code)
        if found is None or found is MISSING:
            missing.append(code)
        elif isinstance(found, Ambiguous):
            if value in [format_cell(c) for c in found.candidates]:
                ambiguous.append(code)
            else:
                wrong.append((code, format_cell(found), value))
        elif format_cell(found) == value:
            right.append(code)
        else:
            wrong.append((code, format_cell(found), value))
    return Accuracy(tuple(right), tuple(ambiguous), tuple(missing), tuple(wrong))
