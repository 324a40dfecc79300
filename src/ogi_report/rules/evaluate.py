"""Evaluate the catalogue: :func:`check` one report, :func:`check_pair` two years of one body.

Checks never raise on a report: every failed rule instance becomes a finding.

>>> from ogi_report.examples import example_report
>>> check(example_report("2021")).flatten(("code", "instance"))
[]
>>> check(example_report("2019")).flatten(("code", "severity"))
[('S3.BALANCE', <Severity.ERROR: 'error'>), ('S3.ROW_TOTAL', <Severity.ERROR: 'error'>), \
('TEXT.NARRATIVE_MISMATCH', <Severity.WARNING: 'warning'>)]
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import chain, repeat
from operator import itemgetter
from string import Formatter
from typing import Any, Literal, NamedTuple, cast

import attrs

from ..bodies import infer_body
from ..cells import (
    MISSING,
    Ambiguous,
    Blank,
    Cell,
    Missing,
    NotApplicable,
    Number,
    Provenance,
    Unreadable,
    format_cell,
)
from ..findings import Finding, Findings, Severity, Value
from ..model import AdminLevel, BodyKind, Report, Scope, Table, _Layout, _standard_layout
from ..templates import TEMPLATE_PRE_2019, TEMPLATES, CellSpec, Template
from . import text
from .catalogue import RULES, Rule
from .relations import Relation, Term, pair_relations, relations, signed_sum

__all__ = ["CheckOptions", "PairRecord", "check", "check_pair", "check_records", "pair_record"]


def __dir__() -> list[str]:
    return __all__


Policy = Literal["zero", "skip"]


def _codes(codes: Iterable[str]) -> frozenset[str]:
    if isinstance(codes, str):
        return frozenset((codes,))
    return frozenset(codes)


def _optional_codes(codes: Iterable[str] | None) -> frozenset[str] | None:
    return None if codes is None else _codes(codes)


@attrs.frozen
class CheckOptions:
    """How to check.

    ``blank`` and ``not_applicable``: ``"zero"`` (the default) counts an empty cell or a
    ``/`` as 0 in the arithmetic; ``"skip"`` makes every rule that touches one not
    assessable (strict). ``deadline``: the publication deadline for bodies the
    Regulations set none for (乡镇, 街道, 授权组织). ``select``/``ignore``: rule codes, or
    prefixes ending in ``.`` such as ``"TEXT."``.
    """

    blank: Policy = attrs.field(default="zero", validator=attrs.validators.in_(("zero", "skip")))
    not_applicable: Policy = attrs.field(
        default="zero", validator=attrs.validators.in_(("zero", "skip"))
    )
    deadline: date | None = None
    select: frozenset[str] | None = attrs.field(default=None, converter=_optional_codes)
    ignore: frozenset[str] = attrs.field(default=frozenset(), converter=_codes)

    def wants(self, code: str) -> bool:
        """True if rule ``code`` is to be run under these options."""
        return code in _wanted(self)


@cache
def _wanted(options: CheckOptions) -> frozenset[str]:
    def hit(code: str, patterns: frozenset[str]) -> bool:
        return any(code == p or (p.endswith(".") and code.startswith(p)) for p in patterns)

    return frozenset(
        code
        for code in RULES
        if (options.select is None or hit(code, options.select)) and not hit(code, options.ignore)
    )


DEFAULT_OPTIONS = CheckOptions()


def _zero_types(options: CheckOptions) -> frozenset[type]:
    kinds: set[type] = set()
    if options.blank == "zero":
        kinds.add(Blank)
    if options.not_applicable == "zero":
        kinds.add(NotApplicable)
    return frozenset(kinds)


def _fmt(value: Value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _finding(
    rule: Rule,
    instance: str | None,
    instance_en: str,
    instance_zh: str,
    cells: tuple[str, ...],
    published: Value = None,
    computed: Value = None,
    tolerance: Value = None,
    detail_en: str = "",
    detail_zh: str = "",
) -> Finding:
    difference = (
        published - computed
        if isinstance(published, (int, Decimal)) and isinstance(computed, (int, Decimal))
        else None
    )
    fields = {
        "instance_en": instance_en,
        "instance_zh": instance_zh,
        "published": _fmt(published) if isinstance(published, (int, Decimal)) else published,
        "computed": _fmt(computed),
        "difference": _fmt(difference),
        "tolerance": _fmt(tolerance),
        "detail_en": detail_en,
        "detail_zh": detail_zh,
    }
    return Finding(
        rule.code,
        rule.severity,
        instance,
        cells,
        published,
        computed,
        difference,
        tolerance,
        rule.message_en.format(**fields),
        rule.message_zh.format(**fields),
    )


# --- relations -------------------------------------------------------------------------


def _readable(code: str, values: Mapping[str, Cell], zero_types: frozenset[type]) -> bool:
    kind = type(values.get(code, MISSING))
    return kind is int or kind is Decimal or kind in zero_types


def _right_terms(
    relation: Relation, values: Mapping[str, Cell], zero_types: frozenset[type]
) -> list[Term]:
    terms = list(relation.right)
    for parts, subtotal in relation.substitutes:
        if not any(_readable(p, values, zero_types) for p in parts) and _readable(
            subtotal, values, zero_types
        ):
            terms = [t for t in terms if t.code not in parts] + [Term(subtotal)]
    return terms


def _tolerance(numbers: Iterable[Number]) -> Decimal:
    """Half a unit of the least precise decimal place printed among ``numbers``."""
    exponent = max(
        (n.as_tuple().exponent if isinstance(n, Decimal) else 0 for n in numbers), default=0
    )
    return Decimal(5).scaleb(int(exponent) - 1)


def _relation_finding(
    relation: Relation,
    current: Mapping[str, Cell],
    previous: Mapping[str, Cell],
    zero_types: frozenset[type],
    notes: list[str],
) -> Finding | None:
    left = signed_sum(relation.left, current, previous, zero_types)
    right = signed_sum(_right_terms(relation, current, zero_types), current, previous, zero_types)
    for side in (left, right):
        if isinstance(side, str):
            value = (current if side in current else previous).get(side, MISSING)
            if value is not MISSING:
                notes.append(
                    f"{relation.rule} {relation.instance}: not assessable, {side} is {value!r}"
                )
            return None
    assert not isinstance(left, str)
    assert not isinstance(right, str)
    published, computed = left.total, right.total
    tolerance: Number = _tolerance((*left.numbers, *right.numbers)) if relation.money else 0
    difference = published - computed
    if relation.holds(difference, tolerance):
        return None
    return _unmet(relation, published, computed, tolerance)


def _unmet(relation: Relation, published: Number, computed: Number, tolerance: Number) -> Finding:
    """The finding of ``relation`` when ``published`` and ``computed`` do not agree."""
    return _finding(
        RULES[relation.rule],
        relation.instance,
        relation.instance_en,
        relation.instance_zh,
        relation.cells,
        published,
        computed,
        tolerance,
    )


# --- cells -----------------------------------------------------------------------------


def _cell_finding(code: str, spec: CellSpec, value: Value) -> Finding:
    return _finding(
        RULES[code],
        spec.code,
        f"{spec.code} ({spec.label_en})",
        f"{spec.code}（{spec.label_zh}）",
        (spec.code,),
        published=value,
    )


def _number_findings(spec: CellSpec, value: Number) -> Iterator[Finding]:
    if spec.column.is_money:
        return
    if value < 0 and spec.column.key != "items_change":
        yield _cell_finding("CELL.NEGATIVE", spec, value)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        yield _cell_finding("CELL.NOT_INTEGER", spec, value)


_INTS = frozenset({int})


def _cell_findings(report: Report) -> Iterator[Finding]:
    cell = report.template.cell
    for table in report.tables:
        cells = table.cells
        if table.cell_types == _INTS and min(cast("tuple[int, ...]", cells)) >= 0:
            continue  # the common table: non-negative counts only, nothing to report
        spec = table.spec
        codes = table.codes
        width = len(spec.columns)
        for start, key in zip(range(0, len(cells), width), table.row_keys):
            blanks: list[str] = []
            for code, value in zip(codes[start : start + width], cells[start : start + width]):
                if isinstance(value, int):
                    if value < 0:
                        yield from _number_findings(cell(code), value)
                elif isinstance(value, Decimal):
                    yield from _number_findings(cell(code), value)
                elif isinstance(value, Blank):
                    blanks.append(code)
                elif isinstance(value, Unreadable):
                    cell_spec = cell(code)
                    unit_unknown = cell_spec.column.is_money and text.UNIT_NOT_PRINTED.match(
                        value.text
                    )
                    rule = "CELL.UNIT_UNKNOWN" if unit_unknown else "CELL.NOT_NUMBER"
                    yield _cell_finding(rule, cell_spec, value.text)
            if blanks:
                row_spec = spec.row(key)
                yield _finding(
                    RULES["CELL.BLANK"],
                    key,
                    f"row {row_spec.zh[-1]} ({row_spec.en})",
                    f"{row_spec.zh[-1]}行",
                    tuple(blanks),
                    detail_en=", ".join(blanks),
                    detail_zh="、".join(blanks),
                )


# --- what the reader could not settle ---------------------------------------------------


#: Reasons a reader gives for text set aside on purpose (see ``readers._assemble``).
_SET_ASIDE = ("preamble", "page chrome", "page footer")


def _reading(report: Report) -> Iterator[Finding]:
    cell = report.template.cell
    for table in report.tables:
        kinds = table.cell_types
        if Ambiguous not in kinds and Missing not in kinds:
            continue  # found by the table's cell types, not by a walk over its cells
        for code, value in zip(table.codes, table.cells):
            if isinstance(value, Ambiguous):
                spec = cell(code)
                choices = " or ".join(str(format_cell(c)) for c in value.candidates)
                yield _finding(
                    RULES["CELL.AMBIGUOUS"],
                    code,
                    f"{code} ({spec.label_en})",
                    f"{code}（{spec.label_zh}）",
                    (code,),
                    detail_en=choices,
                    detail_zh="、".join(str(format_cell(c)) for c in value.candidates),
                )
            elif isinstance(value, Missing):
                spec = cell(code)
                yield _finding(
                    RULES["CELL.MISSING"],
                    code,
                    f"{code} ({spec.label_en})",
                    f"{code}（{spec.label_zh}）",
                    (code,),
                )
    aside = [u for u in report.unplaced if u.reason.startswith(_SET_ASIDE)]
    for item in report.unplaced:
        if item.reason.startswith(_SET_ASIDE):
            continue
        code = "READ.NO_TEXT_LAYER" if item.reason.startswith("no text layer") else "READ.UNPLACED"
        where = str(item.provenance) if item.provenance else "source"
        text_shown = item.text if len(item.text) <= 60 else item.text[:57] + "..."
        yield _report_finding(
            code, where, f"{item.reason}: {text_shown!r}", f"{item.reason}：{text_shown}"
        )
    if aside:
        yield _report_finding(
            "READ.SET_ASIDE",
            None,
            f"{len(aside)} pieces of page chrome or preamble kept in Report.unplaced",
            f"{len(aside)}处页面框架或前言已保留在 Report.unplaced",
        )


# --- the report as a whole ---------------------------------------------------------------


def _report_finding(
    code: str,
    instance: str | None,
    en: str,
    zh: str,
    cells: tuple[str, ...] = (),
    published: Value = None,
    computed: Value = None,
) -> Finding:
    rule = RULES[code]
    label_en = instance or "report"
    label_zh = instance or "报告"
    return _finding(
        rule, instance, label_en, label_zh, cells, published, computed, detail_en=en, detail_zh=zh
    )


_SECTION_HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


def _structure(report: Report, options: CheckOptions, notes: list[str]) -> Iterator[Finding]:
    for spec in report.missing_tables():
        yield _report_finding(
            "REPORT.SECTION_MISSING",
            spec.key,
            f"the table {spec.caption_zh} ({spec.caption_en}) is not printed",
            f"未见表格{spec.caption_zh}",
        )
    if report.sections is not None:
        present = {section.number for section in report.sections}
        for number, heading in _SECTION_HEADINGS.items():
            if number not in present:
                yield _report_finding(
                    "REPORT.SECTION_MISSING",
                    f"section {number}",
                    f"section {heading} is absent",
                    f"缺少{heading}部分",
                )
    year = report.metadata.reporting_year
    if report.template is TEMPLATE_PRE_2019:
        stated = sum(1 for entry in report.cells() if not isinstance(entry.value, Missing))
        yield _report_finding(
            "REPORT.PRE_2019",
            None,
            f"a report for {year or 'a year'} before the 2019 format: read for its sections and"
            f" the {stated} figures its text states; the table rules do not apply",
            f"{year or ''}年度报告早于2019年版格式：仅读取正文各部分及正文所述的{stated}项数字，"
            "不适用表格规则",
        )
    if year is not None and not report.template.applies_to(year):
        yield _report_finding(
            "REPORT.TEMPLATE_MISMATCH",
            None,
            f"a report for {year} prints the tables of the {report.template.version} format",
            f"{year}年度报告使用了{report.template.version}年版格式的表格",
        )
    deadline, basis, basis_zh = _deadline(report, options)
    published = report.metadata.published_on
    if deadline is not None and published is not None and published > deadline:
        yield _report_finding(
            "REPORT.LATE",
            None,
            f"published {published.isoformat()}, after the deadline {deadline.isoformat()}"
            f" ({basis})",
            f"发布于{published.isoformat()}，晚于{deadline.isoformat()}的期限（{basis_zh}）",
        )
    elif options.wants("REPORT.LATE") and RULES["REPORT.LATE"].applies_to(report.template.version):
        if deadline is None:
            notes.append(f"REPORT.LATE not assessed: no deadline ({basis})")
        elif published is None:
            notes.append(
                "REPORT.LATE not assessed: no publication date was found"
                " (发布日期, 公开日期 or the date signed under the report)"
            )
    if report.template.version == "2021" and "s3.other.total" in report and _may_be_merged(report):
        values = report.values()
        where = report.provenance
        unknown = tuple(
            code
            for code in _other_parts(report.template)
            if isinstance(values.get(code), (Missing, Ambiguous))
            or ((note := getattr(where.get(code), "note", None)) and note.startswith("deduced"))
        )
        if unknown:
            yield _report_finding(
                "REPORT.ROWS_MERGED",
                "other",
                "（六）其他处理 is printed as one row; its three sub-rows are unknown or deduced",
                "（六）其他处理仅填报一行，未分列三个分项",
                unknown,
            )


def _may_be_merged(report: Report) -> bool:
    """False if no sub-row of （六）其他处理 can be unknown or deduced: the cell types say so."""
    kinds = report.table("s3").cell_types
    return bool(report.provenance) or Missing in kinds or Ambiguous in kinds


@cache
def _other_parts(template: Template) -> tuple[str, ...]:
    """The cells of the rows that （六）其他处理's subtotal sums (2021: its three sub-rows)."""
    table = template.table("s3")
    return tuple(code for part in table.row("other").parts for code in table.row_codes(part))


