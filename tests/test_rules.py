"""Each rule of the catalogue fires on a short report built to break it, and only there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from ogi_report import (
    BLANK,
    MISSING,
    RULES,
    AdminLevel,
    Ambiguous,
    BodyKind,
    CheckOptions,
    Findings,
    Metadata,
    Part,
    Provenance,
    Report,
    Scope,
    Section,
    Unplaced,
    Unreadable,
    check,
    check_pair,
    example_report,
)
from ogi_report.errors import ReportErrors
from ogi_report.rules.relations import relations
from ogi_report.similarity import find_copies
from ogi_report.templates import get_template

CLEAN = example_report("2021")
CLEAN_2019 = example_report("2019").replace_cells({"s3.new.total": 77})


def with_text(report: Report, number: int, text: str) -> Report:
    """The report with section ``number``'s text replaced."""
    sections = tuple(
        attrs.evolve(s, parts=(Part(None, text),)) if s.number == number else s
        for s in report.sections or ()
    )
    return attrs.evolve(report, sections=sections)


def with_meta(report: Report, **changes: Any) -> Report:
    """The report with metadata fields changed."""
    return attrs.evolve(report, metadata=attrs.evolve(report.metadata, **changes))


def next_year(report: Report) -> Report:
    """The same report relabelled one year later (a copied report)."""
    year = report.metadata.reporting_year
    assert year is not None
    return with_meta(report, reporting_year=year + 1, published_on=None)


def without_table(report: Report, key: str) -> Report:
    """The report with one table not printed."""
    return attrs.evolve(report, tables=tuple(t for t in report.tables if t.key != key))


def with_other_merged(report: Report) -> Report:
    """2021 report printing （六）其他处理 as one row, as a reader leaves it: its sub-rows
    0 where that row is 0 (deduced, and said so), unknown where it is not."""
    values = dict(report.values())
    where = {}
    for column in report.template.table("s3").column_keys:
        parts = [
            f"s3.{row}.{column}" for row in ("other_no_correction", "other_no_fee", "other_other")
        ]
        total = sum(values[p] for p in parts)  # type: ignore[misc]
        values[f"s3.other.{column}"] = total
        for part in parts:
            values[part] = 0 if total == 0 else MISSING
            if total == 0:
                where[part] = Provenance(note="deduced: （六）其他处理 printed as one row")
    return Report.from_cells(
        "2021", values, metadata=report.metadata, sections=report.sections, provenance=where
    )


def pair(previous: Report, current: Report) -> Findings:
    return check_pair(previous, current)


