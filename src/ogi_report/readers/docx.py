"""Word (.docx): paragraphs and tables of ``word/document.xml``, merged cells expanded.

A .docx file is a ZIP of XML, and an untrusted one. Before anything is parsed the ZIP is
checked: it must hold ``word/document.xml``; its entries may not add up to more than
:data:`MAX_UNCOMPRESSED` bytes, and a part that is read may not be a compression bomb
(more than :data:`MAX_RATIO` times its compressed size). The XML is parsed with lxml
without entity resolution, DTD loading or network access, and a part that declares a DTD
is refused outright (Word never writes one). Any failure is an
:class:`~ogi_report.errors.InputError`.

Memory and time stay small whatever the file holds. The XML is parsed as a stream that
stops in Python only at paragraphs, tables and what holds them; each is let go once read.
One read, embedded parts included, is held to

- :data:`MAX_PARSED` bytes of XML and embedded parts unpacked, checked against the ZIP's
  directory before anything is unpacked (a report's ``document.xml`` is a few MB; its
  pictures are parts of their own, never unpacked);
- :data:`MAX_HELD_NODES` XML nodes held at once: one paragraph or table;
- :data:`MAX_TEXT_CHARS` characters of text, :data:`MAX_PIECES` paragraphs, tables, rows
  and cells, and :data:`MAX_CELLS` grid positions;
- :data:`MAX_CHUNKS` embedded parts.

A file past any of these is refused with an InputError that names the bound.

Blocks follow the body's order: each paragraph a :class:`Fragment` (``body/p[12]``), each
table a :class:`Grid` with horizontal (``w:gridSpan``, ``w:hMerge``) and vertical
(``w:vMerge``) merges expanded, so a merged cell is repeated in every grid position it
covers, with the provenance of the cell that prints it (``body/tbl[2]/tr[5]/tc[3]``). An
empty cell stays an empty fragment: the assembler makes it BLANK, never 0. Text left in a
cell merged into another, which Word does not print, is noted by :func:`read_docx`.

An embedded part (``w:altChunk``: a page, text or another .docx that Word shows in place)
is read in place: HTML by the HTML reader, text by the text reader (the two together up to
:data:`MAX_CHUNK_BYTES`), a .docx as this one is, up to :data:`MAX_NESTING` deep. Its
blocks' provenance names the part (``report.docx!/word/afchunk.htm: p[2]``); its own title
and properties are not facts of the report. A part of another kind (RTF, MHT), one that is
missing, too large or unreadable, and one inside a table or text box is not read:
:func:`read_docx` says so in :attr:`~ogi_report.model.Report.unplaced`, with where.

The document properties (``docProps/core.xml``) go to the facts under their own names
(文档标题, 文档创建时间, 文档修改时间): a Word file's stored title is often left over from
the file it was copied from, so it is no substitute for the title the report prints.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any, NoReturn
from urllib.parse import unquote

import attrs

from ..cells import Provenance
from ..errors import InputError
from ..model import Report, Unplaced
from . import MAX_BYTES, decode
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

__all__ = [
    "MAX_CELLS",
    "MAX_CHUNKS",
    "MAX_CHUNK_BYTES",
    "MAX_HELD_NODES",
    "MAX_NESTING",
    "MAX_PARSED",
    "MAX_PIECES",
    "MAX_RATIO",
    "MAX_TEXT_CHARS",
    "MAX_UNCOMPRESSED",
    "parse_docx",
    "read_docx",
]

#: The ZIP's entries together may not unpack to more than this.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: A part that is read may not unpack to more than this many times its compressed size…
MAX_RATIO = 100
#: … once it is larger than this (small parts may compress well without harm).
_RATIO_FLOOR = 1024 * 1024
#: Bytes of XML and embedded parts one read unpacks, all parts together, each as often as
#: it is read. A report's ``document.xml`` is a few MB (the blank 2021 form's, 250 KB).
MAX_PARSED = 16 * 1024 * 1024
#: XML nodes held at once: one paragraph or table and what encloses it, counted in its
#: bytes as they are parsed, each ``<`` once and each ``=`` three times (an attribute takes
#: about three times an element's memory). The form's largest table counts 29,000; this
#: allows some 1,800 Word cells in one table, and at most about 25 MB of parsed XML.
MAX_HELD_NODES = 200_000
#: Characters of text read: tabs and line breaks, each piece of text (at least one), and a
#: vertically merged cell in every row it reaches, as the assembler sees it. A long report
#: prints 30,000. Tighter than the bound all forms share (``_document.MAX_TEXT_CHARS``), as
#: a .docx packs its text: the assembler's some 20 bytes a character stay within 48 MiB
#: however small the file.
MAX_TEXT_CHARS = 1_000_000
#: Paragraphs (in cells too), tables, rows and cells read, and content controls: a report
#: has about 2,000. Each costs a few hundred bytes whatever its text.
MAX_PIECES = 30_000
#: Grid positions over all tables, merged cells counted in every position they cover (the
#: form has 400).
MAX_CELLS = 250_000
#: Word allows 63 columns; a wider span is clamped to this.
_MAX_SPAN = 64
#: Embedded parts (``w:altChunk``) one read meets, read or not: a document has a handful.
MAX_CHUNKS = 100
#: Bytes of embedded HTML and text, all parts together: they are parsed whole, at some 30
#: bytes of memory per byte (an imported report page is about 100 KB).
MAX_CHUNK_BYTES = 1024 * 1024
#: Embedded .docx parts are read this deep: a .docx in a .docx in the report is 2.
MAX_NESTING = 2

_DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_CORE = "docProps/core.xml"
_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 strict
)
_RELATIONSHIP_IDS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CORE_PROPERTIES = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_PROPERTIES = {
    f"{_DC}title": "文档标题",
    f"{_DCTERMS}created": "文档创建时间",
    f"{_DCTERMS}modified": "文档修改时间",
}
#: The elements the document's stream stops at (a root, in either namespace, and blocks).
_WATCHED = tuple(
    f"{{{namespace}}}{name}"
    for namespace in _NAMESPACES
    for name in ("document", "body", "p", "tbl", "sdt", "sdtContent", "customXml", "altChunk")
)
_WORDML = "WordprocessingML document"
_HTML, _TEXT, _WORD = "HTML", "text", "Word"
_KINDS = {"text/html": _HTML, "application/xhtml+xml": _HTML, "text/plain": _TEXT}
_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.",
    "application/vnd.ms-word.",
)
_EXTENSIONS = {"htm": _HTML, "html": _HTML, "xhtml": _HTML, "txt": _TEXT}
_EXTENSIONS.update(dict.fromkeys(("docx", "docm", "dotx", "dotm"), _WORD))
_NOT_DOCX = "a ZIP file that is not a Word .docx document"
_NEEDS_EXTRA = "reading Word needs the docx extra: pip install 'ogi-report[docx]'"
_DAMAGED = "not a readable ZIP file (damaged or cut short)"


def _etree() -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    return etree


def _size(size: int) -> str:
    """A byte count for a message: exact, and in MiB when large."""
    return f"{size:,} bytes ({size / 2**20:.0f} MiB)" if size >= 2**20 else f"{size:,} bytes"


# --- the bounds of one read ---------------------------------------------------------------------


class _OverBound(InputError):
    """A bound of the whole read was passed: the read is refused, not one part skipped."""


class _Budget:
    """What one read has used; an embedded .docx shares its parent's budget."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.unpacked = 0
        self.chars = 0
        self.pieces = 0
        self.cells = 0
        self.chunks = 0
        self.chunk_bytes = 0

    def refuse(self, message: str) -> NoReturn:
        raise _OverBound(f"{message}: refused", source=self.source)

    def unpack(self, name: str, size: int) -> None:
        """Count a part about to be unpacked, before it is."""
        self.unpacked += size
        if self.unpacked > MAX_PARSED:
            before = "" if self.unpacked == size else " (with the parts read before it)"
            self.refuse(
                f"{name} unpacks to {_size(size)}{before}, more than the {_size(MAX_PARSED)}"
                " of XML one .docx may have read (a report's is a few MB)"
            )

    def held(self, nodes: int, name: str) -> None:
        if nodes > MAX_HELD_NODES:
            self.refuse(
                f"{name} holds more than {MAX_HELD_NODES:,} XML nodes at once, in one paragraph,"
                " table or other element (the 2021 form's largest table: 29,000)"
            )

    def text(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            self.refuse(
                f"more than {MAX_TEXT_CHARS:,} characters of text"
                " (a long report prints some 30,000)"
            )

    def piece(self) -> None:
        """Count a paragraph, table, row, cell or content control."""
        self.pieces += 1
        if self.pieces > MAX_PIECES:
            self.refuse(
                f"more than {MAX_PIECES:,} paragraphs, tables, rows and cells"
                " (a report has about 2,000)"
            )

    def take(self, count: int) -> None:
        """Count grid positions."""
        self.cells += count
        if self.cells > MAX_CELLS:
            self.refuse(f"its tables expand to more than {MAX_CELLS:,} cells")

    def chunk(self) -> None:
        self.chunks += 1
        if self.chunks > MAX_CHUNKS:
            self.refuse(f"more than {MAX_CHUNKS} embedded parts (w:altChunk)")

    def document(self, document: Document) -> None:
        """Count what another reader made of an embedded part."""
        for block in (*document.blocks, *document.chrome):
            self.piece()
            if isinstance(block, Fragment):
                self.text(len(block.text))
                continue
            for row in block.rows:
                self.piece()
                self.take(len(row))
                for index, cell in enumerate(row):
                    if index == 0 or cell is not row[index - 1]:
                        self.piece()
                        self.text(len(cell.text))


# --- the package ------------------------------------------------------------------------------


class _NotRead(Exception):
    """An embedded part that is not read, and why (a note, not a refusal)."""


class _Part:
    """One XML part parsed as a stream: the start and end of its ``tags`` elements.

    The first event is the root's start: a part whose root is not among ``tags`` is not a
    ``what``, and one that declares a DTD is refused. What is not watched stays in the tree
    until :meth:`release` lets go of the element read and whatever came before it; the
    nodes held since are counted in the bytes as the parser reads them.
    """

    def __init__(self, package: _Package, name: str, tags: Iterable[str], what: str) -> None:
        self.package = package
        self.name = name
        self.tags = frozenset(tags)
        self.what = what
        self.stream: IO[bytes] | None = None
        self.held = 0  # nodes parsed since the last release (or in the read before it)

    def read(self, size: int) -> bytes:
        """The parser's next bytes (lxml calls this), their nodes counted."""
        assert self.stream is not None
        data = self.stream.read(size)
        self.held += data.count(b"<") + 3 * data.count(b"=")
        self.package.budget.held(self.held, self.name)
        return data

    def release(self, element: Any) -> None:
        """Let a read element go, and whatever its parent held before it."""
        parent = element.getparent()
        element.clear()
        del parent[: parent.index(element) + 1]
        self.held = 0

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        etree = _etree()
        source = self.package.source
        with self.package.open(self.name) as self.stream:
            parser = etree.iterparse(
                self,
                events=("start", "end"),
                tag=sorted(self.tags),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            root = None
            try:
                for event, element in parser:
                    root = root if root is not None else self._root(element)
                    yield event, element
            except etree.LxmlError as error:
                detail = str(error).split("\n")[0][:200]
                raise InputError(
                    f"{self.name} is not well-formed XML ({detail})", source=source
                ) from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                raise InputError(_DAMAGED, source=source) from None
        if root is None:
            raise InputError(f"{self.name} is not a {self.what}", source=source)

    def _root(self, element: Any) -> Any:
        """The part's root, checked: a ``what`` without a DTD."""
        source = self.package.source
        if element.getparent() is not None or element.tag not in self.tags:
            raise InputError(f"{self.name} is not a {self.what}", source=source)
        info = element.getroottree().docinfo
        if info.internalDTD is not None or info.doctype:
            raise InputError(
                f"{self.name} declares a DTD (<!DOCTYPE …>), which Word never writes: refused",
                source=source,
            )
        return element


class _Package:
    """An open .docx: its entries, unpacked within the read's budget."""

    def __init__(self, data: bytes, source: str | None, budget: _Budget) -> None:
        if len(data) > MAX_BYTES:
            raise InputError(
                f"{len(data)} bytes is more than the {MAX_BYTES} allowed", source=source
            )
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except NotImplementedError:  # a ZIP version or feature zipfile does not read
            raise InputError("a ZIP file in a version that cannot be read", source=source) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise InputError(_DAMAGED, source=source) from None
        self.source = source
        self.budget = budget
        self.infos = {info.filename: info for info in self.archive.infolist()}
        self.names = {name.lower(): name for name in self.infos}  # part names ignore case
        if _DOCUMENT not in self.infos:
            raise InputError(_NOT_DOCX, source=source)
        total = sum(info.file_size for info in self.infos.values())
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                f"its ZIP entries unpack to {total} bytes, more than the {MAX_UNCOMPRESSED}"
                " allowed: refused as a compression bomb",
                source=source,
            )

    def close(self) -> None:
        self.archive.close()

    def open(self, name: str) -> IO[bytes]:
        """A stream of one entry, refused if it is a compression bomb or past the budget."""
        info = self.infos[name]
        size = info.file_size
        if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{name} unpacks to {size} bytes from {info.compress_size}:"
                f" more than {MAX_RATIO} times, refused as a compression bomb",
                source=self.source,
            )
        self.budget.unpack(name, size)
        try:
            return self.archive.open(info)
        except NotImplementedError:  # before RuntimeError, which it is a kind of
            raise InputError(
                "a ZIP entry compressed with a method that cannot be read", source=self.source
            ) from None
        except RuntimeError:  # zipfile's word for an encrypted entry
            raise InputError("an encrypted ZIP entry: cannot be read", source=self.source) from None
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
            raise InputError(_DAMAGED, source=self.source) from None

    def read(self, name: str) -> bytes:
        """One entry's bytes (an embedded part, read whole)."""
        stream = self.open(name)
        try:
            with stream:
                return stream.read()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            raise InputError(_DAMAGED, source=self.source) from None

    def target(self, rid: str) -> str:
        """The entry a relationship of ``document.xml`` points to, in this package."""
        target = mode = None
        if _RELS in self.infos:
            tags = (f"{_PACKAGE_RELS}Relationships", f"{_PACKAGE_RELS}Relationship")
            part = _Part(self, _RELS, tags, "relationships part")
            for event, element in part:
                if event == "end" and element.getparent() is not None:
                    if element.get("Id") == rid:
                        target, mode = element.get("Target"), element.get("TargetMode")
                        break
                    part.release(element)
        if target is None:
            raise _NotRead(f"its relationship {rid} is not in {_RELS}")
        if mode == "External":
            raise _NotRead(f"it is outside the file ({target[:200]})")
        # A URI under /word: ``..`` cannot climb above the package's root, and only an entry
        # of this ZIP is ever looked up.
        path = posixpath.normpath(posixpath.join("/word", unquote(target)))
        name = self.names.get(path.lstrip("/").lower())
        if name is None:
            raise _NotRead(f"its part {target[:200]} is not in the file")
        return name

    def kind(self, name: str) -> tuple[str | None, str]:
        """What a part is (HTML, text, Word or None), and its content type as said."""
        try:
            said = self._content_type(name)
        except _OverBound:
            raise
        except InputError:
            said = None
        media = (said or "").split(";")[0].strip().lower()
        if media in _KINDS:
            return _KINDS[media], media
        if media.startswith(_WORD_TYPES):
            return _WORD, media
        if media:
            return None, media
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        return _EXTENSIONS.get(extension), f"a .{extension} file"

    def _content_type(self, name: str) -> str | None:
        """The content type ``[Content_Types].xml`` gives a part, if any."""
        if _TYPES not in self.infos:
            return None
        part = f"/{name}".lower()
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        override = default = None
        tags = [f"{_CONTENT_TYPES}{tag}" for tag in ("Types", "Override", "Default")]
        types = _Part(self, _TYPES, tags, "content types part")
        for event, element in types:
            if event == "end" and element.getparent() is not None:
                if (element.get("PartName") or "").lower() == part:
                    override = override or element.get("ContentType")
                elif (element.get("Extension") or "").lower() == extension:
                    default = default or element.get("ContentType")
                types.release(element)
        return override or default


