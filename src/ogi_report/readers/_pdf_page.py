"""One PDF page through pdfium: its characters with their boxes, its ruling edges, what it draws.

The boxes are pdfminer's, so that the geometry (:mod:`._pdf_geometry`) reads a page as the
reader always has: a character spans its advance width across and its font size up from the
font's descent, where pdfium's own boxes hug the glyph; coordinates are PDF points from the
top-left corner of the page's media box, turned as ``/Rotate`` turns the page. Each box is
made from what pdfium gives a character (its origin, and its text object's matrix, font size
and font), so it agrees with pdfminer's to pdfium's float precision (a ten-thousandth of a
point). The standard fonts take pdfminer's descents (their AFM metrics).

Edges are the sides of the shapes that draw table rules: stroked lines, rectangles and
curves, and filled rectangles at most :data:`BAR` thick that are not near white. A path is
cut into subpaths and each is a line, a rectangle or a curve as pdfminer classes it; its
points are taken as the decimals the PDF wrote (pdfium keeps 32-bit floats) and mapped as
pdfminer maps them, so that a rule at 123.95 is not one at 123.9499969.

pdfium is not thread-safe, not even across documents: every call into it is made holding
:data:`LOCK`. The calls are made through bindings of its own (see :class:`_Api`): a page
makes thousands of them.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ._pdf_geometry import Box, Char, Edge

__all__ = ["BAR", "LOCK", "Drawing", "Overdrawn", "draw_page", "open_pdf"]

LOCK = threading.RLock()
"""Held around every use of pdfium (a read, a render): it must not run in two threads."""

#: A filled rectangle at most this thick (in points) is a rule (a table border drawn as a bar).
BAR = 2.0

#: The descents pdfminer gives the standard fonts by name (their AFM metrics), whatever the
#: PDF says: a box's bottom is the baseline plus the descent.
_STANDARD_DESCENT = {
    **dict.fromkeys(
        ("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "CourierNew"),
        -194.0,
    ),
    **dict.fromkeys(("CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic"), -194.0),
    **dict.fromkeys(
        ("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Arial"),
        -207.0,
    ),
    **dict.fromkeys(("Arial,Italic", "Arial,Bold", "Arial,BoldItalic"), -207.0),
    **dict.fromkeys(
        ("Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman", "TimesNewRoman"),
        -217.0,
    ),
    **dict.fromkeys(
        ("TimesNewRoman,Italic", "TimesNewRoman,Bold", "TimesNewRoman,BoldItalic"), -217.0
    ),
    "Symbol": 0.0,
    "ZapfDingbats": 0.0,
}
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: The characters pdfium may generate between words and lines (they are not in the PDF).
_GENERATED = frozenset(map(ord, " \r\n"))
#: UTF-16's surrogates: a text with them is read a code point at a time.
_SURROGATES = range(0xD800, 0xE000)
#: A character's origin (two doubles) and a matrix's linear part (four floats) as pdfium
#: writes them.
_POINT = struct.Struct("2d")
_LINEAR = struct.Struct("4f")
# pdfium's constants (fpdf_edit.h), as pypdfium2 gives them
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


class Overdrawn(Exception):
    """A page draws more than it may: ``count`` characters and shapes so far."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@attrs.define
class Drawing:
    """What one page draws: its box, its characters (in the PDF's order), the edges of its
    rules, and how many images and characters and shapes it draws."""

    bbox: Box
    chars: list[Char]
    edges: list[Edge]
    images: int
    count: int


# --- pdfium -------------------------------------------------------------------------------


def open_pdf(data: bytes) -> Any:
    """The pdfium document of ``data``, or the PdfiumError saying why not (hold :data:`LOCK`)."""
    import pypdfium2

    return pypdfium2.PdfDocument(data)


