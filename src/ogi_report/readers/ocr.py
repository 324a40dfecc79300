"""Scans and images read by OCR: scanned PDFs, PNG, JPEG and TIFF pictures of a report.

Needs the ``ocr`` extra: rapidocr with onnxruntime (Apache-2.0), whose wheel ships the
Chinese PP-OCR models, so nothing is downloaded when it runs; one engine is made per
process, when first needed. A PDF page without a text layer is rendered with pypdfium2 at
its scan's own resolution (:data:`MIN_DPI` to :data:`MAX_DPI`); a picture is read as it is.
Each page's ruled tables become grids and its other text lines (:mod:`._ocr_layout`), and
the report is assembled from them as from any other form.

Every cell read carries its box (``bbox``: PDF points from the page's top-left corner for a
PDF page, pixels for a picture, on the page as straightened) and the OCR's ``confidence`` in
the least certain character it was read from, 0 where ink was left unread beside the digits
(:class:`~ogi_report.cells.Provenance`). The tables' identities (总计 = the sum of its
parts, 一 + 二 = 三 + 四 …) then check what was read, and nothing is guessed:

* a number (or a mark) read with less than :data:`LOW_CONFIDENCE` is kept if an identity
  it is in holds (one whose other cells were read with :data:`LOW_CONFIDENCE`, when it was
  read with less than :data:`UNSURE`); if the identities break, it is
  :class:`~ogi_report.cells.Ambiguous`, its candidates the number read, the numbers that
  make each identity hold and the OCR's runner-up readings of its digits (those at least
  :data:`RUNNER_UP` probable), or :data:`~ogi_report.cells.MISSING` if there are none;
* one that no identity can check (section 2's) is ambiguous when the OCR has a runner-up
  reading of it, else kept with its confidence in its provenance, or missing if read with
  less than :data:`UNSURE`;
* a cell read as text that is not words (``8口``: a digit beside a smudge; ``。``: a
  blurred 0) is ambiguous between that text and the numbers the identities need; a cell
  with ink the OCR read nothing from is missing. The provenance's note says what was read
  and what the identities need.

Letters a digit is misread as (``O``/``o`` for 0, ``l``/``I`` for 1) are read as the digit
only in a cell of digits, noted in the provenance; a dash is read by its shape; ``/`` and
the other not-applicable marks as printed. The bounds are :data:`MAX_OCR_PAGES` and
:data:`MAX_IMAGE_PIXELS`: past them pages are not read (said in ``unplaced``) and a picture
is refused.
"""

from __future__ import annotations

import io
import itertools
import math
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..cells import (
    MISSING,
    Ambiguous,
    Blank,
    Cell,
    NotApplicable,
    Provenance,
    Unreadable,
    is_number,
)
from ..errors import InputError
from ..model import Report, Unplaced
from ..rules.relations import Relation, relations, signed_sum
from ._assemble import assemble
from ._numbers import parse_value

if TYPE_CHECKING:
    from ._ocr_layout import CellText, OcrPage
    from ._ocr_read import Gray, Recogniser

__all__ = [
    "LOW_CONFIDENCE",
    "MAX_DPI",
    "MAX_IMAGE_PIXELS",
    "MAX_OCR_PAGES",
    "MIN_DPI",
    "RUNNER_UP",
    "UNSURE",
    "ocr_installed",
    "read_image",
    "read_scanned_pdf",
]

#: Pages read by OCR, at most: a report has a handful, and a page takes seconds.
MAX_OCR_PAGES = 30
#: Pixels a picture (or a frame of a TIFF, or an image drawn on a scanned page) may have:
#: an A4 page scanned at 600 dpi has 35 million. A larger picture is refused before it is
#: decoded (a decompression bomb), a scanned page with a larger image is not read.
MAX_IMAGE_PIXELS = 40_000_000
#: Resolutions a scanned page is rendered at: its scan's own, within these.
MIN_DPI = 150
MAX_DPI = 300
#: A number read with a less certain character than this is checked against the tables'
#: identities (clean print reads at 0.8 to 1 a character).
LOW_CONFIDENCE = 0.9
#: A number read with a less certain character than this is kept only if an identity
#: whose other cells were read with :data:`LOW_CONFIDENCE` holds.
UNSURE = 0.5
#: A runner-up reading of a digit at least this probable is a candidate of a doubtful cell.
RUNNER_UP = 0.1

