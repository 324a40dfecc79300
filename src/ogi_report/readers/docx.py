"""Word (.docx): paragraphs and tables of ``word/document.xml``, merged cells expanded.

A .docx file is a ZIP of XML, and an untrusted one. Before anything is parsed the ZIP is
checked: it must hold ``word/document.xml``; its entries may not add up to more than
:data:`MAX_UNCOMPRESSED` bytes, and a part that is read may not be a compression bomb
(more than :data:`MAX_RATIO` times its compressed size). The XML is parsed with lxml
without entity resolution, DTD loading or network access, and a part that declares a DTD
is refused outright (Word never writes one). Any failure is an
:class:`~ogi_report.errors.InputError`.

Blocks follow the body's order: each paragraph a :class:`Fragment` (``body/p[12]``), each
table a :class:`Grid` with horizontal (``w:gridSpan``, ``w:hMerge``) and vertical
(``w:vMerge``) merges expanded, so a merged cell is repeated in every grid position it
covers, with the provenance of the cell that prints it (``body/tbl[2]/tr[5]/tc[3]``). An
empty cell stays an empty fragment: the assembler makes it BLANK, never 0.

The document properties (``docProps/core.xml``) go to the facts under their own names
(文档标题, 文档创建时间, 文档修改时间): a Word file's stored title is often left over from
the file it was copied from, so it is no substitute for the title the report prints.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from ..cells import Provenance
from ..errors import InputError
from ..model import Report
from . import MAX_BYTES
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

__all__ = [
    "MAX_CELLS",
    "MAX_RATIO",
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
#: Grid positions over all tables, merged cells counted in every position they cover.
MAX_CELLS = 1_000_000
#: Word allows 63 columns; a wider span is clamped to this.
_MAX_SPAN = 64

_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 strict
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_NOT_DOCX = "a ZIP file that is not a Word .docx document"
_NEEDS_EXTRA = "reading Word needs the docx extra: pip install 'ogi-report[docx]'"
_DAMAGED = "not a readable ZIP file (damaged or cut short)"


def _etree() -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    return etree


# --- the package ------------------------------------------------------------------------------


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str | None) -> bytes:
    """One entry's bytes, refused if it is a compression bomb."""
    size = info.file_size
    if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise InputError(
            f"{info.filename} unpacks to {size} bytes from {info.compress_size}:"
            f" more than {MAX_RATIO} times, refused as a compression bomb",
            source=source,
        )
    with archive.open(info) as stream:
        data = stream.read(size + 1)
    if len(data) > size:  # pragma: no cover - zipfile stops at the declared size
        raise InputError(f"{info.filename} is larger than its ZIP entry says", source=source)
    return data


