"""Cell values: the kinds stay distinct, parse/format round trips, constructors refuse misuse."""

from __future__ import annotations

import inspect
from decimal import Decimal

import attrs
import pytest

from ogi_report.cells import (
    BLANK,
    MISSING,
    NOT_APPLICABLE_MARKS,
    Ambiguous,
    Blank,
    Cell,
    CellKind,
    Missing,
    NotApplicable,
    Provenance,
    Unreadable,
    _new_provenance,
    format_cell,
    is_number,
    kind_of,
    parse_cell,
)

# --- the kinds stay distinct -----------------------------------------------------------------


def test_zero_blank_mark_and_text_are_four_different_values() -> None:
    """0, BLANK, NotApplicable("/") and Unreadable("见附件") are pairwise unequal."""
    values: list[Cell] = [0, BLANK, NotApplicable("/"), Unreadable("见附件")]
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert (a == b) is (i == j), (a, b)


def test_zero_blank_mark_and_text_have_four_different_kinds() -> None:
    """kind_of tells 0, BLANK, a mark and text apart."""
    assert kind_of(0) is CellKind.NUMBER
    assert kind_of(BLANK) is CellKind.BLANK
    assert kind_of(NotApplicable("/")) is CellKind.NOT_APPLICABLE
    assert kind_of(Unreadable("见附件")) is CellKind.UNREADABLE


def test_reader_made_kinds_have_their_own_kinds() -> None:
    """Ambiguous and MISSING are kinds of their own, not numbers or blanks."""
    assert kind_of(Ambiguous((23, 2))) is CellKind.AMBIGUOUS
    assert kind_of(MISSING) is CellKind.MISSING
    reader_made: list[Cell] = [MISSING, BLANK]
    assert reader_made[0] != reader_made[1]


def test_decimal_is_a_number_kind() -> None:
    """A Decimal amount is of kind NUMBER."""
    assert kind_of(Decimal("7545.12")) is CellKind.NUMBER


def test_blank_and_missing_are_singletons_by_value() -> None:
    """Every Blank() equals BLANK and every Missing() equals MISSING; they print by name."""
    assert Blank() == BLANK
    assert Missing() == MISSING
    assert repr(BLANK) == "BLANK"
    assert repr(MISSING) == "MISSING"


def test_not_applicable_marks_differ_by_mark() -> None:
    """NotApplicable keeps the printed mark: "/" and "—" are different values."""
    assert NotApplicable("/") != NotApplicable("—")
    assert NotApplicable().mark == "/"


@pytest.mark.parametrize("wrong", [3.5, 0.0, True, False, "12", "", None, [1], object()])
def test_kind_of_rejects_non_cells(wrong: object) -> None:
    """kind_of raises TypeError for float, bool, str and anything else that is no cell."""
    with pytest.raises(TypeError, match="a cell holds"):
        kind_of(wrong)


def test_kind_of_names_the_rejected_type() -> None:
    """The TypeError of kind_of names the type and the value it got."""
    with pytest.raises(TypeError, match=r"not float 3\.5"):
        kind_of(3.5)
    with pytest.raises(TypeError, match="not bool True"):
        kind_of(True)
    with pytest.raises(TypeError, match="not str '12'"):
        kind_of("12")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, True), (Decimal("1.5"), True), (True, False), (1.5, False), ("1", False), (BLANK, False)],
)
def test_is_number_excludes_bool_and_float(value: object, expected: bool) -> None:
    """is_number is true for int and Decimal only (bool is not a number here)."""
    assert is_number(value) is expected


# --- parse_cell / format_cell ------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        0,
        7,
        -5,
        Decimal("25.1000"),
        Decimal("7539.443252"),
        Decimal("0.50"),
        Decimal("-0.5"),
        Decimal("12189.6"),
        Unreadable("见附件"),
        Unreadable("约3件"),
        Unreadable("12,189"),
        *(NotApplicable(mark) for mark in sorted(NOT_APPLICABLE_MARKS)),
    ],
    ids=repr,
)
def test_format_then_parse_returns_the_same_cell(cell: Cell) -> None:
    """parse_cell(str(format_cell(x))) gives back x, with its type and printed form."""
    formatted = format_cell(cell)
    assert isinstance(formatted, (int, str))
    back = parse_cell(str(formatted))
    if isinstance(cell, int):
        assert back == Decimal(cell)  # the string form of an int reads as a Decimal
    else:
        assert back == cell
        assert type(back) is type(cell)
        assert format_cell(back) == formatted


def test_decimal_keeps_its_printed_precision() -> None:
    """Decimal("25.1000") formats as "25.1000" and parses back with 4 decimals."""
    assert format_cell(Decimal("25.1000")) == "25.1000"
    back = parse_cell("25.1000")
    assert isinstance(back, Decimal)
    assert str(back) == "25.1000"
    assert back.as_tuple().exponent == -4


def test_decimal_is_written_without_exponent() -> None:
    """A Decimal with an exponent is written in plain positional notation."""
    assert format_cell(Decimal("1E+3")) == "1000"
    assert format_cell(Decimal("1.5E-3")) == "0.0015"


