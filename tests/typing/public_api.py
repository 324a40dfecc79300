"""The public API used as a user would, for mypy --strict (not collected by pytest)."""

from __future__ import annotations

from decimal import Decimal

import ogi_report
from ogi_report import (
    BLANK,
    Cell,
    CheckOptions,
    Finding,
    Findings,
    Metadata,
    NotApplicable,
    Report,
    Severity,
    check,
    check_pair,
    dumps,
    example_report,
    loads,
    to_cells_json,
)

report: Report = example_report("2021")
value: Cell = report["s3.new.total"]
fee: Cell = report.get("s2.fees.amount", Decimal(0))
changed: Report = report.replace_cells(
    {"s3.new.total": BLANK, "s4.review.total": NotApplicable("—")}
)
findings: Findings = check(changed, CheckOptions(blank="skip", ignore={"TEXT."}))
first: Finding = findings[0]
severity: Severity = first.severity
cells: tuple[str, ...] = first.cells
pair: Findings = check_pair(example_report("2019"), report)
again: Report = loads(dumps(report))
flat: dict[str, object] = to_cells_json(report)
meta: Metadata = Metadata(agency="示例县人民政府", reporting_year=2021, published_on="2022-03-28")
version: str = ogi_report.__version__
