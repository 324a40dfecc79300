"""Findings: filtering, flattening, summaries and strict mode."""

from __future__ import annotations

import pytest

import ogi_report
from ogi_report.errors import OgiReportError, ReportErrors, RuleViolation
from ogi_report.findings import Finding, Findings, Severity


def _finding(
    code: str,
    severity: Severity = Severity.ERROR,
    instance: str | None = "total",
    cells: tuple[str, ...] = ("s3.new.total",),
) -> Finding:
    return Finding(code, severity, instance, cells, 5, 4, 1, 0, f"{code} en", f"{code} 中")


BALANCE = _finding("S3.BALANCE", cells=("s3.new.total", "s3.carried_over.total"))
ROW_TOTAL = _finding("S3.ROW_TOTAL", instance="new", cells=("s3.new.total", "s3.new.research"))
GROUP_TOTAL = _finding("S4.GROUP_TOTAL", instance="review", cells=("s4.review.total",))
BLANK_CELL = _finding("CELL.BLANK", Severity.WARNING, instance=None, cells=("s4.review.upheld",))
SCOPE = _finding("REPORT.SCOPE", Severity.INFO, instance=None, cells=())
S3_LOOKALIKE = _finding("S3X.OTHER", cells=("s3.granted.total",))

ALL = Findings((BALANCE, ROW_TOTAL, GROUP_TOTAL, BLANK_CELL, SCOPE, S3_LOOKALIKE), ("a note",))


def test_filter_by_exact_code() -> None:
    """filter(code=...) keeps the findings with exactly that code."""
    assert list(ALL.filter(code="S3.BALANCE")) == [BALANCE]


def test_filter_by_code_prefix() -> None:
    """A code ending in "." is a prefix: "S3." keeps every S3.* finding and nothing else."""
    assert list(ALL.filter(code="S3.")) == [BALANCE, ROW_TOTAL]


def test_filter_code_without_dot_is_not_a_prefix() -> None:
    """A code not ending in "." matches exactly: "S3" matches nothing."""
    assert list(ALL.filter(code="S3")) == []
    assert list(ALL.filter(code="S3.BAL")) == []


def test_filter_by_several_codes() -> None:
    """filter(code=[...]) keeps findings matching any of the codes or prefixes."""
    assert list(ALL.filter(code=["S4.GROUP_TOTAL", "CELL."])) == [GROUP_TOTAL, BLANK_CELL]


@pytest.mark.parametrize("severity", [Severity.WARNING, "warning"], ids=repr)
def test_filter_by_severity_enum_or_str(severity: Severity | str) -> None:
    """filter(severity=...) takes the enum or its value."""
    assert list(ALL.filter(severity=severity)) == [BLANK_CELL]


def test_filter_by_unknown_severity_raises() -> None:
    """An unknown severity string raises ValueError."""
    with pytest.raises(ValueError, match="fatal"):
        ALL.filter(severity="fatal")


def test_filter_by_cell() -> None:
    """filter(cell=...) keeps the findings that involve the cell."""
    assert list(ALL.filter(cell="s3.new.total")) == [BALANCE, ROW_TOTAL]
    assert list(ALL.filter(cell="s3.new.research")) == [ROW_TOTAL]
    assert list(ALL.filter(cell="s2.rules.made")) == []


def test_filters_combine_and_keep_notes() -> None:
    """Several criteria all apply; the result is a Findings keeping the notes."""
    result = ALL.filter(code="S3.", severity="error", cell="s3.carried_over.total")
    assert isinstance(result, Findings)
    assert list(result) == [BALANCE]
    assert result.notes == ("a note",)


def test_errors_property() -> None:
    """.errors keeps only error findings."""
    assert list(ALL.errors) == [BALANCE, ROW_TOTAL, GROUP_TOTAL, S3_LOOKALIKE]


def test_flatten_default_and_named_fields() -> None:
    """flatten gives (code, instance) tuples by default, or the fields named."""
    assert Findings((BALANCE, BLANK_CELL)).flatten() == [
        ("S3.BALANCE", "total"),
        ("CELL.BLANK", None),
    ]
    assert Findings((BALANCE,)).flatten(("code", "severity", "published", "computed")) == [
        ("S3.BALANCE", Severity.ERROR, 5, 4)
    ]


