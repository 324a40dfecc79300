"""Indicators assessors compute from the tables (评估指标), declared once as data.

Each indicator is a ratio of two sums of cells of the 总计 column (section 3) or of the
section 4 groups. It is ``None`` when not assessable (a cell unreadable, ambiguous or
missing, or a denominator of 0), never a guess. Over a set of reports the sums are taken
first, then the ratio (so large bodies weigh by their requests).

>>> from ogi_report import example_report
>>> values = indicators(example_report("2021"))
>>> values["granted_share"]
Decimal('0.6337')
>>> INDICATORS["granted_share"].formula
'(s3.granted.total + s3.partly_granted.total) / s3.handled_total.total'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from .cells import MISSING, Blank, Cell, add_cells
from .model import Report

__all__ = ["INDICATORS", "Indicator", "indicators"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Indicator:
    """A named ratio: the cells summed above the line and below it."""

    key: str
    name_en: str
    name_zh: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]

    @property
    def formula(self) -> str:
        """The ratio written with canonical codes."""
        top = " + ".join(self.numerator)
        bottom = " + ".join(self.denominator)
        return f"({top}) / {bottom}" if len(self.numerator) > 1 else f"{top} / {bottom}"

    def value(self, values: Mapping[str, Cell]) -> Decimal | None:
        """The ratio over ``{code: cell}``, to 4 decimal places, or ``None``."""
        top, bottom = _sum(values, self.numerator), _sum(values, self.denominator)
        if top is None or bottom is None or bottom == 0:
            return None
        return (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.0001"))


def _sum(values: Mapping[str, Cell], codes: Iterable[str]) -> int | Decimal | None:
    total: int | Decimal = 0
    for code in codes:
        value = values.get(code)
        if isinstance(value, int | Decimal):
            total += value
        elif not isinstance(value, Blank):
            return None
    return total


_WITHHELD = tuple(
    f"s3.withheld_{reason}.total"
    for reason in (
        "state_secret",
        "prohibited_by_law",
        "three_safeties",
        "third_party",
        "internal_affairs",
        "process_info",
        "enforcement_file",
        "inquiry",
    )
)
_HANDLED = ("s3.handled_total.total",)
_CONCLUDED_REVIEW = ("s4.review.upheld", "s4.review.corrected", "s4.review.other")
_CONCLUDED_SUITS = tuple(
    f"s4.{group}.{column}"
    for group in ("suit_direct", "suit_after_review")
    for column in ("upheld", "corrected", "other")
)
_APPLICANTS = {
    "natural_person": ("自然人", "natural persons"),
    "commercial": ("商业企业", "commercial enterprises"),
    "research": ("科研机构", "research institutions"),
    "social_org": ("社会公益组织", "social welfare organisations"),
    "legal_service": ("法律服务机构", "legal service institutions"),
    "other_org": ("其他组织", "other organisations"),
}

_ALL = (
    Indicator(
        "granted_share",
        "share of requests granted in full or in part",
        "予以公开及部分公开占比",
        ("s3.granted.total", "s3.partly_granted.total"),
        _HANDLED,
    ),
    Indicator("withheld_share", "share of requests withheld", "不予公开占比", _WITHHELD, _HANDLED),
    Indicator(
        "not_held_share",
        "share of requests for information not held",
        "本机关不掌握相关政府信息占比",
        ("s3.unavailable_not_held.total",),
        _HANDLED,
    ),
    Indicator(
        "review_correction_rate",
        "correction rate in administrative reconsideration",
        "行政复议纠错率",
        ("s4.review.corrected",),
        _CONCLUDED_REVIEW,
    ),
    Indicator(
        "litigation_correction_rate",
        "correction rate in administrative litigation",
        "行政诉讼纠错率",
        ("s4.suit_direct.corrected", "s4.suit_after_review.corrected"),
        _CONCLUDED_SUITS,
    ),
    *(
        Indicator(
            f"{column}_share",
            f"share of new requests from {en}",
            f"{zh}申请占比",
            (f"s3.new.{column}",),
            ("s3.new.total",),
        )
        for column, (zh, en) in _APPLICANTS.items()
    ),
)

#: Every indicator by key.
INDICATORS: Mapping[str, Indicator] = {indicator.key: indicator for indicator in _ALL}


def _summed(reports: Iterable[Report]) -> dict[str, Cell]:
    codes = {code for indicator in _ALL for code in (*indicator.numerator, *indicator.denominator)}
    totals: dict[str, Cell] = {}
    for report in reports:
        values = report.values()
        for code in codes:
            totals[code] = add_cells(totals.get(code, 0), values.get(code, MISSING))
    return totals


def indicators(reports: Report | Iterable[Report]) -> dict[str, Decimal | None]:
    """Every indicator for one report, or for a set (sums first, then ratios)."""
    values = reports.values() if isinstance(reports, Report) else _summed(reports)
    return {key: indicator.value(values) for key, indicator in INDICATORS.items()}