# --- text ---------------------------------------------------------------------------------------


class _Names:
    """Qualified names in the document's WordprocessingML namespace."""

    def __init__(self, namespace: str) -> None:
        w = f"{{{namespace}}}"
        self.body = f"{w}body"
        self.p = f"{w}p"
        self.tbl = f"{w}tbl"
        self.tr = f"{w}tr"
        self.tc = f"{w}tc"
        self.t = f"{w}t"
        self.val = f"{w}val"
        self.tcPr = f"{w}tcPr"
        self.trPr = f"{w}trPr"
        self.gridSpan = f"{w}gridSpan"
        self.gridBefore = f"{w}gridBefore"
        self.gridAfter = f"{w}gridAfter"
        self.vMerge = f"{w}vMerge"
        self.hMerge = f"{w}hMerge"
        self.sdt = f"{w}sdt"
        self.sdtContent = f"{w}sdtContent"
        self.customXml = f"{w}customXml"
        self.altChunk = f"{w}altChunk"
        self.breaks = frozenset({f"{w}br", f"{w}cr"})
        self.tabs = frozenset({f"{w}tab", f"{w}ptab"})
        self.hyphen = f"{w}noBreakHyphen"
        # What text is made of, and the ends that divide it.
        self.printed = (self.t, *self.breaks, *self.tabs, self.hyphen, self.p, self.tr, self.tc)
        # Deleted and moved-away text, property blocks (a tab stop is no tab), and the
        # fallback copy of alternate content (a text box is printed once, not twice).
        self.skip = (
            f"{w}del",
            f"{w}moveFrom",
            f"{w}pPr",
            f"{w}rPr",
            f"{w}tcPr",
            f"{w}trPr",
            f"{w}tblPr",
            f"{w}sdtPr",
            f"{_MC}Fallback",
        )