#: code -> (what it breaks, the findings it must give as (code, instance))
CASES: dict[str, Callable[[], Findings]] = {
    "S3.BALANCE": lambda: check(
        CLEAN.replace_cells({"s3.carried_over.research": 1, "s3.carried_over.total": 6})
    ),
    "S3.HANDLED_SUM": lambda: check(
        CLEAN.replace_cells({"s3.granted.social_org": 1, "s3.granted.total": 50})
    ),
    # Any one 总计 cell also sits in a column identity: move a count between two rows instead.
    "S3.ROW_TOTAL": lambda: check(
        CLEAN.replace_cells(
            {"s3.granted.natural_person": 42, "s3.partly_granted.natural_person": 11}
        )
    ),
    "S4.GROUP_TOTAL": lambda: check(CLEAN.replace_cells({"s4.review.total": 0})),
    "CELL.NEGATIVE": lambda: check(CLEAN.replace_cells({"s2.licensing.decisions": -3})),
    "CELL.NOT_INTEGER": lambda: check(
        CLEAN.replace_cells({"s2.penalties.decisions": Decimal("2104.5")})
    ),
    "CELL.NOT_NUMBER": lambda: check(
        CLEAN.replace_cells({"s2.coercion.decisions": Unreadable("见附件")})
    ),
    "S2.PUBLISHED_GT_TOTAL": lambda: check(
        CLEAN_2019.replace_cells({"s2.normative_documents.published": 81})
    ),
    "S2.CHANGE_GT_PREVIOUS": lambda: check(
        CLEAN_2019.replace_cells({"s2.coercion.items_change": -29})
    ),
    "S3.SUBTOTAL_MISMATCH": lambda: check(
        Report.from_cells(
            "2021",
            {
                **CLEAN.values(),
                **dict.fromkeys(
                    [
                        f"s3.unavailable.{c}"
                        for c in (
                            "natural_person",
                            "commercial",
                            "research",
                            "social_org",
                            "legal_service",
                            "other_org",
                        )
                    ],
                    0,
                ),
                "s3.unavailable.total": 0,
            },
            metadata=CLEAN.metadata,
            sections=CLEAN.sections,
        )
    ),
    "REPORT.SECTION_MISSING": lambda: check(without_table(CLEAN, "s4")),
    "REPORT.TEMPLATE_MISMATCH": lambda: check(
        with_meta(CLEAN, reporting_year=2020, published_on=None)
    ),
    "REPORT.PRE_2019": lambda: check(
        Report.from_cells(
            "pre-2019",
            {"s3.requests.received": 15, "s3.requests.answered": 15},
            metadata=Metadata(reporting_year=2017),
        )
    ),
    "REPORT.LATE": lambda: check(with_meta(CLEAN, published_on=date(2022, 4, 1))),
    "CELL.BLANK": lambda: check(CLEAN.replace_cells({"s3.new.social_org": BLANK})),
    "TEXT.NARRATIVE_MISMATCH": lambda: check(
        with_text(CLEAN, 3, "本年度共收到政府信息公开申请98件。")
    ),
    "TEXT.PERCENT": lambda: check(
        with_text(CLEAN, 3, "共收到提案85件，所提问题被纳入规划的13件，占15.4%。")
    ),
    "TEXT.INJECTED": lambda: check(
        with_text(CLEAN, 3, "按照《国务院办公厅秘书局澳门金沙城中心:印发…》要求")
    ),
    "REPORT.ROWS_MERGED": lambda: check(with_other_merged(CLEAN)),
    "TEXT.FEE_NOT_REPORTED": lambda: check(with_text(CLEAN, 6, "无")),
    "REPORT.GOV_REVIEW_MISSING": lambda: check(with_text(CLEAN, 1, "")),
    "CELL.UNIT_UNKNOWN": lambda: check(
        CLEAN_2019.replace_cells(
            {"s2.procurement.amount": Unreadable("12189.6 (unit not printed)")}
        )
    ),
    "CELL.AMBIGUOUS": lambda: check(
        CLEAN.replace_cells({"s2.licensing.decisions": Ambiguous((15230, 1523))})
    ),
    "CELL.MISSING": lambda: check(CLEAN.replace_cells({"s2.penalties.decisions": MISSING})),
    "READ.UNPLACED": lambda: check(
        attrs.evolve(
            CLEAN,
            unplaced=(
                Unplaced("5 6", "row s3.new: 9 pieces for 7 cells", Provenance("a.txt", line=3)),
            ),
        )
    ),
    "READ.NO_TEXT_LAYER": lambda: check(
        attrs.evolve(CLEAN, unplaced=(Unplaced("", "no text layer on pages 1-5"),))
    ),
    "READ.SET_ASIDE": lambda: check(
        attrs.evolve(CLEAN, unplaced=(Unplaced("标题: 示例", "page chrome"),))
    ),
    "REPORT.OVERVIEW_TOPICS": lambda: check(
        with_text(
            CLEAN,
            1,
            "主动公开、依申请公开、政府信息管理、平台建设情况良好；将公开纳入考核、评议与责任追究。",
        )
    ),
    "REPORT.SCOPE": lambda: check(
        with_text(CLEAN, 3, "本报告由示例县人民政府办公室汇总各部门政府信息公开工作情况编制而成。")
    ),
    "TEXT.S4_INCLUDES_CARRIED": lambda: check(
        with_text(CLEAN, 4, "全年行政复议案件5件（含上年结转1件）。")
    ),
    "X.CARRY_OVER": lambda: pair(
        example_report("2019"),
        CLEAN.replace_cells({"s3.carried_over.natural_person": 3, "s3.new.natural_person": 87}),
    ),
    "X.S2_ITEMS": lambda: pair(with_meta(CLEAN_2019, reporting_year=2019), CLEAN_2019),
    "X.S2_IN_FORCE": lambda: pair(
        CLEAN, next_year(CLEAN).replace_cells({"s2.normative_documents.in_force": 90})
    ),
    "X.COPIED": lambda: pair(CLEAN, next_year(CLEAN)),
    "X.COPIED_FROM_BODY": lambda: find_copies([CLEAN, with_meta(CLEAN, agency="样本县人民政府")]),
}