def _address(handle: Any) -> int:
    """The address a pypdfium2 handle points to."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


#: A pointer as ctypes passes it (a ``CArgObject``), made once: an address, or None.
_arg: Callable[[int | None], Any] = ctypes.c_void_p.from_param
#: 1000 as the C float pdfium takes a font size in (widths in thousandths of the size).
_THOUSAND = ctypes.c_float.from_param(1000.0)


class _Api:
    """pdfium's functions as this module calls them, handles as addresses (ints): pypdfium2's
    own bindings return typed pointers, which can be neither hashed nor compared, and cost a
    third more a call.

    The functions called for every character, object and path segment are bound without
    argument types and keep the GIL (``PYFUNCTYPE``), which halves what ctypes does around a
    call: they take handles and places to write to as pointers made once by :func:`_arg`
    (ctypes passes them as they are, where a ``c_void_p`` is converted at every call),
    indexes and flags as ints, and nothing else. Those that take one object's handle, once
    for each object, take it as an int (``object_type``, ``font``).
    """

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        pointer, number = ctypes.c_void_p, ctypes.c_int

        def address(name: str) -> int:
            found = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            assert found is not None
            return found

        def bind(name: str, restype: Any, *argtypes: Any) -> Callable[..., Any]:
            function: Callable[..., Any] = ctypes.CFUNCTYPE(restype, *argtypes)(address(name))
            return function

        def loose(name: str, restype: Any) -> Callable[..., Any]:
            function: Callable[..., Any] = ctypes.PYFUNCTYPE(restype)(address(name))
            return function

        def of_handle(name: str, restype: Any) -> Callable[..., Any]:
            function: Callable[..., Any] = ctypes.PYFUNCTYPE(restype, pointer)(address(name))
            return function

        self.count_chars = bind("FPDFText_CountChars", number, pointer)
        self.get_text = bind("FPDFText_GetText", number, pointer, number, number, pointer)
        self.unicode = bind("FPDFText_GetUnicode", ctypes.c_uint, pointer, number)
        self.generated = loose("FPDFText_IsGenerated", number)
        self.unmapped = loose("FPDFText_HasUnicodeMapError", number)
        self.text_object = loose("FPDFText_GetTextObject", pointer)
        self.origin = loose("FPDFText_GetCharOrigin", number)
        self.char_matrix = loose("FPDFText_GetMatrix", number)
        self.font_size = loose("FPDFText_GetFontSize", ctypes.c_double)
        self.loose_box = bind("FPDFText_GetLooseCharBox", number, pointer, number, pointer)
        self.font = of_handle("FPDFTextObj_GetFont", pointer)
        self.descent = bind("FPDFFont_GetDescent", number, pointer, ctypes.c_float, pointer)
        self.width = loose("FPDFFont_GetGlyphWidth", number)
        # pdfium before 2024 names it FPDFFont_GetFontName
        name = "FPDFFont_GetBaseFontName"
        name = name if hasattr(raw, name) else "FPDFFont_GetFontName"
        self.font_name = bind(name, ctypes.c_ulong, pointer, ctypes.c_char_p, ctypes.c_ulong)
        self.count_objects = bind("FPDFPage_CountObjects", number, pointer)
        self.get_object = loose("FPDFPage_GetObject", pointer)
        self.object_type = of_handle("FPDFPageObj_GetType", number)
        self.form_count = bind("FPDFFormObj_CountObjects", number, pointer)
        self.form_object = bind("FPDFFormObj_GetObject", pointer, pointer, ctypes.c_ulong)
        self.object_matrix = loose("FPDFPageObj_GetMatrix", number)
        self.fill_color = loose("FPDFPageObj_GetFillColor", number)
        self.segments = loose("FPDFPath_CountSegments", number)
        self.draw_mode = loose("FPDFPath_GetDrawMode", number)
        self.segment = loose("FPDFPath_GetPathSegment", pointer)
        self.point = loose("FPDFPathSegment_GetPoint", number)
        self.segment_type = loose("FPDFPathSegment_GetType", number)
        self.closes = loose("FPDFPathSegment_GetClose", number)
        self.media_box = bind(
            "FPDFPage_GetMediaBox", number, pointer, pointer, pointer, pointer, pointer
        )
        self.rotation = bind("FPDFPage_GetRotation", number, pointer)


@functools.cache
def _api() -> _Api:
    return _Api()


class _Out:
    """Buffers pdfium writes its answers into, one set per page read (under :data:`LOCK`):
    their places as addresses (``_at``) and as pointers made by :func:`_arg` (``_ptr``)."""

    def __init__(self) -> None:
        self.floats = (ctypes.c_float * 6)()
        self.doubles = (ctypes.c_double * 2)()
        self.ints = (ctypes.c_int * 2)()
        self.colors = (ctypes.c_uint * 4)()
        self.float_at = [ctypes.addressof(self.floats) + 4 * i for i in range(6)]
        self.double_at = [ctypes.addressof(self.doubles) + 8 * i for i in range(2)]
        self.int_at = [ctypes.addressof(self.ints) + 4 * i for i in range(2)]
        self.color_at = [ctypes.addressof(self.colors) + 4 * i for i in range(4)]
        self.float_ptr = [_arg(at) for at in self.float_at]
        self.double_ptr = [_arg(at) for at in self.double_at]
        self.int_ptr = [_arg(at) for at in self.int_at]
        self.color_ptr = [_arg(at) for at in self.color_at]


# --- the page's frame -------------------------------------------------------------------


@attrs.frozen
class _Frame:
    """Where a page's user space goes: pdfminer's initial matrix for the page (its rotation,
    from the media box's corner), then pdfplumber's flip to points from the top left."""

    initial: _Matrix
    shift: float
    """Added to x (the media box's left side)."""
    lift: float
    """``top = lift - y``."""

    @property
    def linear(self) -> _Matrix:
        """The whole map as ``(a, b, c, d, e, f)``: ``X = a x + c y + e``,
        ``top = b x + d y + f``."""
        ra, rb, rc, rd, re, rf = self.initial
        return (ra, -rb, rc, -rd, re + self.shift, self.lift - rf)


def _frame(api: _Api, page: int, out: _Out) -> tuple[Box, _Frame]:
    """The page's box as pdfplumber gives it, and the map from user space to it."""
    at = out.float_at
    if api.media_box(page, at[0], at[1], at[2], at[3]):
        left, bottom, right, top = (_decimal(out.floats[i]) for i in range(4))
    else:
        left, bottom, right, top = 0.0, 0.0, 612.0, 792.0
    x0, x1 = sorted((left, right))
    y0, y1 = sorted((bottom, top))
    turns = api.rotation(page) % 4
    initial = (
        (1.0, 0.0, 0.0, 1.0, -x0, -y0),
        (0.0, -1.0, 1.0, 0.0, -y0, x1),
        (-1.0, 0.0, 0.0, -1.0, x1, y1),
        (0.0, 1.0, -1.0, 0.0, y1, -x0),
    )[turns]
    # pdfplumber's box: the media box (its sides swapped when the page is turned a quarter)
    bx0, by0, bx1, by1 = (y0, x0, y1, x1) if turns % 2 else (x0, y0, x1, y1)
    height = by1 - by0
    bbox = (bx0, height - by1, bx1, height - by0)
    return bbox, _Frame(initial, bx0, height + (height - by1))


def _decimal(value: float) -> float:
    """A float32 from pdfium as the decimal the PDF most likely wrote (``123.95``, not
    ``123.94999694824219``): seven digits are what a float32 holds, so that sums and
    roundings fall as pdfminer's do with the PDF's own numbers."""
    return float(f"{value:.7g}")


# --- characters ---------------------------------------------------------------------------


class _Fonts:
    """What the reader needs of each font of a page: its descent, writing mode, widths."""

    def __init__(self, api: _Api, out: _Out) -> None:
        self.api = api
        self.out = out
        self.descents: dict[int, tuple[float, bool]] = {}
        self.widths: dict[int | None, dict[int, float]] = {}

    def descent(self, font: int) -> tuple[float, bool]:
        """The font's descent (1/1000 of the size) as pdfminer takes it, and whether it
        writes vertically."""
        known = self.descents.get(font)
        if known is not None:
            return known
        buffer = ctypes.create_string_buffer(128)
        length = self.api.font_name(font, buffer, 128)
        name = buffer.value.decode("latin-1") if 0 < length <= 128 else ""
        if name in _STANDARD_DESCENT:
            descent = _STANDARD_DESCENT[name]
        elif self.api.descent(font, 1000.0, self.out.float_at[0]):
            descent = -abs(self.out.floats[0])
        else:
            descent = 0.0
        vertical = self.width(font, 0x4E00) < 0 or self.width(font, 0x20) < 0
        known = self.descents[font] = (descent, vertical)
        return known

    def width(self, font: int | None, unicode: int) -> float:
        """The advance (vertical fonts: negative, downwards) of ``unicode``'s glyph, in
        1/1000 of the size."""
        widths = self.widths.get(font)
        if widths is None:
            widths = self.widths[font] = {}
        known = widths.get(unicode)
        if known is None:
            ok = font and self.api.width(_arg(font), unicode, _THOUSAND, self.out.float_ptr[0])
            known = widths[unicode] = self.out.floats[0] if ok else 0.0
        return known


def _codes(api: _Api, textpage: int, count: int) -> tuple[list[int], Sequence[str]]:
    """The code points of the text page's characters, one per character, and each one's
    text (U+FFFD for a code that is none)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = api.get_text(textpage, 0, count, ctypes.addressof(buffer)) - 1
    units = buffer[:count]
    if written == count and not any(map(_SURROGATES.__contains__, units)):
        text = ctypes.string_at(ctypes.addressof(buffer), 2 * count).decode("utf-16-le")
        return units, text.replace("\0", "\ufffd")
    codes = [api.unicode(textpage, index) for index in range(count)]
    return codes, [chr(code) if 0 < code < 0x110000 else "\ufffd" for code in codes]


def _chars(
    api: _Api, textpage: int, frame: _Matrix, out: _Out, decimals: dict[float, float]
) -> list[Char]:
    """The text page's characters (not the spaces and line breaks pdfium adds), each with
    pdfminer's box in the page's frame; ``decimals`` holds the places already made decimal
    (:func:`_decimal`), but zeros (0.0 and -0.0 are one key)."""
    count = api.count_chars(textpage)
    if count <= 0:
        return []
    codes, texts = _codes(api, textpage, count)
    generated, text_object, origin, unmapped = (
        api.generated,
        api.text_object,
        api.origin,
        api.unmapped,
    )
    char_matrix, font_of, font_size = api.char_matrix, api.font, api.font_size
    x_at, y_at = out.double_ptr
    matrix_at = out.float_ptr[0]
    read_point, read_linear = _POINT.unpack_from, _LINEAR.unpack_from
    doubles, floats = out.doubles, out.floats
    handle = _arg(textpage)
    fa, fb, fc, fd, fe, ff = frame
    fonts = _Fonts(api, out)
    runs: dict[int | None, _Run] = {}  # by text object
    shared: dict[tuple[int | None, float, tuple[float, ...]], _Run] = {}  # by what they share
    baselines: dict[float, float] = {}  # a line's characters share theirs
    chars: list[Char] = []
    append = chars.append
    last_obj: int | None = 0
    last_x = last_y = 0.0
    last_key: tuple[int | None, float, tuple[float, ...]] | None = None
    last_run: _Run  # set with last_key
    for index, code, text in zip(range(count), codes, texts):
        if code in _GENERATED and generated(handle, index) == 1:
            continue
        obj = text_object(handle, index)
        origin(handle, index, x_at, y_at)
        px, py = read_point(doubles)
        x = decimals.get(px)
        if x is None:
            x = _decimal(px)
            if px:
                decimals[px] = x
        y = baselines.get(py)
        if y is None:
            y = baselines[py] = _decimal(py)
        if obj == last_obj and x == last_x and y == last_y:
            # one code written as several characters (a ligature's letters): one box
            joined, x0, top, x1, bottom, upright, height = chars[-1]
            chars[-1] = (joined + chr(code), x0, top, x1, bottom, upright, height)
            continue
        last_obj, last_x, last_y = obj, x, y
        run = runs.get(obj)
        if run is None:
            char_matrix(handle, index, matrix_at)
            key = (font_of(obj), font_size(handle, index), read_linear(floats))
            if key != last_key:  # most objects share the previous one's
                run = shared.get(key)
                if run is None:
                    run = shared[key] = _run(key, frame, fonts)
                last_key, last_run = key, run
            run = runs[obj] = last_run
        spans, font, size, pa, rise, reach, upright, level, turned = run
        if unmapped(handle, index):
            append(_unmapped(api, textpage, index, code, frame, out, upright, turned[4]))
            continue
        ox = fa * x + fc * y + fe
        oy = fb * x + fd * y + ff
        if level:
            span = spans.get(code)
            if span is None:
                span = spans[code] = pa * (fonts.width(font, code) / 1000 * size)
            x1 = ox + span
            if x1 < ox:
                x0, x1 = x1, ox
            else:
                x0 = ox
            top = oy + rise
            bottom = oy + reach
            append((text, x0, top, x1, bottom, upright, bottom - top))
        else:
            width = fonts.width(font, code) / 1000 * size
            append(_turned(text, ox, oy, width, size, pa, turned, upright))
    return chars


#: What the characters of one text object share: the advances across of its font's glyphs
#: at its size, as they are met (a level character's right side from its left), its font,
#: its size as set (``Tf``), the first term of the matrix from text space to the page's
#: frame, the top and bottom of a level character from its baseline (the size up from the
#: descent), whether it is upright, whether it is level (the matrix neither turns nor skews
#: it, and the font writes across), and for a character that is not level the matrix's
#: other terms, its descent at its size and whether the font writes vertically.
_Run = tuple[
    dict[int, float],
    int | None,
    float,
    float,
    float,
    float,
    bool,
    bool,
    tuple[float, float, float, float, bool],
]


def _run(key: tuple[int | None, float, tuple[float, ...]], frame: _Matrix, fonts: _Fonts) -> _Run:
    """What the characters of a text object with this font, size and linear part of its
    matrix share."""
    font, size, (a, b, c, d) = key
    fa, fb, fc, fd = frame[:4]
    descent, vertical = fonts.descent(font) if font else (0.0, False)
    # pdfminer's matrix carries the page's rotation too (the frame, y not flipped)
    ma, mb = a * fa + b * fc, -(a * fb + b * fd)
    mc, md = c * fa + d * fc, -(c * fb + d * fd)
    upright = ma * md > 0 and mb * mc <= 0
    low = descent / 1000 * size
    pb, pd = -mb, -md
    level = pb == 0 and mc == 0 and not vertical
    turned = (pb, mc, pd, low, vertical)
    # the size up from the descent: the nearer side is the top, wherever the baseline is
    rise, reach = pd * low, pd * (low + size)
    if reach < rise:
        rise, reach = reach, rise
    return ({}, font, size, ma, rise, reach, upright, level, turned)


def _turned(
    text: str,
    ox: float,
    oy: float,
    width: float,
    size: float,
    pa: float,
    turned: tuple[float, float, float, float, bool],
    upright: bool,
) -> Char:
    """A character that is not level (turned, skewed, or written vertically): the box of
    its advance and size through the matrix, from its origin (``ox``, ``oy``)."""
    pb, pc, pd, low, vertical = turned
    if vertical:  # from the origin, the size across and the advance down
        u0, u1, v0, v1 = 0.0, size, 0.0, -width
    else:  # the advance across, and the size up from the descent
        u0, u1, v0, v1 = 0.0, width, low, low + size
    xs = [pa * u + pc * v for u in (u0, u1) for v in (v0, v1)]
    ys = [pb * u + pd * v for u in (u0, u1) for v in (v0, v1)]
    x0, x1, top, bottom = ox + min(xs), ox + max(xs), oy + min(ys), oy + max(ys)
    return (text, x0, top, x1, bottom, upright, x1 - x0 if vertical else bottom - top)


def _unmapped(
    api: _Api,
    textpage: int,
    index: int,
    code: int,
    frame: _Matrix,
    out: _Out,
    upright: bool,
    vertical: bool,
) -> Char:
    """A character without Unicode: pdfminer's name for it, ``(cid:N)``, and pdfium's box
    (its width cannot be looked up by a code point)."""
    fa, fb, fc, fd, fe, ff = frame
    api.loose_box(textpage, index, out.float_at[0])  # left, top, right, bottom
    left, top, right, bottom = (out.floats[i] for i in range(4))
    xs = [fa * px + fc * py + fe for px in (left, right) for py in (bottom, top)]
    ys = [fb * px + fd * py + ff for px in (left, right) for py in (bottom, top)]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return (f"(cid:{code})", x0, y0, x1, y1, upright, x1 - x0 if vertical else y1 - y0)


# --- shapes -------------------------------------------------------------------------------


def _times(m: _Matrix, n: _Matrix) -> _Matrix:
    """``m`` then ``n``."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (
        a * na + b * nc,
        a * nb + b * nd,
        c * na + d * nc,
        c * nb + d * nd,
        e * na + f * nc + ne,
        e * nb + f * nd + nf,
    )


class _Shapes:
    """The page's objects walked once: the edges of its rules, and what it draws."""

    def __init__(self, api: _Api, frame: _Frame, most: int, out: _Out) -> None:
        self.api = api
        self.frame = frame
        self.most = most
        self.out = out
        self.count = 0
        self.images = 0
        self.lines: list[Edge] = []
        self.rects: list[Edge] = []
        self.curves: list[Edge] = []
        self.decimals: dict[float, float] = {}
        self.matrices: dict[tuple[float, ...], _Matrix] = {}

    def charge(self, count: int) -> None:
        self.count += count
        if self.count > self.most:
            raise Overdrawn(self.count)

    def walk(self, parent: int, count: int, outer: _Matrix, depth: int = 0) -> None:
        """The objects of a page (``depth`` 0) or of a form."""
        api = self.api
        if depth == 0:
            get, held = api.get_object, _arg(parent)
        else:
            get, held = api.form_object, parent
        object_type = api.object_type
        for index in range(count):
            obj = get(held, index)
            kind = object_type(obj)
            if kind == _TEXT:
                continue  # its characters are counted from the text page
            if kind == _PATH:
                self.path(_arg(obj), outer)
            elif kind == _FORM and depth < 32:
                self.charge(1)
                inner = _times(self.own_matrix(_arg(obj)), outer)
                self.walk(obj, max(api.form_count(obj), 0), inner, depth + 1)
            else:
                self.images += kind == _IMAGE
                self.charge(1)

    def own_matrix(self, obj: Any) -> _Matrix:
        """The object's matrix, its numbers as the PDF wrote them (most objects of a page
        share one: each is worked out once)."""
        out = self.out
        if not self.api.object_matrix(obj, out.float_ptr[0]):
            return _IDENTITY
        floats = tuple(out.floats)
        known = self.matrices.get(floats)
        if known is None:
            a, b, c, d, e, f = map(_decimal, floats)
            known = self.matrices[floats] = (a, b, c, d, e, f)
        return known

    def path(self, obj: Any, outer: _Matrix) -> None:
        """A path object (as :func:`_arg` makes it): its segments charged, and the edges of
        what it strokes, or fills dark enough to be seen."""
        api, out = self.api, self.out
        segments = api.segments(obj)
        if segments <= 0:
            return
        self.charge(segments)
        if not api.draw_mode(obj, out.int_ptr[0], out.int_ptr[1]):
            return
        stroked = bool(out.ints[1])
        if not stroked:
            if not out.ints[0]:  # neither filled nor stroked
                return
            colors = out.colors
            at = out.color_ptr
            known = api.fill_color(obj, at[0], at[1], at[2], at[3])
            if known and (colors[0] + colors[1] + colors[2]) / (3 * 255) > 0.85:
                return  # a fill close to white: invisible on paper
        # as pdfminer: the point through the CTM, then pdfplumber's flip
        ca, cb, cc, cd, ce, cf = _times(_times(self.own_matrix(obj), outer), self.frame.initial)
        shift, lift = self.frame.shift, self.frame.lift
        x_at, y_at = out.float_ptr[0], out.float_ptr[1]
        floats = out.floats
        segment_of, point_of, type_of = api.segment, api.point, api.segment_type
        decimals = self.decimals  # rules share their coordinates
        kinds: list[int] = []
        points: list[tuple[float, float]] = []
        previous = None
        for index in range(segments):
            found = segment_of(obj, index)
            if not found:
                continue
            segment = _arg(found)
            if not point_of(segment, x_at, y_at):
                continue
            kind = type_of(segment)
            if kind == _MOVETO and kinds:
                self.subpath(kinds, points, bool(api.closes(previous)), stroked)
                kinds, points = [], []
            px = decimals.get(floats[0])
            if px is None:
                px = decimals[floats[0]] = _decimal(floats[0])
            py = decimals.get(floats[1])
            if py is None:
                py = decimals[floats[1]] = _decimal(floats[1])
            ux, uy = ca * px + cc * py + ce, cb * px + cd * py + cf
            kinds.append(kind)
            points.append((ux + shift, lift - uy))
            previous = segment
        if kinds:
            self.subpath(kinds, points, bool(api.closes(previous)), stroked)

    def subpath(
        self, kinds: list[int], points: list[tuple[float, float]], closed: bool, stroked: bool
    ) -> None:
        """One subpath as pdfminer classes it: a line, a rectangle or a curve. pdfium gives a
        Bézier's three points in turn; only the last is an end point, as in pdfminer."""
        if kinds[0] != _MOVETO or len(kinds) < 2:
            return
        shape = ["m"]
        ends = [points[0]]
        beziers = 0
        for kind, point in zip(kinds[1:], points[1:]):
            if kind == _BEZIERTO:
                beziers += 1
                if beziers % 3:
                    continue
                shape.append("c")
            else:
                beziers = 0
                shape.append("l")
            ends.append(point)
        if closed:
            if ends[-1] == ends[0] and shape[-1] == "l":
                shape[-1] = "h"  # a closing line back to the start is pdfminer's ``h``
            else:
                shape.append("h")
                ends.append(ends[0])
        form = "".join(shape)
        if form in ("ml", "mlh"):
            if stroked:
                (x0, y0), (x1, y1) = ends[0], ends[1]
                orientation = "h" if y0 == y1 else "v"
                self.lines.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), orientation))
            return
        if form in ("mlllh", "mllll") and _is_rect(ends):
            x0, x1 = min(p[0] for p in ends), max(p[0] for p in ends)
            top, bottom = min(p[1] for p in ends), max(p[1] for p in ends)
            if stroked or min(x1 - x0, bottom - top) <= BAR:
                self.rects += [
                    (x0, top, x1, top, "h"),
                    (x0, bottom, x1, bottom, "h"),
                    (x0, top, x0, bottom, "v"),
                    (x1, top, x1, bottom, "v"),
                ]
            return
        if stroked:  # a curve: the sides that are level or upright
            for (x0, y0), (x1, y1) in itertools.pairwise(ends):
                if x0 == x1 or y0 == y1:
                    orientation = "v" if x0 == x1 else "h"
                    self.curves.append(
                        (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), orientation)
                    )


