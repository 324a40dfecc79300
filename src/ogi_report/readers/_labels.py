"""Finding the labels real reports print: normalised text with a way back to the source.

Normalisation follows ``spec/README.md``: NFKC (（）：，／ and full-width digits fold), no
whitespace at all, quotes unified, list markers ``1、 1． 1.`` as ``1.``, ``、`` and ``,``
alike; the traditional forms of the format's characters (規章, 總計) fold to simplified
(:data:`~ogi_report.rules.text.TRADITIONAL`). Labels are then matched whitespace- and
line-insensitively, so a label split over lines or cells (``商业\\n企业``, ``只计这一情 形``)
still matches, and every match maps back to the original characters for provenance.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator

import attrs

from ..cells import Provenance, _new_provenance
from ..rules.text import TRADITIONAL
from ..templates import RowSpec, TableSpec
from ._document import Block, Document, Fragment, Grid, refuse_long_text

__all__ = ["Label", "Stream", "label_pattern", "normalise_label"]

#: Quotes unified, and the traditional forms of the format's characters simplified.
_FOLD = str.maketrans(
    {**dict.fromkeys("“”‘’「」『』'＂", '"'), **dict(zip(TRADITIONAL[0::2], TRADITIONAL[1::2]))}
)
_MARKER = re.compile(r"^(\d+)[、.．]")
#: Characters that separate cells in the stream: a grid cell boundary and a line break.
CELL, LINE = "|", "\n"


def normalise_label(text: str) -> str:
    """The form labels are compared in.

    >>> normalise_label("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）")
    '(二)部分公开(区分处理的、只计这一情形、不计其他情形)'
    >>> normalise_label("1、申请人无正当理由逾期不补正, 行政机关不再处理")
    '1.申请人无正当理由逾期不补正、行政机关不再处理'
    >>> normalise_label("（七）總計")
    '(七)总计'
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = re.sub(r"\s+", "", text).replace(",", "、")
    return _MARKER.sub(r"\1.", text)


def _texts(document: Document) -> Iterator[str]:
    for block in document.blocks:
        if isinstance(block, Grid):
            for row in block.rows:
                yield from dict.fromkeys(cell.text for cell in row)  # a spanned cell once
        else:
            yield block.text


#: No origin: a separator the stream adds between cells, rows and fragments.
NOWHERE = -1


class _Folds:
    """Characters as the stream holds them, each worked out once: NFKC, quotes unified,
    ``,`` as ``、``, a traditional form of the format's characters simplified; and short
    texts as :meth:`_Builder.stretch` gives them."""

    def __init__(self) -> None:
        #: Each printed (not whitespace) character learnt, folded.
        self.folded: dict[str, str] = {}
        #: A translate table: the characters that fold to one printed character, those that
        #: stay as they are too (a character the table lacks costs ``str.translate`` a
        #: ``LookupError`` raised and caught).
        self.one_for_one: dict[int, str] = {}
        #: The characters that fold to several, or to whitespace, and line breaks: a
        #: fragment holding one is added character by character.
        self.awkward = {"\n", "\r"}
        #: Short texts added a stretch at a time: by the separator after them, then by text.
        self.stretched: dict[str, dict[str, tuple[str, array[int], bytes]]] = {
            CELL: {},
            LINE: {},
        }

    def learn(self, characters: Iterable[str]) -> None:
        """Work out the printed ``characters`` not yet learnt.

        One call for them all: NFKC never joins characters across a line break, nor makes one.
        """
        new = [char for char in characters if char not in self.folded and not char.isspace()]
        folded = unicodedata.normalize("NFKC", "\n".join(new)).translate(_FOLD).split("\n")
        for raw, one in zip(new, folded):
            one = "、" if one == "," else one
            if len(one) == 1:
                self.one_for_one[ord(raw)] = one
            if len(one) != 1 or one.isspace():
                self.awkward.add(raw)
            self.folded[raw] = one  # last: a character learnt is learnt whole


#: Folds kept from one document to the next: characters, and short texts (for each
#: separator after them) up to their longest; cells repeat (" 0 "), prose does not.
_KEPT = _Folds()
_CHARACTERS_KEPT = 16_384
_STRETCHES_KEPT = 2048
_STRETCH_KEPT_CHARS = 32


