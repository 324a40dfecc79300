"""Side-by-side benchmarks of ogi-report's JSON form and checks against typed floors.

Run ``python benchmarks/bench_json.py [--n 10000] [--quick]`` (needs the ``bench`` extra:
msgspec, orjson; and hypothesis for :mod:`ogi_report.strategies`). Every comparison is
timed in one process, ours and the floor back to back in each round (alternating which
goes first); the table shows the median time of each and the median of the per-round
ratios, as in ``PERFORMANCE.md``. Nothing here asserts on time: the script prints.

The floors:

* load: ``msgspec.json.Decoder`` of Structs built from the template declarations (one
  Struct per table, one field per row, ``list[int | str | None]`` cells, optional rows
  ``None`` by default, a Struct per place and per unplaced text, unknown fields
  forbidden), decoding the same bytes; ``orjson.loads`` alone is shown as the parse floor.
* dump: ``orjson.dumps`` of the dict form (``ogi_report.to_dict``, made beforehand);
  msgspec encoding the decoded Struct is shown too.
* check: a plain-dict implementation of S3.BALANCE, S3.HANDLED_SUM, S3.ROW_TOTAL and
  S4.GROUP_TOTAL over ``report.values()`` copied into a dict, building a tuple per failed
  identity; the same on a report with 14 injected faults (14 findings, all of those four).
  A report with narrative (the corpus cases) is checked by the narrative rules too, which
  the floor has not: its row is shown, with no target.

The cases: a fictional example, two generated reports, and where ``../shared`` is beside
the repository, reports as a reader makes them from the corpus (:data:`CORPUS_CASES`:
every cell's place, the text set aside, the sections), as a collector stores them.

See ``benchmarks/README.md`` for how to read the ratios and the targets.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, TypeVar

import attrs

import ogi_report
from ogi_report import AdminLevel, BodyKind, Report, Scope, Template, get_template
from ogi_report.templates import TEMPLATES
from ogi_report.writers.json import parse_json

if TYPE_CHECKING:
    import msgspec

__all__ = [
    "CASES",
    "CORPUS_CASES",
    "FAULTY_CASES",
    "DictFinding",
    "DictRules",
    "FloorTypes",
    "cases",
    "dict_check",
    "dict_rules",
    "faulty_report",
    "figures",
    "floor_types",
    "main",
    "sample_reports",
]

T = TypeVar("T")
A = TypeVar("A")

#: The targets of issue 9 and of PERFORMANCE.md.
LOAD_TARGET = 3.0  # load + validate within 3x of msgspec
DUMP_TARGET = 3.0  # encode within 3x of orjson.dumps of the dict form (issue 9; was 4x)
CHECK_TARGET = 1.25  # the check of a clean report within 1.25x of the dict version
FAULTS_TARGET = 3.0  # the check of a report with 14 findings within 3x of the dict version
CHECK_US_TARGET = 50.0  # one check under 50 µs
FAULTS = 14  # findings injected into the faulty case
MEMORY_TARGET = 1.5  # streamed peak at N no more than 1.5x the peak at N/10


# --- the msgspec floor, built from the template declarations ------------------------------

CellList = list[int | str | None]


class FloorTypes(NamedTuple):
    """The msgspec decoder/encoder of the typed equivalent of the JSON form."""

    decoder: msgspec.json.Decoder[Any]
    encoder: msgspec.json.Encoder
    by_version: Mapping[str, type[msgspec.Struct]]


def _ident(key: str) -> str:
    return key.replace(".", "_")


def _table_struct(version: str, key: str, rows: Iterable[tuple[str, bool]]) -> Any:
    import msgspec

    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [
        (row, CellList | None, None) if optional else (row, CellList) for row, optional in rows
    ]
    return msgspec.defstruct(
        f"Table{version}_{_ident(key)}",
        fields,
        kw_only=True,
        forbid_unknown_fields=True,
        omit_defaults=True,
    )


def _report_struct(
    template: Template, metadata: Any, section: Any, place: Any, unplaced: Any
) -> Any:
    import msgspec

    tables = [
        (
            _ident(spec.key),
            _table_struct(template.version, spec.key, ((r.key, r.optional) for r in spec.rows))
            | None,
            None,
        )
        for spec in template.tables
    ]
    tables_struct = msgspec.defstruct(
        f"Tables{template.version}",
        tables,
        kw_only=True,
        forbid_unknown_fields=True,
        omit_defaults=True,
        rename={_ident(spec.key): spec.key for spec in template.tables},
    )
    return msgspec.defstruct(
        f"Report{template.version}",
        [
            ("format", Literal["ogi-report/1"], "ogi-report/1"),
            ("metadata", metadata, msgspec.field(default_factory=metadata)),
            ("sections", list[section] | None, None),
            ("tables", tables_struct),
            ("provenance", dict[str, place] | None, None),
            ("unplaced", list[unplaced] | None, None),
        ],
        kw_only=True,
        forbid_unknown_fields=True,
        tag_field="template",
        tag=template.version,
    )


def floor_types() -> FloorTypes:
    """msgspec Structs equivalent to the JSON form of both formats, as a tagged union."""
    import msgspec

    metadata = msgspec.defstruct(
        "Metadata",
        [
            ("agency", str | None, None),
            ("body_kind", BodyKind | None, None),
            ("level", AdminLevel | None, None),
            ("reporting_year", Annotated[int, msgspec.Meta(ge=1)] | None, None),
            ("published_on", date | None, None),
            ("scope", Scope | None, None),
            ("source", str | None, None),
            ("notes", str | None, None),
        ],
        kw_only=True,
        forbid_unknown_fields=True,
    )
    part = msgspec.defstruct(
        "Part", [("heading", str | None), ("text", str)], forbid_unknown_fields=True
    )
    section = msgspec.defstruct(
        "Section",
        [
            ("number", Annotated[int, msgspec.Meta(ge=1, le=6)]),
            ("heading", str),
            ("parts", list[part], msgspec.field(default_factory=list)),  # type: ignore[valid-type]
        ],
        forbid_unknown_fields=True,
    )
    place = msgspec.defstruct(
        "Place",
        [
            ("source", str | None, None),
            ("line", int | None, None),
            ("start", int | None, None),
            ("end", int | None, None),
            ("page", int | None, None),
            ("bbox", tuple[float, float, float, float] | None, None),
            ("path", str | None, None),
            ("note", str | None, None),
            ("confidence", float | None, None),
        ],
        kw_only=True,
        forbid_unknown_fields=True,
        omit_defaults=True,
    )
    unplaced = msgspec.defstruct(
        "Unplaced",
        [("text", str), ("reason", str), ("provenance", place | None, None)],
        forbid_unknown_fields=True,
    )
    by_version = {
        t.version: _report_struct(t, metadata, section, place, unplaced) for t in TEMPLATES
    }
    union: Any = by_version["2019"] | by_version["2021"]
    return FloorTypes(msgspec.json.Decoder(union), msgspec.json.Encoder(), by_version)


# --- the dict floor of the check ----------------------------------------------------------


class DictRules(NamedTuple):
    """The four identities of one format as (rule, instance, left codes, right codes)."""

    relations: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]


_HEAD = ("new", "carried_over")
_TAIL = ("handled_total", "carried_forward")


def dict_rules(template: Template) -> DictRules:
    """S3.BALANCE, S3.HANDLED_SUM, S3.ROW_TOTAL and S4.GROUP_TOTAL of ``template``."""
    s3 = template.table("s3")
    s4 = template.table("s4")
    results = [r.key for r in s3.rows if not r.optional and r.key not in (*_HEAD, *_TAIL)]
    found: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
    for column in s3.column_keys:
        found.append(
            (
                "S3.BALANCE",
                column,
                tuple(f"s3.{row}.{column}" for row in _HEAD),
                tuple(f"s3.{row}.{column}" for row in _TAIL),
            )
        )
    for column in s3.column_keys:
        found.append(
            (
                "S3.HANDLED_SUM",
                column,
                (f"s3.handled_total.{column}",),
                tuple(f"s3.{row}.{column}" for row in results),
            )
        )
    applicants = [c for c in s3.column_keys if c != "total"]
    for row in s3.row_keys:
        found.append(
            (
                "S3.ROW_TOTAL",
                row,
                (f"s3.{row}.total",),
                tuple(f"s3.{row}.{c}" for c in applicants),
            )
        )
    for row in s4.row_keys:
        found.append(
            (
                "S4.GROUP_TOTAL",
                row,
                (f"s4.{row}.total",),
                tuple(f"s4.{row}.{c}" for c in s4.column_keys if c != "total"),
            )
        )
    return DictRules(tuple(found))


#: One failed identity as the dict floor reports it: what a finding holds, without messages.
DictFinding = tuple[str, str, tuple[str, ...], int, int, int]


def dict_check(values: dict[str, Any], rules: DictRules) -> list[DictFinding]:
    """The identities over a plain dict: numbers only; a relation missing a cell is skipped.

    Each failure is ``(rule, instance, cells, published, computed, difference)``.
    """
    found = []
    for rule, instance, left, right in rules.relations:
        if left[0] not in values:
            continue  # an optional subtotal row or a table not printed
        try:
            published = sum([values[code] for code in left])
            computed = sum([values[code] for code in right])
        except (KeyError, TypeError):
            continue
        if published != computed:
            found.append((rule, instance, left + right, published, computed, published - computed))
    return found


def _dict_check_with(rules: DictRules) -> Callable[[dict[str, Any]], object]:
    def run(values: dict[str, Any]) -> object:
        return dict_check(values, rules)

    return run


def _dict_check_pair(pair: tuple[dict[str, Any], DictRules]) -> object:
    return dict_check(pair[0], pair[1])


# --- timing -------------------------------------------------------------------------------


#: The clock the timings read: this process's CPU time by default (``--clock cpu``), so
#: other work on a shared machine is not counted; ``--clock wall`` for elapsed time.
CLOCK: list[Callable[[], float]] = [time.process_time]


def _loop(fn: Callable[[A], object], arg: A, number: int) -> float:
    """Seconds per call of ``fn(arg)`` over ``number`` calls."""
    clock = CLOCK[0]
    start = clock()
    for _ in range(number):
        fn(arg)
    return (clock() - start) / number


class Timing(NamedTuple):
    """Median seconds per call of ours and of the floor, and the median per-round ratio."""

    ours: float
    floor: float
    ratio: float


def side_by_side(
    ours: Callable[[A], object],
    ours_arg: A,
    floor: Callable[[T], object],
    floor_arg: T,
    *,
    rounds: int,
    budget: float,
) -> Timing:
    """Time ``ours`` and ``floor`` back to back in each round; medians over the rounds.

    ``budget`` is the seconds each side gets per round; the call count is calibrated once.
    """
    ours(ours_arg)
    floor(floor_arg)  # warm caches
    once = max(_loop(ours, ours_arg, 1), _loop(floor, floor_arg, 1), 1e-7)
    number = max(1, int(budget / once))
    pairs: list[tuple[float, float]] = []
    for i in range(rounds):
        gc.collect()
        if i % 2:
            b = _loop(floor, floor_arg, number)
            a = _loop(ours, ours_arg, number)
        else:
            a = _loop(ours, ours_arg, number)
            b = _loop(floor, floor_arg, number)
        pairs.append((a, b))
    return Timing(
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a / b for a, b in pairs),
    )


def solo(fn: Callable[[A], object], arg: A, *, rounds: int, budget: float) -> float:
    """Median seconds per call of ``fn(arg)`` (an informational floor)."""
    fn(arg)
    number = max(1, int(budget / max(_loop(fn, arg, 1), 1e-7)))
    times = []
    for _ in range(rounds):
        gc.collect()
        times.append(_loop(fn, arg, number))
    return statistics.median(times)


# --- the report table ---------------------------------------------------------------------


class Line(NamedTuple):
    """One printed row: the case, microseconds, ratio, target and whether it is met."""

    case: str
    ours: float | None
    floor: float | None
    ratio: float | None
    target: str
    met: str


def _us(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    us = seconds * 1e6
    return f"{us:,.1f}" if us < 1000 else f"{us:,.0f}"


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def ratio_line(case: str, timing: Timing, limit: float) -> Line:
    """A row compared with a ratio target."""
    return Line(
        case, timing.ours, timing.floor, timing.ratio, f"<= {limit:g}x", _yes(timing.ratio <= limit)
    )


def check_line(case: str, timing: Timing) -> Line:
    """A check row: the ratio target and the 50 µs target, both flagged."""
    fast = timing.ours * 1e6 < CHECK_US_TARGET
    return Line(
        case,
        timing.ours,
        timing.floor,
        timing.ratio,
        f"<= {CHECK_TARGET:g}x; < {CHECK_US_TARGET:g} us",
        f"{_yes(timing.ratio <= CHECK_TARGET)}; {_yes(fast)}",
    )


def info_line(case: str, ours: float | None, floor: float | None) -> Line:
    """A row shown for reference: no target."""
    ratio = ours / floor if ours is not None and floor is not None else None
    return Line(case, ours, floor, ratio, "—", "—")


def render(lines: Sequence[Line]) -> str:
    """The lines as a Markdown table (times in µs)."""
    head = ("case", "ours µs", "floor µs", "ratio", "target", "met?")
    rows = [
        (
            line.case,
            _us(line.ours),
            _us(line.floor),
            "—" if line.ratio is None else f"{line.ratio:.2f}x",
            line.target,
            line.met,
        )
        for line in lines
    ]
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    right = {1, 2, 3}

    def fmt(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([fmt(head), rule, *(fmt(r) for r in rows)])


# --- the cases ----------------------------------------------------------------------------


def _random(version: str, seed: int) -> Report:
    from ogi_report.strategies import random_report

    return random_report(random.Random(seed), version)


def _example_2021() -> Report:
    return attrs.evolve(ogi_report.example_report("2021"), sections=None)


#: The per-report cases: (label, how to build the report).
CASES: tuple[tuple[str, Callable[[], Report]], ...] = (
    ("2021 example", _example_2021),
    ("random 2019", lambda: _random("2019", 2019)),
    ("random 2021", lambda: _random("2021", 2021)),
)

#: The shared corpus (``../shared`` beside the repository), for reports as a reader makes them.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
#: Reports read from the corpus, as a collector stores them: every cell's place (provenance),
#: the text the reader could not place, and the six sections' narrative.
CORPUS_CASES: tuple[tuple[str, str], ...] = (
    ("HTML page as read (平潭 2023)", "html/2023_pingtan_html_2.html"),
    ("PDF as read (洪泽区 2023)", "pdf/2023_hongzequ_pdf_1.pdf"),
)


def cases(corpus: Path = CORPUS) -> list[tuple[str, Callable[[], Report]]]:
    """:data:`CASES`, then :data:`CORPUS_CASES` where the corpus holds them."""
    found = [
        (label, functools.partial(ogi_report.read, corpus / name))
        for label, name in CORPUS_CASES
        if (corpus / name).is_file()
    ]
    return [*CASES, *found]


_IDENTITIES = frozenset({"S3.BALANCE", "S3.HANDLED_SUM", "S3.ROW_TOTAL", "S4.GROUP_TOTAL"})


def faulty_report(version: str, seed: int, count: int = FAULTS) -> Report:
    """A random report with faults injected until ``check`` finds exactly ``count`` findings.

    Each fault adds 1-9 to a count of section 3 or 4 outside any printed subtotal, and is
    kept only if every finding is one of the four identities the dict floor computes: the
    two sides find the same ``count`` rule instances.
    """
    from ogi_report.strategies import random_report

    rng = random.Random(seed)
    report = random_report(rng, version)
    s3 = report.table("s3")
    printed = {row.key for row in s3.rows}
    summed = {part for row in s3.spec.rows if row.key in printed for part in row.parts}
    codes = [
        code
        for code in report.values()
        if code.startswith(("s3.", "s4."))
        and code.split(".")[1] not in summed
        and not report.template.cell(code).optional
    ]
    found = 0
    for _ in range(1000):
        if found == count:
            return report
        code = rng.choice(codes)
        value = report[code]
        assert isinstance(value, int)
        candidate = report.replace_cells({code: value + rng.randint(1, 9)})
        findings = ogi_report.check(candidate)
        if {f.code for f in findings} <= _IDENTITIES and found < len(findings) <= count:
            report, found = candidate, len(findings)
    raise SystemExit(f"could not inject {count} findings into a random {version} report")


#: The check of reports with findings: (label, how to build the report).
FAULTY_CASES: tuple[tuple[str, Callable[[], Report]], ...] = (
    (f"random 2021, {FAULTS} faults", lambda: faulty_report("2021", 2021)),
    (f"random 2019, {FAULTS} faults", lambda: faulty_report("2019", 2019)),
)


def sample_reports(n: int, seed: int = 0) -> Iterator[Report]:
    """``n`` valid generated reports, alternating the 2019 and 2021 formats."""
    from ogi_report.strategies import random_report

    rng = random.Random(seed)
    for i in range(n):
        yield random_report(rng, "2019" if i % 2 == 0 else "2021")


def _sanity(report: Report, floor: FloorTypes, rules: Mapping[str, DictRules]) -> None:
    """The floors decode the same bytes and find what ours finds: else the comparison is void."""
    blob = ogi_report.dumps(report)
    struct = floor.decoder.decode(blob)
    if ogi_report.loads(floor.encoder.encode(struct)) != report:
        raise SystemExit(f"msgspec floor does not round-trip {report!r}")
    identities = {"S3.BALANCE", "S3.HANDLED_SUM", "S3.ROW_TOTAL", "S4.GROUP_TOTAL"}
    ours = {
        (f.code, f.instance, f.cells, f.published, f.computed, f.difference)
        for f in ogi_report.check(report)
        if f.code in identities
    }
    theirs = set(dict_check(dict(report.values()), rules[report.template.version]))
    if ours != theirs:
        raise SystemExit(f"dict check disagrees on {report!r}: {ours} != {theirs}")


def per_report(
    floor: FloorTypes, rules: Mapping[str, DictRules], rounds: int, budget: float
) -> list[Line]:
    """Loads, dumps and check of one report at a time, for each case."""
    import orjson

    lines: list[Line] = []
    _sanity(ogi_report.example_report("2019"), floor, rules)  # one with findings
    for label, make in cases():
        report = make()
        _sanity(report, floor, rules)
        blob = ogi_report.dumps(report)
        struct = floor.decoder.decode(blob)
        data = ogi_report.to_dict(report)
        values = dict(report.values())
        version_rules = rules[report.template.version]

        loads = side_by_side(
            ogi_report.loads, blob, floor.decoder.decode, blob, rounds=rounds, budget=budget
        )
        lines.append(ratio_line(f"loads {label} vs msgspec", loads, LOAD_TARGET))
        parse = solo(orjson.loads, blob, rounds=rounds, budget=budget)
        lines.append(info_line(f"  parse floor: orjson.loads ({len(blob)} B)", loads.ours, parse))
        scan = solo(parse_json, blob, rounds=rounds, budget=budget)
        lines.append(info_line("  of which parse_json (orjson + refusal scan)", scan, loads.floor))
        model = side_by_side(
            _from_parsed, blob, floor.decoder.decode, blob, rounds=rounds, budget=budget
        )
        lines.append(
            Line("  from_dict(orjson.loads) vs msgspec", *model, "—", "—")  # no refusal scan
        )

        dumps = side_by_side(
            ogi_report.dumps, report, orjson.dumps, data, rounds=rounds, budget=budget
        )
        lines.append(ratio_line(f"dumps {label} vs orjson(dict)", dumps, DUMP_TARGET))
        encode = solo(floor.encoder.encode, struct, rounds=rounds, budget=budget)
        lines.append(info_line("  msgspec encode of the Struct", dumps.ours, encode))

        checked = side_by_side(
            ogi_report.check,
            report,
            _dict_check_with(version_rules),
            values,
            rounds=rounds,
            budget=budget,
        )
        if report.sections:  # the narrative rules too, which the dict floor has not
            lines.append(info_line(f"  check {label} vs dict", checked.ours, checked.floor))
        else:
            lines.append(check_line(f"check {label} vs dict", checked))
    for label, make in FAULTY_CASES:
        report = make()
        _sanity(report, floor, rules)
        found = len(ogi_report.check(report))
        if found != FAULTS:
            raise SystemExit(f"the faulty case has {found} findings, not {FAULTS}")
        checked = side_by_side(
            ogi_report.check,
            report,
            _dict_check_with(rules[report.template.version]),
            dict(report.values()),
            rounds=rounds,
            budget=budget,
        )
        lines.append(ratio_line(f"check {label} vs dict", checked, FAULTS_TARGET))
    return lines


def _from_parsed(blob: bytes) -> Report:
    """``from_dict(orjson.loads(blob))``: the load without ``parse_json``'s refusal scan."""
    import orjson

    return ogi_report.from_dict(orjson.loads(blob))