@pytest.mark.parametrize("mark", sorted(NOT_APPLICABLE_MARKS))
def test_every_not_applicable_mark_parses_to_itself(mark: str) -> None:
    """Each known mark parses to NotApplicable(mark) and formats back to the mark."""
    cell = parse_cell(mark)
    assert cell == NotApplicable(mark)
    assert format_cell(cell) == mark


def test_format_cell_forms_of_each_kind() -> None:
    """format_cell writes int, decimal string, None, mark, text, ambiguous and missing forms."""
    assert format_cell(3) == 3
    assert format_cell(Decimal("356.42")) == "356.42"
    assert format_cell(BLANK) is None
    assert format_cell(NotApplicable("无")) == "无"
    assert format_cell(Unreadable("见附件")) == "见附件"
    assert format_cell(Ambiguous((23, 2))) == {"ambiguous": [23, 2]}
    assert format_cell(Ambiguous((Decimal("1.50"), BLANK))) == {"ambiguous": ["1.50", None]}
    assert format_cell(MISSING) == {"missing": True}


@pytest.mark.parametrize("text", ["12,189", " 12 ", "1E3", "NaN", "约3件", "见附件", "12.", ".5"])
def test_parse_cell_keeps_non_plain_numbers_as_text(text: str) -> None:
    """Text that is not a plain decimal (separators, spaces, exponent, NaN) stays Unreadable."""
    assert parse_cell(text) == Unreadable(text)


@pytest.mark.parametrize("wrong", [1.5, True, "12", None])
def test_format_cell_refuses_non_cells(wrong: object) -> None:
    """format_cell raises TypeError for values that are not cells (float, bool, str, None)."""
    with pytest.raises(TypeError):
        format_cell(wrong)  # type: ignore[arg-type]


# --- constructors ------------------------------------------------------------------------------


@pytest.mark.parametrize("number_text", ["12", "0", "-3", "25.1000", "7539.443252"])
def test_unreadable_refuses_number_text(number_text: str) -> None:
    """Unreadable refuses text that is a plain number: it must be stored as int or Decimal."""
    with pytest.raises(ValueError, match="is a number"):
        Unreadable(number_text)


@pytest.mark.parametrize("mark", sorted(NOT_APPLICABLE_MARKS))
def test_unreadable_refuses_not_applicable_marks(mark: str) -> None:
    """Unreadable refuses a not-applicable mark: it must be stored as NotApplicable."""
    with pytest.raises(ValueError, match="NotApplicable"):
        Unreadable(mark)


def test_unreadable_refuses_non_str() -> None:
    """Unreadable text must be a str."""
    with pytest.raises(TypeError, match="must be str"):
        Unreadable(12)  # type: ignore[arg-type]


@pytest.mark.parametrize("unknown_mark", ["n/a", "N/A", "\\", "0", "", "无。", " /"])
def test_not_applicable_refuses_unknown_marks(unknown_mark: str) -> None:
    """NotApplicable refuses marks that are not in NOT_APPLICABLE_MARKS, naming the mark."""
    with pytest.raises(ValueError, match="is not a not-applicable mark"):
        NotApplicable(unknown_mark)


def test_ambiguous_needs_two_candidates() -> None:
    """Ambiguous with fewer than two candidates raises."""
    with pytest.raises(ValueError, match="at least two"):
        Ambiguous((23,))
    with pytest.raises(ValueError, match="at least two"):
        Ambiguous(())


@pytest.mark.parametrize("nested", [MISSING, Ambiguous((1, 2))], ids=repr)
def test_ambiguous_candidates_must_be_plain_cells(nested: Cell) -> None:
    """A candidate of an Ambiguous cell cannot itself be ambiguous or missing."""
    with pytest.raises(ValueError, match="plain cell value"):
        Ambiguous((1, nested))


def test_ambiguous_candidates_must_be_cells() -> None:
    """A float candidate is refused like any non-cell."""
    with pytest.raises(TypeError):
        Ambiguous((1, 2.5))  # type: ignore[arg-type]


def test_ambiguous_stores_candidates_as_tuple() -> None:
    """Candidates given as a list are stored as a tuple, so the cell is hashable."""
    cell = Ambiguous([23, 2])  # type: ignore[arg-type]
    assert cell.candidates == (23, 2)
    assert type(cell.candidates) is tuple
    assert hash(cell) == hash(Ambiguous((23, 2)))


def test_ambiguous_accepts_mixed_plain_candidates() -> None:
    """Candidates may be of different plain kinds (a number and a blank)."""
    cell = Ambiguous((Decimal("1.50"), BLANK, NotApplicable("/")))
    assert kind_of(cell) is CellKind.AMBIGUOUS


def test_the_readers_provenance_constructor_sets_every_field_as_init_does() -> None:
    """``_new_provenance`` lists Provenance's fields by hand: a field added to the class
    must be added there (every field but ``page`` is one of its parameters), and it makes
    the object ``Provenance(...)`` makes."""
    fields = {field.name for field in attrs.fields(Provenance)}
    assert set(inspect.signature(_new_provenance).parameters) == fields - {"page"}
    box = (1.0, 2.0, 3.0, 4.0)
    made = _new_provenance("a.txt", 3, 1, 4, path="/p", bbox=box, note="n", confidence=0.5)
    expected = Provenance(
        source="a.txt", line=3, start=1, end=4, path="/p", bbox=box, note="n", confidence=0.5
    )
    assert made == expected
    assert repr(made) == repr(expected)