def _parts(data: bytes, source: str | None) -> tuple[bytes, bytes | None]:
    """``word/document.xml`` and ``docProps/core.xml`` (None if absent), checked."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{len(data)} bytes is more than the {MAX_BYTES} allowed", source=source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except NotImplementedError:  # a ZIP version or feature zipfile does not read
        raise InputError("a ZIP file in a version that cannot be read", source=source) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(_DAMAGED, source=source) from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        if _DOCUMENT not in infos:
            raise InputError(_NOT_DOCX, source=source)
        total = sum(info.file_size for info in infos.values())
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                f"its ZIP entries unpack to {total} bytes, more than the {MAX_UNCOMPRESSED}"
                " allowed: refused as a compression bomb",
                source=source,
            )
        try:
            document = _part(archive, infos[_DOCUMENT], source)
            core = _part(archive, infos[_CORE], source) if _CORE in infos else None
        except InputError:  # a ValueError, so before the handlers below
            raise
        except NotImplementedError:  # before RuntimeError, which it is a kind of
            raise InputError(
                "a ZIP entry compressed with a method that cannot be read", source=source
            ) from None
        except RuntimeError:  # zipfile's word for an encrypted entry
            raise InputError("an encrypted ZIP entry: cannot be read", source=source) from None
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
            raise InputError(_DAMAGED, source=source) from None
    return document, core


def _xml(data: bytes, name: str, source: str | None) -> Any:
    """The root element of an XML part, parsed safely; a DTD is refused."""
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as error:
        detail = str(error).split("\n")[0][:200]
        raise InputError(f"{name} is not well-formed XML ({detail})", source=source) from None
    if root is None:
        raise InputError(f"{name} holds no XML element", source=source)
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise InputError(
            f"{name} declares a DTD (<!DOCTYPE …>), which Word never writes: refused",
            source=source,
        )
    return root


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
        self.breaks = frozenset({f"{w}br", f"{w}cr"})
        self.tabs = frozenset({f"{w}tab", f"{w}ptab"})
        self.hyphen = f"{w}noBreakHyphen"
        # Deleted and moved-away text, property blocks (a tab stop is no tab), and the
        # fallback copy of alternate content (a text box is printed once, not twice).
        self.skip = frozenset(
            {
                f"{w}del",
                f"{w}moveFrom",
                f"{w}pPr",
                f"{w}rPr",
                f"{w}tcPr",
                f"{w}trPr",
                f"{w}tblPr",
                f"{w}sdtPr",
                f"{_MC}Fallback",
            }
        )


def _text(element: Any, names: _Names) -> str:
    """The printed text under ``element``: runs joined, paragraphs and rows on new lines,
    the cells of a nested table apart."""
    parts: list[str] = []
    walker = _etree().iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in names.skip:
                walker.skip_subtree()
            elif tag == names.t:
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
    return "".join(parts).strip("\n")


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


class _Budget:
    """Grid positions still allowed (:data:`MAX_CELLS` over the whole document)."""

    def __init__(self, source: str | None) -> None:
        self.left = MAX_CELLS
        self.source = source

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise InputError(
                f"its tables expand to more than {MAX_CELLS} cells: refused", source=self.source
            )


def _children(parent: Any, prefix: str, wanted: str, names: _Names) -> Iterator[tuple[Any, str]]:
    """The ``wanted`` children (rows or cells) with their paths, through content controls
    and custom XML wrapped around them."""
    counter = _Counter(prefix)
    for child in parent:
        if child.tag == wanted:
            yield child, counter.path(child)
        elif child.tag == names.sdt:
            path = counter.path(child)
            content = child.find(names.sdtContent)
            if content is not None:
                yield from _children(content, f"{path}/sdtContent", wanted, names)
        elif child.tag == names.customXml:
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


def _grid(table: Any, path: str, names: _Names, budget: _Budget, source: str | None) -> Grid:
    """A table with every merge expanded: a spanned cell repeated where it reaches."""
    rows: list[tuple[Fragment, ...]] = []
    above: list[Fragment] = []  # the row before, by grid column
    for tr, row_path in _children(table, path, names.tr, names):
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
            elif _merge(tcpr, names.hMerge, names) == "continue" and row:
                fragment = row[-1]
            else:
                fragment = Fragment(_text(tc, names), Provenance(source=source, path=cell_path))
            budget.take(span)
            row.extend([fragment] * span)
        budget.take(before + after)
        row.extend([empty] * after)
        above = row
        rows.append(tuple(row))
    return Grid(tuple(rows), Provenance(source=source, path=path))


# --- the document -------------------------------------------------------------------------------


def _blocks(body: Any, names: _Names, source: str | None) -> list[Block]:
    """Paragraphs and tables in body order, through content controls around them."""
    blocks: list[Block] = []
    budget = _Budget(source)
    pending = [(iter(body), _Counter("body"))]
    while pending:
        children, counter = pending[-1]
        child = next(children, None)
        if child is None:
            pending.pop()
        elif child.tag == names.p:
            path = counter.path(child)
            text = _text(child, names)
            if text.strip():
                blocks.append(Fragment(text, Provenance(source=source, path=path)))
        elif child.tag == names.tbl:
            blocks.append(_grid(child, counter.path(child), names, budget, source))
        elif child.tag == names.sdt:
            path = counter.path(child)
            content = child.find(names.sdtContent)
            if content is not None:
                pending.append((iter(content), _Counter(f"{path}/sdtContent")))
        elif child.tag == names.customXml:
            pending.append((iter(child), _Counter(counter.path(child))))
    return blocks


def _facts(core: bytes | None, source: str | None) -> tuple[tuple[str, str], ...]:
    """Document properties worth keeping; a damaged ``core.xml`` is ignored."""
    if core is None:
        return ()
    try:
        root = _xml(core, _CORE, source)
    except InputError:
        return ()
    facts = []
    for label, tag in (
        ("文档标题", f"{_DC}title"),
        ("文档创建时间", f"{_DCTERMS}created"),
        ("文档修改时间", f"{_DCTERMS}modified"),
    ):
        element = root.find(tag)
        text = (element.text or "").strip() if element is not None else ""
        if text:
            facts.append((label, text))
    return tuple(facts)


def parse_docx(data: bytes, source: str | None = None) -> Document:
    """A .docx file's bytes to a :class:`Document`; :class:`InputError` if unreadable."""
    document, core = _parts(data, source)
    root = _xml(document, _DOCUMENT, source)
    namespace = next((n for n in _NAMESPACES if root.tag == f"{{{n}}}document"), None)
    if namespace is None:
        raise InputError(f"{_DOCUMENT} is not a WordprocessingML document", source=source)
    names = _Names(namespace)
    body = root.find(names.body)
    if body is None:
        raise InputError(f"{_DOCUMENT} has no body", source=source)
    blocks = _blocks(body, names, source)
    return Document(tuple(blocks), source, _facts(core, source))


def read_docx(data: bytes, source: str | None = None) -> Report:
    """Read a report from a Word .docx file's bytes."""
    return assemble(parse_docx(data, source or "<docx>"))
