"""What pdfium would decode and run, measured from a PDF's bytes before it does.

pdfium is C code: once called, it cannot be interrupted, and it decodes a stream whole.
So the reader first reads the file's objects itself, decodes every stream pdfium could
decode (content, fonts, character maps, object and cross-reference streams; not images),
each within what is left of the PDF's budget, and measures each page: the content it runs
(its content streams, and each form as often as it is drawn) and the bytes of strings in
that content (at least as many as the characters it shows). A decompression bomb is
:class:`Refused` after decoding no more than the budget; a page's content is decoded no
further than its bound.

Objects are found by scanning for ``N G obj`` (as pdfium does to repair a file), the last
definition of a number winning, with those packed in object streams; the page tree is
walked from the trailer's ``/Root``. Where the pages cannot be found (a damaged file),
:attr:`Scan.pages` is None and :attr:`Scan.whole` measures all content together. An
encrypted PDF's streams cannot be decoded here: it is not measured (:attr:`Scan.encrypted`).
"""

from __future__ import annotations

import base64
import functools
import re
import zlib
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Cost", "Limits", "Refused", "Scan", "scan"]


class Refused(Exception):
    """The PDF is not read: ``reason`` says which bound it passed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Overflow(Exception):
    """A stream would decode to more than it may."""


@attrs.frozen
class Limits:
    """How far to measure: bytes all streams may decode to, content a page and all pages may
    run, how many pages to measure, and the content size past which strings are counted."""

    decoded: int
    page_content: int
    content: int
    pages: int
    text: int


@attrs.frozen
class Cost:
    """What content runs: its bytes (one more than the bound where it passes it) and the
    bytes of strings in it (at most: below :attr:`Limits.text`, the content's size)."""

    content: int = 0
    text: int = 0


@attrs.frozen
class Scan:
    """The measures: each page's cost in page order (the pages that fit the content bound,
    and the first that does not) and the number of pages found, or None and 0 if no page
    tree was found; and whether the PDF is encrypted (its streams cannot be measured here).
    """

    pages: tuple[Cost, ...] | None
    count: int
    encrypted: bool
    measure_whole: Callable[[], Cost] = attrs.field(repr=False)
    objects: int = 0
    """How many objects were found in the bytes."""

    @property
    def whole(self) -> Cost:
        """All content together, each form drawn taken as the costliest form; for when the
        pages cannot be told apart. :class:`Refused` if one stream runs more than a page may.
        """
        return self.measure_whole()


# --- bounded decoders -------------------------------------------------------------------------

#: Bytes given to zlib at a time, to find where damaged data breaks.
_CHUNK = 4096


def _inflate(data: bytes, limit: int) -> bytes:
    """zlib ``data`` inflated, never to more than ``limit`` bytes; damaged data gives what
    came before the damage."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:  # what came before the damage
        out = b""
        inflater = zlib.decompressobj()
        for start in range(0, len(data), _CHUNK):
            try:
                out += inflater.decompress(data[start : start + _CHUNK], limit + 1 - len(out))
            except zlib.error:
                break
            if inflater.unconsumed_tail:
                break
    if len(out) > limit:
        raise _Overflow
    return out


def _unlzw(data: bytes, limit: int, early: int = 1) -> bytes:
    """LZW ``data`` decoded, a code at a time, never to more than ``limit`` bytes."""
    out = bytearray()
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width = 9
    previous: bytes | None = None
    buffer = 0
    bits = 0
    for byte in data:
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            buffer &= (1 << bits) - 1
            if code == 256:
                del table[258:]
                width, previous = 9, None
                continue
            if code == 257:
                return bytes(out)
            if previous is None:
                entry = table[code] if code < len(table) else b""
            elif code < len(table):
                entry = table[code]
                table.append(previous + entry[:1])
            elif code == len(table):
                entry = previous + previous[:1]
                table.append(entry)
            else:
                return bytes(out)
            out += entry
            if len(out) > limit:
                raise _Overflow
            previous = entry
            size = len(table) + early
            width = 12 if size >= 2048 else 11 if size >= 1024 else 10 if size >= 512 else 9
    return bytes(out)


def _unrun(data: bytes, limit: int) -> bytes:
    """RunLength ``data`` decoded, never to more than ``limit`` bytes."""
    out = bytearray()
    index = 0
    while index < len(data) and data[index] != 128:
        length = data[index]
        if length < 128:
            out += data[index + 1 : index + 2 + length]
            index += 2 + length
        else:
            out += data[index + 1 : index + 2] * (257 - length)
            index += 2
        if len(out) > limit:
            raise _Overflow
    return bytes(out)


def _unhex(data: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def _una85(data: bytes, limit: int) -> bytes:
    body = re.sub(rb"\s", b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
    if len(body) + 4 * body.count(b"z") > limit:
        raise _Overflow
    try:
        return base64.a85decode(body, adobe=False)
    except ValueError:
        return b""


def _decode(data: bytes, filters: list[str], limit: int) -> bytes:
    """``data`` through ``filters``, no step holding more than ``limit`` bytes. Predictors
    are not undone (they only shorten the data); an image filter (DCT, JPX, JBIG2, CCITT)
    ends the chain: pdfium decodes those for images only."""
    for name in filters:
        if name in ("FlateDecode", "Fl"):
            data = _inflate(data, limit)
        elif name in ("LZWDecode", "LZW"):
            data = _unlzw(data, limit)
        elif name in ("RunLengthDecode", "RL"):
            data = _unrun(data, limit)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = _unhex(data)
        elif name in ("ASCII85Decode", "A85"):
            data = _una85(data, limit)
        else:  # an image filter, or one pdfium does not know: nothing more is decoded
            break
    if len(data) > limit:
        raise _Overflow
    return data


# --- objects ------------------------------------------------------------------------------------


@attrs.frozen
class _Ref:
    number: int


_Value = object
_WHITE = b" \t\r\n\x0c\x00"
_NAME = re.compile(rb"/([^\s/<>\[\](){}%\x00]*)")
_NUMBER = re.compile(rb"[+-]?(?:\d{1,32}\.?\d{0,32}|\.\d{1,32})")
_REF = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+R(?![^\s/<>\[\](){}%])")
_KEYWORD = re.compile(rb"[^\s/<>\[\](){}%\x00]+")
_SPACE = re.compile(rb"(?:[ \t\r\n\x0c\x00]|%[^\r\n]*)*")
_IN_STRING = re.compile(rb"[()\\]")
#: How deep arrays and dictionaries may nest in the objects read here.
_DEPTH = 64


def _name(raw: bytes) -> str:
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


def _string_end(data: bytes, pos: int) -> int:
    """Where the literal string opened before ``pos`` ends."""
    depth = 1
    while (match := _IN_STRING.search(data, pos)) is not None:
        pos = match.end()
        char = match.group()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if not depth:
                return pos
    return len(data)


def _parse(data: bytes, pos: int, depth: int = 0) -> tuple[_Value, int]:
    """The value at ``pos`` and where it ends: a dict, list, int, float, :class:`_Ref`,
    name (str), string (bytes) or None."""
    pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
    if pos >= len(data) or depth > _DEPTH:
        return None, len(data)
    head = data[pos : pos + 2]
    if head == b"<<":
        out: dict[str, _Value] = {}
        pos += 2
        while True:
            pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            if pos >= len(data) or data.startswith(b">>", pos):
                return out, pos + 2
            key = _NAME.match(data, pos)
            if key is None:  # not a name: skip the token
                _, pos = _parse(data, pos, depth + 1)
                continue
            value, pos = _parse(data, key.end(), depth + 1)
            out[_name(key.group(1))] = value
    first = data[pos]
    if first == 0x5B:  # [
        items: list[_Value] = []
        pos += 1
        while True:
            pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            if pos >= len(data) or data[pos] == 0x5D:
                return items, pos + 1
            item, pos = _parse(data, pos, depth + 1)
            items.append(item)
    if first == 0x28:  # (
        end = _string_end(data, pos + 1)
        return data[pos + 1 : end - 1], end
    if first == 0x3C:  # <
        end = data.find(b">", pos)
        end = len(data) if end < 0 else end + 1
        return data[pos:end], end
    if first == 0x2F:  # /
        name = _NAME.match(data, pos)
        assert name is not None
        return _name(name.group(1)), name.end()
    ref = _REF.match(data, pos)
    if ref:
        return _Ref(int(ref.group(1))), ref.end()
    number = _NUMBER.match(data, pos)
    if number:
        text = number.group()
        return (float(text) if b"." in text else int(text)), number.end()
    word = _KEYWORD.match(data, pos)
    return None, (word.end() if word else pos + 1)


@attrs.define
class _Object:
    """An object as found: where its value starts and, for a stream, its data."""

    at: int
    """Its place in the file (an object in an object stream: the stream's)."""
    body: bytes
    stream: bytes | None = None
    parsed: _Value = None
    done: bool = False


#: An object's header, ``12 0 obj``, ending where it is matched.
_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})[ \t\r\n\x0c\x00]+\d{1,5}[ \t\r\n\x0c\x00]+obj\Z")
_AFTER_KEYWORD = frozenset(b" \t\r\n\x0c\x00/<>[](){}%")