def _folds(characters: set[str]) -> _Folds:
    """The folds of a document's characters: those kept, its new ones learnt, while they
    stay within :data:`_CHARACTERS_KEPT`; else worked out for this document alone."""
    new = characters.difference(_KEPT.folded)
    if len(_KEPT.folded) + len(new) <= _CHARACTERS_KEPT:
        _KEPT.learn(new)
        return _KEPT
    alone = _Folds()
    alone.learn(characters)
    return alone


#: A stretch of printed characters between whitespace (``\s`` is what ``str.isspace`` says).
_PRINTED = re.compile(r"\S+")


#: 0, 1, 2 …: a line's offsets are sliced from it (a slice copies memory; an array built
#: from a range converts item by item); a longer line's are counted.
_COUNTING = array("i", range(4096))


def _offsets(start: int, end: int) -> array[int]:
    """The offsets from ``start`` to ``end`` (excluded), as an array."""
    if end <= len(_COUNTING):
        return _COUNTING[start:end]
    return array("i", range(start, end))


class _Builder:
    """A stream's characters and their bookkeeping, added fragment by fragment.

    A fragment of one line whose every character is whitespace or folds to one printed
    character (nearly all text) is added a stretch at a time; any other one character by
    character, by the rules in :meth:`add_by_character`. Both give the same stream.
    """

    def __init__(self, characters: set[str]) -> None:
        self.fragments: list[Fragment] = []
        self.pieces: list[str] = []  # the stream's text, in pieces
        self.fragment_of = array("i")
        self.offset_of = array("i")
        self.gap = bytearray()
        #: One fragment's index, repeated to add it for each of a stretch's characters (an
        #: array's repeat copies memory; ``fromlist`` converts item by item).
        self.unit = array("i", (0,))
        folds = _folds(characters)
        self.folds = folds.folded
        self.one_for_one = folds.one_for_one
        self.awkward = folds.awkward
        self.stretched = folds.stretched

    def add(self, fragment: Fragment, after: str) -> None:
        """A fragment's text after the stream's text so far, then the separator ``after``;
        the same short text (" 0 ", a blank cell) is worked out once."""
        index = len(self.fragments)
        self.fragments.append(fragment)
        text = fragment.text
        stretched = self.stretched[after].get(text)
        if stretched is None:
            if not self.awkward.isdisjoint(text):
                self.add_by_character(text, index)
                self.separator(after)
                return
            stretched = self.stretch(text, after)
            kept = self.stretched[after]
            if len(text) <= _STRETCH_KEPT_CHARS and len(kept) < _STRETCHES_KEPT:
                kept[text] = stretched
        folded, offsets, gaps = stretched
        self.pieces.append(folded)
        fragment_of = self.fragment_of
        unit = self.unit
        unit[0] = index
        fragment_of.extend(unit * (len(folded) - 1))
        fragment_of.append(NOWHERE)
        self.offset_of.extend(offsets)
        self.gap.extend(gaps)

    def stretch(self, text: str, after: str) -> tuple[str, array[int], bytes]:
        """A line with no awkward character, then the separator ``after``, as the stream
        holds them: its printed characters folded, each one's offset in the line, and
        whether whitespace stood before it."""
        stretches = text.split()
        if len(stretches) == 1:  # most cells: one printed stretch, spaced or not (" 0 ")
            stretch = stretches[0]
            start = len(text) - len(text.lstrip())
            offsets = _offsets(start, start + len(stretch))
            offsets.append(NOWHERE)
            spaced = bytes((start > 0,)) + bytes(len(stretch) - 1) + b"\x01"
            return self.fold(stretch) + after, offsets, spaced
        offsets = array("i")
        gaps = bytearray()
        for match in _PRINTED.finditer(text):
            start, end = match.span()
            offsets.extend(_offsets(start, end))
            gaps.append(start > 0)
            gaps.extend(bytes(end - start - 1))
        offsets.append(NOWHERE)
        gaps.append(True)
        return self.fold("".join(stretches)) + after, offsets, bytes(gaps)

    def fold(self, printed: str) -> str:
        """A line's printed characters (no awkward one) folded one for one, a list marker at
        its start as ``1.``."""
        if printed.isdigit() and printed.isascii():
            return printed  # a count: ASCII digits fold to themselves, and hold no marker
        return _list_marker(printed.translate(self.one_for_one))

    def add_by_character(self, text: str, index: int) -> None:
        """Any fragment, a character at a time: whitespace is a gap, a list marker at a
        line's start (``1、``) is ``1.``, and a character may fold to several."""
        pending_gap = False
        digits = 0  # digits since the fragment's or a line's start; -1 after other text
        for offset, raw in enumerate(text):
            if raw in "\r\n":
                digits = 0
            if raw.isspace():
                pending_gap = True
                continue
            folded = self.folds[raw]
            if digits > 0 and folded in ("、", "."):
                folded = "."  # a list marker 1、 1． 1. is 1., as in normalise_label
            digits = digits + 1 if digits >= 0 and folded.isdigit() else -1
            # One character folds to one: append the shared str, not a fresh copy of it.
            for char in (folded,) if len(folded) == 1 else folded:
                if char.isspace():
                    pending_gap = True
                    continue
                self.pieces.append(char)
                self.fragment_of.append(index)
                self.offset_of.append(offset)
                self.gap.append(pending_gap)
                pending_gap = False

    def separator(self, char: str) -> None:
        """A cell or line boundary the stream adds (no origin)."""
        self.pieces.append(char)
        self.fragment_of.append(NOWHERE)
        self.offset_of.append(NOWHERE)
        self.gap.append(True)