def _text(element: Any, names: _Names, budget: _Budget) -> str:
    """The printed text under ``element``: runs joined, paragraphs and rows on new lines,
    the cells of a nested table apart. What is not printed is dropped from the tree."""
    etree = _etree()
    etree.strip_elements(element, *names.skip, with_tail=False)
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end"), tag=names.printed):
        tag = node.tag
        if event == "start":
            if tag == names.t:
                parts.append(node.text or "")
            elif tag in names.tabs:
                parts.append("\t")
            elif tag in names.breaks:
                parts.append("\n")
            elif tag == names.hyphen:
                parts.append("-")
        elif node is not element:
            if tag in (names.p, names.tr):
                parts.append("\n")
            elif tag == names.tc:
                parts.append("\t")
    text = "".join(parts).strip("\n")
    budget.text(max(len(text), len(parts)))  # an empty w:t costs its walk
    return text


class _Counter:
    """Paths of the children of one element, ``prefix/p[3]``, counted as they come."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: dict[str, int] = {}

    def path(self, element: Any) -> str:
        name = _local(element.tag)
        self.seen[name] = self.seen.get(name, 0) + 1
        return f"{self.prefix}/{name}[{self.seen[name]}]"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _int(element: Any, names: _Names, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(names.val, default))
    except ValueError:
        return default


# --- tables -------------------------------------------------------------------------------------


def _children(parent: Any, prefix: str, wanted: str, names: _Names) -> Iterator[tuple[Any, str]]:
    """The ``wanted`` children (rows or cells) with their paths, through content controls
    and custom XML wrapped around them."""
    counter = _Counter(prefix)
    for child in parent.iterchildren(wanted, names.sdt, names.customXml):
        if child.tag == wanted:
            yield child, counter.path(child)
        elif child.tag == names.sdt:
            path = counter.path(child)
            content = child.find(names.sdtContent)
            if content is not None:
                yield from _children(content, f"{path}/sdtContent", wanted, names)
        else:
            yield from _children(child, counter.path(child), wanted, names)


def _span(properties: Any, tag: str, names: _Names, default: int) -> int:
    """A count property of a row or cell, kept within what Word can print."""
    if properties is None:
        return default
    return min(max(_int(properties.find(tag), names, default), 0), _MAX_SPAN)


def _merge(properties: Any, tag: str, names: _Names) -> str | None:
    """``restart``, ``continue`` (also when unsaid) or None for a merge property."""
    merge = None if properties is None else properties.find(tag)
    return None if merge is None else str(merge.get(names.val, "continue"))


# --- the document -------------------------------------------------------------------------------

_ROOT, _CONTROL, _BLOCKS = "root", "content control", "blocks"


class _Level:
    """An open element whose children are read one at a time: the root, the body (or the
    content of a content control, custom XML around blocks), or a content control."""

    def __init__(self, element: Any, prefix: str, kind: str) -> None:
        self.element = element
        self.prefix = prefix
        self.kind = kind
        self.counter = _Counter(prefix)
        self.opened = False  # the root's body, a content control's content, is seen


@attrs.frozen
class _Parsed:
    document: Document
    notes: tuple[Unplaced, ...] = ()


class _Reader:
    """Reads ``document.xml`` as a stream: each body element read, then let go."""

    def __init__(self, package: _Package, nesting: int) -> None:
        self.package = package
        self.source = package.source
        self.budget = package.budget
        self.nesting = nesting
        self.names = _Names(_NAMESPACES[0])
        self.part = _Part(package, _DOCUMENT, _WATCHED, _WORDML)
        self.levels: list[_Level] = []
        self.block: Any = None  # the body element being read …
        self.path = ""  # … and its path
        self.had_body = False
        self.blocks: list[Block] = []
        self.chrome: list[Fragment] = []
        self.notes: list[Unplaced] = []

    def read(self) -> Document:
        """The document's blocks, with the chrome of embedded pages."""
        for event, element in self.part:
            if not self.levels:
                self._open(element)
            elif event == "start":
                self._start(element)
            else:
                self._end(element)
        if not self.had_body:
            raise InputError(f"{_DOCUMENT} has no body", source=self.source)
        return Document(tuple(self.blocks), self.source, (), tuple(self.chrome))

    def _open(self, root: Any) -> None:
        namespace = next((n for n in _NAMESPACES if root.tag == f"{{{n}}}document"), None)
        if namespace is None:
            raise InputError(f"{_DOCUMENT} is not a {_WORDML}", source=self.source)
        self.names = _Names(namespace)
        self.levels.append(_Level(root, "", _ROOT))

    def _start(self, element: Any) -> None:
        """A watched element begins: a level, a body element to read at its end, or one
        inside the body element being read."""
        self.budget.piece()
        level = self.levels[-1]
        tag = element.tag
        if element.getparent() is not level.element:
            if tag == self.names.altChunk:
                self.budget.chunk()
                self._note(
                    "embedded part (w:altChunk) inside a table or text box was not read", self.path
                )
        elif level.kind == _ROOT:
            if tag == self.names.body and not level.opened:
                level.opened = self.had_body = True
                self.levels.append(_Level(element, "body", _BLOCKS))
        elif level.kind == _CONTROL:
            if tag == self.names.sdtContent and not level.opened:
                level.opened = True
                self.levels.append(_Level(element, f"{level.prefix}/sdtContent", _BLOCKS))
        elif tag == self.names.sdt:
            self.levels.append(_Level(element, level.counter.path(element), _CONTROL))
        elif tag == self.names.customXml:
            self.levels.append(_Level(element, level.counter.path(element), _BLOCKS))
        elif tag in (self.names.p, self.names.tbl, self.names.altChunk):
            self.block, self.path = element, level.counter.path(element)

    def _end(self, element: Any) -> None:
        """A watched element ends: a level is closed, a body element read and let go."""
        if element is self.levels[-1].element:
            self.levels.pop()
            if self.levels:
                self.part.release(element)
        elif element is self.block:
            self.block = None
            if element.tag == self.names.altChunk:
                rid = next((element.get(a) for a in _RELATIONSHIP_IDS if element.get(a)), None)
                self.part.release(element)  # before the embedded part is read
                self._chunk(rid, self.path)
            else:
                self._leave(element, self.path)
                self.part.release(element)

    def _leave(self, element: Any, path: str) -> None:
        """A body element, complete: a paragraph or a table."""
        if element.tag == self.names.p:
            text = _text(element, self.names, self.budget) if len(element) else ""
            if text.strip():
                self.blocks.append(Fragment(text, Provenance(source=self.source, path=path)))
        else:
            self.blocks.append(self._grid(element, path))

    def _grid(self, table: Any, path: str) -> Grid:
        """A table with every merge expanded: a spanned cell repeated where it reaches."""
        names, budget, source = self.names, self.budget, self.source
        rows: list[tuple[Fragment, ...]] = []
        above: list[Fragment] = []  # the row before, by grid column
        for tr, row_path in _children(table, path, names.tr, names):
            budget.piece()
            properties = tr.find(names.trPr)
            before = _span(properties, names.gridBefore, names, 0)
            after = _span(properties, names.gridAfter, names, 0)
            empty = Fragment("", Provenance(source=source, path=row_path))
            row: list[Fragment] = [empty] * before
            for tc, cell_path in _children(tr, row_path, names.tc, names):
                tcpr = tc.find(names.tcPr)
                span = max(_span(tcpr, names.gridSpan, names, 1), 1)
                column = len(row)
                if _merge(tcpr, names.vMerge, names) == "continue" and column < len(above):
                    fragment = above[column]
                    budget.text(len(fragment.text))  # the assembler meets it again in this row
                    self._merged_away(tc, cell_path, "above")
                elif _merge(tcpr, names.hMerge, names) == "continue" and row:
                    fragment = row[-1]
                    self._merged_away(tc, cell_path, "before")
                else:
                    budget.piece()
                    text = _text(tc, names, budget)
                    fragment = Fragment(text, Provenance(source=source, path=cell_path))
                budget.take(span)
                row.extend([fragment] * span)
            budget.take(before + after)
            row.extend([empty] * after)
            above = row
            rows.append(tuple(row))
        return Grid(tuple(rows), Provenance(source=source, path=path))

    def _merged_away(self, cell: Any, path: str, into: str) -> None:
        """A cell merged into the one ``into`` it: Word does not print its text, if it has
        any, so it is noted rather than lost."""
        text = _text(cell, self.names, self.budget)
        if text.strip():
            self.budget.piece()
            reason = f"in a cell merged into the one {into} it, which Word does not print"
            self.notes.append(Unplaced(text, reason, Provenance(source=self.source, path=path)))

    def _note(self, reason: str, path: str) -> None:
        self.notes.append(Unplaced("", reason, Provenance(source=self.source, path=path)))

    def _chunk(self, rid: str | None, path: str) -> None:
        """An embedded part, read in place; a note where it is not."""
        self.budget.chunk()
        if rid is None:
            self._note("embedded part (w:altChunk) without r:id: nothing to read", path)
            return
        name = rid
        try:
            name = self.package.target(rid)
            kind, said = self.package.kind(name)
            if kind is None:
                raise _NotRead(f"it is {said}, and only HTML, text and Word parts are read")
            parsed = self._embedded(name, kind)
        except _OverBound:
            raise
        except InputError as error:
            self._note(f"embedded part {name} was not read: {error.reason}", path)
        except _NotRead as why:
            self._note(f"embedded part {name} was not read: {why}", path)
        else:
            self.blocks.extend(parsed.document.blocks)
            self.chrome.extend(parsed.document.chrome)
            self.notes.extend(parsed.notes)

    def _embedded(self, name: str, kind: str) -> _Parsed:
        """An embedded part's document, counted against the read's budget."""
        source = f"{self.source or '<docx>'}!/{name}"
        if kind == _WORD:
            if self.nesting >= MAX_NESTING:
                raise _NotRead(f"a .docx nested more than {MAX_NESTING} deep")
            return _parse_package(self.package.read(name), source, self.budget, self.nesting + 1)
        size = self.package.infos[name].file_size
        if self.budget.chunk_bytes + size > MAX_CHUNK_BYTES:
            raise _NotRead(
                f"it holds {_size(size)}, and HTML and text parts may hold"
                f" {_size(MAX_CHUNK_BYTES)} in all"
            )
        self.budget.chunk_bytes += size
        data = self.package.read(name)
        if kind == _HTML:
            from .html import parse_html

            document = parse_html(data, source)
        else:
            from .text import parse_text

            document = parse_text(_decoded(data, source), source)
        self.budget.document(document)
        return _Parsed(document)


