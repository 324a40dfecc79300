"""Laws that hold for every report the strategies build.

- Round trip: ``loads(dumps(r)) == r``; ``from_dict(to_dict(r)) == r``; cells JSON keeps every
  cell (and its kind).
- Soundness: a report valid by construction has no findings at all.
- Fault localisation: one injected fault (a cell off by k, a blank, two cells swapped, a row
  total broken) gives exactly the findings the fault implies, and each names the mutated cell.
- Immutability: a mutation never changes the report it started from.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ogi_report import (
    BLANK,
    MISSING,
    Ambiguous,
    Cell,
    CheckOptions,
    NotApplicable,
    Report,
    Unreadable,
    check,
    dumps,
    from_cells_json,
    from_dict,
    kind_of,
    loads,
    to_cells_json,
    to_dict,
)
from ogi_report.strategies import Fault, faults, reports

#: Every kind a cell can hold, to plant into generated reports.
_ODD: list[Cell] = [
    BLANK,
    MISSING,
    NotApplicable("/"),
    NotApplicable("—"),
    Unreadable("见附件"),
    Ambiguous((23, 2)),
]
ODD_CELLS = st.sampled_from(_ODD)


@given(reports())
def test_json_round_trip(report: Report) -> None:
    """The JSON form gives back an equal report."""
    assert loads(dumps(report)) == report
    assert loads(dumps(report, indent=True)) == report
    assert from_dict(to_dict(report)) == report


@given(reports(), st.data())
def test_round_trips_keep_every_cell_kind(report: Report, data: st.DataObject) -> None:
    """Blank, not applicable, unreadable, ambiguous and missing cells survive both JSON forms."""
    codes = sorted(report.values())
    planted = data.draw(st.dictionaries(st.sampled_from(codes), ODD_CELLS, min_size=1, max_size=8))
    mutated = report.replace_cells(planted)
    assert loads(dumps(mutated)) == mutated
    flat = from_cells_json(to_cells_json(mutated))
    assert dict(flat.values()) == dict(mutated.values())
    assert {c: kind_of(v) for c, v in flat.values().items()} == {
        c: kind_of(v) for c, v in mutated.values().items()
    }


@given(reports())
def test_valid_reports_have_no_findings(report: Report) -> None:
    """Built valid, a report gives no finding of any severity, under either blank policy."""
    assert check(report).flatten(("code", "instance")) == []
    assert check(report, CheckOptions(blank="skip")).flatten(("code", "instance")) == []


@given(faults())
def test_one_fault_gives_exactly_its_findings(fault: Fault) -> None:
    """Each injected fault is reported as exactly the rule instances it breaks."""
    findings = check(fault.report)
    assert set(findings.flatten(("code", "instance"))) == set(fault.expected)
    assert len(findings) == len(fault.expected)


@given(faults())
def test_findings_name_the_mutated_cell(fault: Fault) -> None:
    """Every finding of a fault lists one of the mutated cells among its cells."""
    for finding in check(fault.report):
        assert set(finding.cells) & set(fault.cells), finding


@given(faults())
def test_faults_are_errors_unless_only_a_blank(fault: Fault) -> None:
    """An arithmetic fault is an error; a blank zero is only a warning."""
    findings = check(fault.report)
    arithmetic = {code for code, _ in fault.expected} - {"CELL.BLANK", "S3.SUBTOTAL_MISMATCH"}
    assert findings.has_errors == bool(arithmetic)


@given(faults())
def test_blank_policy_skip_makes_touching_rules_not_assessable(fault: Fault) -> None:
    """Under blank="skip" a blank cell only reports itself, never an arithmetic guess."""
    if fault.kind != "blank":
        return
    codes = {
        code
        for code, _ in check(fault.report, CheckOptions(blank="skip")).flatten(("code", "instance"))
    }
    assert codes == {"CELL.BLANK"}


@given(reports(), st.data())
def test_replacing_cells_leaves_the_original(report: Report, data: st.DataObject) -> None:
    """replace_cells returns a new report; the original keeps its values."""
    before = dumps(report)
    code = data.draw(st.sampled_from(sorted(report.values())))
    changed = report.replace_cells({code: BLANK})
    assert changed[code] is BLANK
    assert dumps(report) == before
