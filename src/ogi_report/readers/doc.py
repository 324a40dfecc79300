"""Old Word (.doc, Word 97-2003): converted to .docx, then read by the .docx reader.

A .doc is an OLE2 compound file (it starts with ``D0 CF 11 E0``), as are Excel's .xls and
PowerPoint's .ppt. It is converted by the pure-Python converter ``doc2docx`` (the ``doc``
extra: ``pip install 'ogi-report[doc]'``) and the .docx it makes is read by
:func:`~ogi_report.readers.docx.read_docx`, under every bound of that reader; cells and
text name the .doc as their source (``report.doc: body/tbl[2]/tr[4]/tc[8]``).

Before converting, the compound file is opened in memory and looked at:

- an OLE2 file without a ``WordDocument`` stream is not a Word document: an Excel workbook,
  a PowerPoint presentation, an encrypted Office 2007+ file … is refused as what it is;
- a password-protected .doc, and a Word 6.0/95 one (older than Word 97), are refused;
- the converter is pure Python, holds the whole document as objects (some 250 bytes a
  character), and its formatting lookups take time that grows with the square of the
  number of formatting runs. So the streams it reads are bounded (:data:`MAX_WORD_STREAM`,
  :data:`MAX_TABLE_STREAM`), and so are the characters the file says it holds
  (:data:`MAX_CHARS`, all its stories) and its formatting runs, text pieces, styles, lists,
  bookmarks, fields and the like (:data:`MAX_STRUCTURES`), counted from its File Information
  Block, table stream and formatting pages, not converted. At these bounds a conversion
  takes some 5 to 7 seconds and up to about 80 MB (the 示例县 .doc: half a second).

The .docx is written in a private temporary folder (the converter reads and writes paths)
that is removed afterwards, whatever happens. It may not be larger than
:data:`MAX_CONVERTED_RATIO` times the .doc (plus 1 MiB), nor than
:data:`~ogi_report.readers.MAX_BYTES`. Whatever the converter raises on a damaged file is
an :class:`~ogi_report.errors.InputError` naming the file, never a traceback.
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import InputError
from ..model import Report
from . import MAX_BYTES
from ._document import Document
from .docx import parse_docx, read_docx

__all__ = [
    "MAX_CHARS",
    "MAX_CONVERTED_RATIO",
    "MAX_STRUCTURES",
    "MAX_TABLE_STREAM",
    "MAX_WORD_STREAM",
    "OLE2_MAGIC",
    "convert_doc",
    "parse_doc",
    "read_doc",
]

#: How every OLE2 compound file (.doc, .xls, .ppt …) starts.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Characters the document holds, all its stories (body, notes, headers, text boxes)
#: together, as its File Information Block counts them: a long report prints some 30,000.
MAX_CHARS = 200_000
#: Formatting runs (character and paragraph, as the formatting pages count them), text
#: pieces, styles, lists, bookmarks, fields, sections, notes, comments, shapes and text
#: boxes, together, a style counted twice. The bundled 示例县 .doc has some 1,200; every
#: table cell is a run.
MAX_STRUCTURES = 8_000
#: Bytes of the ``WordDocument`` stream (text, formatting, floating pictures; a report's is
#: under a few MiB).
MAX_WORD_STREAM = 16 * 1024 * 1024
#: Bytes of the table stream (``1Table``/``0Table``: styles, fonts, lists, tables of
#: positions; a report's is some tens of KB).
MAX_TABLE_STREAM = 1024 * 1024
#: The converted .docx may be this many times the .doc's size, plus 1 MiB.
MAX_CONVERTED_RATIO = 4
_CONVERTED_FLOOR = 2**20

_NEEDS_EXTRA = "reading .doc needs the doc extra: pip install 'ogi-report[doc]'"
_SAVE_AS = "save it as .docx or PDF to read it"
_DAMAGED = "a damaged Word .doc file, or one cut short"
_ENCRYPTED = (
    "a password-protected (encrypted) Word document: it cannot be read without its password;"
    " save an unprotected copy as .docx or PDF"
)
_NOT_WORD = "not a Word document: reports are read from Word, PDF, HTML or text files"
#: Compound files of other programs, by a stream or storage at their root (case folded).
_OTHER_KINDS = (
    ("workbook", f"an Excel workbook (.xls), {_NOT_WORD}"),
    ("book", f"an Excel 5.0/95 workbook (.xls), {_NOT_WORD}"),
    ("powerpoint document", f"a PowerPoint presentation (.ppt), {_NOT_WORD}"),
    (
        "encryptedpackage",
        "a password-protected (encrypted) Office 2007+ file (.docx, .xlsx, .pptx): it cannot"
        " be read without its password; save an unprotected copy as .docx or PDF",
    ),
    ("visiodocument", f"a Visio drawing (.vsd), {_NOT_WORD}"),
    ("__properties_version1.0", f"an Outlook message (.msg), {_NOT_WORD}"),
    ("quill", f"a Publisher document (.pub), {_NOT_WORD}"),
)
#: Word 97's nFib is 0x00C1; Word 6.0 and 95 wrote 0x0065 to 0x0068.
_WORD_97 = 0x00C0
#: A formatting page (FKP): 512 bytes, its count of runs in the last byte.
_PAGE = 512
_DIRECTORY_ENTRIES = 50_000


def _converter() -> Any:
    """The doc2docx package, its submodules loaded; ImportError naming the extra."""
    try:
        import doc2docx
        import doc2docx.cfb
        import doc2docx.errors
        import doc2docx.msdoc.fib
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    return doc2docx


def _size(size: int) -> str:
    return f"{size:,} bytes ({size / 2**20:.0f} MiB)" if size >= 2**20 else f"{size:,} bytes"


def _limits(doc2docx: Any) -> Any:
    return doc2docx.cfb.CompoundFileLimits(
        max_input_bytes=MAX_BYTES,
        max_stream_bytes=MAX_BYTES,
        max_directory_entries=_DIRECTORY_ENTRIES,
    )


def _detail(error: BaseException) -> str:
    return (str(error).strip() or type(error).__name__)[:200]


def _open(doc2docx: Any, data: bytes, source: str | None) -> Any:
    """The compound file, opened in memory."""
    if not data.startswith(OLE2_MAGIC[:4]):
        raise InputError(
            "not an old Office (OLE2) file: it does not start with D0 CF 11 E0", source=source
        )
    try:
        return doc2docx.cfb.CompoundFile(data, limits=_limits(doc2docx))
    except Exception as error:  # any failure on a damaged file
        raise InputError(
            f"a damaged old Office (OLE2) file, or one cut short ({_detail(error)})", source=source
        ) from None


def _stream(compound: Any, name: str, limit: int, source: str | None) -> bytes:
    """One stream of ``compound``, refused before it is read if larger than ``limit``."""
    try:
        size = compound.get_entry(name).stream_size
    except Exception:  # StreamNotFound
        raise InputError(f"{_DAMAGED} (its {name} stream is missing)", source=source) from None
    if size > limit:
        raise InputError(
            f"its {name} stream holds {_size(size)}, more than the {_size(limit)} a .doc may"
            " have: refused",
            source=source,
        )
    try:
        data: bytes = compound.open_stream(name)
    except Exception as error:  # a chain that is cut, loops, or leaves the file
        raise InputError(f"{_DAMAGED} ({_detail(error)})", source=source) from None
    return data


def _what_else(compound: Any) -> str:
    """What a compound file without a WordDocument stream is, in words."""
    names = {entry.path.casefold() for entry in compound.entries if "/" not in entry.path}
    for name, what in _OTHER_KINDS:
        if name in names:
            return what
    return (
        "an old Office (OLE2) file without a WordDocument stream: not a Word document; save"
        " it as .docx or PDF to read it"
    )


def _runs_on_pages(table: bytes, fc: int, lcb: int, word: bytes) -> int:
    """Runs on the formatting pages a PlcBte of ``table`` lists, each page's count its last
    byte in ``word``; just the number of pages if that is past :data:`MAX_STRUCTURES`."""
    if lcb < 12:
        return 0
    pages = (lcb - 4) // 8
    if pages > MAX_STRUCTURES:
        return pages
    start = fc + 4 * (pages + 1)  # past the pages' first character positions
    numbers = table[start : start + 4 * pages]
    runs = 0
    for (number,) in struct.iter_unpack("<I", numbers[: len(numbers) // 4 * 4]):
        at = (number & 0x3FFFFF) * _PAGE + _PAGE - 1
        runs += word[at] if at < len(word) else 0
    return runs


def _pieces(table: bytes, fc: int, lcb: int) -> int:
    """Text pieces and piece property groups in the Clx, counted until past MAX_STRUCTURES."""
    at, end, count = fc, min(fc + lcb, len(table)), 0
    while at < end and count <= MAX_STRUCTURES:
        if table[at] == 1 and at + 3 <= end:  # a Prc: its grpprl's size, then the grpprl
            size = int.from_bytes(table[at + 1 : at + 3], "little", signed=True)
            if size < 0:
                break
            at += 3 + size
            count += 1
        elif table[at] == 2 and at + 5 <= end:  # the Pcdt: a PlcPcd, 12 bytes a piece
            count += max(0, int.from_bytes(table[at + 1 : at + 5], "little") - 4) // 12
            break
        else:
            break
    return count


#: The PLCs counted, by the FIB's name for them, and the bytes of data each entry has
#: beside its 4-byte position: bookmarks, fields, sections, shapes, comments, footnotes,
#: endnotes and text boxes of the main document.
_PLCS = (
    ("plcf_bkf", 4),
    ("plcf_fld_mom", 2),
    ("plcf_sed", 12),
    ("plc_spa_mom", 26),
    ("plcf_and_ref", 30),
    ("plcf_fnd_ref", 2),
    ("plcf_end_ref", 2),
    ("plcf_txbx_txt", 22),
)


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little") if 0 <= at <= len(data) - 2 else 0


def _structures(fib: Any, table: bytes, word: bytes) -> int:
    """What the converter works through one by one, counted from the FIB and the table
    stream without converting; counting stops once past :data:`MAX_STRUCTURES`."""
    count = _pieces(table, fib.clx.fc, fib.clx.lcb)
    if fib.stshf.lcb >= 4:  # Stshi.cstd: a style costs the converter about two runs
        count += 2 * _u16(table, fib.stshf.fc + 2)
    count += _u16(table, fib.plf_lst.fc) if fib.plf_lst.lcb >= 2 else 0  # PlfLst.cLst
    for name, size in _PLCS:
        lcb = getattr(fib, name).lcb
        count += max(0, lcb - 4) // (4 + size)
    for plc in (fib.plcf_bte_chpx, fib.plcf_bte_papx):
        if count <= MAX_STRUCTURES:
            count += _runs_on_pages(table, plc.fc, plc.lcb, word)
    return count


def _check(doc2docx: Any, data: bytes, source: str | None) -> None:
    """Refuse what is not a Word 97-2003 document, or is past a bound, before converting."""
    compound = _open(doc2docx, data, source)
    try:
        compound.get_entry("WordDocument")
    except Exception:  # StreamNotFound
        raise InputError(_what_else(compound), source=source) from None
    word = _stream(compound, "WordDocument", MAX_WORD_STREAM, source)
    fib_module, errors = doc2docx.msdoc.fib, doc2docx.errors
    try:
        base = fib_module.FibBase.parse(word)
    except errors.Doc2DocxError:
        raise InputError(
            f"{_DAMAGED} (its WordDocument stream does not start as Word's)", source=source
        ) from None
    if base.n_fib < _WORD_97:
        raise InputError(
            f"a Word 6.0/95 (or older) document, older than the Word 97-2003 .doc that can be"
            f" read; {_SAVE_AS}",
            source=source,
        )
    if base.is_encrypted:
        raise InputError(_ENCRYPTED, source=source)
    try:
        fib = fib_module.FileInformationBlock.parse(word)
        characters = fib.total_story_cp_count
    except errors.Doc2DocxError as error:
        raise InputError(f"{_DAMAGED} ({_detail(error)})", source=source) from None
    if characters > MAX_CHARS:
        raise InputError(
            f"it holds {characters:,} characters of text by its own count, more than the"
            f" {MAX_CHARS:,} a .doc may have (a long report prints some 30,000): refused",
            source=source,
        )
    table = _stream(compound, base.table_stream_name, MAX_TABLE_STREAM, source)
    if _structures(fib, table, word) > MAX_STRUCTURES:
        raise InputError(
            f"more than {MAX_STRUCTURES:,} formatting runs, text pieces, styles, lists,"
            " bookmarks, fields and other structures (a report has one or two thousand):"
            " refused, as converting it would take too long",
            source=source,
        )


def convert_doc(data: bytes, source: str | None = None) -> bytes:
    """A Word 97-2003 .doc file's bytes converted to a .docx file's bytes, within the bounds.

    Raises :class:`~ogi_report.errors.InputError` for what is not a readable .doc (saying
    what it is if it is another Office file), and ``ImportError`` without the doc extra.
    """
    doc2docx = _converter()
    if len(data) > MAX_BYTES:
        raise InputError(f"{len(data)} bytes is more than the {MAX_BYTES} allowed", source=source)
    _check(doc2docx, data, source)
    errors = doc2docx.errors
    limit = min(MAX_BYTES, MAX_CONVERTED_RATIO * len(data) + _CONVERTED_FLOOR)
    with tempfile.TemporaryDirectory(prefix="ogi-report-doc-") as folder:
        given, made = Path(folder, "report.doc"), Path(folder, "report.docx")
        given.write_bytes(data)
        try:
            doc2docx.convert(given, made, limits=_limits(doc2docx))
        except errors.EncryptedDocumentError:
            raise InputError(_ENCRYPTED, source=source) from None
        except errors.Doc2DocxError as error:
            raise InputError(
                f"{_DAMAGED}: it cannot be converted ({_detail(error)})", source=source
            ) from None
        except RecursionError:
            raise InputError(
                f"{_DAMAGED}: its structures nest too deep to convert", source=source
            ) from None
        except MemoryError:
            raise InputError("converting this .doc ran out of memory", source=source) from None
        except Exception as error:  # the converter fails in many ways on damage
            detail = f"{type(error).__name__}: {_detail(error)}"
            raise InputError(
                f"{_DAMAGED}: the converter failed on it ({detail})", source=source
            ) from None
        size = made.stat().st_size
        if size > limit:
            raise InputError(
                f"it converts to a .docx of {_size(size)}, more than the {_size(limit)} allowed"
                f" ({MAX_CONVERTED_RATIO} times the .doc, plus 1 MiB): refused",
                source=source,
            )
        return made.read_bytes()


def parse_doc(data: bytes, source: str | None = None) -> Document:
    """A .doc file's bytes as a :class:`~ogi_report.readers._document.Document`: its
    conversion as :func:`~ogi_report.readers.docx.parse_docx` reads it."""
    return _converted(parse_docx, data, source)


def read_doc(data: bytes, source: str | None = None) -> Report:
    """Read a report from a Word 97-2003 .doc file's bytes: converted to .docx, then read
    by :func:`~ogi_report.readers.docx.read_docx`, cells and text naming the .doc."""
    return _converted(read_docx, data, source)


_Read = TypeVar("_Read")


def _converted(reader: Callable[[bytes, str], _Read], data: bytes, source: str | None) -> _Read:
    """``reader`` on the .doc's conversion to .docx, under the .doc's name; its errors say
    they are in the conversion."""
    name = source or "<doc>"
    converted = convert_doc(data, name)
    try:
        return reader(converted, name)
    except InputError as error:
        raise InputError(f"{error.reason} (in its conversion to .docx)", source=name) from None