#: A report copied to the next year carries over last year's carried-over, not its carried-forward.
CARRIED_DIFFER = {("X.CARRY_OVER", c) for c in ("natural_person", "commercial", "total")}

EXPECTED: dict[str, set[tuple[str, str | None]]] = {
    "S3.BALANCE": {("S3.BALANCE", "research"), ("S3.BALANCE", "total")},
    "S3.HANDLED_SUM": {("S3.HANDLED_SUM", "social_org"), ("S3.HANDLED_SUM", "total")},
    "S3.ROW_TOTAL": {("S3.ROW_TOTAL", "granted"), ("S3.ROW_TOTAL", "partly_granted")},
    "S4.GROUP_TOTAL": {("S4.GROUP_TOTAL", "review")},
    "CELL.NEGATIVE": {("CELL.NEGATIVE", "s2.licensing.decisions")},
    "CELL.NOT_INTEGER": {("CELL.NOT_INTEGER", "s2.penalties.decisions")},
    "CELL.NOT_NUMBER": {("CELL.NOT_NUMBER", "s2.coercion.decisions")},
    "S2.PUBLISHED_GT_TOTAL": {("S2.PUBLISHED_GT_TOTAL", "normative_documents")},
    "S2.CHANGE_GT_PREVIOUS": {("S2.CHANGE_GT_PREVIOUS", "coercion")},
    "S3.SUBTOTAL_MISMATCH": {
        ("S3.SUBTOTAL_MISMATCH", f"unavailable.{c}")
        for c in ("natural_person", "commercial", "other_org", "total")
    },
    "REPORT.SECTION_MISSING": {("REPORT.SECTION_MISSING", "s4")},
    "REPORT.TEMPLATE_MISMATCH": {("REPORT.TEMPLATE_MISMATCH", None)},
    "REPORT.PRE_2019": {("REPORT.PRE_2019", None)},
    "REPORT.LATE": {("REPORT.LATE", None)},
    "CELL.BLANK": {("CELL.BLANK", "new")},
    "TEXT.NARRATIVE_MISMATCH": {("TEXT.NARRATIVE_MISMATCH", "共收到政府信息公开申请98件")},
    "TEXT.PERCENT": {("TEXT.PERCENT", "13件,占15.4%")},
    "TEXT.INJECTED": {("TEXT.INJECTED", "澳门金沙城")},
    "REPORT.ROWS_MERGED": {("REPORT.ROWS_MERGED", "other")}
    | {
        ("CELL.MISSING", f"s3.{row}.{column}")
        for row in ("other_no_correction", "other_no_fee", "other_other")
        for column in ("natural_person", "commercial", "total")
    },
    "TEXT.FEE_NOT_REPORTED": {("TEXT.FEE_NOT_REPORTED", "section 6")},
    "REPORT.GOV_REVIEW_MISSING": {("REPORT.GOV_REVIEW_MISSING", None)}
    | {
        ("REPORT.OVERVIEW_TOPICS", t)
        for t in ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")
    },
    "CELL.UNIT_UNKNOWN": {("CELL.UNIT_UNKNOWN", "s2.procurement.amount")},
    "REPORT.OVERVIEW_TOPICS": {("REPORT.OVERVIEW_TOPICS", "监督保障")},
    "CELL.AMBIGUOUS": {("CELL.AMBIGUOUS", "s2.licensing.decisions")},
    "CELL.MISSING": {("CELL.MISSING", "s2.penalties.decisions")},
    "READ.UNPLACED": {("READ.UNPLACED", "a.txt:3")},
    "READ.NO_TEXT_LAYER": {("READ.NO_TEXT_LAYER", "source")},
    "READ.SET_ASIDE": {("READ.SET_ASIDE", None)},
    "REPORT.SCOPE": {("REPORT.SCOPE", "region")},
    "TEXT.S4_INCLUDES_CARRIED": {("TEXT.S4_INCLUDES_CARRIED", None)},
    "X.CARRY_OVER": {("X.CARRY_OVER", "natural_person")},
    "X.S2_ITEMS": CARRIED_DIFFER
    | {("X.S2_ITEMS", row) for row in ("licensing", "penalties", "fees")}
    | {
        ("X.COPIED", t)
        for t in (
            "s2.article_20_1",
            "s2.article_20_5",
            "s2.article_20_6",
            "s2.article_20_8",
            "s2.article_20_9",
            "s3",
            "s4",
        )
    }
    | {("X.COPIED", "section 1"), ("X.COPIED", "section 5")},
    "X.S2_IN_FORCE": CARRIED_DIFFER
    | {("X.S2_IN_FORCE", "normative_documents")}
    | {
        ("X.COPIED", t)
        for t in ("s2.article_20_5", "s2.article_20_6", "s2.article_20_8", "s3", "s4")
    }
    | {("X.COPIED", "section 1")},
    "X.COPIED": CARRIED_DIFFER
    | {
        ("X.COPIED", t)
        for t in (
            "s2.article_20_1",
            "s2.article_20_5",
            "s2.article_20_6",
            "s2.article_20_8",
            "s3",
            "s4",
        )
    }
    | {("X.COPIED", "section 1"), ("X.S2_IN_FORCE", "normative_documents")},
    "X.COPIED_FROM_BODY": {("X.COPIED_FROM_BODY", "示例县人民政府 2021 / 样本县人民政府 2021")},
}


