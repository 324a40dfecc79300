"""Text recognition for the OCR reader: images of one line of text to characters, each with
its runner-up readings and their probabilities.

rapidocr's recogniser (PP-OCR, a CTC model) is run on the crops directly: narrow crops (a
cell's number) side by side in one input, as the model reads an input narrower than its
training width (:data:`_MIN_WIDTH`) poorly (a lone ``0`` reads as ``o``) and no faster.
Per frame, the model's readings are folded by NFKC (``７`` is ``7``, ``／`` is ``/``) and
their probabilities added, so a digit whose probability is shared between its half- and
full-width forms is still certain. Ink that no character was read from (a blot beside a
digit, a digit the model passed over) is noticed: such a reading has confidence 0.

A cell of digits only may print a digit the model reads as a letter of the same shape
(``O``/``o``/``〇`` for 0, ``l``/``I``/``|`` for 1); :func:`as_number` reads such a cell as
the number, the letters' probabilities added to the digit's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Glyph", "Reading", "Recogniser", "as_number"]

Gray = npt.NDArray[np.uint8]

#: The model's input height, and the narrowest input it reads well (its training width).
_HEIGHT = 48
_MIN_WIDTH = 320
#: A gray level darker than this is a mark on the page (paper is lighter).
_MARK = 200
#: Inputs recognised in one run of the model (larger runs are slower per column).
_BATCH = 4
#: Narrow crops are read side by side in lines this wide, this many white columns apart.
_LINE = 960
_GAP = 32
#: Readings of a frame that are kept: the most probable, enough for the runner-up; a
#: frame whose first reading is this probable keeps that one alone.
_TOP = 4
_SURE = 0.999
#: Letters a digit of a number is read as, by the digit's shape.
LOOKALIKES = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"}
_NUMBER_TEXT = re.compile(r"-?[0-9OoI〇l|]+(?:\.[0-9OoI〇l|]+)?(?:万元|元)?\Z")


@attrs.frozen
class Glyph:
    """One character read: the readings of its most certain frame, most probable first
    (``""`` is the model's "no character here")."""

    readings: tuple[tuple[str, float], ...]

    @property
    def char(self) -> str:
        """The character read."""
        return self.readings[0][0]

    @property
    def probability(self) -> float:
        """The probability of :attr:`char`."""
        return self.readings[0][1]


@attrs.frozen
class Reading:
    """What one crop reads as: its characters (a space between words is one too), and
    whether it holds ink no character was read from (a smudge, a character the model
    passed over)."""

    glyphs: tuple[Glyph, ...] = ()
    unread_ink: bool = False

    @property
    def text(self) -> str:
        """The characters read, as one string."""
        return "".join(glyph.char for glyph in self.glyphs)

    @property
    def confidence(self) -> float | None:
        """The probability of the least certain character, 0 with ink no character was
        read from; None for no character."""
        least = min((g.probability for g in self.glyphs if g.char != " "), default=None)
        return 0.0 if least is not None and self.unread_ink else least


def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).strip()


def as_number(reading: Reading) -> Reading | None:
    """``reading`` as the number it shows, the probabilities of the letters of a digit's
    shape added to the digit's (and such a letter read as the digit); None if it is not
    digits and such letters only (with a sign, a decimal point, 元 or 万元)."""
    if not _NUMBER_TEXT.match(reading.text.replace(" ", "")):
        return None
    glyphs = []
    for glyph in reading.glyphs:
        if glyph.char == " ":
            continue
        totals: dict[str, float] = {}
        for char, probability in glyph.readings:
            digit = LOOKALIKES.get(char, char)
            totals[digit] = totals.get(digit, 0.0) + probability
        glyphs.append(Glyph(tuple(sorted(totals.items(), key=lambda item: -item[1]))))
    return Reading(tuple(glyphs), reading.unread_ink)


