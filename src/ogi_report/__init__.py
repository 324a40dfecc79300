"""ogi-report: China's government information disclosure annual reports (政府信息公开工作年度报告).

A typed model of both official formats (2019 and 2021), their reconciliation rules
(勾稽关系) as data, lossless serializers, and hypothesis strategies.

>>> import ogi_report
>>> report = ogi_report.example_report("2019")
>>> findings = ogi_report.check(report)
>>> findings.errors.flatten(("code", "instance", "published", "computed"))
[('S3.BALANCE', 'total', 80, 79), ('S3.ROW_TOTAL', 'new', 78, 77)]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .cells import (
    BLANK,
    MISSING,
    Ambiguous,
    Blank,
    Cell,
    CellKind,
    Missing,
    NotApplicable,
    Number,
    Provenance,
    Unreadable,
    kind_of,
)
from .dates import parse_date
from .errors import InputError, OgiReportError, ReportErrors, RuleViolation
from .examples import example_report
from .findings import Finding, Findings, Severity
from .model import (
    AdminLevel,
    BodyKind,
    CellEntry,
    Metadata,
    Part,
    Report,
    Row,
    Scope,
    Section,
    Table,
    Unplaced,
)
from .readers import read
from .rules import RULES, CheckOptions, Rule, check, check_pair
from .templates import TEMPLATE_2019, TEMPLATE_2021, Template, get_template, template_for_year
from .writers import (
    dumps,
    from_cells_json,
    from_dict,
    json_schema,
    loads,
    records,
    to_cells_json,
    to_csv,
    to_dict,
)

try:
    __version__ = version("ogi-report")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "BLANK",
    "MISSING",
    "RULES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "AdminLevel",
    "Ambiguous",
    "Blank",
    "BodyKind",
    "Cell",
    "CellEntry",
    "CellKind",
    "CheckOptions",
    "Finding",
    "Findings",
    "InputError",
    "Metadata",
    "Missing",
    "NotApplicable",
    "Number",
    "OgiReportError",
    "Part",
    "Provenance",
    "Report",
    "ReportErrors",
    "Row",
    "Rule",
    "RuleViolation",
    "Scope",
    "Section",
    "Severity",
    "Table",
    "Template",
    "Unplaced",
    "Unreadable",
    "__version__",
    "check",
    "check_pair",
    "dumps",
    "example_report",
    "from_cells_json",
    "from_dict",
    "get_template",
    "json_schema",
    "kind_of",
    "loads",
    "parse_date",
    "read",
    "records",
    "template_for_year",
    "to_cells_json",
    "to_csv",
    "to_dict",
]


def __dir__() -> list[str]:
    return __all__