def _each(fn: Callable[[A], object]) -> Callable[[Sequence[A]], None]:
    """``fn`` over every item, each result dropped before the next (nothing accumulates)."""

    def run(items: Sequence[A]) -> None:
        for item in items:
            fn(item)

    return run


def _held(fn: Callable[[A], object]) -> Callable[[Sequence[A]], list[object]]:
    """``fn`` over every item, the results kept in a list (the collector sees them all)."""

    def run(items: Sequence[A]) -> list[object]:
        return [fn(item) for item in items]

    return run


def batch(
    n: int, floor: FloorTypes, rules: Mapping[str, DictRules], rounds: int
) -> tuple[list[Line], list[str], float]:
    """The same operations over ``n`` generated reports.

    Returns the rows, the totals and memory summary, and the streamed peak's growth.
    """
    import orjson

    started = time.perf_counter()
    reports = list(sample_reports(n))
    blobs = [ogi_report.dumps(r) for r in reports]
    dicts = [ogi_report.to_dict(r) for r in reports]
    structs = [floor.decoder.decode(b) for b in blobs]
    values = [(dict(r.values()), rules[r.template.version]) for r in reports]
    prepared = time.perf_counter() - started
    gc.collect()
    gc.freeze()  # the prepared inputs are not the collector's work in either column

    def whole(
        ours: Callable[[Sequence[A]], object],
        ours_items: Sequence[A],
        theirs: Callable[[Sequence[T]], object],
        their_items: Sequence[T],
    ) -> Timing:
        ours(ours_items[:100])
        theirs(their_items[:100])  # warm up on a prefix
        pairs: list[tuple[float, float]] = []
        for i in range(rounds):
            gc.collect()
            if i % 2:
                b = _loop(theirs, their_items, 1)
                a = _loop(ours, ours_items, 1)
            else:
                a = _loop(ours, ours_items, 1)
                b = _loop(theirs, their_items, 1)
            pairs.append((a / n, b / n))
        return Timing(
            statistics.median(a for a, _ in pairs),
            statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs),
        )

    loads = whole(_each(ogi_report.loads), blobs, _each(floor.decoder.decode), blobs)
    held = whole(_held(ogi_report.loads), blobs, _held(floor.decoder.decode), blobs)
    parse = solo(_each(orjson.loads), blobs, rounds=rounds, budget=0) / n  # 1 call per round
    dumps = whole(_each(ogi_report.dumps), reports, _each(orjson.dumps), dicts)
    encode = solo(_each(floor.encoder.encode), structs, rounds=rounds, budget=0) / n
    checked = whole(_each(ogi_report.check), reports, _each(_dict_check_pair), values)
    label = f"batch {n:,}"
    lines = [
        ratio_line(f"{label}: loads vs msgspec, per report", loads, LOAD_TARGET),
        info_line("  parse floor: orjson.loads, per report", loads.ours, parse),
        info_line("  loads held in a list vs msgspec held", held.ours, held.floor),
        ratio_line(f"{label}: dumps vs orjson(dict), per report", dumps, DUMP_TARGET),
        info_line("  msgspec encode of the Structs, per report", dumps.ours, encode),
        check_line(f"{label}: check vs dict, per report", checked),
    ]
    totals = [
        f"batch of {n:,} reports (prepared in {prepared:.1f} s, outside the timing), totals:",
        f"  loads  ours {loads.ours * n:7.3f} s   msgspec {loads.floor * n:7.3f} s"
        f"   (orjson.loads alone {parse * n:.3f} s)",
        f"  loads into one list  ours {held.ours * n:7.3f} s   msgspec {held.floor * n:7.3f} s",
        f"  dumps  ours {dumps.ours * n:7.3f} s   orjson  {dumps.floor * n:7.3f} s"
        f"   (msgspec encode {encode * n:.3f} s)",
        f"  check  ours {checked.ours * n:7.3f} s   dict    {checked.floor * n:7.3f} s",
    ]
    del reports, dicts, structs, values
    gc.unfreeze()
    memory, growth = streamed_memory(blobs)
    return lines, [*totals, "", *memory], growth


