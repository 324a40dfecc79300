"""Text shared between reports beyond the form's boilerplate (内容雷同): between bodies in
one year (``X.COPIED_FROM_BODY``) and between consecutive years of one body (``X.COPIED``).

The narrative of each report (its parts' text; headings left out) is cut into shingles of
eight characters (:mod:`ogi_report._shingles` says why). What every report prints is set
aside before anything is compared: the form's own text (section headings, the tables'
captions and labels, the fixed sentences such as 本报告中所列数据的统计期限自…) and the
phrases more than ``common`` of the year's bodies print (document frequency over the set
itself). Two reports share a *passage* where at least ``min_passage`` characters of what
is left are the same; the *share* is the part of the smaller narrative that lies in shared
passages. A pair whose share reaches ``threshold`` is a finding naming both reports, its
share, and its longest passages.

>>> import attrs
>>> from ogi_report import Part, Section, example_report
>>> copied = ("围绕乡村振兴、营商环境和民生保障三条主线，逐月梳理办事指南与政策问答，"
...           "推动基层公开事项与县级部门目录逐项对应。")
>>> def report(agency, own):
...     base = example_report("2021")
...     section = Section(1, "一、总体情况", (Part(None, own), Part(None, copied)))
...     return attrs.evolve(base, sections=(section,),
...                         metadata=attrs.evolve(base.metadata, agency=agency))
>>> found = find_copies([report("甲县人民政府", "甲县今年新建十二个村级公开栏，群众查阅更加方便。"),
...                      report("乙县人民政府", "乙县开展三次政务公开业务培训，覆盖全部乡镇。")])
>>> found.flatten(("code", "instance", "computed"))
[('X.COPIED_FROM_BODY', '乙县人民政府 2021 / 甲县人民政府 2021', Decimal('0.69'))]
>>> print(found[0].message_en)
乙县人民政府 2021 / 甲县人民政府 2021: 69% of the first narrative (boilerplate aside) is in
the second, in 1 passage(s):
「围绕乡村振兴、营商环境和民生保障三条主线，...推动基层公开事项与县级部门目录逐项对应」

Pairs of different bodies are found through the fingerprints shared passages leave
(winnowing: any passage of ``min_passage`` characters leaves one) in an inverted index, or,
for a year where that index would go through more than :data:`MAX_INDEX_PAIRS` pairs and
with the ``similarity`` extra (datasketch) installed, by MinHash LSH for containment. Every
pair found is then compared in full.
"""

from __future__ import annotations

import importlib
import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from decimal import Decimal
from functools import lru_cache
from itertools import combinations, product
from typing import Any, Literal

import attrs

from ._shingles import (
    SHINGLE,
    Narrative,
    fingerprint_window,
    fingerprints,
    keys,
    narrative_text,
    shingles,
    template_shingles,
)
from .findings import Finding, Findings
from .model import Report
from .rules.catalogue import RULES
from .rules.evaluate import DEFAULT_OPTIONS, CheckOptions, _finding, _sorted
from .rules.text import normalise

__all__ = [
    "MAX_INDEX_PAIRS",
    "MAX_NARRATIVE_CHARS",
    "MAX_POSTINGS",
    "MIN_COMMON_BODIES",
    "SAMPLE_BODIES",
    "SAMPLE_SHINGLES",
    "find_copies",
]


def __dir__() -> list[str]:
    return __all__


Method = Literal["auto", "index", "lsh"]

#: Narrative compared per report (a long report has 30,000 characters): the parts past it
#: are left out, and a note says so.
MAX_NARRATIVE_CHARS = 200_000
#: Common phrases are counted over at most this many bodies a year, a fixed random sample
#: past it: a phrase in 30 % of all bodies is in 30 ± 3 % of 200.
SAMPLE_BODIES = 200
#: ... and no more bodies once this many distinct shingles are counted (about 70 bytes
#: each: 70 MB; 200 reports of 5,000 characters hold about 600,000).
SAMPLE_SHINGLES = 1_000_000
#: A phrase is common only if at least this many bodies print it: two bodies sharing a
#: passage is what is looked for, never boilerplate by count alone.
MIN_COMMON_BODIES = 3
#: A fingerprint in more reports of a year than this finds no pairs in the index (their
#: number grows with its square); pairs sharing only such passages are not found, and a
#: note says how many fingerprints were left out.
MAX_POSTINGS = 200
#: With datasketch installed, ``method="auto"`` uses MinHash LSH for a year whose index
#: would go through more pairs than this (about 20 s at 1 µs a pair), where many passages
#: are each printed by up to MAX_POSTINGS bodies: below it the index is faster, LSH costing
#: about 2 ms a report and 0.1 MB of memory (bench_similarity.py).
MAX_INDEX_PAIRS = 20_000_000
#: MinHash size and LSH Ensemble partitions; the LSH threshold is ``threshold`` times
#: ``LSH_SLACK``, low enough that a pair at the threshold is found almost surely.
LSH_PERMUTATIONS = 128
LSH_PARTITIONS = 16
LSH_SLACK = 0.5
#: Narratives kept shingled while candidate pairs are compared (about 80 bytes a character).
NARRATIVE_CACHE = 64
#: Passages quoted in a finding, and the characters quoted of each.
MAX_PASSAGES = 3
PASSAGE_CHARS = 60


