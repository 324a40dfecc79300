"""pandas DataFrames and Parquet files of reports (extras ``pandas`` and ``parquet``).

Long form: one row per cell (the tidy records). Wide form: one row per report, columns a
(section, row, column) MultiIndex labelled in Chinese or English. Numbers stay exact:
counts are integers, amounts ``Decimal`` (object dtype in pandas); a cell that is not a
number is missing in ``value`` and kept in ``printed``.

>>> from ogi_report import example_report
>>> frame = to_dataframe([example_report("2021")], form="wide", labels="en")
>>> frame.loc[0, ("3", "new requests received this year", "total")]
99
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .model import Report
from .writers.tidy import COLUMNS, records

if TYPE_CHECKING:
    import pandas

__all__ = ["to_dataframe", "to_parquet"]


def __dir__() -> list[str]:
    return __all__


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'ogi-report[pandas]'") from None
    return pandas


def _reports(reports: Report | Iterable[Report]) -> Iterable[Report]:
    return (reports,) if isinstance(reports, Report) else reports


def to_dataframe(
    reports: Report | Iterable[Report],
    *,
    form: Literal["long", "wide"] = "long",
    labels: Literal["zh", "en"] = "zh",
) -> pandas.DataFrame:
    """Reports as a DataFrame, long (a row per cell) or wide (a row per report)."""
    pd = _pandas()
    if form == "long":
        rows = [row for report in _reports(reports) for row in records(report)]
        return pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    suffix = "zh" if labels == "zh" else "en"
    keys = ("agency", "reporting_year", "template")
    index: list[tuple[Any, ...]] = []
    table: list[dict[tuple[str, str, str], Any]] = []
    columns: dict[tuple[str, str, str], None] = {}  # in printed order, both formats
    for report in _reports(reports):
        cells = records(report)
        meta = report.metadata
        index.append((meta.agency, meta.reporting_year, report.template.version))
        row = {}
        for cell in cells:
            key = (
                str(cell["section"]),
                cell[f"row_label_{suffix}"],
                cell[f"column_label_{suffix}"],
            )
            row[key] = cell["value"]
            columns.setdefault(key)
        table.append(row)
    frame = pd.DataFrame(
        [[row.get(key) for key in columns] for row in table],
        columns=pd.MultiIndex.from_tuples(list(columns), names=["section", "row", "column"]),
        dtype=object,  # exact numbers: ints and Decimals, None where not printed
    )
    frame.index = pd.MultiIndex.from_tuples(index, names=list(keys))
    return frame.reset_index()


def to_parquet(reports: Report | Iterable[Report], path: str | Path) -> None:
    """Write the long form to a Parquet file (needs pyarrow: ``ogi-report[parquet]``).

    Values are written as text in ``printed`` and as numbers in ``value`` (float64 for
    amounts would lose digits, so ``value`` is a decimal string column).
    """
    frame = to_dataframe(reports, form="long")
    frame = frame.assign(value=frame["value"].map(lambda v: None if v is None else str(v)))
    try:
        frame.to_parquet(path, index=False)
    except ImportError:
        raise ImportError("Parquet needs pyarrow: pip install 'ogi-report[parquet]'") from None