class Recogniser:
    """rapidocr's text recogniser run on crops of one line of text each.

    An input narrower than :data:`_MIN_WIDTH` costs the model as much as one that wide, and
    it reads a column fastest in runs of a few inputs: narrow crops are read side by side,
    :data:`_GAP` white columns apart, in lines up to :data:`_LINE` wide, :data:`_BATCH`
    lines a run, and each character goes back to the crop it was read in by where in the
    line the model placed it.
    """

    def __init__(self, engine: Any) -> None:
        recogniser = engine.text_rec
        self._session = recogniser.session
        characters: list[str] = list(recogniser.postprocess_op.character)
        self._folded = [_fold(char) if index else "" for index, char in enumerate(characters)]
        self._folded[-1] = " "  # the model's last class is the space between words

    def read(self, crops: Sequence[Gray]) -> list[Reading]:
        """Each crop (grayscale, dark text on light) read as one line."""
        inputs = [_normalised(crop) for crop in crops]
        lines: list[tuple[npt.NDArray[np.float32], list[tuple[int, int, int]]]] = []
        packed: list[tuple[int, int, int]] = []  # crop, first column, end column
        width = 0

        def close() -> None:
            nonlocal width
            if packed:
                line = np.ones((_HEIGHT, width), np.float32)  # white
                for index, first, end in packed:
                    line[:, first:end] = inputs[index]
                lines.append((line, packed.copy()))
                packed.clear()
                width = 0

        for index in sorted(range(len(inputs)), key=lambda i: inputs[i].shape[1]):
            size = inputs[index].shape[1]
            if size >= _MIN_WIDTH:
                lines.append((inputs[index], [(index, 0, size)]))
                continue
            if width + size > _LINE:
                close()
            width += _GAP if packed else 0
            packed.append((index, width, width + size))
            width += size
        close()
        readings = [Reading()] * len(inputs)
        lines.sort(key=lambda line: line[0].shape[1])
        for start in range(0, len(lines), _BATCH):
            batch = lines[start : start + _BATCH]
            columns = max(_MIN_WIDTH, *(line.shape[1] for line, _ in batch))
            # Padded with 0 after normalising (mid-gray), as the model was trained.
            tensor = np.zeros((len(batch), 3, _HEIGHT, columns), np.float32)
            for slot, (line, _) in enumerate(batch):
                tensor[slot, :, :, : line.shape[1]] = line
            probabilities = self._session(tensor)[0]
            step = columns / probabilities.shape[1]  # columns a frame stands for
            for slot, (_, spans) in enumerate(batch):
                glyphs = self._decode(probabilities[slot])
                for index, first, end in spans:
                    low, high = first - _GAP / 2, end + _GAP / 2
                    mine = [
                        ((frame + 0.5) * step - first, glyph)
                        for frame, glyph in glyphs
                        if low <= (frame + 0.5) * step < high
                    ]
                    readings[index] = _reading(mine, inputs[index])
        return readings

    def _decode(self, frames: npt.NDArray[np.float32]) -> list[tuple[int, Glyph]]:
        """A CTC decoding of the frames, readings folded: a run of frames with the same
        character is one character, kept with the readings of its most certain frame (and
        that frame's number)."""
        best = frames.argmax(axis=1)
        sure = frames[np.arange(len(frames)), best] >= _SURE
        unsure = np.flatnonzero(~sure)
        top = dict(zip(unsure.tolist(), np.argpartition(-frames[unsure], _TOP, axis=1)[:, :_TOP]))
        glyphs: list[tuple[int, Glyph]] = []
        previous = ""
        for number, frame in enumerate(frames):
            if sure[number]:
                index = int(best[number])
                readings: tuple[tuple[str, float], ...] = (
                    (self._folded[index], float(frame[index])),
                )
            else:
                totals: dict[str, float] = {}
                for index in top[number].tolist():
                    char = self._folded[index]
                    totals[char] = totals.get(char, 0.0) + float(frame[index])
                readings = tuple(sorted(totals.items(), key=lambda item: -item[1]))
            char = readings[0][0]
            if char and char == previous:
                if readings[0][1] > glyphs[-1][1].probability:
                    glyphs[-1] = (number, Glyph(readings))
            elif char:
                glyphs.append((number, Glyph(readings)))
            previous = char
        return glyphs


def _reading(glyphs: list[tuple[float, Glyph]], crop: npt.NDArray[np.float32]) -> Reading:
    """The glyphs read in ``crop`` (each by the column the model placed it at) as a
    reading, spaces before and after dropped, and whether ink is left unread: marks
    (anything darker than :data:`_MARK`) over a quarter of the text's height wide, further
    than half its height from every character read."""
    chars = [glyph for _, glyph in glyphs]
    start, end = 0, len(chars)
    while start < end and chars[start].char == " ":
        start += 1
    while end > start and chars[end - 1].char == " ":
        end -= 1
    rows = np.flatnonzero((crop < 0).any(axis=1))  # darker than mid-gray: the text
    columns = np.flatnonzero((crop < _MARK / 127.5 - 1).any(axis=0))
    if not len(rows) or start == end:
        return Reading(tuple(chars[start:end]))
    height = float(rows[-1] - rows[0] + 1)
    centres = np.array([x for x, glyph in glyphs if glyph.char != " "], np.float64)
    distance = np.abs(columns[:, None] - centres[None, :]).min(axis=1)
    unread = int((distance > height / 2).sum()) > height / 4
    return Reading(tuple(chars[start:end]), unread)


def _normalised(crop: Gray) -> npt.NDArray[np.float32]:
    """A crop scaled to the model's height and its values to [-1, 1], as rapidocr does."""
    import cv2

    height, width = crop.shape
    scaled = max(8, math.ceil(_HEIGHT * width / height))
    image = np.asarray(cv2.resize(crop, (scaled, _HEIGHT)), np.float32)
    return ((image / 255.0 - 0.5) / 0.5).astype(np.float32)