def _decoded(data: bytes, source: str) -> str:
    """An embedded text part as text: UTF-16 with its BOM, else as :func:`decode` does."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("UTF-16 text that cannot be decoded", source=source) from None
    return decode(data, source)


def _facts(package: _Package) -> tuple[tuple[str, str], ...]:
    """Document properties worth keeping; a damaged ``core.xml`` is ignored."""
    if _CORE not in package.infos:
        return ()
    found: dict[str, str] = {}
    tags = (f"{_CORE_PROPERTIES}coreProperties", *_PROPERTIES)
    core = _Part(package, _CORE, tags, "core properties part")
    try:
        for event, element in core:
            if event == "end" and element.getparent() is not None:
                text = (element.text or "").strip()
                if text:
                    found.setdefault(_PROPERTIES[element.tag], text)
                core.release(element)
    except _OverBound:
        raise
    except InputError:
        return ()
    return tuple((label, found[label]) for label in _PROPERTIES.values() if label in found)


def _parse_package(data: bytes, source: str | None, budget: _Budget, nesting: int) -> _Parsed:
    """A .docx read within ``budget``; its properties are facts only for the report itself."""
    package = _Package(data, source, budget)
    try:
        reader = _Reader(package, nesting)
        document = reader.read()
        if nesting == 0:
            document = attrs.evolve(document, facts=_facts(package))
        return _Parsed(document, tuple(reader.notes))
    finally:
        package.close()


def parse_docx(data: bytes, source: str | None = None) -> Document:
    """A .docx file's bytes to a :class:`Document`; :class:`InputError` if unreadable.

    Embedded parts that are not read are noted by :func:`read_docx`, not here."""
    return _parse_package(data, source, _Budget(source), 0).document


def read_docx(data: bytes, source: str | None = None) -> Report:
    """Read a report from a Word .docx file's bytes; embedded parts that could not be read
    are noted in :attr:`~ogi_report.model.Report.unplaced`."""
    name = source or "<docx>"
    parsed = _parse_package(data, name, _Budget(name), 0)
    report = assemble(parsed.document)
    if not parsed.notes:
        return report
    return attrs.evolve(report, unplaced=(*report.unplaced, *parsed.notes))