def _deadline(report: Report, options: CheckOptions) -> tuple[date | None, str, str]:
    """The publication deadline and what it rests on (in English and Chinese), or ``None``
    and why there is none.

    第四十九条: departments by 1月31日, local governments by 3月31日 (county level and above);
    before 2019 (2008 Regulations 第三十一条) every administrative body by 3月31日. A kind or
    level the metadata lacks is inferred from the body's name where the name settles it
    (:func:`ogi_report.bodies.infer_body`), and the reason says so.
    """
    meta = report.metadata
    year = meta.reporting_year
    if year is None:
        return None, "the reporting year is unknown", "报告年度不明"
    if year >= date.max.year:
        return None, f"no calendar holds {year + 1}", f"无{year + 1}年的日历"
    if report.template is TEMPLATE_PRE_2019:
        return date(year + 1, 3, 31), _PRE_2019_DEADLINE, "2008年《条例》第三十一条：3月31日前"
    kind, level = meta.body_kind, meta.level
    county_or_above = None if level is None else level.county_or_above
    inferred = infer_body(meta.agency) if kind is None or level is None else None
    how, how_zh = "第四十九条", "第四十九条"
    if inferred is not None and kind in (None, inferred.kind):
        kind = inferred.kind
        if county_or_above is None:
            county_or_above = inferred.county_or_above
        how = f"第四十九条, {inferred.reason} as its name says"
        how_zh = f"第四十九条，依名称为{inferred.reason_zh}"
    if county_or_above and kind is BodyKind.GOVERNMENT_DEPARTMENT:
        return date(year + 1, 1, 31), f"{how}: departments by 1月31日", f"{how_zh}：部门1月31日前"
    if county_or_above and kind is BodyKind.PEOPLES_GOVERNMENT and level is not AdminLevel.NATIONAL:
        return (
            date(year + 1, 3, 31),
            f"{how}: local governments by 3月31日",
            f"{how_zh}：地方政府3月31日前",
        )
    if options.deadline is not None:
        return options.deadline, "CheckOptions.deadline", "CheckOptions.deadline"
    return (
        None,
        "the Regulations set none for this body, or its kind and level are unknown",
        "条例未规定该机关的期限，或其类型与层级不明",
    )