def test_every_rule_has_a_case() -> None:
    """The table below covers the whole catalogue: a rule without a case fails here."""
    assert set(CASES) == set(RULES) == set(EXPECTED)


@pytest.mark.parametrize("code", list(CASES))
def test_rule_fires_exactly_where_broken(code: str) -> None:
    """A report built to break one rule gives exactly the expected findings."""
    findings = CASES[code]()
    assert set(findings.flatten(("code", "instance"))) == EXPECTED[code]


@pytest.mark.parametrize("code", list(CASES))
def test_findings_carry_their_rule(code: str) -> None:
    """Every finding has the severity of its rule and messages in both languages."""
    for finding in CASES[code]():
        rule = RULES[finding.code]
        assert finding.severity is rule.severity
        assert finding.message_en
        assert finding.message_zh
        assert "{" not in finding.message_en + finding.message_zh


def test_identity_finding_states_published_computed_difference() -> None:
    """An arithmetic finding names its cells, the printed and computed values and the difference."""
    (finding,) = check(CLEAN.replace_cells({"s4.review.total": 0}))
    assert finding.cells == (
        "s4.review.total",
        "s4.review.upheld",
        "s4.review.corrected",
        "s4.review.other",
        "s4.review.pending",
    )
    assert (finding.published, finding.computed, finding.difference, finding.tolerance) == (
        0,
        5,
        -5,
        0,
    )
    assert "行政复议" in finding.message_zh


