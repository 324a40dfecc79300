"""The tidy form: one record per printed cell, and CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

import ogi_report
from ogi_report.cells import BLANK, MISSING, Ambiguous, Cell, NotApplicable, Unreadable
from ogi_report.model import Metadata, Report
from ogi_report.templates import get_template
from ogi_report.writers.tidy import COLUMNS, records, to_csv

VERSIONS = ("2019", "2021")

KINDS: dict[str, Cell] = {
    "s4.review.upheld": BLANK,
    "s4.review.corrected": NotApplicable("/"),
    "s4.review.other": Unreadable("见附件"),
    "s4.review.pending": 0,
    "s4.review.total": Ambiguous((23, 2)),
    "s4.suit_direct.upheld": MISSING,
    "s4.suit_direct.corrected": NotApplicable("—"),
}


def _kinds_report() -> Report:
    return ogi_report.example_report("2021").replace_cells(KINDS)


def _by_code(report: Report) -> dict[str, dict[str, object]]:
    return {row["code"]: row for row in records(report)}


@pytest.mark.parametrize("version", VERSIONS)
def test_one_record_per_printed_cell_with_the_columns(version: str) -> None:
    """records has one dict per printed cell, in format order, keyed by COLUMNS."""
    report = ogi_report.example_report(version)
    rows = records(report)
    assert [row["code"] for row in rows] == [spec.code for spec in get_template(version).cells()]
    for row in rows:
        assert tuple(row) == COLUMNS


def test_records_of_a_partial_report() -> None:
    """A report printing one table gives records for that table only."""
    report = Report.from_cells(
        "2021",
        {
            c: v
            for c, v in ogi_report.example_report("2021").values().items()
            if c.startswith("s4.")
        },
    )
    assert len(records(report)) == 15


def test_record_fields_describe_the_cell() -> None:
    """A record carries metadata, spec labels, unit, kind, value and printed form."""
    row = _by_code(ogi_report.example_report("2019"))["s2.procurement.amount"]
    assert row["agency"] == "示例县人民政府"
    assert row["reporting_year"] == 2020
    assert row["template"] == "2019"
    assert row["section"] == 2
    assert row["table"] == "s2.article_20_9"
    assert row["row"] == "procurement"
    assert row["column"] == "amount"
    assert row["row_label_zh"] == "政府集中采购"
    assert row["column_label_zh"] == "采购总金额"
    assert row["unit"] == "万元"
    assert row["kind"] == "number"
    assert row["value"] == Decimal("2315.78")
    assert row["printed"] == "2315.78"


def test_count_value_is_an_int_and_printed_a_string() -> None:
    """A count's value is the int; printed is its string form."""
    row = _by_code(ogi_report.example_report("2021"))["s3.new.total"]
    assert row["value"] == 99
    assert type(row["value"]) is int
    assert row["printed"] == "99"


def test_value_is_none_for_every_non_number() -> None:
    """value is None for blank, mark, text, ambiguous and missing cells, 0 for a zero."""
    rows = _by_code(_kinds_report())
    for code in KINDS:
        expected = 0 if code == "s4.review.pending" else None
        assert rows[code]["value"] == expected, code
    assert type(rows["s4.review.pending"]["value"]) is int


def test_printed_keeps_blank_mark_and_text_apart() -> None:
    """printed is None for a blank, the mark for "/" and "—", the text for text."""
    rows = _by_code(_kinds_report())
    assert rows["s4.review.upheld"]["printed"] is None
    assert rows["s4.review.corrected"]["printed"] == "/"
    assert rows["s4.suit_direct.corrected"]["printed"] == "—"
    assert rows["s4.review.other"]["printed"] == "见附件"
    assert rows["s4.review.pending"]["printed"] == "0"
    printed = [rows[code]["printed"] for code in KINDS]
    assert len(set(printed)) == len(printed)


def test_kind_column_names_each_kind() -> None:
    """kind is the CellKind value of each cell."""
    rows = _by_code(_kinds_report())
    assert rows["s4.review.upheld"]["kind"] == "blank"
    assert rows["s4.review.corrected"]["kind"] == "not_applicable"
    assert rows["s4.review.other"]["kind"] == "unreadable"
    assert rows["s4.review.total"]["kind"] == "ambiguous"
    assert rows["s4.suit_direct.upheld"]["kind"] == "missing"
    assert rows["s4.review.pending"]["kind"] == "number"


@pytest.mark.parametrize("version", VERSIONS)
def test_csv_header_and_row_count(version: str) -> None:
    """to_csv writes the COLUMNS header and one line per printed cell."""
    report = ogi_report.example_report(version)
    text = to_csv(report)
    assert text is not None
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == len(report.values())


def test_csv_keeps_blank_mark_and_text_apart() -> None:
    """In CSV, a blank is empty, a mark is the mark, text is the text, value empty for each."""
    text = to_csv(_kinds_report())
    assert text is not None
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["s4.review.upheld"]["printed"] == ""
    assert rows["s4.review.corrected"]["printed"] == "/"
    assert rows["s4.review.other"]["printed"] == "见附件"
    for code in ("s4.review.upheld", "s4.review.corrected", "s4.review.other"):
        assert rows[code]["value"] == ""
    assert rows["s4.review.pending"]["value"] == "0"
    assert rows["s4.review.upheld"]["kind"] == "blank"


def test_csv_keeps_decimal_precision() -> None:
    """A Decimal amount is written with every printed digit."""
    report = ogi_report.example_report("2019").replace_cells(
        {"s2.procurement.amount": Decimal("25.1000")}
    )
    text = to_csv(report)
    assert text is not None
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["s2.procurement.amount"]["value"] == "25.1000"
    assert rows["s2.procurement.amount"]["printed"] == "25.1000"


def test_csv_of_several_reports() -> None:
    """to_csv of several reports writes one header and every report's rows."""
    reports = [ogi_report.example_report("2019"), ogi_report.example_report("2021")]
    text = to_csv(reports)
    assert text is not None
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 198 + 200
    assert text.count("agency,reporting_year") == 1
    assert [r["template"] for r in rows[:1] + rows[-1:]] == ["2019", "2021"]
    assert {r["reporting_year"] for r in rows} == {"2020", "2021"}


def test_csv_of_a_generator_of_reports() -> None:
    """to_csv accepts any iterable of reports."""
    text = to_csv(ogi_report.example_report(v) for v in VERSIONS)
    assert text is not None
    assert len(text.splitlines()) == 1 + 198 + 200


def test_csv_to_a_file_returns_none() -> None:
    """With a file, to_csv writes there and returns None."""
    out = io.StringIO()
    assert to_csv(ogi_report.example_report("2021"), out) is None
    assert out.getvalue().splitlines()[0] == ",".join(COLUMNS)
    assert len(out.getvalue().splitlines()) == 201


def test_unknown_metadata_is_empty() -> None:
    """Without agency and year, those columns are None in records and empty in CSV."""
    report = Report.from_cells(
        "2021",
        {c: 0 for c in ogi_report.example_report("2021").values() if c.startswith("s4.")},
        metadata=Metadata(),
    )
    assert records(report)[0]["agency"] is None
    text = to_csv(report)
    assert text is not None
    first = next(csv.DictReader(io.StringIO(text)))
    assert first["agency"] == ""
    assert first["reporting_year"] == ""