_PRE_2019_DEADLINE = "2008 Regulations 第三十一条: every body by 3月31日"


def _is_peoples_government(report: Report) -> bool:
    meta = report.metadata
    if meta.body_kind is not None:
        return meta.body_kind is BodyKind.PEOPLES_GOVERNMENT
    return bool(meta.agency) and meta.agency.endswith("人民政府")  # type: ignore[union-attr]


#: Text set aside by a reader that TEXT.INJECTED scans too (``Unplaced.reason`` prefixes).
_SCANNED_ASIDE = ("preamble", "page chrome")
#: Joins the pieces set aside into one text to scan: a character that folds to itself and is
#: in no injected term, so that no term runs from one piece into the next.
_APART = "\0"


def _narrative(report: Report) -> Iterator[Finding]:
    sections = report.sections
    if sections is None:
        return
    # Foreign text anywhere it is printed: the sections, the title and preamble, page chrome.
    whole = "\n".join(f"{s.heading}\n{s.text}" for s in sections)
    aside = _APART.join(u.text for u in report.unplaced if u.reason.startswith(_SCANNED_ASIDE))
    for piece in (whole, aside):
        for span in text.injected_spans(piece):
            yield _report_finding(
                "TEXT.INJECTED",
                span.term,
                f"the text contains {span.term!r}, foreign to a government report",
                f"正文含有与政务无关的内容“{span.term}”",
            )
    for section in sections:
        for p in text.percentages(section.text):
            if not p.holds():
                yield _report_finding(
                    "TEXT.PERCENT",
                    p.phrase,
                    f"{p.count} of {p.base} is not {p.percent}%",
                    f"{p.count}/{p.base}不等于{p.percent}%",
                    published=p.percent,
                    computed=p.exact(),
                )
    new_total = report.get("s3.new.total")
    carried = report.get("s3.carried_over.total")
    if isinstance(new_total, int):
        accepted = {new_total}
        if isinstance(carried, int):
            accepted.add(new_total + carried)
        for count, phrase in text.received_counts("\n".join(s.text for s in sections)):
            if count not in accepted:
                yield _report_finding(
                    "TEXT.NARRATIVE_MISMATCH",
                    phrase,
                    f"the narrative states {count} requests received, the table {new_total}",
                    f"正文称收到申请{count}件，表格填报{new_total}件",
                    ("s3.new.total",),
                    published=count,
                    computed=new_total,
                )
    if report.template.version == "2021":
        six = report.section(6)
        if six is not None and not any(
            w in text.normalise(six.text) for w in ("信息处理费", "收费")
        ):
            yield _report_finding(
                "TEXT.FEE_NOT_REPORTED",
                "section 6",
                "section 六 does not say whether information processing fees were charged",
                "第六部分未报告信息处理费收取情况",
            )
        one = report.section(1)
        if one is not None:
            normal = text.normalise(one.text)
            for topic, words, topic_en in text.OVERVIEW_TOPICS:
                if not any(word in normal for word in words):
                    yield _report_finding(
                        "REPORT.OVERVIEW_TOPICS",
                        topic,
                        f"section 一 does not cover {topic_en}",
                        f"总体情况未涉及{topic}",
                    )
    if _is_peoples_government(report):
        normal = text.normalise(whole)
        absent = [word for word in ("考核", "评议", "责任追究") if word not in normal]
        if absent:
            yield _report_finding(
                "REPORT.GOV_REVIEW_MISSING",
                None,
                f"no report of {', '.join(absent)} (assessment, public review, accountability)",
                f"未报告{'、'.join(absent)}情况",
            )
    four = report.section(4)
    if four is not None and text.says_s4_includes_carried(four.text):
        yield _report_finding(
            "TEXT.S4_INCLUDES_CARRIED",
            None,
            "section 四 counts include cases carried over from the previous year",
            "行政复议、行政诉讼数量含上年结转案件",
        )


