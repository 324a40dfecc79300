"""Publication dates in the forms reports print them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogi_report.dates import _by_dateutil, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年1月15日", date(2020, 1, 15)),
        ("2020-01-15", date(2020, 1, 15)),
        ("2024-03-08 15:34", date(2024, 3, 8)),
        ("２０２１年３月１日", date(2021, 3, 1)),
        ("2020/1/15", date(2020, 1, 15)),
        ("2022年01月20日", date(2022, 1, 20)),
        ("2022 年 1 月 20 日", date(2022, 1, 20)),
        ("2022年1月20日\u3000", date(2022, 1, 20)),
        ("2020-1-5", date(2020, 1, 5)),
    ],
)
def test_parse_date_reads_printed_forms(text: str, expected: date) -> None:
    """Chinese, ISO, ISO with time, full-width digits and slashed dates all parse."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "not_a_date",
    ["202020年12月31日", "not a date", "", "2020年2月30日", "2020年13月1日", "2020年1月"],
)
def test_parse_date_refuses_non_dates_naming_the_text(not_a_date: str) -> None:
    """A typo'd year, words, an empty string or an impossible day raise ValueError naming it."""
    with pytest.raises(ValueError, match="is not a date") as excinfo:
        parse_date(not_a_date)
    assert repr(not_a_date) in str(excinfo.value)


@pytest.mark.parametrize("incomplete", ["2020", "2020-01", "15:34", "12/31"])
def test_parse_date_refuses_incomplete_dates(incomplete: str) -> None:
    """A year alone, a month alone or a time alone is not a date (no day filled from today)."""
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(incomplete)


def test_parse_date_returns_a_date_not_a_datetime() -> None:
    """A date with a time of day gives a plain date."""
    parsed = parse_date("2024-03-08 15:34")
    assert type(parsed) is date


def _outcome(parse: Callable[[], date]) -> date | str:
    try:
        return parse()
    except ValueError:
        return "not a date"


@given(
    year=st.integers(0, 9999),
    month=st.integers(0, 19),
    day=st.integers(0, 39),
    separator=st.sampled_from("-/."),
    padded=st.booleans(),
    time=st.none()
    | st.tuples(st.integers(0, 29), st.integers(0, 69), st.none() | st.integers(0, 69)),
    joiner=st.sampled_from(" T"),
)
def test_numeric_dates_read_as_dateutil_reads_them(
    year: int,
    month: int,
    day: int,
    separator: str,
    padded: bool,
    time: tuple[int, int, int | None] | None,
    joiner: str,
) -> None:
    """The fast path for ``2024-03-08 15:34`` and its kin gives what python-dateutil gives,
    whether the date, or the time of day, is one or not."""
    width = 2 if padded else 1
    text = separator.join((f"{year:04}", f"{month:0{width}}", f"{day:0{width}}"))
    if time is not None:
        hour, minute, second = time
        text += f"{joiner}{hour}:{minute:02}" + ("" if second is None else f":{second:02}")
    assert _outcome(lambda: parse_date(text)) == _outcome(lambda: _by_dateutil(text, text))
