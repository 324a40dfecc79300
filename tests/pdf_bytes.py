"""PDF files written by hand for the tests: numbered objects, an xref table, a trailer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def write_pdf(objects: Mapping[int, bytes] | Sequence[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (numbered as given, or from 1 in order; gaps in the numbers are
    free entries of the xref table), object 1 as its root and ``trailer`` added to the
    trailer's dictionary.

    >>> write_pdf([b"<< /Type /Catalog >>"]).splitlines()[:3]
    [b'%PDF-1.4', b'1 0 obj', b'<< /Type /Catalog >>']
    """
    numbered = objects if isinstance(objects, Mapping) else dict(enumerate(objects, start=1))
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(numbered):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, numbered[number])
    xref = len(out)
    size = max(numbered) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0 0 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (size, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
