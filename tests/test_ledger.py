"""Section 3 counted from request records: it reconciles by construction.

Laws: for any ledger, the table :func:`section3_from_records` counts has no S3 finding
(一+二=三+四 per column, （七）总计 the sum of the results, 总计 the sum of the applicants,
printed subtotals the sums of their parts), and each cell counts exactly its records.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import Metadata, Report, check, example_report
from ogi_report.ledger import RequestRecord, applicants, outcomes, section3_from_records
from ogi_report.templates import get_template

YEAR = 2021


@st.composite
def _record(draw: st.DrawFn, template: str) -> RequestRecord:
    """A request received from two years before ``YEAR`` to the year after, open or handled."""
    applicant = draw(st.sampled_from([column.key for column in applicants(template)]))
    received = draw(st.integers(YEAR - 2, YEAR + 1))
    if draw(st.booleans()):
        return RequestRecord(applicant, received)
    results = [row.key for row in outcomes(template)]
    if template == "2019":  # 2021's three （六）其他处理 rows count in 2019's one
        results += ["other_no_correction", "other_no_fee", "other_other"]
    outcome = draw(st.sampled_from(results))
    return RequestRecord(applicant, received, outcome, draw(st.integers(received, YEAR + 1)))


def _ledgers(template: str) -> st.SearchStrategy[list[RequestRecord]]:
    return st.lists(_record(template), max_size=60)


def _in_year(record: RequestRecord) -> bool:
    return record.received <= YEAR and (record.handled is None or record.handled >= YEAR)


@pytest.mark.parametrize("version", ["2019", "2021"])
@settings(max_examples=60, deadline=None)
@given(data=st.data(), subtotals=st.booleans())
def test_section3_always_reconciles(data: st.DataObject, version: str, subtotals: bool) -> None:
    """No S3 rule finds anything in a table counted from any ledger, subtotals printed or not."""
    records = data.draw(_ledgers(version))
    table = section3_from_records(records, YEAR, version, subtotals=subtotals)
    report = Report(version, (table,), Metadata(reporting_year=YEAR))
    assert check(report).filter(code="S3.").flatten() == []


@pytest.mark.parametrize("version", ["2019", "2021"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_counts_match_the_records(data: st.DataObject, version: str) -> None:
    """Each cell counts its records: received, carried over, each result, carried forward."""
    records = data.draw(_ledgers(version))
    table = section3_from_records(records, YEAR, version)
    counted = [r for r in records if _in_year(r)]
    expected: Counter[tuple[str, str]] = Counter()
    for record in counted:
        expected["new" if record.received == YEAR else "carried_over", record.applicant] += 1
        if record.handled == YEAR:
            assert record.outcome is not None
            outcome = record.outcome
            if version == "2019" and outcome.startswith("other_"):
                outcome = "other"
            expected[outcome, record.applicant] += 1
            expected["handled_total", record.applicant] += 1
        else:
            expected["carried_forward", record.applicant] += 1
    for row in table.row_keys:
        for column in applicants(version):
            assert table[row, column.key] == expected[row, column.key]
    received = (sum(r.received == YEAR for r in counted), sum(r.received < YEAR for r in counted))
    assert (table["new", "total"], table["carried_over", "total"]) == received


def test_the_table_completes_a_report(template: str) -> None:
    """Section 3 counted from a ledger replaces the example's: the S3 rules find nothing."""
    example = example_report(template)
    year = example.metadata.reporting_year
    assert year is not None
    records = [
        RequestRecord("natural_person", year, "granted", year),
        RequestRecord("social_org", year - 1, "unavailable_not_held", year),
        RequestRecord("other_org", year),
    ]
    table = section3_from_records(records, year, template)
    report = example.replace_cells(dict(table.items()))
    assert report["s3.carried_forward.other_org"] == 1
    assert check(report).filter(code="S3.").flatten() == []


def test_dates_count_as_their_year() -> None:
    """A ledger's dates are read as years."""
    record = RequestRecord("research", date(2020, 12, 30), "granted", date(2021, 1, 4))
    assert (record.received, record.handled) == (2020, 2021)
    table = section3_from_records([record], 2021)
    assert table["carried_over", "research"] == 1
    assert table["granted", "total"] == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("citizen", 2021), "no applicant column"),
        (("natural_person", 2021, "approved", 2021), "no handling result"),
        (("natural_person", 2021, "withheld", 2021), "no handling result"),  # a subtotal
        (("natural_person", 2021, "granted"), "both outcome and handled"),
        (("natural_person", 2021, None, 2021), "both outcome and handled"),
        (("natural_person", 2021, "granted", 2020), "before it was received"),
    ],
)
def test_invalid_records_are_refused(arguments: tuple[object, ...], message: str) -> None:
    """A record with an unknown column or result, or inconsistent years, raises ValueError."""
    with pytest.raises(ValueError, match=message):
        RequestRecord(*arguments)  # type: ignore[arg-type]


def test_year_must_be_a_year() -> None:
    """A received year that is neither an int nor a date raises TypeError."""
    with pytest.raises(TypeError, match="a year must be an int or a date"):
        RequestRecord("natural_person", "2021")  # type: ignore[arg-type]


def test_2019_result_has_no_2021_row() -> None:
    """2019's one （六）其他处理 row cannot be split into 2021's three: ValueError."""
    record = RequestRecord("natural_person", 2020, "other", 2020)
    assert section3_from_records([record], 2020, "2019")["other", "total"] == 1
    with pytest.raises(ValueError, match="no row in the 2021 format"):
        section3_from_records([record], 2020, "2021")


def test_applicants_and_outcomes_come_from_the_templates(template: str) -> None:
    """The applicant columns and results are the format's section 3 declarations."""
    spec = get_template(template).table("s3")
    assert [c.key for c in applicants(template)] == list(spec.column_keys[:-1])
    keys = [row.key for row in outcomes(template)]
    assert keys[0] == "granted"
    assert "handled_total" not in keys
    assert not any(spec.row(key).optional for key in keys)