def test_summary_counts_codes_most_frequent_first() -> None:
    """summary maps each code to its count, most frequent first."""
    findings = Findings((BLANK_CELL, BALANCE, BLANK_CELL, BLANK_CELL, BALANCE, SCOPE))
    summary = findings.summary()
    assert summary == {"CELL.BLANK": 3, "S3.BALANCE": 2, "REPORT.SCOPE": 1}
    assert list(summary) == ["CELL.BLANK", "S3.BALANCE", "REPORT.SCOPE"]
    assert Findings().summary() == {}


def test_has_errors() -> None:
    """has_errors is true if any finding is an error, false for warnings and info only."""
    assert ALL.has_errors
    assert not Findings((BLANK_CELL, SCOPE)).has_errors
    assert not Findings().has_errors


def test_raise_if_errors_raises_a_group_of_rule_violations() -> None:
    """raise_if_errors raises ReportErrors, an ExceptionGroup of one RuleViolation per error."""
    with pytest.raises(ReportErrors) as excinfo:
        ALL.raise_if_errors()
    group = excinfo.value
    assert "ExceptionGroup" in [cls.__name__ for cls in type(group).__mro__]
    assert isinstance(group, OgiReportError)
    assert all(type(e) is RuleViolation for e in group.exceptions)
    assert [e.finding for e in group.exceptions] == [BALANCE, ROW_TOTAL, GROUP_TOTAL, S3_LOOKALIKE]
    assert str(group.exceptions[0]) == "S3.BALANCE: S3.BALANCE en"
    assert excinfo.group_contains(RuleViolation, depth=1)
    assert not excinfo.group_contains(ReportErrors)


def test_rule_violation_is_a_value_error() -> None:
    """RuleViolation derives from OgiReportError and ValueError and keeps its finding."""
    violation = RuleViolation(BALANCE)
    assert isinstance(violation, ValueError)
    assert isinstance(violation, OgiReportError)
    assert violation.finding is BALANCE


def test_raise_if_errors_does_nothing_without_errors() -> None:
    """Without error findings, raise_if_errors returns quietly."""
    Findings((BLANK_CELL, SCOPE)).raise_if_errors()
    Findings().raise_if_errors()


def test_raise_if_errors_on_a_checked_report() -> None:
    """Strict mode on the 2019 example raises S3.BALANCE and S3.ROW_TOTAL violations."""
    findings = ogi_report.check(ogi_report.example_report("2019"))
    with pytest.raises(ReportErrors) as excinfo:
        findings.raise_if_errors()
    codes = sorted(e.finding.code for e in excinfo.value.exceptions)
    assert codes == ["S3.BALANCE", "S3.ROW_TOTAL"]


def test_slicing_returns_findings() -> None:
    """A slice of Findings is a Findings with the same notes; an index is a Finding."""
    part = ALL[1:3]
    assert isinstance(part, Findings)
    assert list(part) == [ROW_TOTAL, GROUP_TOTAL]
    assert part.notes == ALL.notes
    assert ALL[0] is BALANCE
    assert ALL[-1] is S3_LOOKALIKE
    assert len(ALL[:0]) == 0


def test_sequence_protocol() -> None:
    """len, iteration and membership work like a sequence."""
    assert len(ALL) == 6
    assert BALANCE in ALL
    assert list(reversed(Findings((BALANCE, SCOPE)))) == [SCOPE, BALANCE]


def test_items_given_as_list_are_stored_as_tuple() -> None:
    """Items and notes given as lists are stored as tuples."""
    findings = Findings([BALANCE], ["n"])  # type: ignore[arg-type]
    assert type(findings.items) is tuple
    assert type(findings.notes) is tuple


def test_repr_counts_severities() -> None:
    """The repr counts findings by severity."""
    assert repr(ALL) == "<Findings: 4 error, 1 warning, 1 info>"
    assert repr(Findings()) == "<Findings: none>"


def test_finding_message_and_str() -> None:
    """message joins English and Chinese; str names source, severity and code."""
    import attrs

    assert BALANCE.message == "S3.BALANCE en / S3.BALANCE 中"
    assert str(BALANCE) == "error S3.BALANCE: S3.BALANCE en"
    assert str(attrs.evolve(BALANCE, source="a.json")) == "a.json: error S3.BALANCE: S3.BALANCE en"


def test_severity_rank_orders_worst_first() -> None:
    """Errors rank before warnings, warnings before information."""
    assert Severity.ERROR.rank < Severity.WARNING.rank < Severity.INFO.rank
