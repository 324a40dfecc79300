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

from importlib import import_module
from typing import TYPE_CHECKING, Any

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
from .templates import TEMPLATE_2019, TEMPLATE_2021, Template, get_template, template_for_year

if TYPE_CHECKING:
    from .examples import example_report
    from .findings import Finding, Findings, Severity
    from .readers import read
    from .rules import RULES, CheckOptions, Rule, check, check_pair
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

    __version__: str

#: Names imported on first use (PEP 562), by the submodule that defines them: ``import
#: ogi_report`` costs only the model; the findings, rules, readers, writers and examples are
#: imported by whoever uses them.
_LAZY = {
    "example_report": "examples",
    "read": "readers",
    **dict.fromkeys(("Finding", "Findings", "Severity"), "findings"),
    **dict.fromkeys(("RULES", "CheckOptions", "Rule", "check", "check_pair"), "rules"),
    **dict.fromkeys(
        (
            "dumps",
            "from_cells_json",
            "from_dict",
            "json_schema",
            "loads",
            "records",
            "to_cells_json",
            "to_csv",
            "to_dict",
        ),
        "writers",
    ),
}
#: Submodules that ``import ogi_report`` made attributes of the package before they were
#: imported on first use: still reachable as ``ogi_report.rules`` and so on.
_SUBMODULES = frozenset(_LAZY.values())


if not TYPE_CHECKING:  # to type checkers the names are imported above: no Any for typos

    def __getattr__(name: str) -> Any:
        """The names of :data:`_LAZY`, the submodules, and ``__version__`` (importlib.metadata
        costs 30 ms: it is asked only when the version is)."""
        if name == "__version__":
            value = _version()
        elif name in _LAZY:
            value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        elif name in _SUBMODULES:
            value = import_module(f".{name}", __name__)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value  # asked once
        return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ogi-report")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


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