def _next_header(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """The next object header from ``pos``: its number, where it starts and where its value
    starts."""
    while (at := data.find(b"obj", pos)) >= 0:
        pos = at + 3
        if at >= 3 and data[at - 3 : at] == b"end":
            continue
        if pos < len(data) and data[pos] not in _AFTER_KEYWORD:
            continue
        found = _HEADER.search(data, max(0, at - 64), pos)
        if found is not None:
            return int(found.group(1)), found.start(), pos
    return None


#: A stream's ``/Length``, given or referred to (not ``/Length1``, a font program's).
_LENGTH = re.compile(rb"/Length(?![0-9A-Za-z])\s*(\d{1,12})(\s+\d{1,5}\s+R)?")
#: An object that is an integer (an indirect ``/Length``).
_INT_OBJECT = re.compile(rb"(?<![0-9])(\d{1,10})\s+\d{1,5}\s+obj\s*(\d{1,12})\s*endobj")


class _File:
    """A PDF's objects, found by scanning its bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.objects: dict[int, _Object] = {}
        self.int_objects: dict[int, int] | None = None
        self.index()

    def length(self, number: int) -> int | None:
        if self.int_objects is None:
            self.int_objects = {
                int(m.group(1)): int(m.group(2)) for m in _INT_OBJECT.finditer(self.data)
            }
        return self.int_objects.get(number)

    def index(self) -> None:
        """Every ``N G obj``, its value and its stream, in one pass (linear in the file)."""
        data = self.data
        match = _next_header(data, 0)
        while match is not None:
            number, header, start = match
            following = _next_header(data, start)
            limit = following[1] if following else len(data)
            end_at = data.find(b"endobj", start, limit)
            stream_at = data.find(b"stream", start, end_at if end_at >= 0 else limit)
            if stream_at < 0:
                self.add(number, _Object(header, data[start : end_at if end_at >= 0 else limit]))
                match = following
                continue
            begin = stream_at + 6
            if data.startswith(b"\r\n", begin):
                begin += 2
            elif data[begin : begin + 1] in (b"\n", b"\r"):
                begin += 1
            head = data[start:stream_at]
            end = self.stream_end(head, begin)
            self.add(number, _Object(header, head, data[begin:end]))
            match = following if following and following[1] >= end else _next_header(data, end)

    def stream_end(self, head: bytes, begin: int) -> int:
        data = self.data
        found = _LENGTH.search(head)
        if found:
            length = int(found.group(1))
            if found.group(2):
                length = self.length(length)  # type: ignore[assignment]
            if length is not None and 0 <= length <= len(data) - begin:
                tail = data[begin + length : begin + length + 32].lstrip(_WHITE)
                if tail.startswith(b"endstream"):
                    return begin + length
        end = data.find(b"endstream", begin)
        return len(data) if end < 0 else end

    def add(self, number: int, obj: _Object) -> None:
        known = self.objects.get(number)
        if known is None or known.at <= obj.at:
            self.objects[number] = obj

    def get(self, value: _Value) -> _Value:
        """``value``, or the value of the object it refers to."""
        if not isinstance(value, _Ref):
            return value
        obj = self.objects.get(value.number)
        if obj is None:
            return None
        if not obj.done:
            obj.done = True
            obj.parsed = _parse(obj.body, 0)[0]
        return obj.parsed

    def dict_of(self, value: _Value) -> dict[str, _Value]:
        found = self.get(value)
        return found if isinstance(found, dict) else {}

    def unpack(self, budget: _Budget) -> None:
        """Add the objects packed in object streams (decoded within ``budget``)."""
        for number, obj in list(self.objects.items()):
            if obj.stream is None or b"/ObjStm" not in obj.body:
                continue
            spec = self.dict_of(_Ref(number))
            if spec.get("Type") != "ObjStm":
                continue
            data = budget.decode(number, obj, self)
            first = spec.get("First")
            count = spec.get("N")
            if not isinstance(first, int) or not isinstance(count, int) or first < 0:
                continue
            header = [int(v) for v in re.findall(rb"\d{1,10}", data[:first])][: 2 * max(count, 0)]
            places = sorted(zip(header[1::2], header[0::2]))
            for index, (offset, packed) in enumerate(places):
                end = places[index + 1][0] if index + 1 < len(places) else len(data) - first
                body = data[first + offset : first + end]
                self.add(packed, _Object(obj.at, body))

    def trailer(self) -> dict[str, _Value]:
        """The last trailer (or cross-reference stream) that names the catalog."""
        found: list[tuple[int, dict[str, _Value]]] = []
        at = 0
        while (at := self.data.find(b"trailer", at)) >= 0:
            at += 7
            value = _parse(self.data, at)[0]
            if isinstance(value, dict):
                found.append((at, value))
        for number, obj in self.objects.items():
            if obj.stream is not None and b"/XRef" in obj.body:
                spec = self.dict_of(_Ref(number))
                if spec.get("Type") == "XRef":
                    found.append((obj.at, spec))
        found.sort(key=lambda item: item[0])
        with_root = [spec for _, spec in found if "Root" in spec]
        trailer = dict(with_root[-1]) if with_root else {}
        if any("Encrypt" in spec for _, spec in found):
            trailer["Encrypt"] = True
        return trailer


# --- the budget -----------------------------------------------------------------------------------


def _filters(spec: dict[str, _Value], file: _File) -> list[str]:
    chain = file.get(spec.get("Filter"))
    names = chain if isinstance(chain, list) else [chain]
    return [name for name in (file.get(n) for n in names) if isinstance(name, str)]


class _Budget:
    """Bytes the PDF's streams may still decode to, and each stream decoded once."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.left = most
        self.decoded: dict[int, bytes] = {}

    def refuse(self) -> Refused:
        return Refused(
            f"its streams decode to more than {_size(self.most)}: a decompression bomb, or a"
            " damaged file"
        )

    def decode(self, number: int, obj: _Object, file: _File, limit: int | None = None) -> bytes:
        """Object ``number``'s stream decoded: :class:`Refused` past the budget; with a
        ``limit`` below what is left, :class:`_Overflow` past it."""
        known = self.decoded.get(number)
        if known is not None:
            return known
        spec = file.dict_of(_Ref(number))
        cap = limit if limit is not None and limit < self.left else self.left
        try:
            data = _decode(obj.stream or b"", _filters(spec, file), cap)
        except _Overflow:
            if cap != self.left:
                self.decoded[number] = b""
                raise
            raise self.refuse() from None
        self.left -= len(data)
        self.decoded[number] = data
        return data

    def charge(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise self.refuse()


def _size(count: int) -> str:
    """Bytes in plain words: ``512 KiB``, ``26.3 MiB``."""
    if count >= 1 << 20:
        return f"{count / (1 << 20):.3g} MiB"
    if count >= 1 << 10:
        return f"{count / (1 << 10):.3g} KiB"
    return f"{count} bytes"


# --- content --------------------------------------------------------------------------------------

_DO = re.compile(rb"/([^\s/<>\[\](){}%]+)\s*Do(?![^\s/<>\[\](){}%])")
#: A hex string (or, counted too, a dictionary's inside: an upper bound is enough).
_HEX = re.compile(rb"<([^<>]*)>")
_INLINE = re.compile(
    rb"(?<![^\s/<>\[\](){}%])BI(?![^\s/<>\[\](){}%])(.*?)(?<![^\s/<>\[\](){}%])ID\s", re.DOTALL
)
_INLINE_FILTER = re.compile(rb"/(?:F|Filter)\s*(\[[^\]]*\]|/[^\s/<>\[\](){}%]+)")
_INLINE_NAMES = {
    "Fl": "FlateDecode",
    "LZW": "LZWDecode",
    "RL": "RunLengthDecode",
    "AHx": "ASCIIHexDecode",
    "A85": "ASCII85Decode",
}


def _text_bytes(content: bytes) -> int:
    """The bytes of the strings in ``content``: at least the characters it shows. Each
    literal string is walked by its parentheses and escapes (a regex over a string's
    characters would keep a frame per character: 150 bytes each)."""
    if b"(" not in content and b"<" not in content:
        return 0
    count = 0
    pos = 0
    while (start := content.find(b"(", pos)) >= 0:
        end = _string_end(content, start + 1)
        count += end - start - 2
        pos = end
    if b"<" in content:
        count += sum(map(len, _HEX.findall(content))) // 2 + 1
    return count


def _draws(content: bytes) -> dict[str, int]:
    """How often content draws each named XObject."""
    drawn: dict[str, int] = {}
    if b"Do" not in content:
        return drawn
    for match in _DO.finditer(content):
        name = _name(match.group(1))
        drawn[name] = drawn.get(name, 0) + 1
    return drawn


class _Measure:
    """Content costs: each stream's (decoded once), forms' by what they draw.

    The bytes of strings are counted only where the content is larger than ``limits.text``
    (below it, the content's size bounds them).
    """

    def __init__(self, file: _File, budget: _Budget, limits: Limits) -> None:
        self.file = file
        self.budget = budget
        self.limits = limits
        self.streams: dict[int, tuple[int, dict[str, int]]] = {}
        self.texts: dict[int, int] = {}
        self.forms: dict[int, Cost] = {}
        self.open: set[int] = set()
        self.worst: Cost | None = None
        """The costliest form, once known (for content whose resources are not known)."""

    @property
    def cap(self) -> int:
        return self.limits.page_content + 1

    def stream(self, value: _Value) -> tuple[int, dict[str, int]]:
        """A content stream's bytes (at most :attr:`cap`) and what it draws."""
        if not isinstance(value, _Ref):
            return 0, {}
        known = self.streams.get(value.number)
        if known is not None:
            return known
        obj = self.file.objects.get(value.number)
        if obj is None or obj.stream is None:
            known = (0, {})
        else:
            try:
                data = self.budget.decode(value.number, obj, self.file, self.cap)
            except _Overflow:
                known = (self.cap, {})
            else:
                self.inline_images(data)
                known = (len(data), _draws(data))
        self.streams[value.number] = known
        return known

    def text(self, value: _Value) -> int:
        if not isinstance(value, _Ref):
            return 0
        known = self.texts.get(value.number)
        if known is None:
            data = self.budget.decoded.get(value.number, b"")
            known = self.texts[value.number] = _text_bytes(data)
        return known

    def inline_images(self, content: bytes) -> None:
        """Charge what the inline images in ``content`` decode to: pdfium decodes them to
        find where they end."""
        if b"ID" not in content:
            return
        for match in _INLINE.finditer(content):
            found = _INLINE_FILTER.search(match.group(1))
            if not found:
                continue
            names = [
                _INLINE_NAMES.get(name, name)
                for name in map(_name, re.findall(rb"/([^\s/\[\]]+)", found.group(1)))
            ]
            try:
                data = _decode(content[match.end() :], names, self.budget.left)
            except _Overflow:
                raise self.budget.refuse() from None
            self.budget.charge(len(data))

    def run(self, contents: list[_Value], resources: dict[str, _Value], depth: int = 0) -> Cost:
        """What content streams run: their bytes and those of each form as often as drawn."""
        size = 0
        drawn: dict[str, int] = {}
        for value in contents:
            length, draws = self.stream(value)
            size += length
            for name, count in draws.items():
                drawn[name] = drawn.get(name, 0) + count
        forms: list[tuple[int, Cost]] = []
        if drawn:
            xobjects = self.file.dict_of(resources.get("XObject"))
            for name, count in drawn.items():
                form = self.form(xobjects.get(name), resources, depth)
                forms.append((count, form))
                size += count * form.content
                if size > self.cap:
                    break
        size = min(size, self.cap)
        if size <= self.limits.text:
            return Cost(size, size)
        text = sum(self.text(value) for value in contents)
        text += sum(count * form.text for count, form in forms)
        return Cost(size, text)

    def form(self, value: _Value, resources: dict[str, _Value], depth: int) -> Cost:
        if not isinstance(value, _Ref):
            return Cost()
        known = self.forms.get(value.number)
        if known is not None:
            return known
        spec = self.file.dict_of(value)
        if spec.get("Subtype") != "Form":
            return Cost()
        if value.number in self.open or depth >= 32:
            return Cost(self.cap, self.cap)  # a form that draws itself runs until pdfium stops
        self.open.add(value.number)
        own = self.file.dict_of(spec.get("Resources")) or resources
        cost = self.run([value], own, depth + 1)
        self.open.discard(value.number)
        self.forms[value.number] = cost
        return cost


# --- pages ---------------------------------------------------------------------------------


def _pages(file: _File, trailer: dict[str, _Value]) -> list[dict[str, _Value]] | None:
    """The page dictionaries in order, each with the resources it inherits; None without a
    page tree."""
    catalog = file.dict_of(trailer.get("Root"))
    root = catalog.get("Pages")
    if not isinstance(root, _Ref):
        return None
    pages: list[dict[str, _Value]] = []
    stack: list[tuple[_Value, _Value]] = [(root, None)]
    seen: set[int] = set()
    while stack and len(seen) <= len(file.objects):
        ref, inherited = stack.pop()
        if isinstance(ref, _Ref):
            if ref.number in seen:
                continue
            seen.add(ref.number)
        node = file.dict_of(ref)
        if not node:
            continue
        resources = node.get("Resources", inherited)
        kids = file.get(node.get("Kids"))
        if isinstance(kids, list) and node.get("Type") != "Page":
            stack.extend((kid, resources) for kid in reversed(kids))
        else:
            pages.append({**node, "Resources": resources})
    return pages


def _contents(file: _File, page: dict[str, _Value]) -> list[_Value]:
    found = file.get(page.get("Contents"))
    return found if isinstance(found, list) else [page.get("Contents")]


def _not_run(spec: dict[str, _Value]) -> bool:
    """A stream pdfium does not decode to read text: an image, a file, metadata."""
    return (
        spec.get("Subtype") in ("Image", "XML")
        or spec.get("Type") in ("EmbeddedFile", "Metadata")
        or ("Width" in spec and "Height" in spec)
    )


def _content_like(spec: dict[str, _Value]) -> bool:
    """A stream that may be a page's content: no type, no font program's lengths."""
    return not ({"Type", "Subtype", "Length1", "Length2", "Length3", "N"} & spec.keys())


def scan(data: bytes, limits: Limits) -> Scan:
    """Measure ``data`` within ``limits``.

    Raises :class:`Refused` if its streams decode to more than ``limits.decoded``, or if its
    pages cannot be found and content in it runs to more than a page may.
    """
    file = _File(data)
    budget = _Budget(limits.decoded)
    file.unpack(budget)
    trailer = file.trailer()
    encrypted = "Encrypt" in trailer
    measure = _Measure(file, budget, limits)
    found = None if encrypted else _pages(file, trailer)
    costs: list[Cost] | None = None
    unread: set[int] = set()  # the content of pages pdfium will not load
    if found is not None:
        costs = []
        total = 0
        for page in found:
            streams = _contents(file, page)
            if len(costs) >= limits.pages or total > limits.content:
                unread.update(ref.number for ref in streams if isinstance(ref, _Ref))
                continue
            cost = measure.run(streams, file.dict_of(page.get("Resources")))
            costs.append(cost)
            if cost.content <= limits.page_content:
                total += cost.content
    content: list[int] = []  # streams that may be content
    if not encrypted:  # every other stream pdfium may decode (fonts, maps), within the budget
        for number, obj in list(file.objects.items()):
            if obj.stream is None:
                continue
            spec = file.dict_of(_Ref(number))
            if _not_run(spec):
                continue
            if _content_like(spec):
                content.append(number)
            if number in measure.streams or number in unread:
                continue
            if costs is None and _content_like(spec):
                _loose(measure, number)
            else:
                budget.decode(number, obj, file)
    objects = len(file.objects)
    if costs is None:
        fixed = _whole(measure, content)
        return Scan(None, 0, encrypted, lambda: fixed, objects)
    whole = functools.partial(_whole, measure, content)
    return Scan(tuple(costs), len(found or ()), encrypted, whole, objects)


def _whole(measure: _Measure, numbers: list[int]) -> Cost:
    total = Cost()
    for number in numbers:
        total = _add(total, _loose(measure, number))
    return total


def _add(one: Cost, other: Cost) -> Cost:
    return Cost(one.content + other.content, one.text + other.text)


def _loose(measure: _Measure, number: int) -> Cost:
    """A stream that may be content, where the pages are not known: its cost with every form
    it draws taken as the costliest form of the PDF. Refused past a page's bound."""
    size, draws = measure.stream(_Ref(number))
    text = measure.text(_Ref(number))
    if draws:
        if measure.worst is None:
            forms = [
                measure.form(_Ref(n), {}, 0)
                for n, obj in measure.file.objects.items()
                if obj.stream is not None and b"/Form" in obj.body
            ]
            measure.worst = max(forms, key=lambda c: c.content, default=Cost())
        count = sum(draws.values())
        size += count * measure.worst.content
        text += count * measure.worst.text
    if size > measure.limits.page_content:
        raise Refused(
            "its pages could not be found, and content in it runs to more than"
            f" {_size(measure.limits.page_content)}"
        )
    return Cost(size, text)