#: A cell read by OCR by where it was read: its page and box.
_Key = tuple[int | None, tuple[float, float, float, float] | None]
_NEEDS_EXTRA = "reading scans needs the ocr extra: pip install 'ogi-report[ocr]'"
_ENGINE_LOCK = threading.Lock()
_ENGINE: list[Recogniser] = []
#: What an identity counts as 0, as the checks do by default.
_ZERO = frozenset({Blank, NotApplicable})


def ocr_installed() -> bool:
    """True if the ``ocr`` extra can be imported."""
    try:
        _require()
    except ImportError:
        return False
    return True


def _require() -> None:
    """Raise ImportError naming the extra unless rapidocr, numpy, Pillow and pypdfium2 import."""
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None


def _recogniser() -> Recogniser:
    """The process's one recogniser, made when first needed."""
    _require()
    with _ENGINE_LOCK:
        if not _ENGINE:
            from rapidocr_onnxruntime import RapidOCR

            from ._ocr_read import Recogniser

            _ENGINE.append(Recogniser(RapidOCR()))
        return _ENGINE[0]


# --- pictures -------------------------------------------------------------------------------


def read_image(data: bytes, source: str | None = None) -> Report:
    """Read a report from a picture (PNG, JPEG, TIFF; each frame of a TIFF a page).

    Raises :class:`~ogi_report.errors.InputError` for what is not a readable picture or is
    larger than :data:`MAX_IMAGE_PIXELS`, and ``ImportError`` without the ``ocr`` extra.
    """
    _require()
    name = source or "<image>"
    image = _opened(data, name)
    notes = [Unplaced("", "no text layer: a picture, read by OCR", Provenance(name))]
    pages: list[OcrPage] = []
    for index in itertools.count():
        try:
            image.seek(index)
        except EOFError:
            break
        except (OSError, ValueError, SyntaxError) as error:
            raise InputError(f"a damaged picture ({error})", source=name) from None
        if index == MAX_OCR_PAGES:
            notes.append(
                Unplaced(
                    "",
                    f"more than {MAX_OCR_PAGES} pages: only the first {MAX_OCR_PAGES} were read",
                    Provenance(name, page=index + 1),
                )
            )
            break
        page = _page(_gray(image, index == 0, name), 1.0, index + 1, name)
        if page.bound is not None:
            notes.append(Unplaced("", page.bound, Provenance(name, page=index + 1)))
        pages.append(page)
    return _with_notes(_report(pages, name), notes)


