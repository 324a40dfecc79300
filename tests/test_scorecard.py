"""Scorecards: the bundled methodology on the 示例县 examples, one deduction per planted fault.

Laws of the property test, for a valid report with one injected fault
(:func:`ogi_report.strategies.faults`) that does not touch a cell the methodology counts:
the fault never raises the score (neither end of its range), and every deduction the
fault adds cites a finding that :func:`ogi_report.check` returned.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given

from ogi_report import (
    BLANK,
    AdminLevel,
    CheckOptions,
    InputError,
    Report,
    Unreadable,
    check,
    check_pair,
    example_report,
)
from ogi_report.scorecard import (
    COLUMNS,
    Deduction,
    Item,
    Methodology,
    Score,
    example_methodology,
    load_methodology,
    rank,
    score,
    scores_to_csv,
)
from ogi_report.strategies import Fault, faults

PAIR_ITEMS = {"continuity", "originality"}


def points(*values: int) -> tuple[Decimal, ...]:
    """Points as the scores hold them."""
    return tuple(Decimal(v) for v in values)


def clean_2021() -> Report:
    """The 2021 example with its one corrected reconsideration counted as upheld: no fault."""
    return example_report("2021").replace_cells({"s4.review.corrected": 0, "s4.review.upheld": 4})


def with_metadata(report: Report, **changes: Any) -> Report:
    """The report with some metadata changed."""
    return attrs.evolve(report, metadata=attrs.evolve(report.metadata, **changes))


def test_bundled_methodology_loads() -> None:
    """The bundled example loads from the package, 100 points over seven items."""
    methodology = example_methodology()
    assert methodology.total == 100
    assert [item.key for item in methodology.items] == [
        "timeliness",
        "completeness",
        "reconciliation",
        "narrative",
        "continuity",
        "originality",
        "review_outcomes",
    ]
    assert methodology.item("review_outcomes").deductions[0].cells == ("s4.*.corrected",)


def test_clean_example_has_full_marks_but_for_what_is_uncertain() -> None:
    """No fault: nothing deducted; the cross-year items are uncertain without a previous year."""
    card = score(clean_2021())
    assert card.penalties == ()
    assert (card.minimum, card.maximum, card.total) == points(80, 100, 100)
    assert {u.item for u in card.uncertain} == PAIR_ITEMS
    assert all("previous year" in u.reason_en for u in card.uncertain)


def test_clean_example_with_the_previous_year_is_certain() -> None:
    """Compared with the 2020 report, nothing is uncertain: 100 of 100."""
    pair = check_pair(example_report("2019"), clean_2021())
    card = score(clean_2021(), pair_findings=pair)
    assert card.certain
    assert card.minimum == card.maximum == 100
    assert str(card) == "示例县人民政府 2021: 100 of 100"


def _reconciliation(report: Report) -> Report:
    return report.replace_cells({"s4.suit_direct.total": 4})


def _late(report: Report) -> Report:
    return with_metadata(report, published_on="2022年4月15日")


def _no_section_5(report: Report) -> Report:
    assert report.sections is not None
    return attrs.evolve(report, sections=tuple(s for s in report.sections if s.number != 5))


def _corrected(report: Report) -> Report:
    return report.replace_cells({"s4.review.corrected": 1, "s4.review.upheld": 3})


@pytest.mark.parametrize(
    ("plant", "item", "code", "cells", "points"),
    [
        (_reconciliation, "reconciliation", "S4.GROUP_TOTAL", "s4.suit_direct.total", 5),
        (_late, "timeliness", "REPORT.LATE", None, 15),
        (_no_section_5, "completeness", "REPORT.SECTION_MISSING", None, 4),
        (_corrected, "review_outcomes", None, "s4.review.corrected", 2),
    ],
)
def test_each_planted_fault_is_one_deduction(
    plant: Callable[[Report], Report], item: str, code: str | None, cells: str | None, points: int
) -> None:
    """Each planted fault takes exactly one deduction, on its item, with its evidence."""
    report = plant(clean_2021())
    card = score(report)
    [penalty] = card.penalties
    assert (penalty.item, penalty.code, penalty.points) == (item, code, Decimal(points))
    assert card.maximum == 100 - points
    assert {u.item for u in card.uncertain} == PAIR_ITEMS
    if cells is not None:
        assert cells in penalty.cells
    if code is not None:
        assert penalty.finding in check(report)
        assert penalty.message_en == penalty.finding.message_en  # type: ignore[union-attr]


def test_planted_evidence_names_the_numbers() -> None:
    """The evidence of a deduction: published, computed, messages in both languages."""
    card = score(_reconciliation(clean_2021()))
    [penalty] = card.penalties
    assert (penalty.published, penalty.computed) == (4, 3)
    assert "总计填报4" in penalty.message_zh
    late = score(_late(clean_2021())).item("timeliness")
    assert "2022-04-15" in late.penalties[0].message_en
    assert late.minimum == late.maximum == 0


def test_the_bundled_examples_score_as_documented() -> None:
    """2021: one corrected reconsideration (-2); 2020: two identities, the narrative, -2."""
    card_2021 = score(example_report("2021"))
    assert (
        str(card_2021) == "示例县人民政府 2021: 78-98 of 100 (uncertain: continuity, originality)"
    )
    card_2020 = score(example_report("2019"))
    assert [(p.item, p.code or p.trigger, p.points) for p in card_2020.penalties] == [
        ("reconciliation", "S3.BALANCE", Decimal(5)),
        ("reconciliation", "S3.ROW_TOTAL", Decimal(5)),
        ("narrative", "TEXT.NARRATIVE_MISMATCH", Decimal(2)),
        ("review_outcomes", "s4.*.corrected", Decimal(2)),
    ]
    assert (card_2020.minimum, card_2020.maximum) == points(66, 86)


def test_no_publication_date_is_uncertain_not_a_deduction() -> None:
    """Without a publication date the timeliness item is a range, 0 to 15, and says why."""
    card = score(with_metadata(clean_2021(), published_on=None))
    timeliness = card.item("timeliness")
    assert not timeliness.certain
    assert timeliness.penalties == ()
    assert (timeliness.minimum, timeliness.maximum) == points(0, 15)
    [unknown] = timeliness.uncertain
    assert unknown.trigger == "REPORT.LATE"
    assert unknown.up_to == 15
    assert "publication date" in unknown.reason_en
    assert (card.minimum, card.maximum) == points(65, 100)


def test_no_deadline_is_uncertain_unless_one_is_given() -> None:
    """A township has no deadline in the Regulations: uncertain, until CheckOptions sets one."""
    township = with_metadata(clean_2021(), level=AdminLevel.TOWNSHIP, agency="示例镇人民政府")
    [unknown] = score(township).item("timeliness").uncertain
    assert "no deadline" in unknown.reason_en
    options = CheckOptions(deadline=date(2022, 3, 1))
    late = score(township, options=options).item("timeliness")
    assert [p.code for p in late.penalties] == ["REPORT.LATE"]


def test_no_narrative_leaves_the_narrative_rules_uncertain() -> None:
    """A report without its narrative (cells JSON) cannot show its sections: uncertain."""
    card = score(attrs.evolve(clean_2021(), sections=None))
    assert {u.item for u in card.uncertain} == {*PAIR_ITEMS, "completeness", "narrative"}
    assert card.item("reconciliation").certain


def test_pair_not_compared_is_uncertain() -> None:
    """check_pair on years that are not consecutive says so; the cross-year items stay open."""
    far = with_metadata(example_report("2019"), reporting_year=2018)
    pair = check_pair(far, clean_2021())
    card = score(clean_2021(), pair_findings=pair)
    assert {u.item for u in card.uncertain} == PAIR_ITEMS
    assert "not consecutive" in card.uncertain[0].reason_en


def test_copied_report_is_a_deduction_on_originality() -> None:
    """Tables and sections the same as the previous year's: 5 points each, up to the item's 10."""
    previous = with_metadata(clean_2021(), reporting_year=2020)
    card = score(clean_2021(), pair_findings=check_pair(previous, clean_2021()))
    copied = card.item("originality")
    assert {p.code for p in copied.penalties} == {"X.COPIED"}
    assert [p.points for p in copied.penalties][:3] == [5, 5, 0]
    assert (copied.minimum, copied.maximum) == points(0, 0)


def test_unreadable_cell_makes_its_count_and_identities_uncertain() -> None:
    """An unreadable corrected count: the review item is a range, not a guess."""
    report = clean_2021().replace_cells({"s4.review.corrected": Unreadable("一")})
    card = score(report)
    review = card.item("review_outcomes")
    assert (review.minimum, review.maximum) == points(0, 10)
    assert review.uncertain[0].cells == ("s4.review.corrected",)
    assert not card.item("reconciliation").certain


def test_caps_keep_the_evidence() -> None:
    """Past a cap, penalties still list their evidence but take 0 points."""
    blanks = (
        "s3.new.commercial",
        "s3.new.research",
        "s3.granted.other_org",
        "s3.other_other.research",
    )
    report = clean_2021().replace_cells(dict.fromkeys(blanks, BLANK))
    methodology = Methodology(
        "capped",
        "1",
        (Item("blanks", "空白", "blanks", 10, (Deduction(3, rules=("CELL.BLANK",), cap=4),)),),
    )
    item = score(report, methodology=methodology).item("blanks")
    assert [p.points for p in item.penalties] == [3, 1, 0]
    assert [p.uncapped for p in item.penalties] == [3, 3, 3]
    assert item.maximum == 6


def test_unknowns_past_a_reached_cap_are_not_listed() -> None:
    """Once an item's points are gone, what could not be assessed cannot change it."""
    late_or_copied = Item(
        "timing",
        "按时",
        "timing",
        5,
        (Deduction(5, rules=("REPORT.LATE",)), Deduction(5, rules=("X.COPIED",))),
    )
    methodology = Methodology("capped", "1", (late_or_copied,))
    item = score(_late(clean_2021()), methodology=methodology).item("timing")
    assert (item.minimum, item.maximum, item.uncertain) == (Decimal(0), Decimal(0), ())
    on_time = score(clean_2021(), methodology=methodology).item("timing")
    assert [u.trigger for u in on_time.uncertain] == ["X.COPIED"]


