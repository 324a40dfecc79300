"""Recover cells whose separators were lost (``230 000023``) from the table's own identities.

A row's printed pieces must cover its cells in order: a piece is one cell, or the digits of
several cells run together. Every way to cut the pieces into the row's cells is a candidate
(a number never starts with 0 unless it is 0; only the last digits of a piece can carry a
decimal part or a unit). The identities of the format then keep the candidates under which
the whole table reconciles. A cell on which the surviving readings disagree stays
ambiguous, with its candidates: the reader never picks one.

>>> for reading in cuts(["230", "000023"], 7):
...     print(reading)
(230, 0, 0, 0, 0, 2, 3)
(2, 30, 0, 0, 0, 0, 23)
(23, 0, 0, 0, 0, 0, 23)

Of these only the last has 总计 = the sum of the six applicant columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ..cells import MAX_DIGITS, MISSING, Ambiguous, Cell
from ..rules.relations import Relation, signed_sum
from ..rules.text import normalise as clean
from ._numbers import is_digit_run, parse_value

__all__ = ["MAX_CUTS", "MAX_NODES", "MAX_STEPS", "Budget", "cuts", "cuts_with_total", "solve"]

#: Past this many ways to cut one row, or this many joint readings, the reader stops trying
#: and reports the cells ambiguous: bounded time on hostile input.
MAX_CUTS = 50_000
MAX_NODES = 200_000
#: Steps (one number tried at one position) the search for cuts may take in one document,
#: whatever it finds: a run of digits has exponentially many cuts, so the work itself is
#: bounded. Past it a row is not read (its cells MISSING, its text in ``Report.unplaced``).
MAX_STEPS = 200_000


class _Exhausted(Exception):
    """The search spent :data:`MAX_STEPS`."""


class Budget:
    """Steps left for the searches of one document; :meth:`spend` raises past the last."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_STEPS

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Exhausted


def _piece_cuts(piece: str, parts: int, budget: Budget) -> Iterator[tuple[str, ...]]:
    """Every way to cut one run of digits into ``parts`` numbers of at most
    :data:`~ogi_report.cells.MAX_DIGITS` digits."""
    normal = clean(piece)
    if not is_digit_run(normal):
        if parts == 1:
            yield (normal,)  # text, a mark or a blank: one cell as printed
        return
    # Only the last number may carry decimals or a unit: cut the leading integer digits.
    head = next((i for i, char in enumerate(normal) if not char.isdigit()), len(normal))
    digits, tail = normal[:head], normal[head:]

    def cut(start: int, left: int) -> Iterator[tuple[str, ...]]:
        budget.spend()
        if left == 1:
            part = digits[start:]
            if part and (part == "0" or part[0] != "0") and len(part) <= MAX_DIGITS:
                yield (part + tail,)
            return
        if len(digits) - start > left * MAX_DIGITS:
            return  # too many digits left for the numbers left
        for end in range(start + 1, min(len(digits) - left + 2, start + MAX_DIGITS + 1)):
            part = digits[start:end]
            if len(part) > 1 and part[0] == "0":
                break  # no number starts with 0, and longer parts only add digits
            for rest in cut(end, left - 1):
                yield (part, *rest)

    yield from cut(0, parts)


def cuts(
    pieces: Sequence[str],
    cells: int,
    *,
    money: Sequence[bool] = (),
    budget: Budget | None = None,
) -> list[tuple[Cell, ...]]:
    """Every reading of ``pieces`` as ``cells`` values, in order.

    Past ``MAX_CUTS`` readings or ``MAX_STEPS`` of search the list would be incomplete, and
    a candidate list that may lack the true value is a guess: then it is empty, and the cells
    are not read at all.
    """
    found: dict[tuple[Cell, ...], None] = {}  # ordered, without repeats
    money = tuple(money) or (False,) * cells
    budget = budget or Budget()

    def spread(index: int, used: int, prefix: tuple[str, ...]) -> None:
        budget.spend()
        if len(found) >= MAX_CUTS:
            return
        if index == len(pieces):
            if used == cells:
                reading = tuple(parse_value(t, money=m) for t, m in zip(prefix, money))
                found[reading] = None
            return
        remaining = len(pieces) - index - 1
        for parts in range(1, cells - used - remaining + 1):
            for piece in _piece_cuts(pieces[index], parts, budget):
                spread(index + 1, used + parts, (*prefix, *piece))

    try:
        spread(0, 0, ())
    except _Exhausted:
        return []
    return [] if len(found) >= MAX_CUTS else list(found)


def _holds(relation: Relation, values: Mapping[str, Cell]) -> bool | None:
    """True/False when every cell of the relation is a number; None when it cannot tell."""
    left, right = signed_sum(relation.left, values), signed_sum(relation.right, values)
    if isinstance(left, str) or isinstance(right, str):
        return None
    return relation.holds(left.total - right.total)


def _allowed(relations: Sequence[Relation], values: Mapping[str, Cell]) -> bool:
    """True unless one of ``relations`` is known to fail under ``values``."""
    return all(_holds(relation, values) is not False for relation in relations)


