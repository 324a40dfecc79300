"""Scorecards (评分): a declared methodology applied to reports, every deduction with its evidence.

A :class:`Methodology` (loaded from TOML with :func:`load_methodology`, or the bundled
:func:`example_methodology`) lists items with points; each item's deductions name what
triggers them: findings of the rule catalogue, cells, an indicator, or an element the
report lacks. :func:`score` applies it to one report: every :class:`Penalty` cites the
finding or cells it rests on, and what cannot be assessed (no publication date, no
previous year to compare with, an unreadable cell) is :class:`Uncertain`, neither full
marks nor a deduction: the score is then a range from ``minimum`` to ``maximum``.

>>> from ogi_report import check_pair, example_report
>>> card = score(example_report("2021"))
>>> str(card)
'示例县人民政府 2021: 78-98 of 100 (uncertain: continuity, originality)'
>>> [(p.item, p.cells, p.published, p.points) for p in card.penalties]
[('review_outcomes', ('s4.review.corrected',), 1, Decimal('2'))]
>>> [(u.item, u.trigger, u.up_to) for u in card.uncertain]
[('continuity', 'X.CARRY_OVER', Decimal('10')), ('continuity', 'X.S2_ITEMS, X.S2_IN_FORCE', \
Decimal('10')), ('originality', 'X.COPIED', Decimal('10')), \
('originality', 'X.COPIED_FROM_BODY', Decimal('10'))]

With the previous year's report compared, nothing is uncertain:

>>> pair = check_pair(example_report("2019"), example_report("2021"))
>>> str(score(example_report("2021"), pair_findings=pair))
'示例县人民政府 2021: 98 of 100'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Literal

import attrs

from ._methodology import (
    Deduction,
    Item,
    Methodology,
    MethodologyError,
    example_methodology,
    load_methodology,
)
from ._triggers import Context, evidence
from .findings import Finding, Findings, Value
from .model import Metadata, Report
from .rules import CheckOptions, check

__all__ = [
    "COLUMNS",
    "Deduction",
    "Item",
    "ItemScore",
    "Methodology",
    "MethodologyError",
    "Penalty",
    "Ranked",
    "Score",
    "Uncertain",
    "example_methodology",
    "load_methodology",
    "rank",
    "score",
    "score_rows",
    "scores_to_csv",
]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Penalty:
    """Points taken off one item, with the evidence: the finding, or the cells, it rests on.

    ``uncapped`` is occurrences × the deduction's points; ``points`` what was taken after
    the deduction's and the item's caps (0 once a cap is reached: the evidence stays).
    ``code`` is the rule code of the cited ``finding`` (``None`` for a count of cells or
    an indicator).
    """

    item: str
    trigger: str
    points: Decimal
    uncapped: Decimal
    occurrences: int
    code: str | None
    cells: tuple[str, ...]
    published: Value
    computed: Value
    message_en: str
    message_zh: str
    finding: Finding | None = attrs.field(default=None, repr=False)


@attrs.frozen
class Uncertain:
    """A deduction that could not be assessed, why, and the most it could take (``up_to``).

    Listed only where it could change the score: not once a cap is reached."""

    item: str
    trigger: str
    up_to: Decimal
    reason_en: str
    reason_zh: str
    cells: tuple[str, ...] = ()


@attrs.frozen
class ItemScore:
    """One item's points: ``maximum`` counts the assessed deductions only, ``minimum``
    also takes the most every uncertain deduction could; equal when nothing is uncertain."""

    key: str
    title_zh: str
    title_en: str
    points: Decimal
    minimum: Decimal
    maximum: Decimal
    penalties: tuple[Penalty, ...]
    uncertain: tuple[Uncertain, ...]

    @property
    def certain(self) -> bool:
        """True if every deduction of the item was assessed."""
        return not self.uncertain


@attrs.frozen
class Score:
    """A report's score under a methodology: per item, with every penalty and uncertainty."""

    methodology: Methodology = attrs.field(repr=False)
    metadata: Metadata
    template: str
    """The report's format (``"2019"``, ``"2021"``, ``"pre-2019"``)."""
    items: tuple[ItemScore, ...]

    @property
    def total(self) -> Decimal:
        """The methodology's total: the score of a report that loses nothing."""
        return self.methodology.total

    @property
    def minimum(self) -> Decimal:
        """The score if every uncertain deduction applies in full."""
        return sum((item.minimum for item in self.items), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        """The score from the assessed deductions only (every uncertain one found clean)."""
        return sum((item.maximum for item in self.items), Decimal(0))

    @property
    def certain(self) -> bool:
        """True if nothing was left uncertain: ``minimum == maximum`` is the score."""
        return all(item.certain for item in self.items)

    @property
    def penalties(self) -> tuple[Penalty, ...]:
        """Every penalty, item by item."""
        return tuple(p for item in self.items for p in item.penalties)

    @property
    def uncertain(self) -> tuple[Uncertain, ...]:
        """Every deduction not assessed, item by item."""
        return tuple(u for item in self.items for u in item.uncertain)

    def item(self, key: str) -> ItemScore:
        """The score of item ``key``."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"no item {key!r}; items: {', '.join(i.key for i in self.items)}")

    def __str__(self) -> str:
        meta = self.metadata
        year = "" if meta.reporting_year is None else f" {meta.reporting_year}"
        who = f"{meta.agency or '(agency unknown)'}{year}"
        if self.certain:
            return f"{who}: {_text(self.maximum)} of {_text(self.total)}"
        unsure = ", ".join(item.key for item in self.items if not item.certain)
        return (
            f"{who}: {_text(self.minimum)}-{_text(self.maximum)} of {_text(self.total)}"
            f" (uncertain: {unsure})"
        )


# --- scoring -------------------------------------------------------------------------------


#: ``check_pair`` says so in a note when it did not compare (years unknown or not consecutive).
_PAIR_NOT_RUN = "cross-year rules not run"


def score(
    report: Report,
    findings: Findings | None = None,
    *,
    methodology: Methodology | None = None,
    pair_findings: Findings | Iterable[Finding] | None = None,
    options: CheckOptions | None = None,
) -> Score:
    """Score ``report`` under ``methodology`` (default: :func:`example_methodology`).

    ``findings``: the report's :func:`~ogi_report.check` (run here when ``None``; pass the
    findings of a check without ``select``/``ignore``, or the rules left out count as
    clean). ``pair_findings``: :func:`~ogi_report.check_pair` with the previous year's
    report (and any other comparison, as one :class:`Findings`); ``None`` leaves every
    deduction on a cross-year rule uncertain. The findings' notes that say a rule was not
    assessed make its deductions uncertain too.
    """
    if methodology is None:
        methodology = example_methodology()
    if options is None:
        options = CheckOptions()
    if findings is None:
        findings = check(report, options)
    notes = list(findings.notes)
    pair_reason: tuple[str, str] | None = None
    if pair_findings is None:
        pair_reason = ("no previous year's report compared", "未与上年报告比对")
        pair: tuple[Finding, ...] = ()
    else:
        pair = tuple(pair_findings)
        pair_notes = pair_findings.notes if isinstance(pair_findings, Findings) else ()
        notes.extend(pair_notes)
        not_run = [n for n in pair_notes if n.startswith(_PAIR_NOT_RUN)]
        if not_run:
            pair_reason = (not_run[0], f"未能与上年报告比对（{not_run[0]}）")
    context = Context(report, (*findings, *pair), tuple(notes), pair_reason, options)
    items = tuple(_score_item(item, context) for item in methodology.items)
    return Score(methodology, report.metadata, report.template.version, items)


def _score_item(item: Item, context: Context) -> ItemScore:
    left = item.most  # what the item's cap still allows
    taken = worst = Decimal(0)
    penalties: list[Penalty] = []
    uncertain: list[Uncertain] = []
    for deduction in item.deductions:
        drafts, unknowns = evidence(deduction, context)
        cap = deduction.cap if deduction.cap is not None else item.most
        room = cap
        uncapped_sum = Decimal(0)
        for draft in drafts:
            uncapped = draft.occurrences * deduction.points
            uncapped_sum += uncapped
            points = min(uncapped, room, left)
            room, left = room - points, left - points
            penalties.append(
                Penalty(
                    item.key,
                    deduction.trigger,
                    points,
                    uncapped,
                    draft.occurrences,
                    draft.code,
                    draft.cells,
                    draft.published,
                    draft.computed,
                    draft.message_en,
                    draft.message_zh,
                    draft.finding,
                )
            )
        assessed = min(uncapped_sum, cap)
        taken += assessed
        if not unknowns:
            worst += assessed
            continue
        if any(u.most is None for u in unknowns):
            most = cap
        else:
            most = sum((u.most for u in unknowns if u.most is not None), Decimal(0))
        extra = min(assessed + most, cap) - assessed
        worst += assessed + extra
        if extra == 0:
            continue  # the deduction's cap is reached: what is unknown cannot change the score
        uncertain.append(
            Uncertain(
                item.key,
                deduction.trigger,
                extra,
                _joined(u.reason_en for u in unknowns),
                _joined((u.reason_zh for u in unknowns), "；"),
                tuple(dict.fromkeys(c for u in unknowns for c in u.cells)),
            )
        )
    minimum = item.points - min(worst, item.most)
    maximum = item.points - min(taken, item.most)
    return ItemScore(
        item.key,
        item.title_zh,
        item.title_en,
        item.points,
        minimum,
        maximum,
        tuple(penalties),
        # the item's cap reached: what is unknown cannot change the score
        tuple(uncertain) if minimum != maximum else (),
    )


def _joined(reasons: Iterable[str], separator: str = "; ", most: int = 3) -> str:
    unique = list(dict.fromkeys(reasons))
    shown = separator.join(unique[:most])
    return shown + (f" (+{len(unique) - most})" if len(unique) > most else "")


# --- ranking and export ----------------------------------------------------------------------


@attrs.frozen
class Ranked:
    """A score's place in a ranking: equal scores share a ``position`` (1, 2, 2, 4)."""

    position: int
    score: Score