def _scope(report: Report) -> Iterator[Finding]:
    scope = report.metadata.scope
    if scope is None and report.sections is not None:
        preamble = [u.text for u in report.unplaced if u.reason.startswith("preamble")]
        whole = "\n".join([*preamble, *(s.text for s in report.sections)])
        scope = Scope.REGION if text.says_region_summary(whole) else None
    if scope is Scope.REGION:
        yield _report_finding(
            "REPORT.SCOPE",
            scope.value,
            "a summary of the region's bodies (本行政区域), not the body's own work",
            "本报告为本行政区域汇总报告",
        )
    elif scope is Scope.OWN:
        yield _report_finding(
            "REPORT.SCOPE", scope.value, "the body's own work (本机关)", "本报告为本机关报告"
        )


# --- entry points ------------------------------------------------------------------------


def _sorted(
    findings: Iterable[Finding], options: CheckOptions, notes: Iterable[str] = ()
) -> Findings:
    wanted = _wanted(options)
    kept = [f for f in findings if f.code in wanted]
    kept.sort(key=lambda f: f.severity.rank)
    return Findings(tuple(kept), tuple(notes))


class _Compiled(NamedTuple):
    """A relation of one report, ready to evaluate: its cells fetched at once by ``itemgetter``."""

    relation: Relation
    anchor: str
    left: Callable[[Mapping[str, Cell]], tuple[Cell, ...]]
    right: Callable[[Mapping[str, Cell]], tuple[Cell, ...]]