def solve(
    rows: Mapping[tuple[str, ...], list[tuple[Cell, ...]]],
    fixed: Mapping[str, Cell],
    identities: Sequence[Relation],
) -> dict[str, Cell]:
    """Choose, for each row (its codes → its candidate readings), what the identities allow.

    ``fixed`` holds the cells already known. Returns a value for every code of ``rows``:
    the reading if all consistent readings agree on it, else ``Ambiguous`` of the choices.
    """
    values: dict[str, Cell] = dict(fixed)
    open_rows: list[tuple[tuple[str, ...], list[tuple[Cell, ...]]]] = []
    involved = [(relation, frozenset(relation.cells)) for relation in identities]
    for codes, readings in rows.items():
        row = frozenset(codes)
        own = [relation for relation, cells in involved if cells <= row]
        kept = [reading for reading in readings if _allowed(own, dict(zip(codes, reading)))]
        if not kept and len(readings) > 1:
            # No cut satisfies the row's own total: a published error or a blank that left no
            # trace in the run. Either way no cut can be trusted: the row is not read.
            values.update(dict.fromkeys(codes, MISSING))
            continue
        readings = kept or readings
        if len(readings) == 1:
            values.update(zip(codes, readings[0]))
        else:
            open_rows.append((codes, readings))
    if not open_rows:
        return values
    open_rows.sort(key=lambda item: len(item[1]))
    open_codes = {code for codes, _ in open_rows for code in codes}
    relevant = [relation for relation, cells in involved if cells & open_codes]
    consistent: list[dict[str, Cell]] = []
    nodes = 0

    def search(depth: int, chosen: dict[str, Cell]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or len(consistent) > 1000:
            return False
        if depth == len(open_rows):
            consistent.append(dict(chosen))
            return True
        codes, readings = open_rows[depth]
        for reading in readings:
            trial = {**chosen, **dict(zip(codes, reading))}
            if _allowed(relevant, trial):
                search(depth + 1, trial)
        return True

    search(0, dict(values))
    # Cut short, the consistent readings found may lack the truth: offer every reading then.
    complete = nodes <= MAX_NODES and len(consistent) <= 1000
    for codes, readings in open_rows:
        for index, code in enumerate(codes):
            options = (
                [c[code] for c in consistent]
                if consistent and complete
                else [r[index] for r in readings]
            )
            distinct = list(dict.fromkeys(options))
            values[code] = distinct[0] if len(distinct) == 1 else Ambiguous(tuple(distinct))
    return values


def _bounded_cuts(
    digits: str, parts: int, longest: int, budget: Budget
) -> Iterator[tuple[int, ...]]:
    """Cuts of a digit string into ``parts`` numbers of at most ``longest`` digits each."""
    budget.spend()
    if len(digits) > parts * longest:
        return
    if parts == 1:
        if digits and len(digits) <= longest and (digits == "0" or digits[0] != "0"):
            yield (int(digits),)
        return
    for end in range(1, min(longest, len(digits) - parts + 1) + 1):
        head = digits[:end]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _bounded_cuts(digits[end:], parts - 1, longest, budget):
            yield (int(head), *rest)


def _spread_to_total(
    head: Sequence[str],
    cells: int,
    total: int,
    longest: int,
    found: dict[tuple[Cell, ...], None],
    budget: Budget,
) -> None:
    """Add to ``found`` every cut of ``head`` into ``cells`` numbers that sum to ``total``."""

    def spread(index: int, used: int, running: int, prefix: tuple[int, ...]) -> None:
        budget.spend()
        if len(found) >= MAX_CUTS:
            return
        if index == len(head):
            if used == cells and running == total:
                reading: tuple[Cell, ...] = (*prefix, total)
                found[reading] = None
            return
        remaining = len(head) - index - 1
        for parts in range(1, cells - used - remaining + 1):
            for cut in _bounded_cuts(head[index], parts, longest, budget):
                subtotal = running + sum(cut)
                if subtotal <= total:  # counts are not negative: a larger sum never shrinks
                    spread(index + 1, used + parts, subtotal, (*prefix, *cut))

    spread(0, 0, 0, ())


def cuts_with_total(
    pieces: Sequence[str], cells: int, budget: Budget | None = None
) -> list[tuple[Cell, ...]] | None:
    """The readings of a row whose last cell is the total of the others (section 3's 总计),
    enumerated only where the sum can still hold: long runs stay tractable.

    ``None`` when a piece is not a plain run of digits (then :func:`cuts` is the way).

    >>> cuts_with_total(["230", "000023"], 7)
    [(23, 0, 0, 0, 0, 0, 23)]
    """
    normal = [clean(piece) for piece in pieces]
    if not normal or not all(piece.isdigit() for piece in normal):
        return None
    found: dict[tuple[Cell, ...], None] = {}
    last = normal[-1]
    budget = budget or Budget()
    try:
        for length in range(1, min(len(last), MAX_DIGITS) + 1):
            total_text = last[len(last) - length :]
            if len(total_text) > 1 and total_text[0] == "0":
                continue
            rest = last[: len(last) - length]
            head = [*normal[:-1], *([rest] if rest else [])]
            _spread_to_total(head, cells - 1, int(total_text), len(total_text), found, budget)
    except _Exhausted:
        return []
    return [] if len(found) >= MAX_CUTS else list(found)