def _list_marker(line: str) -> str:
    """A line's folded printed characters with a list marker at its start (``1、``) as
    ``1.``: the one character after its leading digits, if that is ``、``."""
    if not line or not line[0].isdigit():
        return line
    end = 1
    while end < len(line) and line[end].isdigit():
        end += 1
    if end < len(line) and line[end] == "、":
        return f"{line[:end]}.{line[end + 1 :]}"
    return line


class Stream:
    """A document's text normalised into one string, each character traceable to its source.

    Grid cells are joined by ``|`` and grid rows and fragments by a line break; ``gap[i]``
    says whitespace stood before character ``i`` (a boundary no number crosses).
    ``fragment[i]`` and ``offset[i]`` say where character ``i`` was printed (``NOWHERE`` for a
    separator). The bookkeeping is a few bytes per character, in flat arrays: a document of
    :data:`~ogi_report.readers._document.MAX_TEXT_CHARS` characters stays in tens of MB.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        texts = list(_texts(document))
        refuse_long_text(sum(map(len, texts)), document.source)
        built = _Builder(set("".join(texts)))
        for block in document.blocks:
            if isinstance(block, Grid):
                above: tuple[Fragment, ...] = ()
                for row in block.rows:
                    previous: Fragment | None = None
                    pending: Fragment | None = None  # the row's cell read last, not yet added
                    for column, cell in enumerate(row):
                        if cell is previous:
                            continue  # one cell spanning columns: its text once, not per column
                        previous = cell
                        if pending is None and column < len(above) and cell is above[column]:
                            continue  # a label spanning rows, left of this row's own cells: once
                        if pending is not None:
                            built.add(pending, CELL)
                        pending = cell
                    if pending is not None:
                        built.add(pending, LINE)
                    else:
                        built.separator(LINE)
                    above = row
            else:
                built.add(block, LINE)
        self.fragments = built.fragments
        self.text = "".join(built.pieces)
        self.fragment = built.fragment_of
        self.offset = built.offset_of
        self.gap = built.gap

    def provenance(self, start: int, end: int) -> Provenance | None:
        """Where the stream characters ``start:end`` were printed."""
        fragment = self.fragment
        if start < end and fragment[start] != NOWHERE and fragment[end - 1] != NOWHERE:
            first, last = start, end - 1  # most spans: printed characters at both ends
        else:
            found = next((p for p in range(start, end) if fragment[p] != NOWHERE), None)
            if found is None:
                return None
            first = found
            last = next(p for p in range(end - 1, first - 1, -1) if fragment[p] != NOWHERE)
        where = self.fragments[self.fragment[first]].where
        if where.line is None or where.path is not None or where.page is not None:
            return where
        base = where.start or 0
        if self.fragment[last] != self.fragment[first]:
            return _spanning(where, base + self.offset[first], None)
        return _spanning(where, base + self.offset[first], base + self.offset[last] + 1)

    def runs(
        self, start: int, end: int, skip: bytearray | None = None
    ) -> list[tuple[str, Provenance | None]]:
        """The source text behind ``start:end`` as printed, one run per stretch of one
        fragment; characters flagged (1) in ``skip`` (already read) end a run and are left
        out."""
        runs: list[tuple[str, Provenance | None]] = []
        fragment, offset = self.fragment, self.offset
        position = start
        while position < end:
            free = position if skip is None else skip.find(0, position, end)
            if free < 0:
                break
            owner = fragment[free]
            if owner == NOWHERE:
                position = free + 1  # a separator: no source text
                continue
            # A fragment's characters are followed by a separator: the run stops there, or
            # at the first character skipped.
            try:
                stop = fragment.index(NOWHERE, free, end)
            except ValueError:
                stop = end
            if skip is not None:
                taken = skip.find(1, free, stop)
                stop = stop if taken < 0 else taken
            printed = self.fragments[owner]
            runs.append((printed.text[offset[free] : offset[stop - 1] + 1], printed.where))
            position = stop
        return runs

    def printed(self, start: int, end: int) -> str:
        """The characters behind stream ``start:end`` exactly as printed (one fragment)."""
        if start >= end:
            return self.text[start:end]
        first, last = self.fragment[start], self.fragment[end - 1]
        if first == NOWHERE or first != last:
            return self.text[start:end]
        return self.fragments[first].text[self.offset[start] : self.offset[end - 1] + 1]


def _spanning(where: Provenance, start: int, end: int | None) -> Provenance:
    """``where`` (a text line, no path, no page) narrowed to the characters ``start:end``:
    made directly, as ``attrs.evolve`` would make it, at a fraction of its cost per cell."""
    return _new_provenance(
        where.source,
        where.line,
        start,
        end,
        bbox=where.bbox,
        note=where.note,
        confidence=where.confidence,
    )


def label_pattern(label: str, *, bounded: bool = False) -> re.Pattern[str]:
    """A regex for a normalised label that tolerates cell and line breaks inside it.

    ``bounded`` requires a cell or line boundary (or the text's edge) on both sides, for
    short labels that also occur inside longer text (``予以公开``).
    """
    body = "[|\\n]*".join(re.escape(char) for char in label)
    if bounded:
        # The boundary before is checked after the first character (no character but a
        # boundary before it), so that the regex engine skips ahead to that character.
        first = re.escape(label[0])
        return re.compile(f"{first}(?<![^|\\n]{first}){body[len(first) :]}(?=[|\\n]|$)")
    return re.compile(body)


@attrs.frozen
class Label:
    """One row's ways of being printed, as patterns; the first one found wins."""

    key: str
    patterns: tuple[re.Pattern[str], ...]

    def find(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """The earliest match of any pattern in ``text[start:end]``."""
        best: re.Match[str] | None = None
        for pattern in self.patterns:
            match = pattern.search(text, start, end)
            if match and (best is None or match.start() < best.start()):
                best = match
        return best


#: Printed variants that normalisation does not fold (typos, renames, converter damage):
#: leaf label of a row -> other leaves seen in real reports (``label-variants.csv``).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "2.其他法律行政法规禁止公开": ("2.其他法律行政止公开",),
    "规范性文件": ("行政规范性文件",),
    "行政规范性文件": ("规范性文件",),
    "(七)总计": ("(七)合计",),
    "3.其他": ("3.其他处理",),
}

_LEADING_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
_NOTE = re.compile(r"\([^()]*\)$")


def _leaves(row: RowSpec) -> Iterator[str]:
    leaf = normalise_label(row.zh[-1])
    yield leaf
    yield from (normalise_label(s) for s in SYNONYMS.get(leaf, ()))
    core = _NOTE.sub("", leaf)  # (二)部分公开(区分处理的…) also printed as (二)部分公开
    if core != leaf:
        yield core


def row_label(row: RowSpec) -> Label:
    """Patterns for a row: its leaf label (and variants) anywhere; without its list marker
    only between cell boundaries, where it cannot be part of a longer text."""
    patterns: list[re.Pattern[str]] = []
    for leaf in dict.fromkeys(_leaves(row)):
        patterns.append(label_pattern(leaf))
        bare = _LEADING_MARKER.sub("", leaf)
        if bare != leaf and len(bare) >= 2:
            patterns.append(label_pattern(bare, bounded=len(bare) < 8))
    return Label(row.key, tuple(patterns))


def table_labels(table: TableSpec) -> tuple[Label, ...]:
    """Every row label of ``table``, in printed order."""
    return tuple(row_label(row) for row in table.rows)


def words(items: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns for header words (column labels, captions) to recognise and skip."""
    return tuple(label_pattern(normalise_label(item)) for item in dict.fromkeys(items) if item)


__all__ += ["Block", "row_label", "table_labels", "words"]