def _getter(codes: tuple[str, ...]) -> Callable[[Mapping[str, Cell]], tuple[Cell, ...]]:
    # itemgetter needs a key and returns a bare value, not a 1-tuple, for exactly one.
    if not codes:
        return lambda values: ()
    if len(codes) == 1:
        single = itemgetter(codes[0])
        return lambda values: (single(values),)
    return itemgetter(*codes)


@cache
def _compiled(template: Template) -> tuple[_Compiled, ...]:
    """The within-report relations of ``template`` that :func:`check` runs, in order."""
    version = template.version
    return tuple(
        _Compiled(
            r,
            r.left[0].code,
            _getter(tuple(t.code for t in r.left)),
            _getter(tuple(t.code for t in r.right)),
        )
        for r in relations(template)
        if RULES[r.rule].applies_to(version)
        and all(t.sign == 1 and not t.previous for t in r.left + r.right)
    )


def _evaluate(
    item: _Compiled,
    values: Mapping[str, Cell],
    wanted: frozenset[str],
    zero_types: frozenset[type],
    notes: list[str],
    out: list[Finding],
) -> None:
    """One relation over the report's cells by code: the general path, any cell kinds."""
    relation = item.relation
    if item.anchor not in values or relation.rule not in wanted:
        return  # an optional subtotal or a table the report does not print
    try:
        # Numbers only, the common case: exact sums in C.
        difference = sum(item.left(values)) - sum(item.right(values))  # type: ignore[arg-type]
    except (TypeError, KeyError):
        difference = None
    if difference is not None and not relation.money and relation.holds(difference):
        return
    finding = _relation_finding(relation, values, values, zero_types, notes)
    if finding is not None:
        out.append(finding)


#: The fields of a relation's message that vary, by their position in ``str.format``.
_NUMBERS = {"published": "0", "computed": "1", "difference": "2", "tolerance": "3"}


def _partial(message: str, **constants: str) -> str | None:
    """``message`` with the ``constants`` filled in and the numbers left to format.

    The numbers become positional fields (``{0}`` published, ``{1}`` computed, ``{2}``
    difference, ``{3}`` tolerance). ``None`` if a number has a conversion or format spec,
    or the message names another field (then the finding is made the general way).
    """
    parts = []
    for literal, field, spec, conversion in Formatter().parse(message):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        if field in constants:
            value: object = constants[field]
            if conversion:
                convert: dict[str, Callable[[object], str]] = {"r": repr, "s": str, "a": ascii}
                value = convert[conversion](value)
            parts.append(format(value, spec or "").replace("{", "{{").replace("}", "}}"))
        elif field in _NUMBERS and not conversion and not spec:
            parts.append(f"{{{_NUMBERS[field]}}}")
        else:
            return None
    return "".join(parts)


class _Quick(NamedTuple):
    """What a finding of a relation over counts needs beyond its numbers, made once."""

    code: str
    severity: Severity
    instance: str
    cells: tuple[str, ...]
    left: Callable[[tuple[Cell, ...]], tuple[Cell, ...]]
    right: Callable[[tuple[Cell, ...]], tuple[Cell, ...]]
    message_en: str | None
    message_zh: str | None
    relation: Relation


def _positions_getter(positions: tuple[int, ...]) -> Callable[[tuple[Cell, ...]], tuple[Cell, ...]]:
    if len(positions) == 1:
        single = itemgetter(positions[0])
        return lambda cells: (single(cells),)
    return itemgetter(*positions) if positions else (lambda cells: ())


def _quick(relation: Relation, positions: Mapping[str, int]) -> _Quick:
    rule = RULES[relation.rule]
    constants = {
        "instance_en": relation.instance_en,
        "instance_zh": relation.instance_zh,
        "detail_en": "",
        "detail_zh": "",
    }
    return _Quick(
        rule.code,
        rule.severity,
        relation.instance,
        relation.cells,
        _positions_getter(tuple(positions[t.code] for t in relation.left)),
        _positions_getter(tuple(positions[t.code] for t in relation.right)),
        _partial(rule.message_en, **constants),
        _partial(rule.message_zh, **constants),
        relation,
    )


def _quick_finding(quick: _Quick, cells: tuple[Cell, ...]) -> Finding:
    """The finding of a relation whose cells are all counts (``int``) and do not add up.

    The same finding as the general path's, made with its messages half-built in advance.
    """
    published: int = sum(quick.left(cells))  # type: ignore[arg-type]
    computed: int = sum(quick.right(cells))  # type: ignore[arg-type]
    if quick.message_en is None or quick.message_zh is None:
        return _unmet(quick.relation, published, computed, 0)
    difference = published - computed
    numbers = (str(published), str(computed), str(difference), "0")
    return Finding(
        quick.code,
        quick.severity,
        quick.instance,
        quick.cells,
        published,
        computed,
        difference,
        0,
        quick.message_en.format(*numbers),
        quick.message_zh.format(*numbers),
    )


#: ``run(slots, values, wanted rules, zero types, notes, findings)``: a compiled check.
_Check = Callable[
    [
        tuple[Any, ...],
        Mapping[str, Cell],
        frozenset[str],
        frozenset[type],
        list[str],
        list[Finding],
    ],
    None,
]


def _sum_of(cells: str, positions: tuple[int, ...]) -> str:
    return " + ".join(f"{cells}[{p}]" for p in positions) or "0"


def _tuple_of(cells: str, positions: tuple[int, ...]) -> str:
    return "(" + "".join(f"{cells}[{p}], " for p in positions) + ")"


_BREAKS = {"==": "!=", "<=": ">", ">=": "<"}


