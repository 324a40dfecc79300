"""The arithmetic of the formats (勾稽关系) as data: linear relations between cells.

A :class:`Relation` says ``Σ left (op) Σ right`` over cells, each term signed and taken
from the report itself or from the previous year's report. They are derived once per
format from the template declarations, so a rule and its cells are stated in one place.

>>> from ogi_report.templates import get_template
>>> balance = [r for r in relations(get_template("2019")) if r.rule == "S3.BALANCE"]
>>> [t.code for t in balance[0].left], [t.code for t in balance[0].right]
(['s3.new.natural_person', 's3.carried_over.natural_person'], \
['s3.handled_total.natural_person', 's3.carried_forward.natural_person'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache, cached_property
from typing import Literal, NamedTuple

import attrs

from ..cells import MISSING, Cell, Number
from ..templates import Column, RowSpec, TableSpec, Template

__all__ = ["Relation", "SignedSum", "Term", "pair_relations", "relations", "signed_sum"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Term:
    """One cell in a relation: its code, its sign, and whether it is last year's."""

    code: str
    sign: int = 1
    previous: bool = False


@attrs.frozen
class Relation:
    """``Σ left op Σ right``; ``substitutes`` replace unreadable parts by their printed subtotal."""

    rule: str
    instance: str
    instance_en: str
    instance_zh: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    op: Literal["==", "<=", ">="] = "=="
    substitutes: tuple[tuple[tuple[str, ...], str], ...] = ()
    money: bool = False

    @cached_property
    def cells(self) -> tuple[str, ...]:
        """Every cell the relation involves, left side first (made once per relation)."""
        return tuple(term.code for term in (*self.left, *self.right))

    def holds(self, difference: Number, tolerance: Number = 0) -> bool:
        """True if ``Σ left - Σ right`` = ``difference`` satisfies ``op`` within ``tolerance``."""
        too_high, too_low = difference > tolerance, -difference > tolerance
        if self.op == "==":
            return not (too_high or too_low)
        return not too_high if self.op == "<=" else not too_low


class SignedSum(NamedTuple):
    """One side of a relation: its total, and the numbers it was made of."""

    total: Number
    numbers: list[Number]


def signed_sum(
    terms: Iterable[Term],
    current: Mapping[str, Cell],
    previous: Mapping[str, Cell] | None = None,
    zero_types: frozenset[type] = frozenset(),
) -> SignedSum | str:
    """The signed sum of ``terms``, or the code of the first cell that cannot be counted.

    Cells of a type in ``zero_types`` (a blank, a mark, by the check's policy) count as 0.
    """
    total: Number = 0
    numbers: list[Number] = []
    for term in terms:
        value = (previous if term.previous and previous is not None else current).get(
            term.code, MISSING
        )
        if isinstance(value, int | Decimal):
            total += term.sign * value
            numbers.append(value)
        elif type(value) not in zero_types:
            return term.code
    return SignedSum(total, numbers)


_HEAD = ("new", "carried_over")
_TAIL = ("handled_total", "carried_forward")


def _terms(section: int, rows: tuple[str, ...], column: str) -> tuple[Term, ...]:
    return tuple(Term(f"s{section}.{row}.{column}") for row in rows)


def _column_instance(column: Column) -> tuple[str, str, str]:
    return column.key, f"column {column.en} ({column.label_zh})", f"{column.label_zh}列"


def _row_instance(row: RowSpec) -> tuple[str, str, str]:
    return row.key, f"row {row.zh[-1]} ({row.en})", f"{row.zh[-1]}行"


def _results(table: TableSpec) -> tuple[str, ...]:
    return tuple(
        row.key for row in table.rows if not row.optional and row.key not in (*_HEAD, *_TAIL)
    )


def _requests(table: TableSpec) -> Iterator[Relation]:
    results = _results(table)
    subtotals = [row for row in table.rows if row.optional]
    for column in table.columns:
        key, en, zh = _column_instance(column)
        yield Relation(
            "S3.BALANCE",
            key,
            en,
            zh,
            _terms(3, _HEAD, key),
            _terms(3, _TAIL, key),
        )
        # A subtotal stands in for its parts only when none of them can be read.
        substitutes = tuple(
            (tuple(f"s3.{part}.{key}" for part in row.parts), f"s3.{row.key}.{key}")
            for row in subtotals
        )
        yield Relation(
            "S3.HANDLED_SUM",
            key,
            en,
            zh,
            _terms(3, ("handled_total",), key),
            _terms(3, results, key),
            substitutes=substitutes,
        )
        for row in subtotals:
            sub_key, sub_en, sub_zh = _row_instance(row)
            yield Relation(
                "S3.SUBTOTAL_MISMATCH",
                f"{sub_key}.{key}",
                f"{sub_en}, {en}",
                f"{sub_zh}{zh}",
                _terms(3, (row.key,), key),
                _terms(3, row.parts, key),
            )
    applicants = tuple(c.key for c in table.columns if c.key != "total")
    for row in table.rows:
        key, en, zh = _row_instance(row)
        codes = table.row_codes(row.key)
        yield Relation(
            "S3.ROW_TOTAL",
            key,
            en,
            zh,
            (Term(codes[-1]),),
            tuple(Term(code) for code in codes[: len(applicants)]),
        )


