"""Section 3 counted from a ledger of requests (政府信息公开申请台账): it reconciles by design.

A :class:`RequestRecord` is one request as a body's ledger keeps it: who applied (the
applicant column: 自然人, or which kind of 法人或其他组织), the year it was received, and, once
handled, the year and the result (the section 3 row: （一）予以公开, （三）不予公开 1.属于国家秘密
…). :func:`section3_from_records` counts a reporting year's requests into section 3:

- 一、本年新收: received this year; 二、上年结转: received before it and still open at its
  start;
- 三、本年度办理结果: handled this year, in the row of the result; （七）总计 their sum;
- 四、结转下年度继续办理: still open at the end of the year;
- 总计: the sum of the applicant columns.

Every request the year deals with is in 一 or 二 and in 三 or 四, so 一+二 = 三+四 holds in
every column, and every total is a sum: the rules find nothing to report. Applicant columns
and results are the format's own keys (:func:`applicants`, :func:`outcomes`), never retyped.

>>> records = [
...     RequestRecord("natural_person", 2021, "granted", 2021),
...     RequestRecord("natural_person", 2021, "withheld_third_party", 2021),
...     RequestRecord("commercial", 2020, "other_no_fee", 2021),  # carried over from 2020
...     RequestRecord("legal_service", 2021),  # still open: carried forward
...     RequestRecord("research", 2019, "granted", 2020),  # handled before 2021: not counted
... ]
>>> table = section3_from_records(records, 2021, "2021")
>>> [table[row, "total"] for row in ("new", "carried_over", "handled_total", "carried_forward")]
[3, 1, 3, 1]
>>> table["granted", "natural_person"], table["other_no_fee", "commercial"]
(1, 1)
>>> section3_from_records(records, 2021, "2019")["other", "commercial"]  # 2019: one row
1

The table takes the place of a report's section 3, and the S3 rules have nothing to say:

>>> from ogi_report import check, example_report
>>> report = example_report("2021").replace_cells(dict(table.items()))
>>> report["s3.carried_forward.legal_service"], check(report).filter(code="S3.").flatten()
(1, [])
>>> RequestRecord("natural_person", 2021, "approved", 2021)
Traceback (most recent call last):
...
ValueError: 'approved' is no handling result of section 3; results: granted, partly_granted, ...
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

import attrs

from .model import Row, Table
from .templates import TEMPLATES, Column, RowSpec, Template, get_template

__all__ = ["RequestRecord", "applicants", "outcomes", "section3_from_records"]


def __dir__() -> list[str]:
    return __all__


#: Section 3's rows that are not handling results (counts of requests, and the two sums),
#: and its column of row sums: keys of the formats' declarations.
_NEW, _CARRIED_OVER, _HANDLED, _CARRIED_FORWARD = (
    "new",
    "carried_over",
    "handled_total",
    "carried_forward",
)
_TOTAL = "total"


def applicants(template: str | Template = "2021") -> tuple[Column, ...]:
    """Section 3's applicant columns (申请人情况) of a format, 总计 left out.

    >>> [(c.key, c.label_zh) for c in applicants()][:2]
    [('natural_person', '自然人'), ('commercial', '法人或其他组织·商业企业')]
    """
    spec = get_template(template).table("s3")
    return tuple(column for column in spec.columns if column.key != _TOTAL)


def outcomes(template: str | Template = "2021") -> tuple[RowSpec, ...]:
    """Section 3's handling results (本年度办理结果) of a format: the rows a request ends in,
    neither the printed subtotals nor （七）总计.

    >>> [row.key for row in outcomes("2019")][-3:]
    ['not_processed_excessive', 'not_processed_confirmation', 'other']
    >>> outcomes("2021")[-1].label_zh
    '三、本年度办理结果·（六）其他处理·3.其他'
    """
    spec = get_template(template).table("s3")
    counts = (_NEW, _CARRIED_OVER, _HANDLED, _CARRIED_FORWARD)
    return tuple(row for row in spec.rows if not row.optional and row.key not in counts)


#: Applicant columns and results of every format.
_APPLICANTS = tuple(dict.fromkeys(c.key for t in TEMPLATES for c in applicants(t)))
_OUTCOMES = tuple(dict.fromkeys(row.key for t in TEMPLATES for row in outcomes(t)))


def _year(value: int | date) -> int:
    """A year, or the year of a date (a ledger keeps dates)."""
    if isinstance(value, date):
        return value.year
    if type(value) is not int:
        raise TypeError(f"a year must be an int or a date, not {type(value).__name__} {value!r}")
    return value


def _optional_year(value: int | date | None) -> int | None:
    return None if value is None else _year(value)


@attrs.frozen
class RequestRecord:
    """One request for government information (政府信息公开申请) as a ledger keeps it.

    ``applicant``: the applicant column's key (:func:`applicants`); ``received``: the year
    (or date) it was received; ``outcome``: the result's row key (:func:`outcomes`) once
    handled, with ``handled`` the year (or date) it was handled; both ``None`` while open.

    >>> RequestRecord("natural_person", date(2021, 3, 2), "granted", date(2021, 3, 20))
    RequestRecord(applicant='natural_person', received=2021, outcome='granted', handled=2021)
    >>> RequestRecord("natural_person", 2021, "granted")
    Traceback (most recent call last):
    ...
    ValueError: a handled request needs both outcome and handled (the year), an open one neither
    """

    applicant: str = attrs.field()
    received: int = attrs.field(converter=_year)
    outcome: str | None = None
    handled: int | None = attrs.field(default=None, converter=_optional_year)

    @applicant.validator
    def _check_applicant(self, _: attrs.Attribute[str], value: str) -> None:
        if value not in _APPLICANTS:
            known = ", ".join(_APPLICANTS)
            raise ValueError(f"{value!r} is no applicant column of section 3; columns: {known}")

    def __attrs_post_init__(self) -> None:
        if (self.outcome is None) != (self.handled is None):
            raise ValueError(
                "a handled request needs both outcome and handled (the year), an open one neither"
            )
        if self.outcome is not None and self.outcome not in _OUTCOMES:
            raise ValueError(
                f"{self.outcome!r} is no handling result of section 3;"
                f" results: {', '.join(_OUTCOMES)}"
            )
        if self.handled is not None and self.handled < self.received:
            raise ValueError(
                f"handled in {self.handled}, before it was received in {self.received}"
            )

    def open_at_end_of(self, year: int) -> bool:
        """True if the request was received by ``year`` and not handled by its end."""
        return self.received <= year and (self.handled is None or self.handled > year)


def _row_of(outcome: str, template: Template) -> str:
    """The row of ``template`` that counts ``outcome``: its own, or the one row a format that
    prints it as a part sums it into (2021's three （六）其他处理 rows are 2019's one)."""
    own = {row.key for row in outcomes(template)}
    if outcome in own:
        return outcome
    for other in TEMPLATES:
        for row in other.table("s3").rows:
            if row.optional and outcome in row.parts and row.key in own:
                return row.key
    raise ValueError(
        f"the result {outcome!r} has no row in the {template.version} format; its results:"
        f" {', '.join(sorted(own))}"
    )


def section3_from_records(
    records: Iterable[RequestRecord],
    year: int,
    template: str | Template = "2021",
    *,
    subtotals: bool = False,
) -> Table:
    """Section 3 of ``year``'s report (收到和处理政府信息公开申请情况), counted from a ledger.

    Records the year does not deal with (received after it, or handled before it) are not
    counted. With ``subtotals`` the optional subtotal rows ((三)不予公开 …) are printed too.
    A result that the format has no row for raises ``ValueError`` (2019's one （六）其他处理
    row is not one of 2021's three).
    """
    template = get_template(template)
    spec = template.table("s3")
    counts: Counter[tuple[str, str]] = Counter()
    for record in records:
        if record.received > year or (record.handled is not None and record.handled < year):
            continue
        column = record.applicant
        counts[_NEW if record.received == year else _CARRIED_OVER, column] += 1
        if record.open_at_end_of(year):
            counts[_CARRIED_FORWARD, column] += 1
        else:
            assert record.outcome is not None  # handled this year
            counts[_row_of(record.outcome, template), column] += 1
            counts[_HANDLED, column] += 1
    rows = []
    for row in spec.rows:
        if row.optional and not subtotals:
            continue
        parts = row.parts if row.optional else (row.key,)
        cells = {
            column.key: sum(counts[part, column.key] for part in parts)
            for column in applicants(template)
        }
        cells[_TOTAL] = sum(cells.values())
        rows.append(Row(row.key, tuple(cells[key] for key in spec.column_keys)))
    return Table(spec, tuple(rows))