def _compile(template: Template, layouts: tuple[Any, ...]) -> _Check:
    """One function that evaluates every relation of ``template`` in order, as straight code.

    ``layouts`` are those of the tables that print optional rows (the cells' positions).
    Each run of relations over one table becomes a block: if the table holds counts only,
    one comparison of sums per relation; else each relation as the general path does it,
    with the table's cells taken by position. A relation whose cells the layout does not
    all print, or that spans tables, is evaluated the general way.
    """
    items = _compiled(template)
    specs = template.tables
    table_of = {code: i for i, spec in enumerate(specs) for code in _spec_codes(spec)}
    variable = _variable_tables(template)
    layout_of = dict(zip(variable, layouts))
    quicks: dict[int, _Quick] = {}
    blocks: list[tuple[int | None, list[int]]] = []  # (table index or None, relation indices)
    for k, item in enumerate(items):
        indices = {table_of[code] for code in item.relation.cells}
        index = indices.pop() if len(indices) == 1 else None
        if blocks and blocks[-1][0] == index and index is not None:
            blocks[-1][1].append(k)
        else:
            blocks.append((index, [k]))
    lines = ["def run(slots, values, wanted, zt, notes, out):"]
    for index, ks in blocks:
        if index is None:
            lines.extend(f"    G(ITEMS[{k}], values, wanted, zt, notes, out)" for k in ks)
            continue
        layout = layout_of.get(index) or _standard_layout(specs[index])
        plain: list[str] = []
        mixed: list[str] = []
        for k in ks:
            relation = items[k].relation
            if items[k].anchor not in layout.position:
                continue  # an optional row this printing lacks: the relation does not apply
            if not all(code in layout.position for code in relation.cells):
                call = f"G(ITEMS[{k}], values, wanted, zt, notes, out)"
                plain.append(f"            {call}")
                mixed.append(f"            {call}")
                continue
            rule = repr(relation.rule)
            slow = f"S(ITEMS[{k}].relation, values, values, zt, notes, out)"
            if relation.money:  # a tolerance: always the general way
                plain.append(f"            if {rule} in wanted: {slow}")
                mixed.append(f"            if {rule} in wanted: {slow}")
                continue
            quicks[k] = _quick(relation, layout.position)
            left = tuple(layout.position[t.code] for t in relation.left)
            right = tuple(layout.position[t.code] for t in relation.right)
            plain.append(
                f"            if {_sum_of('c', left)} {_BREAKS[relation.op]} {_sum_of('c', right)}"
                f" and {rule} in wanted: out.append(Q(QUICK[{k}], c))"
            )
            mixed.extend(
                [
                    f"            if {rule} in wanted:",
                    "                try:",
                    f"                    d = sum({_tuple_of('c', left)})"
                    f" - sum({_tuple_of('c', right)})",
                    "                except TypeError:",
                    "                    d = None",
                    f"                if d is None or not ITEMS[{k}].relation.holds(d): {slow}",
                ]
            )
        if not plain:
            continue
        lines.extend(
            [
                f"    t = slots[{index}]",
                "    if t is not None:",
                "        c = t.cells",
                "        if t.cell_types == INTS:",
                *plain,
                "        else:",
                *mixed,
            ]
        )
    lines.append("    return None")
    namespace: dict[str, Any] = {
        "ITEMS": items,
        "QUICK": quicks,
        "INTS": _INTS,
        "Q": _quick_finding,
        "S": _relation_finding_into,
        "G": _evaluate,
    }
    exec(compile("\n".join(lines), f"<ogi_report check {template.version}>", "exec"), namespace)
    return namespace["run"]  # type: ignore[no-any-return]


def _relation_finding_into(
    relation: Relation,
    current: Mapping[str, Cell],
    previous: Mapping[str, Cell],
    zero_types: frozenset[type],
    notes: list[str],
    out: list[Finding],
) -> None:
    finding = _relation_finding(relation, current, previous, zero_types, notes)
    if finding is not None:
        out.append(finding)


def _spec_codes(spec: Any) -> Iterator[str]:
    for key in spec.row_keys:
        yield from spec.row_codes(key)


@cache
def _variable_tables(template: Template) -> tuple[int, ...]:
    """The indices of the tables with optional rows: their cells' positions vary."""
    return tuple(
        i for i, spec in enumerate(template.tables) if spec.standard_row_keys != spec.row_keys
    )


#: The compiled check of each format and printing of its variable tables (a bounded number).
_CHECKS: dict[tuple[Any, ...], _Check] = {}


def _relation_findings(
    report: Report, options: CheckOptions, zero_types: frozenset[type], notes: list[str]
) -> list[Finding]:
    template = report.template
    slots = report._slots
    key = (template, *(_layout_key(slots[i], template, i) for i in _variable_tables(template)))
    run = _CHECKS.get(key)
    if run is None:
        run = _CHECKS[key] = _compile(template, key[1:])
    out: list[Finding] = []
    run(slots, report.values(), _wanted(options), zero_types, notes, out)
    return out


def _layout_key(table: Any, template: Template, index: int) -> Any:
    if table is None:
        return _standard_layout(template.tables[index])
    return table._layout


def _located(where: Mapping[str, Provenance], finding: Finding) -> Finding:
    """The finding with the printed place of its first cell that has one."""
    for code in finding.cells:
        if code in where:
            return attrs.evolve(finding, location=str(where[code]), provenance=where[code])
    return finding


def check(report: Report, options: CheckOptions = DEFAULT_OPTIONS) -> Findings:
    """Run every single-report rule of the catalogue that applies to ``report``'s format.

    Never raises on a report: failures come back as findings, worst first. Use
    :meth:`Findings.raise_if_errors` for a strict mode.
    """
    version = report.template.version
    notes: list[str] = []
    found = _relation_findings(report, options, _zero_types(options), notes)
    for part in (
        _reading(report),
        _cell_findings(report),
        _structure(report, options, notes),
        _narrative(report),
        _scope(report),
    ):
        found.extend(f for f in part if RULES[f.code].applies_to(version))
    if report.provenance:
        found = [_located(report.provenance, f) for f in found]
    return _sorted(found, options, notes)