def rank(scores: Iterable[Score], *, by: Literal["minimum", "maximum"] = "minimum") -> list[Ranked]:
    """Scores best first, by ``minimum`` (what the evidence assures) then ``maximum``, or
    the other way round; ties keep their input order and share a position.

    >>> from ogi_report import example_report
    >>> ranked = rank([score(example_report("2019")), score(example_report("2021"))])
    >>> [(r.position, r.score.metadata.reporting_year, r.score.minimum) for r in ranked]
    [(1, 2021, Decimal('78')), (2, 2020, Decimal('66'))]
    """
    listed = list(scores)
    names = {(s.methodology.name, s.methodology.version) for s in listed}
    if len(names) > 1:
        raise ValueError(f"scores of different methodologies do not rank together: {sorted(names)}")

    def key(s: Score) -> tuple[Decimal, Decimal]:
        first, second = (s.minimum, s.maximum) if by == "minimum" else (s.maximum, s.minimum)
        return -first, -second

    ranked: list[Ranked] = []
    for i, s in enumerate(sorted(listed, key=key)):  # sorted is stable: ties keep their order
        same = ranked and key(ranked[-1].score) == key(s)
        ranked.append(Ranked(ranked[-1].position if same else i + 1, s))
    return ranked


#: The columns of :func:`scores_to_csv`, in order.
COLUMNS = (
    "agency",
    "reporting_year",
    "template",
    "methodology",
    "row",
    "item",
    "points",
    "minimum",
    "maximum",
    "deducted",
    "up_to",
    "code",
    "cells",
    "published",
    "computed",
    "message_en",
    "message_zh",
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral_value()
            else format(value, "f")
        )
    return str(value)


