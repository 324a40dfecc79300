"""One row per cell: records for pandas, and CSV.

>>> from ogi_report.examples import example_report
>>> rows = records(example_report("2021"))
>>> first = rows[0]
>>> first["code"], first["row_label_zh"], first["column_label_zh"], first["kind"], first["value"]
('s2.rules.issued', '规章', '本年制发件数', 'number', 0)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from ..cells import format_cell
from ..model import Report

__all__ = ["COLUMNS", "records", "to_csv"]


def __dir__() -> list[str]:
    return __all__


#: The columns of the tidy form, in order.
COLUMNS = (
    "agency",
    "reporting_year",
    "template",
    "code",
    "section",
    "table",
    "row",
    "column",
    "row_label_zh",
    "column_label_zh",
    "row_label_en",
    "column_label_en",
    "unit",
    "kind",
    "value",
    "printed",
)


def records(report: Report) -> list[dict[str, Any]]:
    """Every printed cell as a flat dict (``pandas.DataFrame.from_records`` takes them).

    ``value`` is the number (``int`` or ``Decimal``) or ``None``; ``printed`` is the cell in
    the cells-JSON string form, so a blank, a ``/`` and text stay apart.
    """
    meta = report.metadata
    rows = []
    for entry in report.cells():
        spec = entry.spec
        value = entry.value
        printed = format_cell(value)
        if isinstance(printed, int):
            printed = str(printed)
        elif isinstance(printed, dict):
            printed = json.dumps(printed, ensure_ascii=False)
        rows.append(
            {
                "agency": meta.agency,
                "reporting_year": meta.reporting_year,
                "template": report.template.version,
                "code": spec.code,
                "section": spec.section,
                "table": spec.table.key,
                "row": spec.row.key,
                "column": spec.column.key,
                "row_label_zh": spec.row.label_zh,
                "column_label_zh": spec.column.label_zh,
                "row_label_en": spec.row.en,
                "column_label_en": spec.column.en,
                "unit": spec.column.unit,
                "kind": entry.kind.value,
                "value": value if isinstance(value, (int, Decimal)) else None,
                "printed": printed,
            }
        )
    return rows


def to_csv(reports: Report | Iterable[Report], file: IO[str] | None = None) -> str | None:
    """Write the tidy form of one or more reports as CSV (UTF-8 text, header first).

    Returns the CSV text when ``file`` is ``None``.
    """
    if isinstance(reports, Report):
        reports = (reports,)
    out = io.StringIO() if file is None else file
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        for row in records(report):
            writer.writerow({**row, "value": "" if row["value"] is None else row["value"]})
    return out.getvalue() if isinstance(out, io.StringIO) and file is None else None
