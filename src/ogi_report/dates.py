"""Publication dates in the forms reports print them (发布日期).

>>> parse_date("2020年1月15日")
datetime.date(2020, 1, 15)
>>> parse_date("2024-03-08 15:34")
datetime.date(2024, 3, 8)
>>> parse_date("２０２１年３月１日")
datetime.date(2021, 3, 1)
>>> parse_date("202020年12月31日")
Traceback (most recent call last):
...
ValueError: '202020年12月31日' is not a date
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

__all__ = ["parse_date"]


def __dir__() -> list[str]:
    return __all__


_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
_CHINESE = re.compile(r"\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*\Z")
#: ``2024-03-08 15:34`` (a CMS's 发布时间), ``2020/1/15``, ``2020.01.15``: year, month and day
#: with one separator, maybe a time of day.
_NUMERIC = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\Z", re.ASCII
)


def parse_date(text: str) -> date:
    """Parse a date as reports print it: ISO, ``2020年1月15日``, ``2020/1/15``, full-width digits.

    ISO dates, Chinese ones and year-month-day with a time of day take fast paths (each
    gives what python-dateutil would); other forms go through python-dateutil. Raises
    ``ValueError`` naming the text when it is not a date.
    """
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _CHINESE.match(normal)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r} is not a date") from None
    if "年" in normal or not re.search(r"\d", normal):
        raise ValueError(f"{text!r} is not a date")
    match = _NUMERIC.match(normal)
    if match:
        found = _numeric(match)
        if found is not None:
            return found
    return _by_dateutil(normal, text)


def _numeric(match: re.Match[str]) -> date | None:
    """The date of a :data:`_NUMERIC` match, if it is a date and its time one of the day;
    else None (python-dateutil has its own readings of what is not)."""
    year, _, month, day, hour, minute, second = match.groups()
    if hour is not None and not (int(hour) < 24 and int(minute) < 60 and int(second or 0) < 60):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _by_dateutil(normal: str, text: str) -> date:
    """``normal`` (``text`` in NFKC) read by python-dateutil, its year, month and day all
    printed."""
    from dateutil import parser as _dateutil  # 20 ms to import: only for the rare other form

    try:
        # dateutil fills a missing year, month or day from its default: parse with two
        # different defaults, and a part that changes with them was not in the text.
        first = _dateutil.parse(normal, yearfirst=True, default=_DEFAULTS[0]).date()
        second = _dateutil.parse(normal, yearfirst=True, default=_DEFAULTS[1]).date()
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not a date") from None
    if first != second:
        raise ValueError(f"{text!r} is not a date: the year, month or day is missing")
    return first