def test_blank_skip_policy_makes_rules_not_assessable() -> None:
    """With blank="skip", a blank leaves the identities it touches unassessed, with a note."""
    report = CLEAN.replace_cells({"s3.new.research": BLANK})
    assert {f.code for f in check(report)} == {"CELL.BLANK", "S3.BALANCE", "S3.ROW_TOTAL"}
    strict = check(report, CheckOptions(blank="skip"))
    assert strict.flatten(("code",)) == [("CELL.BLANK",)]
    assert any("s3.new.research" in note for note in strict.notes)


def test_select_and_ignore() -> None:
    """select and ignore take codes and prefixes."""
    report = CLEAN.replace_cells({"s3.granted.total": 50, "s3.new.social_org": BLANK})
    everything = {f.code for f in check(report)}
    assert everything == {"S3.ROW_TOTAL", "S3.HANDLED_SUM", "CELL.BLANK"}
    assert {f.code for f in check(report, CheckOptions(select={"S3."}))} == everything - {
        "CELL.BLANK"
    }
    assert {f.code for f in check(report, CheckOptions(select={"CELL.BLANK"}))} == {"CELL.BLANK"}
    assert {f.code for f in check(report, CheckOptions(ignore={"S3.", "CELL.BLANK"}))} == set()


def test_check_never_raises_strict_mode_does() -> None:
    """check returns findings; raise_if_errors raises one group of every error."""
    findings = check(CLEAN.replace_cells({"s4.review.total": 0, "s4.suit_direct.total": 0}))
    with pytest.raises(ReportErrors) as caught:
        findings.raise_if_errors()
    assert len(caught.value.exceptions) == 2


def test_late_deadlines_follow_article_49() -> None:
    """Departments by 1月31日, county governments by 3月31日, townships only with a deadline."""
    department = with_meta(
        CLEAN, body_kind=BodyKind.GOVERNMENT_DEPARTMENT, published_on=date(2022, 2, 1)
    )
    assert [f.code for f in check(department)] == ["REPORT.LATE"]
    assert check(with_meta(department, published_on=date(2022, 1, 31))).flatten() == []
    township = with_meta(CLEAN, level=AdminLevel.TOWNSHIP, published_on=date(2022, 6, 1))
    assert check(township).flatten() == []
    assert [f.code for f in check(township, CheckOptions(deadline=date(2022, 3, 31)))] == [
        "REPORT.LATE"
    ]


def test_scope_from_metadata() -> None:
    """A declared scope is stated as information."""
    findings = check(with_meta(CLEAN, scope=Scope.OWN))
    assert findings.flatten(("code", "instance", "severity")) == [
        ("REPORT.SCOPE", "own", RULES["REPORT.SCOPE"].severity)
    ]


def test_rows_merged_uses_the_printed_row_for_the_handled_sum() -> None:
    """（六）其他处理 printed as one row still lets （七）总计 be checked, with that row."""
    merged = with_other_merged(CLEAN)
    assert {f.code for f in check(merged)} == {"REPORT.ROWS_MERGED", "CELL.MISSING"}
    other_rows = ("other_no_correction", "other_no_fee", "other_other")
    moved = {f"s3.{row}.{column}": 0 for row in other_rows for column in s3_columns()}
    moved.update(
        {"s3.granted.natural_person": 44, "s3.granted.commercial": 7, "s3.granted.total": 53}
    )
    zeros = with_other_merged(CLEAN.replace_cells(moved))
    # Deduced zeros still name the merged row (洪泽区 2023, 2024), with no cell missing.
    assert {f.code for f in check(zeros)} == {"REPORT.ROWS_MERGED"}
    broken = merged.replace_cells({"s3.other.natural_person": 4, "s3.other.total": 5})
    assert ("S3.HANDLED_SUM", "natural_person") in check(broken).flatten(("code", "instance"))


