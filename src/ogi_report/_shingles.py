"""The narrative as shingles, for :mod:`ogi_report.similarity`: keys, the form's own text,
winnowed fingerprints, and the passages two reports share.

A narrative (its parts' text, run together) is compared as *keys*: the text normalised
(NFKC, whitespace removed), the report's own agency name and every number each made one
key, punctuation dropped. A *shingle* is :data:`SHINGLE` consecutive keys, hashed. Chinese
is written without spaces, so words cannot be the unit; sentences cannot either, since a
copy with one name or figure changed, or a converter that lost the punctuation, makes
every sentence new. Eight characters are three or four words: two unrelated texts rarely
share them except in set phrases (which the document frequency filter removes), while an
edit costs only the shingles that overlap it. A *fingerprint* is :data:`FINGERPRINT` keys
chosen by winnowing, so that any shared passage leaves one that finds the pair.

>>> keys("2021年，甲县人民政府公开信息2,680条。", "甲县人民政府") == keys(
...     "2022年 乙县人民政府公开信息97条", "乙县人民政府")
True
>>> len(shingles(keys("全年共收到政府信息公开申请99件")))
8
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterator, Sequence, Set
from functools import cache, lru_cache

import attrs

from .model import Report
from .rules.evaluate import _SECTION_HEADINGS
from .rules.text import normalise
from .templates import ALL_TEMPLATES

#: Keys in a shingle: long enough that sharing one is rarely chance, short enough that an
#: edit (a name, a figure, a word) costs few shingles.
SHINGLE = 8

#: Keys in a fingerprint: longer than a shingle, so that two reports share one where they
#: share a phrase, not where they share a common word or two.
FINGERPRINT = 16

#: Sentences and fragments the formats and common practice print in every report (the
#: figures are examples: every number is one key, so any figures match).
FIXED_TEXT = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国"
    "政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制",
    "国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知",
    "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止",
    "本报告所列数据统计期限从2021年1月1日至2021年12月31日止",
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项",
    "本报告的电子版可在",
    "如对本报告有任何疑问",
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
)

_AGENCY_KEY = "\ue000"  # private-use characters: never printed in a report
_NUMBER_KEY = "\ue001"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_KEY = re.compile(r"[^\w\ue000\ue001]|_")
_PRINTED_KEYS = dict.fromkeys(map(ord, _AGENCY_KEY + _NUMBER_KEY))  # a PDF's icon glyphs


def keys(text: str, agency: str = "") -> str:
    """``text`` as keys: normalised, ``agency`` (normalised) and each number one key each,
    punctuation dropped."""
    normal = normalise(text).translate(_PRINTED_KEYS)
    if agency:
        normal = normal.replace(agency, _AGENCY_KEY)
    return _NOT_KEY.sub("", _NUMBER.sub(_NUMBER_KEY, normal))


_KEYS = {"agency": _AGENCY_KEY, "number": _NUMBER_KEY}


@lru_cache(maxsize=1024)
def _key_pattern(agency: str) -> re.Pattern[str]:
    name = f"(?P<agency>{re.escape(agency)})|" if agency else ""
    return re.compile(rf"{name}(?P<number>\d+(?:[.,]\d+)*)|[^\W_]")


def key_spans(text: str, agency: str = "") -> tuple[str, list[int], list[int]]:
    """The :func:`keys` of ``text``, and where each key starts and ends in ``text`` as printed.

    Normalised a character at a time, to know where each came from: this differs from
    :func:`keys` only where a combining mark follows a letter, never in Chinese text.

    >>> keyed, starts, ends = key_spans("共 １２ 件。")
    >>> keyed == keys("共 １２ 件。"), starts, ends
    (True, [0, 2, 5], [1, 4, 6])
    """
    normal: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _folded(char):
            normal.append(folded)
            origin.append(index)
    found: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _key_pattern(agency).finditer("".join(normal)):
        kind = match.lastgroup
        found.append(match.group() if kind is None else _KEYS[kind])
        starts.append(origin[match.start()])
        ends.append(origin[match.end() - 1] + 1)
    return "".join(found), starts, ends


@lru_cache(maxsize=8192)
def _folded(char: str) -> str:
    """One character as :func:`~ogi_report.rules.text.normalise` folds it."""
    return "".join(unicodedata.normalize("NFKC", char).split()).translate(_PRINTED_KEYS)


def shingles(keyed: str) -> list[int]:
    """The hash of each run of :data:`SHINGLE` keys, in order (none in a shorter text)."""
    return [hash(keyed[i : i + SHINGLE]) for i in range(len(keyed) - SHINGLE + 1)]


@cache
def template_shingles() -> frozenset[int]:
    """The shingles of the form's own text: section headings, the tables' captions and
    labels in every format, and :data:`FIXED_TEXT`."""
    texts = [*_SECTION_HEADINGS.values(), *FIXED_TEXT]
    for template in ALL_TEMPLATES:
        for table in template.tables:
            texts.append(table.caption_zh)
            for labels in (*(row.zh for row in table.rows), *(c.zh for c in table.columns)):
                texts.extend((*labels, "".join(labels)))
    return frozenset(h for text in texts for h in shingles(keys(text)))


def narrative_text(report: Report) -> str:
    """The narrative as one text, a line a part: sub-headings and section headings (the
    form's own) left out, the parts run together so that a short part is no gap."""
    return "\n".join(part.text for s in report.sections or () for part in s.parts if part.text)


def stretches(hashes: Sequence[int], boilerplate: Set[int]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each maximal stretch of ``hashes`` none of which is boilerplate.

    >>> list(stretches([1, 2, 9, 3, 9, 9, 4], {9}))
    [(0, 2), (3, 4), (6, 7)]
    """
    start = 0
    if not boilerplate.isdisjoint(hashes):
        for index, value in enumerate(hashes):
            if value in boilerplate:
                if index > start:
                    yield start, index
                start = index + 1
    if len(hashes) > start:
        yield start, len(hashes)


def fingerprint_window(passage: int) -> tuple[int, int]:
    """The keys in a fingerprint, and the fingerprints in a winnowing window, for passages of
    ``passage`` keys: a window of fingerprints spans ``passage`` keys."""
    size = min(FINGERPRINT, passage)
    return size, passage - size + 1


def fingerprints(
    hashes: Sequence[int], boilerplate: Set[int], passage: int
) -> tuple[set[int], int]:
    """The winnowed fingerprints of a narrative's shingles ``hashes`` away from
    ``boilerplate`` ones, and the number of shingles that are not boilerplate.

    A fingerprint stands for :data:`FINGERPRINT` keys (two shingles end to end) in 30 bits.
    Each stretch of ``passage`` keys without boilerplate leaves at least one, and a longer
    stretch at least one in every ``passage + window`` keys (:func:`fingerprint_window`).

    >>> part = shingles(keys("一是拓宽公开渠道，二是规范办理流程，三是强化监督保障"))
    >>> found, size = fingerprints(part, set(), 20)
    >>> size, 0 < len(found) <= 24 - 20 + 1  # one per window of 20 keys at most
    (17, True)
    """
    size, window = fingerprint_window(passage)
    apart = size - SHINGLE
    found: set[int] = set()
    count = 0
    for start, end in stretches(hashes, boilerplate):
        count += end - start
        if end - start - apart >= window:
            grams = [
                hash(pair) & _FINGERPRINT_BITS
                for pair in zip(hashes[start : end - apart], hashes[start + apart : end])
            ]
            found |= window_minima(grams, window)
    return found, count


#: Fingerprints are kept in 30 bits: one-digit ints compare fastest in CPython, and a
#: chance equality only makes a candidate pair that the full comparison rejects.
_FINGERPRINT_BITS = (1 << 30) - 1


def window_minima(hashes: Sequence[int], window: int) -> set[int]:
    """The least of every ``window`` consecutive ``hashes`` (winnowing, Schleimer et al.
    2003): two texts sharing a stretch of ``window`` share its least, so a shared passage
    always leaves a shared fingerprint. Minima over 2, 4, 8 … then two overlapping spans.

    >>> sorted(window_minima([5, 3, 8, 6, 7, 2, 9], 3))
    [2, 3, 6]
    """
    least = list(hashes)
    span = 1
    while span * 2 <= window:
        least = [a if a < b else b for a, b in zip(least, least[span:])]
        span *= 2
    return {a if a < b else b for a, b in zip(least, least[window - span :])}


@attrs.frozen
class Narrative:
    """A report's narrative shingled for comparison: its text as printed, where each key
    sits in it, and the shingles."""

    text: str
    starts: array[int]
    ends: array[int]
    hashes: array[int]
    every: frozenset[int]
    """Every shingle of the narrative."""

    @classmethod
    def of(cls, text: str, agency: str) -> Narrative:
        """Shingle ``text``, with ``agency`` (normalised) one key."""
        keyed, starts, ends = key_spans(text, agency)
        hashes = shingles(keyed)
        return cls(
            text, array("q", starts), array("q", ends), array("q", hashes), frozenset(hashes)
        )

    def size(self, boilerplate: Set[int]) -> int:
        """Shingles that are not ``boilerplate``."""
        return sum(1 for h in self.hashes if h not in boilerplate)

    def shared(self, other: Set[int], boilerplate: Set[int], window: int) -> list[range]:
        """Each stretch of at least ``window`` consecutive shingles that are in ``other`` and
        not ``boilerplate``."""
        found = []
        start = 0
        for index, value in enumerate((*self.hashes, None)):
            if value is None or value not in other or value in boilerplate:
                if index - start >= window:
                    found.append(range(start, index))
                start = index + 1
        return found

    def passage(self, stretch: range) -> str:
        """The printed text of a stretch of shingles."""
        last = stretch.stop + SHINGLE - 2  # the last key of the last shingle
        return self.text[self.starts[stretch.start] : self.ends[last]]