class Streamed(NamedTuple):
    """One traced pass: peak bytes after ``mark`` lines and after all, and what stays."""

    at_mark: int
    at_end: int
    retained: int
    findings: int


def _stream(path: Path, mark: int, *, collect_first: bool) -> Streamed:
    """Load and check every line of ``path`` under tracemalloc, holding no report."""
    if collect_first:
        gc.collect()  # a full collection also empties CPython's free lists
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    at_mark = 0
    findings = 0
    with path.open("rb") as lines:
        for i, line in enumerate(lines, 1):
            findings += len(ogi_report.check(ogi_report.loads(line)))
            if i == mark:
                at_mark = tracemalloc.get_traced_memory()[1] - base
    at_end = tracemalloc.get_traced_memory()[1] - base
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return Streamed(at_mark, at_end, retained, findings)


def _kib(size: int) -> str:
    return f"{size / 1024:8.1f} KiB"


#: Lines streamed untraced before the warm pass: enough for the free lists to fill up.
_WARM_LINES = 5000


def streamed_memory(blobs: Sequence[bytes]) -> tuple[list[str], float]:
    """Peak memory of a streamed load+check at N/10 and N lines: flat means it does not grow.

    Returns the lines to print and the warm pass's growth from N/10 to N lines.

    The first (cold) pass also counts CPython's tuple free lists filling up (bounded:
    at most 2,000 tuples per size); a full ``gc.collect()`` returns them, so ``retained``
    shows nothing is held. The second pass starts with them full: the working set.
    """
    n = len(blobs)
    mark = max(1, n // 10)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.jsonl"
        with path.open("wb") as out:
            for blob in blobs:
                out.write(blob + b"\n")
        for blob in blobs[:2]:
            ogi_report.check(ogi_report.loads(blob))  # warm the caches outside the trace
        cold = _stream(path, mark, collect_first=True)
        for _ in range(-(-_WARM_LINES // n)):  # untraced: fill the free lists again
            with path.open("rb") as stream:
                for line in stream:
                    ogi_report.check(ogi_report.loads(line))
        warm = _stream(path, mark, collect_first=False)
    growth = warm.at_end / warm.at_mark if warm.at_mark else float("inf")
    lines = [
        f"streamed load+check of {n:,} JSON lines (tracemalloc peak; no report is held):",
        f"  cold pass: peak {_kib(cold.at_mark)} at N/10 = {mark:,},"
        f" {_kib(cold.at_end)} at N = {n:,}; retained after gc.collect() {_kib(cold.retained)}",
        f"  warm pass: peak {_kib(warm.at_mark)} at N/10 = {mark:,},"
        f" {_kib(warm.at_end)} at N = {n:,}; {warm.findings} findings",
        f"  growth N/10 -> N (warm) {growth:.2f}x; target <= {MEMORY_TARGET:g}x (flat in N):"
        f" {_yes(growth <= MEMORY_TARGET)}",
    ]
    return lines, growth


# --- entry point --------------------------------------------------------------------------


class Results(NamedTuple):
    """One whole run: the table's rows, the notes printed under it, the memory growth."""

    lines: list[Line]
    notes: list[str]
    memory_growth: float


def run(n: int, rounds: int, batch_rounds: int, budget: float) -> Results:
    """Every benchmark: the per-report cases, the batch of ``n`` and the streamed memory."""
    floor = floor_types()
    rules = {v: dict_rules(get_template(v)) for v in ("2019", "2021")}
    lines = per_report(floor, rules, rounds, budget)
    batch_lines, notes, growth = batch(n, floor, rules, batch_rounds)
    return Results([*lines, *batch_lines], notes, growth)


#: The "Done when" row of the streamed memory, as :func:`figures` names it.
MEMORY_CASE = "streamed load+check, warm peak growth N/10 -> N"


def figures(
    n: int = 10_000, rounds: int = 15, *, batch_rounds: int = 3, budget: float = 0.02
) -> list[tuple[str, float, str, bool]]:
    """The rows with a target, for another script: ``(case, ratio, target, met)``.

    A check row is met when both its targets are (the ratio and the 50 µs limit). The
    last row is the streamed memory's growth from N/10 to N. The defaults are the full
    run's; ``--quick`` is ``n=1000, rounds=5, budget=0.005``. Prints nothing.
    """
    results = run(n, rounds, batch_rounds, budget)
    rows = [
        (line.case, line.ratio, line.target, all(flag == "yes" for flag in line.met.split("; ")))
        for line in results.lines
        if line.target != "—" and line.ratio is not None
    ]
    growth = results.memory_growth
    rows.append((MEMORY_CASE, growth, f"<= {MEMORY_TARGET:g}x", growth <= MEMORY_TARGET))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=None, help="batch size (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="n=1000, fewer rounds: seconds")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per comparison")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="time this process's CPU time (default: others' work on the machine not counted)"
        " or elapsed wall time",
    )
    args = parser.parse_args(argv)
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    n = args.n if args.n is not None else 1000 if args.quick else 10_000
    rounds = args.rounds if args.rounds is not None else 5 if args.quick else 15
    batch_rounds = args.rounds if args.rounds is not None else 3
    budget = 0.005 if args.quick else 0.02

    try:
        import msgspec
        import orjson
    except ImportError as error:
        print(f"needs the bench extra (pip install 'ogi-report[bench]'): {error}", file=sys.stderr)
        return 2
    print(
        f"ogi-report {ogi_report.__version__}, Python {sys.version.split()[0]},"
        f" msgspec {msgspec.__version__}, orjson {orjson.__version__},"
        f" {os.cpu_count()} CPUs; {rounds} rounds per report case, {batch_rounds} per batch;"
        f" {args.clock} time"
    )
    results = run(n, rounds, batch_rounds, budget)
    print()
    print(render(results.lines))
    print()
    print("\n".join(results.notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