def _review(table: TableSpec) -> Iterator[Relation]:
    for row in table.rows:
        codes = table.row_codes(row.key)
        yield Relation(
            "S4.GROUP_TOTAL",
            row.key,
            f"{row.en} ({row.label_zh})",
            row.label_zh,
            (Term(codes[-1]),),
            tuple(Term(code) for code in codes[:-1]),
        )


def _disclosure(table: TableSpec) -> Iterator[Relation]:
    columns = table.column_keys
    for row in table.rows:
        key, en, zh = row.key, f"{row.en} ({row.label_zh})", row.label_zh
        if "total_published" in columns:
            yield Relation(
                "S2.PUBLISHED_GT_TOTAL",
                key,
                en,
                zh,
                _terms(2, (key,), "published"),
                _terms(2, (key,), "total_published"),
                op="<=",
            )
        if "items_change" in columns:
            yield Relation(
                "S2.CHANGE_GT_PREVIOUS",
                key,
                en,
                zh,
                (Term(f"s2.{key}.items_prev_year"), Term(f"s2.{key}.items_change")),
                (),
                op=">=",
            )


@cache
def relations(template: Template) -> tuple[Relation, ...]:
    """Every within-report relation of ``template``, in the order of ``rules.md``."""
    found: list[Relation] = []
    for table in template.tables:
        if table.key == "s3":
            found.extend(_requests(table))
        elif table.key == "s4":
            found.extend(_review(table))
        else:
            found.extend(_disclosure(table))
    order = ["S3.BALANCE", "S3.HANDLED_SUM", "S3.ROW_TOTAL", "S4.GROUP_TOTAL"]
    found.sort(key=lambda r: order.index(r.rule) if r.rule in order else len(order))
    return tuple(_with_money(template, r) for r in found)


def _with_money(template: Template, relation: Relation) -> Relation:
    if any(template.cell(code).column.is_money for code in relation.cells):
        return attrs.evolve(relation, money=True)
    return relation


@cache
def pair_relations(previous: Template, current: Template) -> tuple[Relation, ...]:
    """Relations between a report (``current``) and the same body's previous one; none when
    either is a report before 2019 (it has no standard tables)."""
    found: list[Relation] = []
    if not (previous.tables and current.tables) or "pre-2019" in (
        previous.version,
        current.version,
    ):
        return ()
    for column in current.table("s3").columns:
        key, en, zh = _column_instance(column)
        found.append(
            Relation(
                "X.CARRY_OVER",
                key,
                en,
                zh,
                (Term(f"s3.carried_over.{key}"),),
                (Term(f"s3.carried_forward.{key}", previous=True),),
            )
        )
    if previous.version == current.version == "2019":
        for table in current.tables:
            if "items_prev_year" not in table.column_keys:
                continue
            for row in table.rows:
                key, en, zh = row.key, f"{row.en} ({row.label_zh})", row.label_zh
                found.append(
                    Relation(
                        "X.S2_ITEMS",
                        key,
                        en,
                        zh,
                        (Term(f"s2.{key}.items_prev_year"),),
                        (
                            Term(f"s2.{key}.items_prev_year", previous=True),
                            Term(f"s2.{key}.items_change", previous=True),
                        ),
                    )
                )
    if previous.version == current.version == "2021":
        for row in current.table("s2.article_20_1").rows:
            key, en, zh = row.key, f"{row.en} ({row.label_zh})", row.label_zh
            found.append(
                Relation(
                    "X.S2_IN_FORCE",
                    key,
                    en,
                    zh,
                    (Term(f"s2.{key}.in_force"),),
                    (
                        Term(f"s2.{key}.in_force", previous=True),
                        Term(f"s2.{key}.issued"),
                        Term(f"s2.{key}.repealed", sign=-1),
                    ),
                )
            )
    return tuple(found)
