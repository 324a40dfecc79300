"""ReportSet and indicators: sums equal cell-wise sums, series, cross-year checks, coverage."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from ogi_report import MISSING, Ambiguous, Report, example_report
from ogi_report.aggregate import ReportSet
from ogi_report.indicators import INDICATORS, indicators
from ogi_report.strategies import reports


def as_body(report: Report, name: str, year: int) -> Report:
    """The report relabelled as body ``name`` for ``year``."""
    meta = attrs.evolve(report.metadata, agency=name, reporting_year=year)
    return attrs.evolve(report, metadata=meta)


@given(st.lists(reports("2021"), min_size=1, max_size=5))
def test_aggregate_equals_the_cellwise_sum(generated: list[Report]) -> None:
    """The aggregate of generated reports is the sum of each cell over them."""
    bodies = [as_body(r, f"示例{i}局", 2022) for i, r in enumerate(generated)]
    total = ReportSet(bodies).aggregate(2022)
    for code in generated[0].values():
        expected = sum(r.values()[code] for r in generated if code in r.values())  # type: ignore[misc]
        if all(code in r.values() for r in generated):
            assert total.values[code] == expected
    assert len(total.bodies) == len(generated)
    assert total.missing == ()


def test_aggregate_states_coverage_and_unknowns() -> None:
    """Bodies without a report for the year are listed; an ambiguous cell makes the sum unknown."""
    a = as_body(example_report("2021"), "甲局", 2021)
    b = as_body(example_report("2021"), "乙局", 2020)
    total = ReportSet([a, b]).aggregate(2021, bodies=["甲局", "乙局", "丙局"])
    assert total.bodies == ("甲局",)
    assert total.missing == ("丙局", "乙局")
    assert "本行政区域" in total.note
    c = as_body(
        example_report("2021").replace_cells({"s3.new.research": Ambiguous((1, 10))}), "丙局", 2021
    )
    assert ReportSet([a, c]).aggregate(2021).values["s3.new.research"] is MISSING


def test_carry_over_fires_on_exactly_the_broken_columns() -> None:
    """X.CARRY_OVER between consecutive years names exactly the columns that break."""
    previous = as_body(example_report("2021"), "甲局", 2021)
    current = as_body(example_report("2021"), "甲局", 2022).replace_cells(
        {
            "s3.carried_over.natural_person": 3,
            "s3.new.natural_person": 87,
            "s3.carried_over.total": 4,
            "s3.new.total": 100,
        }
    )
    results = dict(ReportSet([current, previous]).check())
    pair = next(findings for label, findings in results.items() if "→" in label)
    broken = {f.instance for f in pair if f.code == "X.CARRY_OVER"}
    assert broken == {"commercial", "total"}  # natural persons: 3 forward, 3 over


def test_aliases_join_renamed_bodies() -> None:
    """An alias map makes two printed names one body."""
    old = as_body(example_report("2021"), "平潭综合实验区管委会", 2022)
    new = as_body(example_report("2021"), "平潭综合实验区管委会办公室", 2023)
    aliases = {"平潭综合实验区管委会": "平潭", "平潭综合实验区管委会办公室": "平潭"}
    assert ReportSet([old, new], aliases).years("平潭") == (2022, 2023)
    assert len(ReportSet([old, new]).bodies()) == 2


def test_indicators_have_formulas_and_values() -> None:
    """Every indicator names its cells; values are ratios or None when not assessable."""
    report = example_report("2021")
    values = indicators(report)
    assert values["granted_share"] == Decimal("0.6337")  # (49 + 15) / 101
    assert values["review_correction_rate"] == Decimal("0.2500")  # 1 / (3 + 1 + 0)
    for indicator in INDICATORS.values():
        assert all(
            code in report.template for code in (*indicator.numerator, *indicator.denominator)
        )
    unreadable = report.replace_cells({"s3.granted.total": MISSING})
    assert indicators(unreadable)["granted_share"] is None


def test_indicators_over_a_set_sum_first() -> None:
    """Over a set, numerators and denominators are summed before dividing."""
    a, b = example_report("2021"), example_report("2019")
    expected = Decimal(49 + 15 + 34 + 10) / Decimal(101 + 74)
    assert indicators([a, b])["granted_share"] == expected.quantize(Decimal("0.0001"))
