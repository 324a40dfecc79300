"""Hypothesis strategies: valid reports by construction, and faults injected one at a time.

Valid reports are built so that every identity holds (no filtering): section 3 draws
each applicant column's handling results, sums them into （七）总计, draws what is
carried forward and carried over and derives 本年新收; totals are row sums; printed
subtotals are sums of their parts. A :class:`Fault` is one mutation of such a report
(a cell off by k, a blank, two cells swapped, a row total broken) together with the
findings it must produce, worked out here from the formats' structure rather than from
the rule engine, so a test of one against the other means something.

Needs the ``hypothesis`` extra (``pip install 'ogi-report[hypothesis]'``).

>>> from hypothesis import given
>>> from ogi_report import check
>>> @given(reports())
... def test_valid_reports_are_clean(report):
...     assert not check(report)
>>> test_valid_reports_are_clean()
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "ogi_report.strategies needs hypothesis: pip install 'ogi-report[hypothesis]'"
    ) from error

from .cells import BLANK
from .model import Metadata, Report, Row, Table
from .templates import TEMPLATES, TableSpec, Template, get_template

__all__ = [
    "Fault",
    "blank_cell",
    "break_row_total",
    "faults",
    "off_by",
    "random_report",
    "reports",
    "swap_cells",
]


def __dir__() -> list[str]:
    return __all__


#: Draw an int in [low, high]: hypothesis' ``draw(integers(...))`` or ``random.randint``.
DrawInt = Callable[[int, int], int]

_AGENCIES = ("示例县人民政府", "示例市交通运输局", "示例区教育局", "示例镇人民政府", "示例县财政局")
_HEAD = ("new", "carried_over")
_TAIL = ("handled_total", "carried_forward")


def _count(draw: DrawInt, scale: int) -> int:
    """Mostly zeros and small counts, sometimes large: the shape of real tables."""
    size = draw(0, 3)
    return 0 if size == 0 else draw(0, (10, scale, 10 * scale)[size - 1])


def _amount(draw: DrawInt) -> Decimal:
    places = draw(0, 6)
    return Decimal(draw(0, 10**9)).scaleb(-places)


def _disclosure_rows(spec: TableSpec, draw: DrawInt) -> tuple[Row, ...]:
    rows = []
    for row in spec.rows:
        counts = {c.key: _count(draw, 1000) for c in spec.columns if not c.is_money}
        if "total_published" in counts:  # 2019: the total includes this year's
            counts["total_published"] = counts["published"] + _count(draw, 1000)
        if "items_change" in counts:  # 2019: items cannot go below zero
            counts["items_change"] = draw(-counts["items_prev_year"], 50)
        cells = tuple(_amount(draw) if c.is_money else counts[c.key] for c in spec.columns)
        rows.append(Row(row.key, cells))
    return tuple(rows)


def _requests_rows(spec: TableSpec, draw: DrawInt, subtotals: frozenset[str]) -> tuple[Row, ...]:
    results = [r.key for r in spec.rows if not r.optional and r.key not in (*_HEAD, *_TAIL)]
    applicants = [c.key for c in spec.columns if c.key != "total"]
    column_values: dict[str, dict[str, int]] = {}
    for column in applicants:
        values = {row: _count(draw, 50) for row in results}
        handled = sum(values.values())
        carried_forward = _count(draw, 20)
        carried_over = draw(0, handled + carried_forward)
        values.update(
            handled_total=handled,
            carried_forward=carried_forward,
            carried_over=carried_over,
            new=handled + carried_forward - carried_over,
        )
        column_values[column] = values
    rows = []
    for row in spec.rows:
        if row.optional and row.key not in subtotals:
            continue
        cells = [
            sum(column_values[c][part] for part in row.parts)
            if row.optional
            else column_values[c][row.key]
            for c in applicants
        ]
        rows.append(Row(row.key, (*cells, sum(cells))))
    return tuple(rows)


def _review_rows(spec: TableSpec, draw: DrawInt) -> tuple[Row, ...]:
    rows = []
    for row in spec.rows:
        parts = tuple(_count(draw, 30) for _ in spec.columns[:-1])
        rows.append(Row(row.key, (*parts, sum(parts))))
    return tuple(rows)


def build_report(template: Template, draw: DrawInt) -> Report:
    """A valid report of ``template`` whose every number comes from ``draw``."""
    optional = [row.key for row in template.table("s3").rows if row.optional]
    subtotals = frozenset(key for key in optional if draw(0, 3) == 0)
    tables = []
    for spec in template.tables:
        if spec.key == "s3":
            rows = _requests_rows(spec, draw, subtotals)
        elif spec.key == "s4":
            rows = _review_rows(spec, draw)
        else:
            rows = _disclosure_rows(spec, draw)
        tables.append(Table(spec, rows))
    last_year = template.last_year or template.first_year + 9
    metadata = Metadata(
        agency=_AGENCIES[draw(0, len(_AGENCIES) - 1)],
        reporting_year=draw(template.first_year, last_year),
    )
    return Report(template, tuple(tables), metadata)


@st.composite
def _reports(draw: st.DrawFn, template: str | Template | None) -> Report:
    chosen = get_template(template) if template is not None else draw(st.sampled_from(TEMPLATES))
    return build_report(chosen, lambda low, high: draw(st.integers(low, high)))


def reports(template: str | Template | None = None) -> st.SearchStrategy[Report]:
    """Valid reports of ``template`` ("2019", "2021", or either when ``None``).

    Every identity holds, no cell is blank, the year fits the format: :func:`check`
    finds nothing.
    """
    return _reports(template)


def random_report(rng: random.Random, template: str | Template = "2021") -> Report:
    """The same valid reports from a plain ``random.Random``: fast, for benchmarks.

    >>> report = random_report(random.Random(7), "2019")
    >>> report.template.version, len(report.values())
    ('2019', 198)
    """
    return build_report(get_template(template), rng.randint)


# --- faults ------------------------------------------------------------------------------


@attrs.frozen
class Fault:
    """One injected fault: what was done, the cells it touched, and the findings it implies.

    ``expected`` holds ``(rule code, instance)`` pairs: exactly what :func:`ogi_report.check`
    must report beyond what it reported before the fault.
    """

    kind: str
    cells: tuple[str, ...]
    report: Report = attrs.field(repr=False)
    expected: frozenset[tuple[str, str]]
    original: Report = attrs.field(repr=False, eq=False)
    """The valid report before the fault."""


def _role_findings(report: Report, row: str, column: str) -> set[tuple[str, str]]:
    """The s3 column identities that a changed cell (row, column) breaks, in a valid report."""
    found: set[tuple[str, str]] = set()
    spec = report.template.table("s3")
    row_spec = spec.row(row)
    if row in _HEAD or row == "carried_forward":
        found.add(("S3.BALANCE", column))
    elif row == "handled_total":
        found |= {("S3.BALANCE", column), ("S3.HANDLED_SUM", column)}
    elif row_spec.optional:
        found.add(("S3.SUBTOTAL_MISMATCH", f"{row}.{column}"))
    else:
        found.add(("S3.HANDLED_SUM", column))
        for subtotal in spec.rows:
            if (
                subtotal.optional
                and row in subtotal.parts
                and f"s3.{subtotal.key}.{column}" in report
            ):
                found.add(("S3.SUBTOTAL_MISMATCH", f"{subtotal.key}.{column}"))
    return found


def _changed(report: Report, code: str) -> set[tuple[str, str]]:
    """What changing the number in ``code`` breaks, the other cells unchanged."""
    section, row, column = code.split(".")
    if section == "s4":
        return {("S4.GROUP_TOTAL", row)}
    found = {("S3.ROW_TOTAL", row)} | _role_findings(report, row, column)
    return found


def _arithmetic_codes(report: Report) -> list[str]:
    return [code for code in report.values() if code.startswith(("s3.", "s4."))]


def off_by(report: Report, code: str, k: int) -> Fault:
    """Add ``k`` (≠ 0) to the count in ``code`` (section 3 or 4); the result stays ≥ 0."""
    value = report[code]
    if not isinstance(value, int) or k == 0 or value + k < 0:
        raise ValueError(f"cannot move {code} = {value!r} by {k}")
    mutated = report.replace_cells({code: value + k})
    return Fault("off_by", (code,), mutated, frozenset(_changed(report, code)), report)


def break_row_total(report: Report, row: str, k: int) -> Fault:
    """Break section 3's row ``row`` by moving its 总计 cell by ``k``."""
    fault = off_by(report, f"s3.{row}.total", k)
    return attrs.evolve(fault, kind="row_total")


