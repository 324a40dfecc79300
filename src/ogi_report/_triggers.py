"""The evidence for each deduction of a methodology: what triggered it, and what could not be
assessed. Private: :func:`ogi_report.scorecard.score` puts it together with the caps."""

from __future__ import annotations

from decimal import Decimal
from fnmatch import fnmatchcase
from typing import NamedTuple

import attrs

from ._methodology import Deduction, element_names, rule_codes
from .cells import MISSING, Ambiguous, Blank, Missing, NotApplicable, Unreadable
from .findings import Finding, Value
from .indicators import INDICATORS
from .model import Report
from .rules import CheckOptions
from .rules.catalogue import RULES

__all__ = ["Context", "Draft", "Unknown", "evidence"]


def __dir__() -> list[str]:
    return __all__


class Draft(NamedTuple):
    """A penalty before the caps."""

    occurrences: int
    code: str | None
    cells: tuple[str, ...]
    published: Value
    computed: Value
    message_en: str
    message_zh: str
    finding: Finding | None


class Unknown(NamedTuple):
    """Why (part of) a deduction could not be assessed; ``most``: its worst case, if bounded."""

    reason_en: str
    reason_zh: str
    cells: tuple[str, ...] = ()
    most: Decimal | None = None


#: Rules that read the narrative: not assessable when the narrative is not known.
_NARRATIVE_RULES = frozenset(
    {
        *(code for code in RULES if code.startswith("TEXT.")),
        "REPORT.GOV_REVIEW_MISSING",
        "REPORT.OVERVIEW_TOPICS",
        "REPORT.SECTION_MISSING",
        "REPORT.SCOPE",
    }
)


@attrs.frozen
class Context:
    """What a report's score is computed from: the report, its own and its cross-year
    findings, the notes of the checks, and why the cross-year rules were not run (if so)."""

    report: Report
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]
    pair_reason: tuple[str, str] | None
    options: CheckOptions


def evidence(deduction: Deduction, context: Context) -> tuple[list[Draft], list[Unknown]]:
    """What triggered ``deduction`` on the report, and what of it could not be assessed."""
    if deduction.rules:
        return _by_rules(deduction, context)
    if deduction.cells:
        return _by_cells(deduction, context)
    if deduction.indicator is not None:
        return _by_indicator(deduction, context)
    return _by_elements(deduction, context)


def _from_finding(finding: Finding) -> Draft:
    return Draft(
        1,
        finding.code,
        finding.cells,
        finding.published,
        finding.computed,
        finding.message_en,
        finding.message_zh,
        finding,
    )


def _by_rules(deduction: Deduction, context: Context) -> tuple[list[Draft], list[Unknown]]:
    version = context.report.template.version
    codes = [
        code
        for pattern in deduction.rules
        for code in rule_codes(pattern)
        if RULES[code].applies_to(version)
    ]
    wanted = set(codes)
    drafts = [_from_finding(f) for f in context.findings if f.code in wanted]
    unknowns = [u for code in dict.fromkeys(codes) for u in _not_assessed(code, context)]
    return drafts, unknowns


def _not_assessed(code: str, context: Context) -> list[Unknown]:
    """Why rule ``code`` was not assessed on the report: the check's notes say so, else
    what the rule needs and the report lacks (a date, the narrative, a previous year)."""
    report = context.report
    unknowns = [
        Unknown(note, f"未能评估：{note}")
        for note in context.notes
        if note.partition(" ")[0] == code and "not assess" in note
    ]
    if RULES[code].scope == "pair" and context.pair_reason is not None:
        unknowns.append(Unknown(*context.pair_reason))
    if unknowns:
        return unknowns
    if code == "REPORT.LATE" and report.metadata.published_on is None:
        unknowns.append(Unknown("no publication date (Metadata.published_on)", "发布日期不明"))
    if code in _NARRATIVE_RULES and report.sections is None:
        unknowns.append(Unknown("the narrative is not known (Report.sections)", "正文不明"))
    return unknowns


