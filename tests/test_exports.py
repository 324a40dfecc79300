"""pandas and Parquet exports keep every cell exact and every kind apart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest

from ogi_report import BLANK, NotApplicable, example_report
from ogi_report.exports import to_dataframe, to_parquet

pd = pytest.importorskip("pandas")


def test_long_form_has_a_row_per_cell() -> None:
    """The long form lists every printed cell once, values exact, kinds named."""
    report = example_report("2021").replace_cells(
        {"s3.new.research": BLANK, "s4.review.other": NotApplicable()}
    )
    frame = to_dataframe(report)
    assert len(frame) == len(report.values())
    row = frame.set_index("code").loc["s2.fees.amount"]
    assert row["value"] == Decimal("356.42")
    kinds = frame.set_index("code")["kind"]
    assert (kinds["s3.new.research"], kinds["s4.review.other"]) == ("blank", "not_applicable")
    assert frame.set_index("code").loc["s3.new.research", "value"] is None


@pytest.mark.parametrize(
    ("labels", "row"),
    [("zh", "一、本年新收政府信息公开申请数量"), ("en", "new requests received this year")],
)
def test_wide_form_has_a_row_per_report(labels: Literal["zh", "en"], row: str) -> None:
    """The wide form has one row per report and a (section, row, column) MultiIndex."""
    frame = to_dataframe(
        [example_report("2021"), example_report("2019")], form="wide", labels=labels
    )
    assert len(frame) == 2
    column = ("3", row, "总计" if labels == "zh" else "total")
    assert list(frame[column]) == [99, 78]
    assert isinstance(frame[column].iloc[0], int)


def test_parquet_round_trip(tmp_path: Path) -> None:
    """A Parquet file reads back with the same codes and printed values."""
    pytest.importorskip("pyarrow")
    report = example_report("2019")
    path = tmp_path / "reports.parquet"
    to_parquet([report, example_report("2021")], path)
    back = pd.read_parquet(path)
    assert len(back) == 198 + 200
    first = back[back["code"] == "s2.procurement.amount"].iloc[0]
    assert (first["value"], first["printed"]) == ("2315.78", "2315.78")