def _is_rect(points: list[tuple[float, float]]) -> bool:
    """pdfminer's test: four corners in order, back to the first, with square sides."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )
    return last == points[0] and square


# --- the page -------------------------------------------------------------------------------


def draw_page(document: Any, index: int, most: int, decimals: dict[float, float]) -> Drawing:
    """Page ``index`` (from 0) of a pypdfium2 document: its characters and rules (hold
    :data:`LOCK`). ``decimals`` keeps the characters' places made decimal for the document's
    other pages (they share many).

    Raises :class:`Overdrawn` past ``most`` characters and shapes (path segments, images and
    other objects), counted before the text page is built.
    """
    api = _api()
    out = _Out()
    page = document[index]
    try:
        handle = _address(page.raw)
        bbox, frame = _frame(api, handle, out)
        count = api.count_objects(handle)
        if count > most:
            raise Overdrawn(count)
        shapes = _Shapes(api, frame, most, out)
        shapes.walk(handle, count, _IDENTITY)
        textpage = page.get_textpage()
        try:
            text_handle = _address(textpage.raw)
            shapes.charge(api.count_chars(text_handle))
            chars = _chars(api, text_handle, frame.linear, out, decimals)
        finally:
            textpage.close()
    finally:
        page.close()
    edges = shapes.lines + shapes.rects + shapes.curves
    return Drawing(bbox, chars, edges, shapes.images, shapes.count)