def s3_columns() -> tuple[str, ...]:
    return get_template("2021").table("s3").column_keys


def test_pair_order_and_notes() -> None:
    """Pairs are ordered by year; other years and renamed bodies give notes, not refusals."""
    previous = example_report("2019")
    renamed = with_meta(CLEAN, agency="示例县人民政府办公室")
    assert check_pair(renamed, previous).flatten() == check_pair(previous, renamed).flatten() == []
    assert "names differ" in check_pair(previous, renamed).notes[0]
    far = check_pair(previous, with_meta(CLEAN, reporting_year=2023))
    assert far.flatten() == []
    assert "not consecutive" in far.notes[0]


def test_relations_are_declared_from_the_templates(template: str) -> None:
    """One S3.BALANCE and S3.HANDLED_SUM per column, one S3.ROW_TOTAL per row, three groups."""
    found = relations(get_template(template))
    s3 = get_template(template).table("s3")
    count = {code: sum(r.rule == code for r in found) for code in RULES}
    assert count["S3.BALANCE"] == count["S3.HANDLED_SUM"] == len(s3.columns)
    assert count["S3.ROW_TOTAL"] == len(s3.rows)
    assert count["S4.GROUP_TOTAL"] == 3


def test_examples_are_what_the_docs_say() -> None:
    """The 2021 example is clean; the 2019 one has its one deliberate error, seen twice."""
    assert check(CLEAN).flatten() == []
    findings = check(example_report("2019"))
    assert findings.errors.flatten(("code", "instance", "published", "computed")) == [
        ("S3.BALANCE", "total", 80, 79),
        ("S3.ROW_TOTAL", "new", 78, 77),
    ]
    assert metadata_is_fictional(example_report("2019").metadata)


def metadata_is_fictional(metadata: Metadata) -> bool:
    return metadata.agency == "示例县人民政府" and "虚构" in (metadata.source or "")


def test_sections_without_text_do_not_trigger_text_rules() -> None:
    """A report without narrative (sections None) is not judged on its narrative."""
    bare = attrs.evolve(CLEAN, sections=None)
    assert check(bare).flatten() == []
    assert isinstance(CLEAN.sections, tuple)
    assert isinstance(CLEAN.sections[0], Section)


def test_injected_terms_in_text_set_aside_are_found_piece_by_piece() -> None:
    """Every piece of page chrome is scanned, in order; no term is pieced together from the
    end of one piece and the start of the next (澳门 | 金沙)."""
    pieces = ("网站导航 澳门", "金沙 联系我们", "点击365bet", "标题: 金沙城欢迎您")
    report = attrs.evolve(CLEAN, unplaced=tuple(Unplaced(p, "page chrome") for p in pieces))
    found = [f.instance for f in check(report) if f.code == "TEXT.INJECTED"]
    assert found == ["365bet", "金沙城"]


def test_copied_also_finds_near_identical_sections() -> None:
    """A section copied with its year and a figure changed is still reported as X.COPIED."""
    first = CLEAN.sections[0] if CLEAN.sections else None
    assert first is not None
    part = first.parts[0]
    edited = attrs.evolve(part, text=part.text.replace("2021年", "2022年").replace("2680", "2711"))
    sections = (attrs.evolve(first, parts=(edited, *first.parts[1:])), *(CLEAN.sections or ())[1:])
    later = attrs.evolve(next_year(CLEAN), sections=sections)
    copied = [f for f in check_pair(CLEAN, later) if f.instance == "section 1"]
    assert [f.code for f in copied] == ["X.COPIED"]
    assert "near-identical" in copied[0].message_en
    rewritten = with_text(
        later, 1, "本年度全面重写了总体情况，内容与上年完全不同，涵盖了新的工作重点与成效。"
    )
    assert not [f for f in check_pair(CLEAN, rewritten) if f.instance == "section 1"]