# --- two years of one body -----------------------------------------------------------------


#: A printed table as X.COPIED compares it: its key, printed rows (``None``: the format's
#: standard rows, the common printing) and cells, and whether it counts anything (an all-zero
#: table repeats every year without being copied). A plain tuple, as pickle writes and reads
#: those fastest.
_TableRecord = tuple[str, tuple[str, ...] | None, tuple[Cell, ...], bool]
#: A narrative section as X.COPIED compares it: its number, heading and text
#: (:func:`text.normalise`: NFKC, no whitespace).
_SectionRecord = tuple[int, str, str]


class PairRecord(NamedTuple):
    """What the cross-year rules (X.*) read of one report, made once per report by
    :func:`pair_record` and compared by :func:`check_records`: small and quick to pickle (a
    batch's worker sends it for the main process to pair with the body's other years).

    ``cells`` holds the cells of :func:`_pair_codes` in its order, ``None`` where the report
    does not print one; ``sections`` is ``None`` when the report carried no narrative.
    """

    template: Template
    agency: str | None
    year: int | None
    cells: tuple[Cell | None, ...]
    tables: tuple[_TableRecord, ...]
    sections: tuple[_SectionRecord, ...] | None


@cache
def _pair_codes(template: Template) -> tuple[str, ...]:
    """The codes of the cells the cross-year relations read in a report of ``template``,
    whatever the other year's format: each relation reads its terms from one year or the
    other, and may name any of them in a note."""
    codes: dict[str, None] = {}
    for other in (*TEMPLATES, TEMPLATE_PRE_2019, template):
        for relation in (*pair_relations(other, template), *pair_relations(template, other)):
            codes.update(dict.fromkeys(relation.cells))
            for parts, subtotal in relation.substitutes:
                codes.update(dict.fromkeys((*parts, subtotal)))
    return tuple(codes)


@cache
def _positions(layout: _Layout, template: Template) -> tuple[tuple[int, int], ...]:
    """For each code of :func:`_pair_codes` of ``template`` that a table printed as ``layout``
    has: its position there and the position of its cell (by the layout, which tables of one
    printing share: no tuple of codes is hashed per report)."""
    where = {code: position for position, code in enumerate(layout.codes)}
    wanted = _pair_codes(template)
    return tuple((at, where[code]) for at, code in enumerate(wanted) if code in where)


def _table_record(table: Table) -> _TableRecord:
    cells, layout = table.cells, table._layout
    if table.cell_types == _INTS:
        counts = any(cells)
    else:
        counts = any(v for v in cells if isinstance(v, (int, Decimal)))
    spec, rows = layout.spec, layout.row_keys
    return spec.key, None if rows == spec.standard_row_keys else rows, cells, counts


def _printed_rows(template: Template, table: _TableRecord) -> tuple[str, ...]:
    key, rows, _, _ = table
    return template.table(key).standard_row_keys if rows is None else rows


def pair_record(report: Report) -> PairRecord:
    """What :func:`check_records` reads of ``report`` (see :class:`PairRecord`)."""
    meta = report.metadata
    codes = _pair_codes(report.template)
    cells: list[Cell | None] = [None] * len(codes)
    for table in report.tables:
        values = table.cells
        for at, position in _positions(table._layout, report.template):
            cells[at] = values[position]
    sections = report.sections
    return PairRecord(
        report.template,
        meta.agency,
        meta.reporting_year,
        tuple(cells),
        tuple(map(_table_record, report.tables)),
        None
        if sections is None
        else tuple((s.number, s.heading, text.normalise(s.text)) for s in sections),
    )


class _PairRelation(NamedTuple):
    """A cross-year relation with where its terms sit in the two years' records: each term
    as its sign in ``left - right``, whether it is the previous year's, and its position in
    that year's :attr:`PairRecord.cells` (``None`` when its format has no such cell)."""

    relation: Relation
    terms: tuple[tuple[int, bool, int | None], ...]


@cache
def _pair_plan(previous: Template, current: Template) -> tuple[_PairRelation, ...]:
    """:func:`pair_relations` of the two formats, each with where its terms sit."""
    places = (
        {code: i for i, code in enumerate(_pair_codes(current))},
        {code: i for i, code in enumerate(_pair_codes(previous))},
    )
    return tuple(
        _PairRelation(
            relation,
            tuple(
                (sign * term.sign, term.previous, places[term.previous].get(term.code))
                for sign, side in ((1, relation.left), (-1, relation.right))
                for term in side
            ),
        )
        for relation in pair_relations(previous, current)
    )


def _holds_on_counts(
    plan: _PairRelation, cells: tuple[Cell | None, ...], cells_before: tuple[Cell | None, ...]
) -> bool:
    """True if every cell of the relation is a count (an int) and the relation holds: then
    :func:`_relation_finding` finds nothing and notes nothing (no cell to skip or count as
    0, no subtotal to substitute, and a money relation's half-unit tolerance changes nothing
    on whole numbers), so the pair need not look further. False: ask it."""
    if plan.relation.substitutes:
        return False
    difference = 0
    for sign, before, position in plan.terms:
        if position is None:
            return False
        value = (cells_before if before else cells)[position]
        if type(value) is not int:
            return False
        difference += sign * value
    return plan.relation.holds(difference)


def _printed_cells(record: PairRecord) -> dict[str, Cell]:
    """The cells of ``record`` by code, as ``report.values()`` gives those the X.* rules read."""
    return {
        code: cell
        for code, cell in zip(_pair_codes(record.template), record.cells)
        if cell is not None
    }


