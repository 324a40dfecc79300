"""The compiled check against a plain reference evaluation of the declared relations.

:func:`ogi_report.check` evaluates the relations of ``rules.relations`` with code generated
once per format and printing (straight-line sums over each table's flat cells). Here the
same relations are evaluated the plain way, one at a time over ``dict(report.values())``
with :func:`~ogi_report.rules.relations.signed_sum`, and every finding must come out the
same: code, severity, instance, cells, published, computed, difference, tolerance, both
messages, and their order; the notes (relations not assessable) too.

The reports are hypothesis-made faulty reports (:func:`ogi_report.strategies.faults`) with
cells of every kind planted on top (blanks, marks, text, decimals, ambiguous and missing
cells, negative counts), subtotal rows printed or not, under both blank and mark policies
and with rules selected or ignored: the counts-only path and the general path of the
compiled code both run.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_report import (
    BLANK,
    MISSING,
    RULES,
    Ambiguous,
    Blank,
    Cell,
    CheckOptions,
    Finding,
    NotApplicable,
    Report,
    Unreadable,
    check,
)
from ogi_report.cells import Number
from ogi_report.rules.relations import Relation, Term, relations, signed_sum
from ogi_report.strategies import Fault, faults
from ogi_report.templates import TEMPLATES

PLANTED: list[Cell] = [
    BLANK,
    MISSING,
    NotApplicable("/"),
    NotApplicable("无"),
    Unreadable("见附件"),
    Ambiguous((23, 2)),
    Decimal("2.5"),
    Decimal("4"),
    Decimal("0.00"),
    0,
    -3,
    7,
]

OPTIONS = st.builds(
    CheckOptions,
    blank=st.sampled_from(["zero", "skip"]),
    not_applicable=st.sampled_from(["zero", "skip"]),
    select=st.sampled_from([None, ["S3."], ["S3.BALANCE", "S4."], ["S2."]]),
    ignore=st.sampled_from([(), ["S3.ROW_TOTAL"], ["S3.SUBTOTAL_MISMATCH", "S4."]]),
)

#: The rules whose findings come from relations.
RELATION_RULES = frozenset(
    relation.rule for template in TEMPLATES for relation in relations(template)
)

CHECKED = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def _fmt(value: Number) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _readable(value: object, zero: frozenset[type]) -> bool:
    return type(value) in (int, Decimal) or type(value) in zero


def _right_terms(relation: Relation, values: dict[str, Cell], zero: frozenset[type]) -> list[Term]:
    """The right side, a subtotal standing in for its parts when none of them can be read."""
    terms = list(relation.right)
    for parts, subtotal in relation.substitutes:
        if not any(_readable(values.get(p, MISSING), zero) for p in parts) and _readable(
            values.get(subtotal, MISSING), zero
        ):
            terms = [t for t in terms if t.code not in parts] + [Term(subtotal)]
    return terms


def _tolerance(numbers: list[Number]) -> Decimal:
    exponents = [n.as_tuple().exponent if isinstance(n, Decimal) else 0 for n in numbers]
    return Decimal(5).scaleb(int(max(exponents, default=0)) - 1)


def reference(report: Report, options: CheckOptions) -> tuple[list[Finding], list[str]]:
    """Every relation of the report's format, one at a time, over a plain dict."""
    values = dict(report.values())
    zero = frozenset(
        kind
        for kind, policy in ((Blank, options.blank), (NotApplicable, options.not_applicable))
        if policy == "zero"
    )
    version = report.template.version
    found: list[Finding] = []
    notes: list[str] = []
    for relation in relations(report.template):
        terms = (*relation.left, *relation.right)
        if not RULES[relation.rule].applies_to(version) or any(
            t.sign != 1 or t.previous for t in terms
        ):
            continue  # the cross-year relations are check_pair's
        if relation.left[0].code not in values or not options.wants(relation.rule):
            continue
        left = signed_sum(relation.left, values, None, zero)
        right = signed_sum(_right_terms(relation, values, zero), values, None, zero)
        if isinstance(left, str) or isinstance(right, str):
            blocked = left if isinstance(left, str) else right
            assert isinstance(blocked, str)
            if values.get(blocked, MISSING) is not MISSING:
                notes.append(
                    f"{relation.rule} {relation.instance}: not assessable,"
                    f" {blocked} is {values[blocked]!r}"
                )
            continue
        tolerance: Number = _tolerance([*left.numbers, *right.numbers]) if relation.money else 0
        difference = left.total - right.total
        if relation.holds(difference, tolerance):
            continue
        rule = RULES[relation.rule]
        fields = {
            "instance_en": relation.instance_en,
            "instance_zh": relation.instance_zh,
            "published": _fmt(left.total),
            "computed": _fmt(right.total),
            "difference": _fmt(difference),
            "tolerance": _fmt(tolerance),
            "detail_en": "",
            "detail_zh": "",
        }
        found.append(
            Finding(
                rule.code,
                rule.severity,
                relation.instance,
                relation.cells,
                left.total,
                right.total,
                difference,
                tolerance,
                rule.message_en.format(**fields),
                rule.message_zh.format(**fields),
            )
        )
    found.sort(key=lambda f: f.severity.rank)  # check gives them worst first, else in order
    return found, notes


def _planted(fault: Fault, data: st.DataObject) -> Report:
    codes = sorted(fault.report.values())
    planted = data.draw(
        st.dictionaries(st.sampled_from(codes), st.sampled_from(PLANTED), max_size=6)
    )
    return fault.report.replace_cells(planted) if planted else fault.report


def _same(report: Report, options: CheckOptions) -> None:
    findings = check(report, options)
    expected, notes = reference(report, options)
    ours = [f for f in findings if f.code in RELATION_RULES]
    assert ours == expected
    assert [(f.message_en, f.message_zh) for f in ours] == [
        (f.message_en, f.message_zh) for f in expected
    ]
    # The relations' notes, in order; REPORT.LATE's (a deadline not assessable) is not theirs.
    assert [n for n in findings.notes if not n.startswith("REPORT.LATE")] == notes


@CHECKED
@given(faults(), OPTIONS, st.data())
def test_compiled_check_equals_the_reference(
    fault: Fault, options: CheckOptions, data: st.DataObject
) -> None:
    """Findings of the relations, and notes, as the plain evaluation gives them."""
    _same(_planted(fault, data), options)


@CHECKED
@given(faults(), st.data())
def test_compiled_check_equals_the_reference_by_default(fault: Fault, data: st.DataObject) -> None:
    """The same under the default options (every rule), the common case."""
    _same(_planted(fault, data), CheckOptions())


@CHECKED
@given(faults())
def test_counts_only_findings_equal_the_reference(fault: Fault) -> None:
    """A fault in a table of counts only: the quick path, messages made in advance."""
    _same(fault.report, CheckOptions())
    if fault.kind != "blank":  # nothing but the relations to report
        expected, _ = reference(fault.report, CheckOptions())
        assert check(fault.report).items == tuple(expected)