def test_indicator_deduction() -> None:
    """An indicator past its threshold is one deduction; no case to rate is no deduction."""
    methodology = Methodology(
        "rates",
        "1",
        (
            Item(
                "review",
                "纠错率",
                "correction rate",
                5,
                (Deduction(5, indicator="review_correction_rate", above=Decimal("0.2")),),
            ),
        ),
    )
    card = score(example_report("2021"), methodology=methodology)
    [penalty] = card.penalties
    assert (penalty.published, penalty.computed) == (Decimal("0.25"), Decimal("0.2"))
    none_concluded = example_report("2021").replace_cells(
        {"s4.review.upheld": 0, "s4.review.corrected": 0, "s4.review.pending": 5}
    )
    assert score(none_concluded, methodology=methodology).maximum == 5
    unreadable = example_report("2021").replace_cells({"s4.review.other": Unreadable("?")})
    assert not score(unreadable, methodology=methodology).certain


BASE = """\
name = "m"
version = "1"
[[items]]
key = "arithmetic"
title_zh = "数据准确"
title_en = "figures add up"
points = 10
[[items.deductions]]
rules = ["S3."]
points = 5
"""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (BASE.replace('["S3."]', '["S3.BALANCE", "S9.TYPO"]'), "items[0].deductions[0].rules[1]"),
        (BASE.replace('["S3."]', '["NOPE."]'), "items[0].deductions[0].rules[0]"),
        (BASE.replace('rules = ["S3."]', 'cells = ["s9.*"]'), "items[0].deductions[0].cells[0]"),
        (BASE.replace('rules = ["S3."]', 'missing = ["section 9"]'), "deductions[0].missing[0]"),
        (BASE.replace('rules = ["S3."]', 'indicator = "x"\nabove = 1'), "deductions[0].indicator"),
        (BASE.replace('rules = ["S3."]', ""), "items[0].deductions[0].rules"),
        (BASE.replace("points = 5", "pionts = 5"), "items[0].deductions[0].pionts"),
        (BASE.replace("points = 10", 'points = "10"'), "items[0].points"),
        (BASE.replace("points = 10", "points = 10\ncap = 11"), "items[0].cap"),
        (BASE.replace('key = "arithmetic"', 'key = "Arith metic"'), "items[0].key"),
        (BASE.replace('version = "1"', 'version = "1"\ntotal = 20'), "total"),
        (BASE.replace('name = "m"\n', ""), "name"),
        (BASE + "[[items]]\n" + BASE.split("[[items]]\n")[1], "items[1].key"),
        (BASE.replace("= 10", "= [10"), "not valid TOML"),
    ],
)
def test_bad_methodology_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    """A bad methodology is one InputError naming the file and the key."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_methodology(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert key in str(raised.value)


def test_methodology_from_file_and_text_are_equal(tmp_path: Path) -> None:
    """A path and the same TOML as text give the same methodology; a missing file is named."""
    path = tmp_path / "m.toml"
    path.write_text(BASE, encoding="utf-8")
    assert load_methodology(path) == load_methodology(str(path)) == load_methodology(BASE)
    with pytest.raises(InputError, match=r"absent\.toml"):
        load_methodology(tmp_path / "absent.toml")


def _named(card: Score, agency: str) -> Score:
    return attrs.evolve(card, metadata=attrs.evolve(card.metadata, agency=agency))


def test_rank_orders_by_score_and_keeps_ties_stable() -> None:
    """Best first; equal scores share a position and keep their input order."""
    full = score(clean_2021(), pair_findings=check_pair(example_report("2019"), clean_2021()))
    late_report = _late(clean_2021())
    late = score(late_report, pair_findings=check_pair(example_report("2019"), late_report))
    cards = [_named(late, "乙"), _named(full, "甲"), _named(full, "丙"), _named(late, "丁")]
    ranked = rank(cards)
    assert [(r.position, r.score.metadata.agency) for r in ranked] == [
        (1, "甲"),
        (1, "丙"),
        (3, "乙"),
        (3, "丁"),
    ]
    by_maximum = rank([_named(late, "乙"), _named(score(clean_2021()), "戊")], by="maximum")
    assert [r.score.metadata.agency for r in by_maximum] == ["戊", "乙"]
    other = Methodology("other", "1", example_methodology().items)
    with pytest.raises(ValueError, match="different methodologies"):
        rank([full, score(clean_2021(), methodology=other)])


def test_csv_has_a_report_row_item_rows_and_evidence_rows() -> None:
    """One report row, one row per item, each penalty and uncertainty under its item."""
    card = score(example_report("2019"))
    rows = list(csv.DictReader(io.StringIO(scores_to_csv(card) or "")))
    assert tuple(rows[0]) == COLUMNS
    assert [r["row"] for r in rows].count("report") == 1
    assert [r["item"] for r in rows if r["row"] == "item"] == [
        i.key for i in example_methodology().items
    ]
    penalties = [r for r in rows if r["row"] == "penalty"]
    assert [(r["item"], r["code"], r["deducted"]) for r in penalties][:2] == [
        ("reconciliation", "S3.BALANCE", "5"),
        ("reconciliation", "S3.ROW_TOTAL", "5"),
    ]
    assert len(penalties) == len(card.penalties)
    assert sum(r["row"] == "uncertain" for r in rows) == len(card.uncertain)
    assert (rows[0]["minimum"], rows[0]["maximum"], rows[0]["points"]) == ("66", "86", "100")
    stream = io.StringIO()
    assert scores_to_csv([card, card], stream) is None
    assert stream.getvalue().count("\n") == 2 * len(rows) + 1


def _counted(fault: Fault) -> bool:
    cells = example_methodology().item("review_outcomes").deductions[0].cells
    return any(fnmatchcase(code, pattern) for code in fault.cells for pattern in cells)


@given(faults())
def test_a_fault_never_raises_the_score(fault: Fault) -> None:
    """A fault lowers the score or leaves it; what it adds cites a finding check() returned."""
    assume(not _counted(fault))
    clean = score(fault.original)
    faulty = score(fault.report)
    assert faulty.maximum <= clean.maximum
    assert faulty.minimum <= clean.minimum
    found = set(check(fault.report))
    added = [p for p in faulty.penalties if p not in clean.penalties]
    assert all(p.finding is not None and p.finding in found for p in added)
