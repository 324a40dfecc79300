"""One printed cell's text to a cell value: digits of any width, 元 to 万元, marks, blanks.

>>> parse_value("１,２３４"), parse_value("75394432.52元"), parse_value(" 0 ")
(1234, Decimal('7539.443252'), 0)
>>> parse_value(""), parse_value("—"), parse_value("见附件")
(BLANK, NotApplicable(mark='—'), Unreadable(text='见附件'))
>>> parse_value("-5"), parse_value("12189.6万元"), parse_value("251000元")
(-5, Decimal('12189.6'), Decimal('25.1000'))
>>> parse_value("0 0"), parse_value("1" * 30)
(Unreadable(text='0 0'), Unreadable(text='111111111111111111111111111111'))
>>> parse_value("12.5萬元"), parse_value("無")
(Decimal('12.5'), NotApplicable(mark='無'))
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..cells import BLANK, MAX_DIGITS, NOT_APPLICABLE_MARKS, Cell, NotApplicable, Unreadable
from ..rules.text import fold_traditional
from ..rules.text import normalise as clean  # NFKC, no whitespace: one definition

__all__ = ["is_digit_run", "parse_value"]

_NUMBER = re.compile(
    r"(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?P<unit>万元|元)?\Z"
)
_SPLIT_DIGITS = re.compile(r"\d\s+\d")


def parse_value(text: str, *, money: bool = False) -> Cell:
    """The cell a printed text stands for; amounts in 元 become 万元, every digit kept."""
    if text.isascii() and text.isdigit():  # most cells: a plain count, read directly
        if len(text) > MAX_DIGITS:
            return Unreadable(text)
        return Decimal(text) if money else int(text)
    normal = fold_traditional(clean(text))  # 萬元 is 万元
    if not normal:
        return BLANK
    if text.strip() in NOT_APPLICABLE_MARKS:
        return NotApplicable(text.strip())  # the mark as printed: ／ stays ／
    if normal in NOT_APPLICABLE_MARKS:
        return NotApplicable(normal)
    match = _NUMBER.match(normal)
    if match is None or _SPLIT_DIGITS.search(unicodedata.normalize("NFKC", text)):
        return Unreadable(text.strip())  # "0 0" in one cell is not the number 00
    digits = match["int"].replace(",", "")
    if len(digits) + len(match["frac"] or "") > MAX_DIGITS:
        return Unreadable(text.strip())  # no report prints such a number: not a count
    sign = "-" if match["sign"] else ""
    if match["unit"] == "元":
        # Move the decimal point four places: every printed digit stays (25.1000 for 251000元).
        frac = match["frac"] or ""
        value = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
        return value.scaleb(-4)
    if match["frac"] is not None or match["unit"] == "万元" or money:
        frac = f".{match['frac']}" if match["frac"] is not None else ""
        return Decimal(f"{sign}{digits}{frac}")
    return int(f"{sign}{digits}")


_RUN = re.compile(r"\d+(?:\.\d+)?(?:万元|元)?\Z")


def is_digit_run(text: str) -> bool:
    """True for text that may hold the digits of several cells run together."""
    return bool(_RUN.match(fold_traditional(clean(text))))