def _opened(data: bytes, name: str) -> Any:
    """The picture, opened (not decoded)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise InputError(f"a picture too large to decode ({error})", source=name) from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise InputError(f"not a picture that can be read ({error})", source=name) from None


def _gray(image: Any, first: bool, name: str) -> Gray:
    """The picture's current frame in grayscale (on white where it is transparent, turned
    as its EXIF orientation says), checked against :data:`MAX_IMAGE_PIXELS` before it is
    decoded."""
    import numpy as np
    from PIL import Image, ImageOps

    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise InputError(
            f"a picture of {width} x {height} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed",
            source=name,
        )
    try:
        frame = ImageOps.exif_transpose(image) if first else image.copy()
        if frame.mode == "I" or frame.mode.startswith("I;16"):  # 16 bits a pixel
            return np.asarray(np.clip(np.asarray(frame, np.float64) / 257, 0, 255), np.uint8)
        if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
            white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
            frame = Image.alpha_composite(white, frame.convert("RGBA"))
        return np.asarray(frame.convert("L"), np.uint8)
    except (OSError, ValueError, SyntaxError) as error:
        raise InputError(f"a damaged picture ({error})", source=name) from None


# --- scanned PDFs ---------------------------------------------------------------------------


def read_scanned_pdf(
    data: bytes, source: str | None, pages: Sequence[int], notes: Sequence[Unplaced] = ()
) -> Report | None:
    """Read ``pages`` (numbers from 1) of a PDF without a text layer by OCR; None if OCR
    finds no text on them (and no page was left unread for a bound). ``notes`` (what the
    PDF reader did not read) go to ``unplaced``.

    Raises ``ImportError`` without the ``ocr`` extra.
    """
    _require()
    name = source or "<pdf>"
    said: list[Unplaced] = []
    read: list[OcrPage] = []
    for number in pages[:MAX_OCR_PAGES]:
        rendered = _rendered(data, number, name)
        if isinstance(rendered, Unplaced):
            said.append(rendered)
        else:
            page = _page(*rendered, number, name)
            if page.bound is not None:
                said.append(Unplaced("", page.bound, Provenance(name, page=number)))
            read.append(page)
    if not said and not any(page.page.items for page in read):
        return None  # as if never read: the PDF reader says there is no text layer
    if len(pages) > MAX_OCR_PAGES:
        said.append(
            Unplaced(
                "",
                f"more than {MAX_OCR_PAGES} scanned pages: the pages after page"
                f" {pages[MAX_OCR_PAGES - 1]} were not read by OCR",
                Provenance(name, page=pages[MAX_OCR_PAGES]),
            )
        )
    span = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}-{pages[-1]}"
    reason = f"no text layer on {span}: a scanned image, read by OCR"
    report = _report(read, name)
    return _with_notes(report, [Unplaced("", reason, Provenance(name)), *said, *notes])


def _rendered(data: bytes, number: int, name: str) -> tuple[Gray, float] | Unplaced:
    """Page ``number`` rendered in grayscale and the points a pixel is; or why it is not.

    pdfium is used holding the PDF reader's lock (it must not run in two threads).
    """
    import numpy as np
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from ._pdf_page import LOCK

    with LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise InputError(f"a PDF pdfium cannot open ({error})", source=name) from None
        try:
            page = document[number - 1]
            width, height = page.get_size()
            scale = MIN_DPI / 72
            for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                pixels_x, pixels_y = image.get_px_size()
                if pixels_x * pixels_y > MAX_IMAGE_PIXELS:
                    return Unplaced(
                        "",
                        f"page {number} was not read by OCR: it draws an image of {pixels_x}"
                        f" x {pixels_y} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed",
                        Provenance(name, page=number),
                    )
                left, _, right, _ = image.get_bounds()
                if right - left >= width / 2:
                    scale = max(scale, pixels_x / (right - left))  # the scan's own resolution
            most = math.sqrt(MAX_IMAGE_PIXELS / max(1.0, width * height))
            scale = min(scale, MAX_DPI / 72, most)
            scale = (max(1, round(width * scale)) - 0.25) / width  # whole pixels: no resampling
            bitmap = page.render(scale=scale, grayscale=True)
            gray = np.array(bitmap.to_numpy(), np.uint8)
        except pdfium.PdfiumError as error:
            return Unplaced(
                "", f"page {number} could not be rendered for OCR ({error})", Provenance(name)
            )
        finally:
            document.close()
    return gray.reshape(gray.shape[:2]), 1 / scale


# --- pages to a report ----------------------------------------------------------------------


def _page(gray: Gray, unit: float, number: int, name: str) -> OcrPage:
    """Page ``number`` read; ``unit`` is what a pixel is in its boxes."""
    from ._ocr_layout import read_page

    return read_page(gray, _recogniser(), number, name, unit)


def _report(pages: Sequence[OcrPage], name: str) -> Report:
    """The pages assembled, each cell read settled against the identities."""
    from .pdf import _document

    report = assemble(_document([page.page for page in pages], name))
    texts: dict[_Key, CellText] = {
        (page.page.number, box): text for page in pages for box, text in page.cells.items()
    }
    report = _settle(report, texts)
    notes = [note for page in pages for note in page.notes]
    return _with_notes(report, notes) if notes else report


def _with_notes(report: Report, notes: Sequence[Unplaced]) -> Report:
    return attrs.evolve(report, unplaced=(*report.unplaced, *notes))


# --- settling what was read -----------------------------------------------------------------


@attrs.frozen
class _Check:
    """What the identities a cell is in say of it: the values that make the broken ones
    hold; whether one holds as read, and whether one holds whose other cells were read
    with :data:`LOW_CONFIDENCE` or more; whether any could be checked."""

    needed: tuple[Cell, ...] = ()
    holds: bool = False
    holds_surely: bool = False
    checked: bool = False


def _check(
    code: str,
    value: Cell,
    values: Mapping[str, Cell],
    identities: Sequence[Relation],
    sure: Callable[[str], bool],
) -> _Check:
    """The identities ``code`` is in, each with every other cell countable, solved for it;
    ``sure`` says whether a cell was read with confidence."""
    needed: list[Cell] = []
    holds = holds_surely = checked = False
    for relation in identities:
        mine = [term for term in (*relation.left, *relation.right) if term.code == code]
        if len(mine) != 1:
            continue
        sign = mine[0].sign * (1 if mine[0] in relation.left else -1)
        left = signed_sum([t for t in relation.left if t.code != code], values, None, _ZERO)
        right = signed_sum([t for t in relation.right if t.code != code], values, None, _ZERO)
        if isinstance(left, str) or isinstance(right, str):
            continue  # another cell of it cannot be counted
        checked = True
        target = (right.total - left.total) * sign
        if is_number(value) and value == target:
            holds = True
            holds_surely = holds_surely or all(sure(c) for c in relation.cells if c != code)
        elif target >= 0 and target not in needed:
            needed.append(target)
    return _Check(tuple(needed), holds, holds_surely, checked)


def _runner_ups(text: CellText, value: Cell, money: bool) -> list[Cell]:
    """The numbers the cell reads as with one digit read as its runner-up (or dropped),
    when that is at least :data:`RUNNER_UP` probable."""
    reading = text.reading
    if parse_value(reading.text, money=money) != value:
        return []  # the cell's text holds more than this value
    found: list[Cell] = []
    chars = [glyph.char for glyph in reading.glyphs]
    for index, glyph in enumerate(reading.glyphs):
        for char, probability in glyph.readings[1:]:
            if probability < RUNNER_UP or not (char == "" or char.isdigit()):
                continue
            other = parse_value("".join([*chars[:index], char, *chars[index + 1 :]]), money=money)
            if is_number(other) and other != value and other not in found:
                found.append(other)
    return found


def _settle(report: Report, texts: Mapping[_Key, CellText]) -> Report:
    """Each cell read by OCR checked against the identities (see the module's docstring)."""
    template = report.template
    identities = [
        r
        for r in relations(template)
        if r.op == "==" and not any(t.previous for t in (*r.left, *r.right))
    ]
    values = report.values()
    where_of = report.provenance

    def sure(code: str) -> bool:
        confidence = where_of[code].confidence if code in where_of else None
        return confidence is None or confidence >= LOW_CONFIDENCE

    changes: dict[str, Cell] = {}
    provenance = dict(where_of)
    for code, where in where_of.items():
        text = texts.get((where.page, where.bbox))
        if text is None:
            continue
        value = values[code]
        confidence = where.confidence or 0.0
        read = is_number(value) or isinstance(value, NotApplicable)
        doubtful = read and confidence < LOW_CONFIDENCE
        smudged = isinstance(value, Unreadable) and not _words(value.text)
        if not (doubtful or smudged or text.illegible):
            continue
        check = _check(code, value, values, identities, sure)
        if check.holds_surely or (check.holds and confidence >= UNSURE):
            continue
        said = f"; the identities need {_listed(check.needed)}" if check.needed else ""
        if text.illegible:
            changes[code] = MISSING
            provenance[code] = attrs.evolve(where, note=f"ink the OCR read nothing from{said}")
            continue
        candidates = [value, *check.needed]
        if doubtful and is_number(value):
            money = template.cell(code).column.is_money
            candidates += [c for c in _runner_ups(text, value, money) if c not in candidates]
        if smudged and len(candidates) == 1:
            continue  # unreadable text, flagged as it is
        if doubtful and len(candidates) == 1 and confidence >= UNSURE and not check.checked:
            continue  # no identity can check it: kept, with its confidence
        read_as = _listed([value])
        note = f"OCR read {read_as}, confidence {confidence:.2f}{said}"
        changes[code] = Ambiguous(tuple(candidates)) if len(candidates) > 1 else MISSING
        provenance[code] = attrs.evolve(where, note=note)
    if not changes:
        return report
    return attrs.evolve(report.replace_cells(changes), provenance=provenance)


def _words(text: str) -> bool:
    """True for text of two Chinese characters or more (见附件): printed words, not a
    number the OCR could not make out (``8口``, ``。``)."""
    return sum("\u4e00" <= char <= "\u9fff" for char in text) >= 2


def _listed(values: Sequence[Cell]) -> str:
    return " or ".join(str(v.text if isinstance(v, Unreadable) else v) for v in values)