@attrs.frozen
class _Entry:
    """A report to compare: where it is in the input, its body, year and narrative."""

    index: int
    body: str
    year: int
    name: str
    """The agency as printed."""
    agency: str
    """The agency normalised, as the narrative is."""
    text: str


@attrs.frozen
class _Profile:
    """What finds a report's pairs: its fingerprints (30 bits each) and its size in
    shingles, the boilerplate of its year aside."""

    fingerprints: array[int]
    size: int


@attrs.frozen
class _Shared:
    """Two reports sharing passages: ``first`` the smaller narrative, ``share`` of it."""

    first: _Entry
    second: _Entry
    share: float
    passages: tuple[str, ...]


def find_copies(
    reports: Iterable[Report],
    *,
    threshold: float = 0.3,
    min_passage: int = 40,
    common: float = 0.3,
    aliases: Mapping[str, str] | None = None,
    method: Method = "auto",
    options: CheckOptions = DEFAULT_OPTIONS,
) -> Findings:
    """Every pair of reports whose narratives share passages beyond the boilerplate: of
    different bodies in one year (``X.COPIED_FROM_BODY``) and of one body in consecutive
    years (``X.COPIED``).

    ``threshold``: the share of the smaller narrative (boilerplate aside) in shared passages
    that makes a finding. ``min_passage``: the characters (punctuation aside, a number
    counting as one) a passage must have. ``common``: a phrase printed by more than this
    share of a year's bodies is boilerplate. ``aliases`` maps printed agency names to one
    body key, as :class:`~ogi_report.aggregate.ReportSet` does. ``method``: ``"index"``
    (an inverted index, pure Python), ``"lsh"`` (datasketch), or ``"auto"``. ``options``
    selects the two rules. Reports without a narrative, an agency or a reporting year are
    not compared; the notes say how many. Only the narratives are kept, so ``reports`` may
    be a generator reading files one by one; a finding names reports by agency and year.

    >>> find_copies([], threshold=0)
    Traceback (most recent call last):
    ...
    ValueError: threshold must be more than 0 and at most 1, not 0
    """
    for name, value in (("threshold", threshold), ("common", common)):
        if not 0 < value <= 1:
            raise ValueError(f"{name} must be more than 0 and at most 1, not {value}")
    if min_passage < SHINGLE:
        raise ValueError(f"min_passage must be at least {SHINGLE} characters, not {min_passage}")
    if method not in ("auto", "index", "lsh"):
        raise ValueError(f"method must be 'auto', 'index' or 'lsh', not {method!r}")
    notes: list[str] = []
    entries = _entries(reports, aliases or {}, notes)
    by_year: dict[int, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        by_year[entry.year][entry.body].append(entry)
    boilerplate = {
        year: template_shingles() | _common(bodies, common, year, notes)
        for year, bodies in sorted(by_year.items())
    }
    profiles = {e.index: _profile(e, boilerplate[e.year], min_passage) for e in entries}
    pairs: list[tuple[int, int]] = []
    if options.wants("X.COPIED"):
        pairs.extend(_consecutive(by_year, profiles))
    if options.wants("X.COPIED_FROM_BODY"):
        for bodies in by_year.values():
            group = [e for same in bodies.values() for e in same]
            postings = {} if method == "lsh" else _postings(group, profiles)
            if method == "lsh" or (
                method == "auto"
                and _index_work(postings) > MAX_INDEX_PAIRS
                and _datasketch() is not None
            ):
                found = _lsh_pairs(group, profiles, threshold * LSH_SLACK, notes)
            else:
                found = _index_pairs(group, postings, notes)
            pairs.extend(_enough(found, profiles, threshold, min_passage))
    shared = _verify(sorted(pairs), {e.index: e for e in entries}, boilerplate, min_passage)
    found_copies = [_copy_finding(s) for s in shared if s.share >= threshold]
    found_copies.sort(key=lambda f: (f.code, f.instance or ""))
    return _sorted(found_copies, options, notes)


def _entries(
    reports: Iterable[Report], aliases: Mapping[str, str], notes: list[str]
) -> list[_Entry]:
    entries = []
    count = 0
    for index, report in enumerate(reports):
        count += 1
        meta = report.metadata
        text = narrative_text(report)
        agency = normalise(meta.agency or "")
        if not agency or meta.reporting_year is None or not text:
            continue
        if len(text) > MAX_NARRATIVE_CHARS:
            notes.append(
                f"{meta.agency} {meta.reporting_year}: compared on its first"
                f" {MAX_NARRATIVE_CHARS} characters of narrative"
            )
            text = text[:MAX_NARRATIVE_CHARS]
        name = meta.agency or agency
        body = aliases.get(name) or agency
        entries.append(_Entry(index, body, meta.reporting_year, name, agency, text))
    if len(entries) < count:
        notes.append(
            f"{count - len(entries)} report(s) without a narrative, an agency or a"
            " reporting year not compared for shared text"
        )
    return entries


def _common(
    bodies: Mapping[str, list[_Entry]], share: float, year: int, notes: list[str]
) -> Set[int]:
    """The shingles more than ``share`` of the year's bodies print (and at least
    :data:`MIN_COMMON_BODIES`), counted over at most :data:`SAMPLE_BODIES` of them."""
    names = sorted(bodies)
    if len(names) > SAMPLE_BODIES:
        names = random.Random(year).sample(names, SAMPLE_BODIES)
    counts: Counter[int] = Counter()
    counted = 0
    for name in names:
        seen: set[int] = set()
        for entry in bodies[name]:
            seen.update(shingles(keys(entry.text, entry.agency)))
        counts.update(seen)
        counted += 1
        if len(counts) > SAMPLE_SHINGLES:
            break
    if counted < len(bodies):
        notes.append(f"{year}: common phrases counted over {counted} of {len(bodies)} bodies")
    floor = share * counted
    return {h for h, n in counts.items() if n >= MIN_COMMON_BODIES and n > floor}


def _profile(entry: _Entry, boilerplate: Set[int], passage: int) -> _Profile:
    hashes = shingles(keys(entry.text, entry.agency))
    found, size = fingerprints(hashes, boilerplate, passage)
    return _Profile(array("L", found), size)


def _consecutive(
    by_year: Mapping[int, Mapping[str, list[_Entry]]], profiles: Mapping[int, _Profile]
) -> Iterator[tuple[int, int]]:
    """Reports of one body in consecutive years that share a fingerprint: the sizes of the
    profiles are with one year's boilerplate aside, not both, so no more can be asked."""
    for year, bodies in by_year.items():
        before = by_year.get(year - 1, {})
        for body, group in bodies.items():
            for a, b in product(before.get(body, ()), group):
                if not set(profiles[a.index].fingerprints).isdisjoint(
                    profiles[b.index].fingerprints
                ):
                    yield min(a.index, b.index), max(a.index, b.index)


def _postings(entries: Sequence[_Entry], profiles: Mapping[int, _Profile]) -> dict[int, list[int]]:
    """The reports of each fingerprint that more than one report has."""
    seen: set[int] = set()
    repeated: set[int] = set()
    for entry in entries:  # most fingerprints are in one report: index only the others
        found = profiles[entry.index].fingerprints
        repeated.update(seen.intersection(found))
        seen.update(found)
    del seen
    postings: dict[int, list[int]] = defaultdict(list)
    for entry in entries:
        for fingerprint in repeated.intersection(profiles[entry.index].fingerprints):
            postings[fingerprint].append(entry.index)
    return postings


def _index_work(postings: Mapping[int, list[int]]) -> int:
    """The pairs :func:`_index_pairs` would go through."""
    return sum(len(r) * (len(r) - 1) // 2 for r in postings.values() if len(r) <= MAX_POSTINGS)


def _index_pairs(
    entries: Sequence[_Entry], postings: Mapping[int, list[int]], notes: list[str]
) -> Counter[tuple[int, int]]:
    """Pairs of different bodies sharing fingerprints, with how many, from an inverted index."""
    body = {e.index: e.body for e in entries}
    pairs: Counter[tuple[int, int]] = Counter()
    crowded = 0
    for reports in postings.values():
        if len(reports) > MAX_POSTINGS:
            crowded += 1
        else:
            pairs.update((a, b) for a, b in combinations(reports, 2) if body[a] != body[b])
    if crowded:
        notes.append(
            f"{entries[0].year}: {crowded} fingerprint(s) in more than {MAX_POSTINGS} reports"
            " not used to find pairs"
        )
    return pairs


def _lsh_pairs(
    entries: Sequence[_Entry], profiles: Mapping[int, _Profile], threshold: float, notes: list[str]
) -> Counter[tuple[int, int]]:
    """Pairs of different bodies where one's fingerprints lie in the other's for at least
    ``threshold`` of them, estimated by MinHash LSH Ensemble (containment queries), with how
    many they share."""
    datasketch = _datasketch()
    if datasketch is None:
        raise ImportError("method='lsh' needs datasketch: pip install 'ogi-report[similarity]'")
    indexes = [e.index for e in entries if profiles[e.index].fingerprints]
    batches = (profiles[index].fingerprints for index in indexes)
    made = datasketch.MinHash.generator(batches, num_perm=LSH_PERMUTATIONS, hashfunc=int)
    sketches = {i: (m, len(profiles[i].fingerprints)) for i, m in zip(indexes, made)}
    pairs: Counter[tuple[int, int]] = Counter()
    if len(sketches) < 2:
        return pairs
    ensemble = datasketch.MinHashLSHEnsemble(
        threshold=threshold, num_perm=LSH_PERMUTATIONS, num_part=LSH_PARTITIONS
    )
    ensemble.index([(index, sketch, size) for index, (sketch, size) in sketches.items()])
    body = {e.index: e.body for e in entries}
    for index, (sketch, size) in sketches.items():
        for other in ensemble.query(sketch, size):
            pair = (min(index, other), max(index, other))
            if body[other] != body[index] and pair not in pairs:
                one, two = (set(profiles[i].fingerprints) for i in pair)
                pairs[pair] = len(one & two)
    notes.append(f"{entries[0].year}: pairs of bodies found by MinHash LSH, then compared in full")
    return pairs


def _enough(
    pairs: Mapping[tuple[int, int], int],
    profiles: Mapping[int, _Profile],
    threshold: float,
    passage: int,
) -> Iterator[tuple[int, int]]:
    """The pairs sharing enough fingerprints to reach ``threshold``: a shared passage of
    ``r`` shingles leaves at least ``r / (passage + window)`` of them (and at least one)."""
    span = passage + fingerprint_window(passage)[1]
    for (a, b), count in pairs.items():
        smaller = min(profiles[a].size, profiles[b].size)
        if count >= max(1, int(threshold * smaller / span)):
            yield a, b


def _datasketch() -> Any:
    try:
        return importlib.import_module("datasketch")
    except ImportError:
        return None


def _verify(
    pairs: Sequence[tuple[int, int]],
    entries: Mapping[int, _Entry],
    boilerplate: Mapping[int, Set[int]],
    passage: int,
) -> Iterator[_Shared]:
    """Compare each pair in full: the shared passages and the share of the smaller."""
    narrative: Callable[[int], Narrative] = lru_cache(maxsize=NARRATIVE_CACHE)(
        lambda index: Narrative.of(entries[index].text, entries[index].agency)
    )
    both_years: dict[tuple[int, int], Set[int]] = {}
    window = passage - SHINGLE + 1
    for a, b in pairs:
        years = entries[a].year, entries[b].year
        if years[0] == years[1]:
            aside = boilerplate[years[0]]
        else:  # one body's consecutive years: what either year prints is boilerplate
            if years not in both_years:
                both_years[years] = boilerplate[years[0]] | boilerplate[years[1]]
            aside = both_years[years]
        sizes = {i: narrative(i).size(aside) for i in (a, b)}
        small, large = sorted((a, b), key=lambda i: (sizes[i], i))
        if not sizes[small]:
            continue
        runs = narrative(small).shared(narrative(large).every, aside, window)
        if runs:
            runs.sort(key=len, reverse=True)
            yield _Shared(
                entries[small],
                entries[large],
                sum(map(len, runs)) / sizes[small],
                tuple(map(narrative(small).passage, runs)),
            )


def _copy_finding(shared: _Shared) -> Finding:
    first, second = shared.first, shared.second
    code = "X.COPIED" if first.body == second.body else "X.COPIED_FROM_BODY"
    instance = f"{first.name} {first.year} / {second.name} {second.year}"
    quoted = [
        p if len(p) <= PASSAGE_CHARS else p[:PASSAGE_CHARS] + "…"
        for p in shared.passages[:MAX_PASSAGES]
    ]
    count = len(shared.passages)
    percent = f"{shared.share:.0%}"
    return _finding(
        RULES[code],
        instance,
        instance,
        instance,
        (),
        quoted[0],
        Decimal(f"{shared.share:.2f}"),
        detail_en=f"{percent} of the first narrative (boilerplate aside) is in the second,"
        f" in {count} passage(s): " + "; ".join(f"「{p}」" for p in quoted),
        detail_zh=f"前者正文（格式套话除外）的{percent}与后者相同，共{count}处："
        + "；".join(f"「{p}」" for p in quoted),
    )
