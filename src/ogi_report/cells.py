"""Cell values as published: a number, a blank, a not-applicable mark, unreadable text.

A cell of a standard table (表格单元格) holds exactly one of these kinds, and they stay
distinct: an explicit ``0``, an empty cell (:data:`BLANK`), a ``/`` mark
(:class:`NotApplicable`) and text that is not a number (:class:`Unreadable`) are four
different things. Numbers are plain Python values: ``int`` for counts, ``Decimal`` for
money in 万元 (and for any count printed with decimals, which a check then reports).
Two more kinds come from reading damaged sources: :class:`Ambiguous` (several readings
fit, the candidates are kept) and :data:`MISSING` (the cell could not be found).

>>> parse_cell("12189.6")
Decimal('12189.6')
>>> parse_cell("/")
NotApplicable(mark='/')
>>> parse_cell("约3件")
Unreadable(text='约3件')
>>> kind_of(BLANK), kind_of(0)
(<CellKind.BLANK: 'blank'>, <CellKind.NUMBER: 'number'>)
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Final, TypeAlias

import attrs

__all__ = [
    "BLANK",
    "CELL_TYPES",
    "MAX_DIGITS",
    "MISSING",
    "NOT_APPLICABLE_MARKS",
    "Ambiguous",
    "Blank",
    "Cell",
    "CellKind",
    "Missing",
    "NotApplicable",
    "Number",
    "Provenance",
    "Unreadable",
    "add_cells",
    "format_cell",
    "is_number",
    "kind_of",
    "parse_cell",
]


def __dir__() -> list[str]:
    return __all__


#: The most digits a published number may have: no count or amount in a report comes near
#: (a province's requests run to six digits, amounts in 万元 to about twelve). A longer digit
#: string is read as :class:`Unreadable` text, and the JSON forms refuse it: sums stay exact,
#: every number prints, and every count fits a 64-bit integer in other languages.
MAX_DIGITS: Final = 18

#: Marks that reports print for "not applicable" (不适用). ``无`` is one of them, and ``無``
#: as a page in traditional characters prints it.
NOT_APPLICABLE_MARKS: Final = frozenset({"/", "／", "—", "-", "－", "无", "無", "——", "--"})

# A decimal number exactly as the cells-JSON form writes it: no exponent, no spaces,
# no thousands separators. Decimal() alone would also take " 12 ", "1E3" and "NaN".
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")


def _is_number_text(text: str) -> bool:
    """True for a decimal number as the JSON forms write it, of at most MAX_DIGITS digits."""
    return bool(_DECIMAL.match(text)) and len(text) - ("-" in text) - ("." in text) <= MAX_DIGITS


class CellKind(enum.Enum):
    """The kind of value a cell holds (单元格取值类型)."""

    NUMBER = "number"
    BLANK = "blank"
    NOT_APPLICABLE = "not_applicable"
    UNREADABLE = "unreadable"
    AMBIGUOUS = "ambiguous"
    MISSING = "missing"


@attrs.frozen(repr=False)
class Blank:
    """An empty cell (空白): printed with nothing in it. Use the :data:`BLANK` singleton."""

    def __repr__(self) -> str:
        return "BLANK"

    def __reduce__(self) -> str:
        return "BLANK"  # a copy (pickle, deepcopy) is the singleton


@attrs.frozen(repr=False)
class Missing:
    """A cell that a reader could not find in its source (未找到). Use :data:`MISSING`."""

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # a copy (pickle, deepcopy) is the singleton


#: The one empty cell.
BLANK: Final = Blank()
#: The one cell that could not be found.
MISSING: Final = Missing()


@attrs.frozen
class NotApplicable:
    """A not-applicable mark (不适用), kept as printed: ``/``, ``—``, ``无`` …

    >>> NotApplicable("无")
    NotApplicable(mark='无')
    >>> NotApplicable("n/a")
    Traceback (most recent call last):
    ...
    ValueError: 'n/a' is not a not-applicable mark; known marks: -, --, /, ...
    """

    mark: str = "/"

    def __attrs_post_init__(self) -> None:
        if self.mark not in NOT_APPLICABLE_MARKS:
            known = ", ".join(sorted(NOT_APPLICABLE_MARKS))
            raise ValueError(f"{self.mark!r} is not a not-applicable mark; known marks: {known}")


@attrs.frozen
class Unreadable:
    """Text in a cell that is not a number (非数字文本), copied as printed.

    >>> Unreadable("见附件")
    Unreadable(text='见附件')
    >>> Unreadable("12")
    Traceback (most recent call last):
    ...
    ValueError: '12' is a number, not unreadable text: store it as int or Decimal
    """

    text: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"Unreadable text must be str, not {type(self.text).__name__}")
        if _is_number_text(self.text):
            raise ValueError(
                f"{self.text!r} is a number, not unreadable text: store it as int or Decimal"
            )
        if self.text in NOT_APPLICABLE_MARKS:
            raise ValueError(f"{self.text!r} is a not-applicable mark: use NotApplicable")


@attrs.frozen
class Ambiguous:
    """A cell the source allows more than one reading of (有歧义): the candidates, none chosen.

    >>> Ambiguous((23, 2))
    Ambiguous(candidates=(23, 2))
    """

    candidates: tuple[Cell, ...]

    def __attrs_post_init__(self) -> None:
        if type(self.candidates) is not tuple:
            object.__setattr__(self, "candidates", tuple(self.candidates))
        if len(self.candidates) < 2:
            raise ValueError("an ambiguous cell needs at least two candidates")
        for candidate in self.candidates:
            if kind_of(candidate) in (CellKind.AMBIGUOUS, CellKind.MISSING):
                raise ValueError(f"a candidate must be a plain cell value, not {candidate!r}")


Number: TypeAlias = int | Decimal
"""A published number, ``int`` for counts and ``Decimal`` for amounts (万元)."""

Cell: TypeAlias = int | Decimal | Blank | NotApplicable | Unreadable | Ambiguous | Missing
"""Any value a standard cell can hold."""

_KINDS: Final[dict[type, CellKind]] = {
    int: CellKind.NUMBER,
    Decimal: CellKind.NUMBER,
    Blank: CellKind.BLANK,
    NotApplicable: CellKind.NOT_APPLICABLE,
    Unreadable: CellKind.UNREADABLE,
    Ambiguous: CellKind.AMBIGUOUS,
    Missing: CellKind.MISSING,
}
#: The Python types a cell value may have.
CELL_TYPES: Final = frozenset(_KINDS)


def kind_of(value: object) -> CellKind:
    """Return the kind of a cell value; raise ``TypeError`` for anything that is not one.

    >>> kind_of(Decimal("7545"))
    <CellKind.NUMBER: 'number'>
    >>> kind_of(3.5)
    Traceback (most recent call last):
    ...
    TypeError: a cell holds int, Decimal, BLANK, ... not float 3.5
    """
    try:
        return _KINDS[type(value)]
    except KeyError:
        raise TypeError(
            "a cell holds int, Decimal, BLANK, NotApplicable, Unreadable, Ambiguous or MISSING, "
            f"not {type(value).__name__} {value!r}"
        ) from None


def is_number(value: object) -> bool:
    """True for ``int`` and ``Decimal`` cell values (``bool`` is not a number here)."""
    return type(value) is int or type(value) is Decimal


def parse_cell(text: str) -> Cell:
    """Read one cell from its cells-JSON string form (see :func:`format_cell`).

    A number of more than :data:`MAX_DIGITS` digits is text, as a reader reads it.

    >>> parse_cell("7539.443252"), parse_cell("—"), parse_cell("12,189")
    (Decimal('7539.443252'), NotApplicable(mark='—'), Unreadable(text='12,189'))
    """
    if text in NOT_APPLICABLE_MARKS:
        return NotApplicable(text)
    if _is_number_text(text):
        return Decimal(text)
    return Unreadable(text)


def format_cell(value: Cell) -> int | str | dict[str, object] | None:
    """Write one cell in the JSON forms: int, decimal string, ``None``, mark or text.

    Ambiguous and missing cells become ``{"ambiguous": [...]}`` and ``{"missing": true}``.

    >>> format_cell(Decimal("25.1000")), format_cell(BLANK), format_cell(NotApplicable())
    ('25.1000', None, '/')
    >>> format_cell(Ambiguous((23, 2)))
    {'ambiguous': [23, 2]}
    """
    if type(value) is int:  # not isinstance: True is an int, and no cell value
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, NotApplicable):
        return value.mark
    if isinstance(value, Unreadable):
        return value.text
    if isinstance(value, Blank):
        return None
    if isinstance(value, Ambiguous):
        return {"ambiguous": [format_cell(c) for c in value.candidates]}
    if isinstance(value, Missing):
        return {"missing": True}
    raise TypeError(f"not a cell value: {value!r}")


@attrs.frozen
class Provenance:
    """Where a value was read (出处): a line and character span in text, a page and box in a
    PDF, an element path in HTML or Word. Unknown parts are ``None``.

    Read by OCR (a scan, an image), ``bbox`` is the printed cell's box (in PDF points from
    the page's top-left corner for a PDF page, in pixels from the top-left corner for an
    image) and ``confidence`` the OCR's probability, from 0 to 1, of the least certain
    character of the text the value was read from.

    >>> str(Provenance(source="report.txt", line=12, start=5, end=9))
    'report.txt:12:6-9'
    >>> str(Provenance(source="report.pdf", page=3, bbox=(72.0, 100.5, 96.0, 112.0)))
    'report.pdf: page 3 (72.0, 100.5, 96.0, 112.0)'
    >>> str(Provenance(source="page.html", path="table[2]/tr[5]/td[3]"))
    'page.html: table[2]/tr[5]/td[3]'
    >>> str(Provenance(source="scan.pdf", page=2, bbox=(90.0, 80.5, 120.0, 95.0), confidence=0.62))
    'scan.pdf: page 2 (90.0, 80.5, 120.0, 95.0): OCR confidence 0.62'
    """

    source: str | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    path: str | None = None
    note: str | None = None
    """How the value was obtained when not copied from one printed cell (a deduction)."""
    confidence: float | None = None
    """Read by OCR: the probability (0 to 1) of the least certain character read."""

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}"
            if self.start is not None:
                where += f":{self.start + 1}" + (f"-{self.end}" if self.end is not None else "")
        details = []
        if self.page is not None:
            details.append(f"page {self.page}" + (f" {self.bbox}" if self.bbox else ""))
        if self.path is not None:
            details.append(self.path)
        if self.note is not None:
            details.append(self.note)
        if self.confidence is not None:
            details.append(f"OCR confidence {self.confidence:.2f}")
        return ": ".join([where, *details]) if details else where


_NEW = object.__new__
_SET_SOURCE = Provenance.__dict__["source"].__set__
_SET_LINE = Provenance.__dict__["line"].__set__
_SET_START = Provenance.__dict__["start"].__set__
_SET_END = Provenance.__dict__["end"].__set__
_SET_PAGE = Provenance.__dict__["page"].__set__
_SET_BBOX = Provenance.__dict__["bbox"].__set__
_SET_PATH = Provenance.__dict__["path"].__set__
_SET_NOTE = Provenance.__dict__["note"].__set__
_SET_CONFIDENCE = Provenance.__dict__["confidence"].__set__


def _new_provenance(
    source: str | None = None,
    line: int | None = None,
    start: int | None = None,
    end: int | None = None,
    *,
    path: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    note: str | None = None,
    confidence: float | None = None,
) -> Provenance:
    """What ``Provenance(...)`` makes from the same arguments (a text line's or an HTML
    element's where: no page), each slot set directly: the readers' fast path, one per
    printed piece, at about two thirds of the cost of the frozen class's ``__init__``."""
    where: Provenance = _NEW(Provenance)
    _SET_SOURCE(where, source)
    _SET_LINE(where, line)
    _SET_START(where, start)
    _SET_END(where, end)
    _SET_PAGE(where, None)
    _SET_BBOX(where, bbox)
    _SET_PATH(where, path)
    _SET_NOTE(where, note)
    _SET_CONFIDENCE(where, confidence)
    return where


def add_cells(total: Cell, value: Cell) -> Cell:
    """``total + value`` for sums over reports: a blank counts as 0 (as the checks count it);
    anything else that is not a number makes the sum MISSING (unknown), never partial.

    >>> add_cells(3, 4), add_cells(3, BLANK), add_cells(3, Unreadable("见附件"))
    (7, 3, MISSING)
    """
    if isinstance(value, Blank):
        return total
    if isinstance(total, int | Decimal) and isinstance(value, int | Decimal):
        return total + value
    return MISSING