def _copied(previous: PairRecord, current: PairRecord) -> Iterator[Finding]:
    tables_before = {table[0]: table for table in previous.tables}
    for table in current.tables:
        key, _, cells, counts = table
        before = tables_before.get(key)
        if not counts or before is None or before[2] != cells:
            continue  # (an all-zero table repeats every year without being copied)
        rows = _printed_rows(current.template, table)
        if _printed_rows(previous.template, before) == rows:
            spec = current.template.table(key)
            yield _report_finding(
                "X.COPIED",
                key,
                f"table {spec.caption_zh} is identical to the previous year's",
                f"表格{spec.caption_zh}与上年完全相同",
                tuple(chain.from_iterable(map(spec.row_codes, rows))),
            )
    bodies_before: dict[int, str] = {}
    for number, _, body in previous.sections or ():
        bodies_before.setdefault(number, body)  # the first of a number stands for it
    for number, heading, body in current.sections or ():
        before_body = bodies_before.get(number)
        if before_body is None or len(body) < _COPIED_MIN_CHARS:
            continue
        if body == before_body:
            yield _report_finding(
                "X.COPIED",
                f"section {number}",
                f"section {heading} is identical to the previous year's",
                f"{heading}与上年内容相同",
            )
        elif _near_identical(body, before_body):
            yield _report_finding(
                "X.COPIED",
                f"section {number}",
                f"section {heading} is near-identical to the previous year's"
                f" (at least {_NEAR:.0%} the same text)",
                f"{heading}与上年内容基本相同（相同部分不少于{_NEAR:.0%}）",
            )


# Short sections (六、其他需要报告的事项: 无) are the same every year for good reason.
_COPIED_MIN_CHARS = 50
#: Sections this similar count as copied with the year changed (内容雷同).
_NEAR = 0.9
#: Up to this many characters (both sections together) similarity is difflib's ratio; past
#: it, whose cost grows with the square of the length, the Dice coefficient of the two sets of
#: character 4-grams, which grows linearly: a long or hostile narrative is never a hang.
_MAX_MATCHED = 4_000


def _near_identical(a: str, b: str) -> bool:
    if len(a) + len(b) > _MAX_MATCHED:
        grams_a, grams_b = _grams(a), _grams(b)
        shared = len(grams_a & grams_b)
        return 2 * shared >= _NEAR * (len(grams_a) + len(grams_b))
    total = len(a) + len(b)
    if not total or 2 * min(len(a), len(b)) < _NEAR * total:
        return bool(not total)  # lengths alone rule it out (difflib's real_quick_ratio)
    if 2 * _shared_at_most(a, b) < _NEAR * total:
        return False  # a quick bound on the characters rules it out
    counts_a, counts_b = Counter(a), Counter(b)
    shared = sum(map(min, counts_a.values(), map(counts_b.get, counts_a, repeat(0))))
    if 2 * shared < _NEAR * total:
        return False  # the characters alone rule it out (quick_ratio), before difflib indexes
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= _NEAR


def _shared_at_most(a: str, b: str) -> int:
    """An upper bound on the characters ``a`` and ``b`` have in common, counted with repeats
    (what difflib's ``quick_ratio`` counts), found with no Python step per character: the
    shorter text's characters but those whose UTF-16 code has a low byte that no code of
    the other text has (a character outside the Basic Multilingual Plane counts as its two
    codes, so the bound holds for them too)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    low_short = short.encode("utf-16-le", "surrogatepass")[::2]
    low_long = long.encode("utf-16-le", "surrogatepass")[::2]
    absent = _ALL_BYTES.translate(None, low_long)  # the low bytes of no code of the longer
    return len(low_short.translate(None, absent))


_ALL_BYTES = bytes(range(256))


def _grams(text: str) -> set[str]:
    return {text[i : i + 4] for i in range(max(len(text) - 3, 1))}


def check_pair(first: Report, second: Report, options: CheckOptions = DEFAULT_OPTIONS) -> Findings:
    """Run the cross-year rules (X.*) on two reports of one body, given in either order.

    The reports are ordered by reporting year; the rules run only if the years are
    consecutive. A note says when they do not, or when the agency names differ (names
    change over the years, so a difference is reported, never refused).
    """
    return check_records(pair_record(first), pair_record(second), options)


def check_records(
    first: PairRecord, second: PairRecord, options: CheckOptions = DEFAULT_OPTIONS
) -> Findings:
    """:func:`check_pair` on what it reads of two reports (:func:`pair_record`): the same
    findings, notes and order, without the reports."""
    years = (first.year, second.year)
    if years[0] is None or years[1] is None:
        return Findings((), ("cross-year rules not run: a reporting year is unknown",))
    previous, current = (first, second) if years[0] <= years[1] else (second, first)
    year_before, year = min(years[0], years[1]), max(years[0], years[1])
    if year - year_before != 1:
        return Findings(
            (), (f"cross-year rules not run: {year_before} and {year} are not consecutive years",)
        )
    notes: list[str] = []
    names = (previous.agency, current.agency)
    if names[0] != names[1]:
        notes.append(f"compared as one body although the names differ: {names[0]} / {names[1]}")
    found: list[Finding] = []
    wanted = _wanted(options)
    values: dict[str, Cell] | None = None
    values_before: dict[str, Cell] = {}
    for plan in _pair_plan(previous.template, current.template):
        relation = plan.relation
        if relation.rule not in wanted or _holds_on_counts(plan, current.cells, previous.cells):
            continue
        if values is None:
            values, values_before = _printed_cells(current), _printed_cells(previous)
        finding = _relation_finding(relation, values, values_before, _zero_types(options), notes)
        if finding is not None:
            found.append(finding)
    found.extend(_copied(previous, current))
    return _sorted(found, options, notes)
