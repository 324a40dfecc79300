"""diff: a report against itself, a mutated copy, and the other format."""

from __future__ import annotations

from hypothesis import given

from ogi_report import BLANK, Report, example_report
from ogi_report.compare import diff
from ogi_report.strategies import Fault, faults, reports


@given(reports())
def test_diff_with_itself_is_empty(report: Report) -> None:
    """A report compared with itself differs in nothing."""
    assert not diff(report, report)
    assert diff(report, report).not_comparable == ()


@given(faults())
def test_diff_names_exactly_the_mutated_cells(fault: Fault) -> None:
    """The diff of a report and a mutated copy names exactly the cells the mutation changed."""
    assert set(diff(fault.original, fault.report).codes()) == set(fault.cells)


def test_blank_zero_and_mark_differ() -> None:
    """A blank, a 0 and a '/' are three different values to diff."""
    report = example_report("2021")
    zero = report.replace_cells({"s3.new.research": 0})
    blank = report.replace_cells({"s3.new.research": BLANK})
    assert diff(zero, blank).codes() == ("s3.new.research",)
    (change,) = diff(report, zero).cells
    assert (change.a, change.b, change.delta) == (1, 0, -1)


def test_across_formats_only_comparable_cells() -> None:
    """2019 vs 2021: made is compared with issued; total_published, repealed, fees are not."""
    d = diff(example_report("2019"), example_report("2021"))
    pairs = {(c.code, c.code_b) for c in d.cells}
    assert ("s2.normative_documents.made", "s2.normative_documents.issued") in pairs
    assert "s2.normative_documents.total_published" in d.not_comparable
    assert "s2.normative_documents.in_force" in d.not_comparable
    assert "s2.normative_documents.repealed" in d.not_comparable
    assert "s2.fees.amount" in d.not_comparable
    assert "s2.fees.items_prev_year" in d.not_comparable
    assert not any(c.code.startswith("s2.procurement") for c in d.cells)


def test_other_handling_compares_printed_or_summed() -> None:
    """2019 （六）其他处理 is compared with the sum of 2021's three sub-rows."""
    d = diff(example_report("2019"), example_report("2021"))
    other = {c.code: (c.a, c.b) for c in d.cells if c.code.startswith("s3.other.")}
    assert other["s3.other.total"] == (3, 4)


def test_narrative_differences_are_readable() -> None:
    """A changed section gives a unified diff of its lines."""
    d = diff(example_report("2019"), example_report("2021"))
    assert {s.number for s in d.sections} == {1, 5}
    assert "+（一）主动公开" in d.sections[0].diff