def score_rows(scores: Iterable[Score]) -> Iterator[dict[str, str]]:
    """The rows of :func:`scores_to_csv` as dicts of text, keyed by :data:`COLUMNS`."""
    for s in scores:
        meta = s.metadata
        base = {
            "agency": meta.agency or "",
            "reporting_year": _text(meta.reporting_year),
            "template": s.template,
            "methodology": f"{s.methodology.name} {s.methodology.version}",
        }
        yield {
            **base,
            "row": "report",
            "points": _text(s.total),
            "minimum": _text(s.minimum),
            "maximum": _text(s.maximum),
        }
        for item in s.items:
            yield {
                **base,
                "row": "item",
                "item": item.key,
                "points": _text(item.points),
                "minimum": _text(item.minimum),
                "maximum": _text(item.maximum),
                "message_en": item.title_en,
                "message_zh": item.title_zh,
            }
            for p in item.penalties:
                yield {
                    **base,
                    "row": "penalty",
                    "item": item.key,
                    "deducted": _text(p.points),
                    "code": p.code or p.trigger,
                    "cells": " ".join(p.cells),
                    "published": _text(p.published),
                    "computed": _text(p.computed),
                    "message_en": p.message_en,
                    "message_zh": p.message_zh,
                }
            for u in item.uncertain:
                yield {
                    **base,
                    "row": "uncertain",
                    "item": item.key,
                    "up_to": _text(u.up_to),
                    "code": u.trigger,
                    "cells": " ".join(u.cells),
                    "message_en": u.reason_en,
                    "message_zh": u.reason_zh,
                }


def scores_to_csv(scores: Score | Iterable[Score], file: IO[str] | None = None) -> str | None:
    """Scores as tidy CSV: per report one ``report`` row, then per item an ``item`` row
    followed by its ``penalty`` and ``uncertain`` rows (:data:`COLUMNS`; a column that
    does not apply to a row is empty). Returns the text when ``file`` is ``None``.

    >>> from ogi_report import example_report
    >>> text = scores_to_csv(score(example_report("2021")))
    >>> print(text.splitlines()[0])
    agency,reporting_year,template,methodology,row,item,points,minimum,maximum,deducted,up_to,code,\
cells,published,computed,message_en,message_zh
    >>> [line.split(",")[4:11] for line in text.splitlines()[1:3]]
    [['report', '', '100', '78', '98', '', ''], ['item', 'timeliness', '15', '15', '15', '', '']]
    """
    if isinstance(scores, Score):
        scores = (scores,)
    out = io.StringIO() if file is None else file
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(score_rows(scores))
    return out.getvalue() if file is None and isinstance(out, io.StringIO) else None