def blank_cell(report: Report, code: str) -> Fault:
    """Print ``code`` empty. Under the default policy a blank counts as 0."""
    value = report[code]
    mutated = report.replace_cells({code: BLANK})
    row = code.split(".")[1]
    expected = {("CELL.BLANK", row)}
    if value != 0:
        expected |= _changed(report, code)
    return Fault("blank", (code,), mutated, frozenset(expected), report)


def swap_cells(report: Report, first: str, second: str) -> Fault:
    """Swap two applicant cells of one section 3 row (their row total still holds)."""
    a, b = report[first], report[second]
    _, row, column_a = first.split(".")
    _, row_b, column_b = second.split(".")
    if row != row_b or "total" in (column_a, column_b) or a == b or column_a == column_b:
        raise ValueError(f"swap needs two different applicant cells of one row: {first}, {second}")
    mutated = report.replace_cells({first: b, second: a})
    expected = _role_findings(report, row, column_a) | _role_findings(report, row, column_b)
    return Fault("swap", (first, second), mutated, frozenset(expected), report)


def _swappable(report: Report) -> Iterator[tuple[str, str]]:
    table = report.table("s3")
    applicants = [c for c in table.spec.column_keys if c != "total"]
    for row in table.rows:
        cells = dict(zip(table.spec.column_keys, row.values))
        for i, first in enumerate(applicants):
            for second in applicants[i + 1 :]:
                if cells[first] != cells[second]:
                    yield f"s3.{row.key}.{first}", f"s3.{row.key}.{second}"


@st.composite
def _faults(draw: st.DrawFn, template: str | Template | None) -> Fault:
    report = draw(reports(template))
    kind = draw(st.sampled_from(("off_by", "blank", "swap", "row_total")))
    if kind == "swap":
        pairs = list(_swappable(report))
        if pairs:
            first, second = draw(st.sampled_from(pairs))
            return swap_cells(report, first, second)
        kind = "off_by"  # every row uniform: nothing to swap, shift a cell instead
    if kind == "row_total":
        row = draw(st.sampled_from(report.table("s3").spec.standard_row_keys))
        return break_row_total(report, row, draw(st.integers(1, 20)))
    code = draw(st.sampled_from(_arithmetic_codes(report)))
    if kind == "blank":
        return blank_cell(report, code)
    value = report[code]
    assert isinstance(value, int)
    k = draw(st.integers(-value, 20).filter(lambda k: k != 0))
    return off_by(report, code, k)


def faults(template: str | Template | None = None) -> st.SearchStrategy[Fault]:
    """A valid report with exactly one injected fault, and the findings it must produce."""
    return _faults(template)
