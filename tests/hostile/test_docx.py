"""Hostile Word files: document.xml bombs, bloated paragraphs and tables, embedded parts.

Every .docx is built here in memory by a small function (the large ones written to the ZIP
as a stream, never stored), and read within time and memory bounds
(:func:`~tests.hostile.bounds.read_bounded`): a file is read, or refused with one
InputError that names the bound it passed. An embedded part (``w:altChunk``) is read in
place, or said in ``Report.unplaced`` to be unread, with where; never dropped silently.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from collections.abc import Iterable, Iterator

import pytest

from ogi_report import InputError, Report
from ogi_report.readers import docx
from ogi_report.readers._document import Fragment, Grid
from ogi_report.readers.docx import parse_docx, read_docx

from .bounds import assert_kept, bounded, memory_bound, read_bounded

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
#: The sentence that closes every report built here: if it survives, the file was read whole.
LAST = "最后一句话在此，报告到此结束。"
#: A paragraph's worth of text, as a report prints it.
SENTENCE = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，回应社会关切。"

# --- building .docx files ----------------------------------------------------------------------


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _chunk(rid: str) -> str:
    return f'<w:altChunk r:id="{rid}"/>'


def _report(middle: str = "") -> str:
    """The body of a report of six sections; ``middle`` stands in section 一, after its first
    paragraph; :data:`LAST` closes section 六."""
    body = [_p(HEADINGS[0]), _p(SENTENCE), middle, *map(_p, HEADINGS[1:]), _p(LAST)]
    return "".join(body)


def _rel(rid: str, target: str, *, external: bool = False, kind: str = CHUNK_TYPE) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'


def _docx(
    body: str | Iterable[bytes],
    *,
    parts: dict[str, bytes] | None = None,
    types: dict[str, str] | None = None,
    rels: Iterable[str] = (),
    level: int = 6,
) -> bytes:
    """A .docx holding ``body`` (written to the ZIP piece by piece), ``parts`` with their
    content types (``types``, by part name), and ``rels`` as the document's relationships."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in (types or {}).items()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>",
        )
        relationships = "".join(rels)
        if relationships:
            archive.writestr(
                "word/_rels/document.xml.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
                f"{relationships}</Relationships>",
            )
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'.encode()
            )
            for piece in [body.encode()] if isinstance(body, str) else body:
                stream.write(piece)
            stream.write(b"</w:body></w:document>")
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _formatted(count: int) -> Iterator[bytes]:
    """``count`` bytes (about) of empty paragraphs as Word writes them, with revision ids:
    XML that deflates some 50 to 80 times, as a real document.xml does some 20 times."""
    rng = random.Random(8)
    paragraphs = (
        f'<w:p w:rsidR="00{rng.getrandbits(24):06X}" w:rsidRDefault="00A1B2C3">'
        '<w:pPr><w:jc w:val="both"/></w:pPr></w:p>'
        if index % 6 == 0
        else '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:jc w:val="both"/>'
        "</w:pPr></w:p>"
        for index in range(8000)
    )
    block = "".join(paragraphs).encode()
    for _ in range(count // len(block) + 1):
        yield block


def _runs(count: int, seed: int = 5) -> Iterator[bytes]:
    """Paragraphs of 40 formatted runs of one character each, some 6 KB apiece: big in
    bytes, small in text and in pieces."""
    rng = random.Random(seed)
    pool = "政府信息公开工作年度报告本机关认真贯彻落实条例主动申请依法办理答复"
    for _ in range(count):
        runs = "".join(
            f'<w:r w:rsidR="00{rng.getrandbits(24):06X}"><w:rPr><w:rFonts w:ascii="仿宋"'
            ' w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
            f"</w:rPr><w:t>{rng.choice(pool)}</w:t></w:r>"
            for _ in range(40)
        )
        yield f"<w:p>{runs}</w:p>".encode()


def _prose(characters: int, seed: int = 5) -> Iterator[bytes]:
    """Paragraphs of varied text, ``characters`` in all (it deflates as prose does)."""
    rng = random.Random(seed)
    pool = "政府信息公开工作年度报告本机关认真贯彻落实条例主动申请依法办理答复复议诉讼"
    for start in range(0, characters, 100):
        yield _p("".join(rng.choices(pool, k=min(100, characters - start)))).encode()


def _around(middle: Iterable[bytes]) -> Iterator[bytes]:
    """A report with ``middle`` after section 一's first paragraph."""
    opening, closing = _report("\x00").split("\x00")
    yield opening.encode()
    yield from middle
    yield closing.encode()


def _docx_part(body: str, name: str = "", data: bytes = b"", kind: str = "text/html") -> bytes:
    """A small .docx to embed, itself embedding ``data`` as ``word/name`` (as rId1)."""
    if not name:
        return _docx(body)
    part = f"word/{name}"
    return _docx(body, parts={part: data}, types={part: kind}, rels=[_rel("rId1", name)])


def _entry_size(data: bytes, name: str = "word/document.xml") -> tuple[int, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    return info.file_size, info.compress_size


def _read(data: bytes, seconds: float = 20) -> Report:
    outcome = read_bounded(data, seconds=seconds)
    assert isinstance(outcome, Report), outcome
    return outcome


def _refused(data: bytes, seconds: float = 20) -> str:
    outcome = read_bounded(data, seconds=seconds)
    assert isinstance(outcome, InputError), "the file was read, not refused"
    return str(outcome)


def _notes(report: Report) -> list[str]:
    return [f"{item.reason} @ {item.provenance}" for item in report.unplaced if not item.text]


def _section_1(report: Report) -> str:
    """The narrative of section 一, where every embedded part built here stands."""
    sections = [section for section in report.sections or () if section.number == 1]
    return sections[0].text if sections else ""


def _narrative(report: Report) -> str:
    return "\n".join(section.text for section in report.sections or ())


# --- document.xml bombs (issue 8) ---------------------------------------------------------------


def test_the_190_mb_document_xml_of_issue_8_is_refused_before_unpacking() -> None:
    """A .docx of a few MB whose document.xml unpacks to 190 MB (some 60 times: no bomb by
    ratio) ran out of memory at 4 GB; now its size in the ZIP's directory refuses it."""
    data = _docx(_around(_formatted(190 * 2**20)), level=1)
    size, packed = _entry_size(data)
    assert size > 190 * 2**20
    assert size < docx.MAX_RATIO * packed
    with bounded(5) as usage:
        message = _refused(data)
    assert usage.seconds < 1
    assert f"more than the {docx.MAX_PARSED:,} bytes" in message
    assert f"unpacks to {size:,} bytes" in message


def test_a_document_xml_just_past_the_bound_is_refused_quickly() -> None:
    data = _docx(_around(_formatted(docx.MAX_PARSED)))
    size, packed = _entry_size(data)
    assert docx.MAX_PARSED < size < docx.MAX_PARSED + 2**20
    assert size < docx.MAX_RATIO * packed
    with bounded(5) as usage:
        message = _refused(data)
    assert usage.seconds < 1
    assert f"more than the {docx.MAX_PARSED:,} bytes (16 MiB) of XML" in message


def test_a_document_xml_just_under_the_bound_is_read_in_small_memory() -> None:
    """Nearly 16 MB of formatted runs, packed 20 times or more, are read whole within
    48 MiB plus 20 times the file, in a stream: each paragraph let go once read."""
    data = _docx(_around(_runs(2_400)))
    size, packed = _entry_size(data)
    assert docx.MAX_PARSED - 2**20 < size < docx.MAX_PARSED
    assert size > 20 * packed
    report = _read(data)
    assert_kept(report, SENTENCE, LAST)
    assert len(_narrative(report)) > 90_000


def test_text_past_max_text_chars_is_refused() -> None:
    message = _refused(_docx(_around(_prose(docx.MAX_TEXT_CHARS))))
    assert f"more than {docx.MAX_TEXT_CHARS:,} characters of text" in message


def test_text_just_under_max_text_chars_is_read_in_small_memory() -> None:
    """Nine tenths of the bound: read and assembled within 48 MiB plus 20 times the file,
    and parsed within it as Python's allocations are traced (as the resident set may not
    show them)."""
    data = _docx(_around(_prose(docx.MAX_TEXT_CHARS * 9 // 10)))
    assert_kept(_read(data), LAST)
    with bounded(20, trace=True) as usage:
        parse_docx(data)
    assert usage.peak_bytes < memory_bound(len(data))


def test_a_vertically_merged_cell_counts_its_text_in_every_row() -> None:
    """A long cell merged down a hundred rows is a hundred times its text to the assembler."""
    text = "政" * (docx.MAX_TEXT_CHARS // 100)
    first = f'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{_p(text)}</w:tc>'
    rest = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    table = f"<w:tbl><w:tr>{first}</w:tr>{f'<w:tr>{rest}</w:tr>' * 101}</w:tbl>"
    assert "characters of text" in _refused(_docx(_report(table)))


def test_empty_paragraphs_past_max_pieces_are_refused_quickly() -> None:
    """Empty paragraphs make no fragment but cost a step each: counted, and bounded."""
    body = _report("<w:p/>" * docx.MAX_PIECES)
    with bounded(10) as usage:
        message = _refused(_docx(body))
    assert usage.seconds < 5  # some 0.5 s: each paragraph one step
    assert f"more than {docx.MAX_PIECES:,} paragraphs, tables, rows and cells" in message


def test_empty_paragraphs_under_max_pieces_are_read() -> None:
    assert_kept(_read(_docx(_report("<w:p/>" * (docx.MAX_PIECES - 100)))), LAST)


def test_table_positions_past_max_cells_are_refused() -> None:
    """Four cells spanning 64 columns each, in a thousand rows: 256,000 grid positions."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p/></w:tc>'
    table = f"<w:tbl>{f'<w:tr>{cell * 4}</w:tr>' * 1_000}</w:tbl>"
    message = _refused(_docx(_report(table)))
    assert f"more than {docx.MAX_CELLS:,} cells" in message


def _held(nodes: int) -> dict[str, str]:
    """Paragraph contents that count ``nodes`` held (an element once, an attribute three
    times), in three shapes: elements, elements with an attribute, one element's attributes."""
    attributes = " ".join(f'a{n}=""' for n in range(nodes // 3))
    return {
        "elements": "<w:r/>" * nodes,
        "attributes": '<w:r w:x="1"/>' * (nodes // 4),
        "one element's attributes": f"<w:r {attributes}/>",
    }


@pytest.mark.parametrize("shape", list(_held(0)))
def test_a_paragraph_holding_more_than_max_held_nodes_is_refused(shape: str) -> None:
    """One paragraph is held whole until it ends: its nodes are counted as it is parsed."""
    inside = _held(docx.MAX_HELD_NODES + 30_000)[shape]
    message = _refused(_docx(_report(f"<w:p>{inside}</w:p>"), level=0))
    assert f"more than {docx.MAX_HELD_NODES:,} XML nodes at once, in one paragraph" in message


@pytest.mark.parametrize("shape", list(_held(0)))
def test_a_paragraph_just_under_max_held_nodes_is_read_in_small_memory(shape: str) -> None:
    """Held whole, such a paragraph takes some 20 MB at most (one element's attributes)."""
    inside = _held(docx.MAX_HELD_NODES - 40_000)[shape]
    body = _report(f"<w:p>{inside}<w:r><w:t>{SENTENCE}</w:t></w:r></w:p>")
    report = _read(_docx(body, level=0))
    assert_kept(report, SENTENCE, LAST)


def test_junk_outside_any_paragraph_is_let_go_or_counted() -> None:
    """Unknown elements between paragraphs are dropped as each paragraph is read; a run of
    them with no paragraph between is held, and counted like one."""
    between = (_p(SENTENCE) + "<w:bookmarkStart/>" * 500) * 400
    report = _read(_docx(_report(between), level=0))
    assert_kept(report, SENTENCE, LAST)
    run = "<w:bookmarkStart/>" * (docx.MAX_HELD_NODES + 10_000)
    assert "XML nodes at once" in _refused(_docx(_report(run), level=0))


@pytest.mark.parametrize(
    "xml",
    [
        b"<html>" + b"<a/>" * 500_000 + b"</html>",
        b"<!DOCTYPE x [" + b'<!ENTITY e "x">' * 250_000 + b"]><x/>",
    ],
    ids=["a foreign root", "a long DTD"],
)
def test_a_document_that_is_no_word_document_is_refused_early(xml: bytes) -> None:
    """What is not let go is counted from the first byte: a foreign root with much under
    it, or a long DTD, is refused once it holds more than a paragraph may."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b'<?xml version="1.0"?>' + xml)
    with bounded(5) as usage:
        message = _refused(buffer.getvalue())
    assert usage.seconds < 1
    assert f"word/document.xml holds more than {docx.MAX_HELD_NODES:,} XML nodes" in message


def test_nesting_past_the_parser_limit_is_an_input_error() -> None:
    """Content controls nested 300 deep (libxml2 stops at 256) are malformed, not a crash."""
    sdt = "<w:sdt><w:sdtContent>" * 300 + _p(SENTENCE) + "</w:sdtContent></w:sdt>" * 300
    assert "not well-formed" in _refused(_docx(_report(sdt)))
    sdt = "<w:sdt><w:sdtContent>" * 100 + _p(SENTENCE) + "</w:sdtContent></w:sdt>" * 100
    assert_kept(_read(_docx(_report(sdt))), SENTENCE)


# --- embedded parts (w:altChunk) -----------------------------------------------------------------

HTML_CHUNK = f"<html><body><p>由网页导入的一段话。</p><p>{SENTENCE}</p></body></html>".encode()


def test_an_html_part_is_read_in_place() -> None:
    data = _docx(
        _report(_chunk("rId7")),
        parts={"word/afchunk1.htm": HTML_CHUNK},
        types={"word/afchunk1.htm": "text/html"},
        rels=[_rel("rId7", "afchunk1.htm")],
    )
    document = parse_docx(data, "r.docx")
    texts = [b.text for b in document.blocks if isinstance(b, Fragment)]
    start = texts.index("由网页导入的一段话。")
    assert texts[start - 2 : start + 3] == [
        HEADINGS[0],
        SENTENCE,
        "由网页导入的一段话。",
        SENTENCE,
        HEADINGS[1],
    ]
    assert str(document.blocks[start].where).startswith("r.docx!/word/afchunk1.htm: ")
    report = _read(data)
    assert "由网页导入的一段话" in _section_1(report)
    assert _notes(report) == []


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("一段纯文本。\n第二行。".encode(), "text/plain"),
        ("一段纯文本。\n第二行。".encode("gb18030"), "text/plain"),
        (codecs.BOM_UTF16_LE + "一段纯文本。\n第二行。".encode("utf-16-le"), "text/plain"),
        ("一段纯文本。\n第二行。".encode(), None),  # by its extension
    ],
    ids=["utf-8", "gb18030", "utf-16", "by extension"],
)
def test_a_text_part_is_read_in_place(data: bytes, kind: str | None) -> None:
    report = _read(
        _docx(
            _report(_chunk("rId3")),
            parts={"word/chunk.txt": data},
            types={"word/chunk.txt": kind} if kind else {},
            rels=[_rel("rId3", "/word/chunk.txt")],
        )
    )
    assert "一段纯文本。" in _section_1(report)
    assert "第二行。" in _section_1(report)
    assert _notes(report) == []


def test_a_docx_part_is_read_in_place_with_its_own_parts() -> None:
    """An embedded .docx is read like the report, its own embedded page too."""
    inner = _docx_part(_p("嵌入文档的一段话。") + _chunk("rId1"), "page.htm", HTML_CHUNK)
    data = _docx(
        _report(_chunk("rId9")),
        parts={"word/sub.docx": inner},
        types={"word/sub.docx": DOCX_TYPE},
        rels=[_rel("rId9", "sub.docx")],
    )
    blocks = parse_docx(data, "r.docx").blocks
    where = {b.text: str(b.where) for b in blocks if isinstance(b, Fragment)}
    assert where["嵌入文档的一段话。"] == "r.docx!/word/sub.docx: body/p[1]"
    assert where["由网页导入的一段话。"].startswith("r.docx!/word/sub.docx!/word/page.htm: ")
    report = _read(data)
    assert "嵌入文档的一段话。" in _section_1(report)
    assert _notes(report) == []


def test_docx_parts_nested_past_max_nesting_are_noted() -> None:
    """A .docx in a .docx in the report is read; one more level down is noted, not read."""
    part = _docx_part(_p("第3层。"))
    for depth in (2, 1):
        body = _p(f"第{depth}层。") + _chunk("rId1")
        part = _docx_part(body, f"level{depth + 1}.docx", part, DOCX_TYPE)
    data = _docx(
        _report(_chunk("rId1")), parts={"word/a.docx": part}, rels=[_rel("rId1", "a.docx")]
    )
    report = _read(data)
    assert "第1层。" in _narrative(report)
    assert "第2层。" in _narrative(report)
    assert "第3层。" not in _narrative(report)
    (note,) = _notes(report)
    assert f"a .docx nested more than {docx.MAX_NESTING} deep" in note
    assert note.endswith("@ <bytes>!/word/a.docx!/word/level2.docx: body/altChunk[1]")


@pytest.mark.parametrize(
    ("name", "kind", "said"),
    [
        ("word/chunk.rtf", "application/rtf", "application/rtf"),
        ("word/chunk.mht", "message/rfc822", "message/rfc822"),
        ("word/chunk.rtf", None, "a .rtf file"),
    ],
)
def test_a_part_of_another_kind_is_noted_where_it_stands(
    name: str, kind: str | None, said: str
) -> None:
    data = _docx(
        _report(_p("前一段。") + _chunk("rId4")),
        parts={name: b"{\\rtf1 \\ansi hidden}"},
        types={name: kind} if kind else {},
        rels=[_rel("rId4", name.removeprefix("word/"))],
    )
    report = _read(data)
    assert_kept(report, "前一段。", LAST)
    (note,) = _notes(report)
    assert f"embedded part {name} was not read: it is {said}" in note
    assert note.endswith("@ <bytes>: body/altChunk[1]")


@pytest.mark.parametrize(
    ("rels", "parts", "reason"),
    [
        ([], {}, "its relationship rId4 is not in word/_rels/document.xml.rels"),
        ([_rel("rId4", "gone.htm")], {}, "its part gone.htm is not in the file"),
        ([_rel("rId4", "../../../../etc/passwd")], {}, "is not in the file"),
        ([_rel("rId4", "/../word/../../x.htm")], {}, "is not in the file"),
        ([_rel("rId4", "http://example.org/x.htm", external=True)], {}, "outside the file"),
        ([_rel("rId4", "chunk.htm")], {"word/chunk.htm": b"\x00\xff" * 10}, None),
        ([_rel("rId4", "sub.docx")], {"word/sub.docx": b"PK\x03\x04 not a zip"}, "ZIP"),
    ],
    ids=["no relationship", "missing", "climbing", "absolute climb", "external", "junk", "zip"],
)
def test_an_unresolvable_part_is_noted_not_a_crash(
    rels: list[str], parts: dict[str, bytes], reason: str | None
) -> None:
    data = _docx(_report(_chunk("rId4")), parts=parts, rels=rels)
    report = _read(data)
    assert_kept(report, SENTENCE, LAST)
    if reason is None:  # junk HTML reads as whatever text it has: no note is needed
        return
    (note,) = _notes(report)
    assert reason in note
    assert note.startswith("embedded part ")


def test_a_dtd_in_the_relationships_is_refused_and_noted() -> None:
    buffer = io.BytesIO(_docx(_report(_chunk("rId1")), parts={"word/a.htm": HTML_CHUNK}))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            f'<Relationships xmlns="{PACKAGE_RELS}">{_rel("rId1", "a.htm")}</Relationships>',
        )
    (note,) = _notes(_read(buffer.getvalue()))
    assert "word/_rels/document.xml.rels declares a DTD" in note


def test_a_part_without_rid_or_inside_a_table_is_noted() -> None:
    cell = f"<w:tbl><w:tr><w:tc>{_p('格内')}{_chunk('rId1')}</w:tc></w:tr></w:tbl>"
    data = _docx(
        _report("<w:altChunk/>" + cell),
        parts={"word/a.htm": HTML_CHUNK},
        rels=[_rel("rId1", "a.htm")],
    )
    notes = _notes(_read(data))
    assert notes == [
        "embedded part (w:altChunk) without r:id: nothing to read @ <bytes>: body/altChunk[1]",
        "embedded part (w:altChunk) inside a table or text box was not read @ <bytes>: body/tbl[1]",
    ]


def test_html_parts_past_max_chunk_bytes_are_noted_and_the_rest_read() -> None:
    paragraph = f"<p>{SENTENCE * 30}</p>".encode()
    paragraphs = paragraph * (docx.MAX_CHUNK_BYTES // 2 // len(paragraph) + 1)
    page = b"<html><body>" + paragraphs + b"</body></html>"
    half = len(page)
    assert docx.MAX_CHUNK_BYTES // 2 < half < docx.MAX_CHUNK_BYTES
    data = _docx(
        _report(_chunk("rId1") + _chunk("rId1") + _p("两页之后。")),
        parts={"word/a.htm": page},
        rels=[_rel("rId1", "a.htm")],
    )
    report = _read(data)
    assert_kept(report, "两页之后。", LAST)
    (note,) = _notes(report)
    assert f"HTML and text parts may hold {docx.MAX_CHUNK_BYTES:,} bytes (1 MiB) in all" in note
    assert note.endswith("body/altChunk[2]")


def test_more_than_max_chunks_parts_are_refused() -> None:
    body = _report(_chunk("rId1") * (docx.MAX_CHUNKS + 1))
    data = _docx(body, parts={"word/a.txt": "文字".encode()}, rels=[_rel("rId1", "a.txt")])
    assert f"more than {docx.MAX_CHUNKS} embedded parts" in _refused(data)


def test_a_part_read_again_and_again_counts_against_max_parsed() -> None:
    """One embedded .docx of 600 KB read 30 times is 18 MB of XML: past the bound."""
    inner = _docx([_p("嵌入。").encode(), *_runs(100)])
    data = _docx(
        _report(_chunk("rId1") * 30),
        parts={"word/a.docx": inner},
        types={"word/a.docx": DOCX_TYPE},
        rels=[_rel("rId1", "a.docx")],
    )
    message = _refused(data)
    assert "(with the parts read before it)" in message
    assert f"more than the {docx.MAX_PARSED:,} bytes" in message


def test_a_grid_in_an_html_part_is_counted_and_kept() -> None:
    page = "<html><body><table><tr><td>规章</td><td>7</td></tr></table></body></html>".encode()
    data = _docx(
        _report(_chunk("rId1")), parts={"word/a.html": page}, rels=[_rel("rId1", "a.html")]
    )
    grids = [b for b in parse_docx(data).blocks if isinstance(b, Grid)]
    assert [[c.text for c in row] for row in grids[0].rows] == [["规章", "7"]]
    assert_kept(read_docx(data), LAST)


# --- text Word does not print -------------------------------------------------------------------


@pytest.mark.parametrize("merge", ["vMerge", "hMerge"])
def test_text_in_a_merged_away_cell_is_noted_not_lost(merge: str) -> None:
    """A cell merged into the one above or before it takes that cell's text in the grid;
    its own text, which Word does not print, is noted in unplaced with where."""
    plain = f"<w:tc>{_p('左')}</w:tc>"
    restart = f'<w:tc><w:tcPr><w:{merge} w:val="restart"/></w:tcPr>{_p("合并")}</w:tc>'
    hidden = f'<w:tc><w:tcPr><w:{merge} w:val="continue"/></w:tcPr>{_p("藏在合并格里的字")}</w:tc>'
    rows = [plain + restart, plain + hidden] if merge == "vMerge" else [plain * 2, restart + hidden]
    table = "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
    data = _docx(_report(table))
    (grid,) = [b for b in parse_docx(data).blocks if isinstance(b, Grid)]
    expected = ["左", "合并"] if merge == "vMerge" else ["合并", "合并"]
    assert [cell.text for cell in grid.rows[1]] == expected
    (note,) = [u for u in _read(data).unplaced if u.text == "藏在合并格里的字"]
    assert "which Word does not print" in note.reason
    assert note.provenance is not None
    assert note.provenance.path == "body/tbl[1]/tr[2]/tc[2]"