def _by_cells(deduction: Deduction, context: Context) -> tuple[list[Draft], list[Unknown]]:
    report, options = context.report, context.options
    drafts: list[Draft] = []
    unknowns: list[Unknown] = []
    for spec in report.template.cells(optional=True):
        code = spec.code
        if not any(fnmatchcase(code, pattern) for pattern in deduction.cells):
            continue
        value = report.get(code, MISSING)
        count: int | None = None
        if isinstance(value, int):
            count = max(value, 0)
        elif isinstance(value, Decimal) and value == value.to_integral_value():
            count = max(int(value), 0)
        elif (isinstance(value, Blank) and options.blank == "zero") or (
            isinstance(value, NotApplicable) and options.not_applicable == "zero"
        ):
            count = 0
        elif code not in report and spec.optional:
            continue  # a subtotal row this report does not print
        if count is None:
            what = _unreadable(value, code in report)
            unknowns.append(
                Unknown(f"{code} {what[0]}", f"{code}（{spec.label_zh}）{what[1]}", (code,))
            )
        elif count:
            drafts.append(
                Draft(
                    count,
                    None,
                    (code,),
                    value if isinstance(value, (int, Decimal)) else None,
                    None,
                    f"{code} ({spec.label_en}): {count}",
                    f"{code}（{spec.label_zh}）：{count}",
                    None,
                )
            )
    return drafts, unknowns


def _unreadable(value: object, printed: bool) -> tuple[str, str]:
    if not printed or isinstance(value, Missing):
        return "is not printed or was not found", "未填报或未读取到"
    if isinstance(value, Ambiguous):
        return f"is ambiguous ({value.candidates})", "有多种读法"
    if isinstance(value, Unreadable):
        return f"is not a number ({value.text!r})", f"不是数字（{value.text}）"
    return f"is {value!r}, not assessable under CheckOptions", "按检查选项不可评估"


def _by_indicator(deduction: Deduction, context: Context) -> tuple[list[Draft], list[Unknown]]:
    assert deduction.indicator is not None
    indicator = INDICATORS[deduction.indicator]
    values = context.report.values()
    cells = (*indicator.numerator, *indicator.denominator)
    value = indicator.value(values)
    if value is None:
        readable = all(isinstance(values.get(c), (int, Decimal, Blank)) for c in cells)
        if readable:
            return [], []  # a denominator of 0: no case to rate, nothing to deduct
        return [], [
            Unknown(
                f"{indicator.key}: a cell of {indicator.formula} is not a number",
                f"{indicator.name_zh}：计算所需单元格不是数字",
                cells,
                deduction.points,
            )
        ]
    if deduction.above is not None:
        threshold, hit, en, zh = deduction.above, value > deduction.above, "above", "高于"
    else:
        assert deduction.below is not None
        threshold, hit, en, zh = deduction.below, value < deduction.below, "below", "低于"
    if not hit:
        return [], []
    return [
        Draft(
            1,
            None,
            cells,
            value,
            threshold,
            f"{indicator.name_en} is {value}, {en} {threshold}",
            f"{indicator.name_zh}为{value}，{zh}{threshold}",
            None,
        )
    ], []


def _by_elements(deduction: Deduction, context: Context) -> tuple[list[Draft], list[Unknown]]:
    report = context.report
    if not RULES["REPORT.SECTION_MISSING"].applies_to(report.template.version):
        return [], []  # reports before 2019 number their own sections and print no tables
    found = {f.instance: f for f in context.findings if f.code == "REPORT.SECTION_MISSING"}
    absent = {spec.key for spec in report.missing_tables()}
    tables = {spec.key for spec in report.template.tables}
    drafts: list[Draft] = []
    unknowns: list[Unknown] = []
    for element in deduction.missing:
        kind, name = element_names(element)
        if kind == "section":
            if report.sections is None:
                unknowns.append(
                    Unknown(
                        f"{element}: the narrative is not known (Report.sections)",
                        f"第{name}部分：正文不明",
                        most=deduction.points,
                    )
                )
                continue
            if report.section(int(name)) is not None:
                continue
            finding = found.get(element)
            en, zh = f"{element} is absent", f"缺少第{name}部分"
        else:
            if name not in tables or name not in absent:
                continue
            finding = found.get(name)
            spec = report.template.table(name)
            en, zh = f"the table {spec.caption_en} is not printed", f"未见表格{spec.caption_zh}"
        if finding is not None:
            drafts.append(_from_finding(finding))
        else:
            drafts.append(Draft(1, None, (), None, None, en, zh, None))
    return drafts, unknowns
