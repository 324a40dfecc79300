"""The Word (.docx) reader: merged cells expanded, the blank form, untrusted ZIPs and XML."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import InputError, check, example_report, read, to_cells_json
from ogi_report.compare import accuracy
from ogi_report.readers import docx as docx_reader
from ogi_report.readers._document import Fragment, Grid
from ogi_report.readers.docx import parse_docx, read_docx
from ogi_report.templates import TEMPLATE_2021

from .corpus_compare import compare

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BLANK = CORPUS / "docx" / "2021_template_blank_docx_1.docx"
needs_corpus = pytest.mark.skipif(not BLANK.is_file(), reason="../shared/corpus is absent")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# --- building .docx files ----------------------------------------------------------------------


def _document(body: str, *, namespace: str = W, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{namespace}" xmlns:mc="{MC}"><w:body>{body}</w:body></w:document>'
    ).encode()


def _docx(document: bytes | str, parts: dict[str, bytes] | None = None) -> bytes:
    """A .docx file (a ZIP) holding ``document`` as word/document.xml, and ``parts``."""
    if isinstance(document, str):
        document = _document(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str) -> str:
    """A paragraph; a line break in ``text`` becomes a w:br."""
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{_escape(line)}</w:t></w:r>' for line in text.split("\n")
    )
    return f"<w:p>{runs}</w:p>"


def _tc(text: str = "", span: int = 1, merge: str | None = None) -> str:
    """A cell spanning ``span`` grid columns; ``merge`` is its vMerge (restart, continue)."""
    properties = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if merge == "restart":
        properties += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        properties += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{_p(text)}</w:tc>"


def _tr(cells: Sequence[str], after: int = 0) -> str:
    """A row of rendered cells (text is made a plain cell), ``after`` empty grid positions."""
    properties = f'<w:trPr><w:gridAfter w:val="{after}"/></w:trPr>' if after else ""
    rendered = (cell if cell.startswith("<w:tc>") else _tc(cell) for cell in cells)
    return f"<w:tr>{properties}{''.join(rendered)}</w:tr>"


def _tbl(rows: Sequence[Sequence[str] | str]) -> str:
    """A table of rows, each a rendered row or a sequence of cells."""
    return "<w:tbl>" + "".join(r if isinstance(r, str) else _tr(r) for r in rows) + "</w:tbl>"


def _s4(values: Sequence[str]) -> str:
    """Section 4's table as the official form prints it: merged headers, one data row."""
    heads = [column.zh[-1] for column in TEMPLATE_2021.table("s4").columns]
    return _tbl(
        [
            [_tc("行政复议", 5), _tc("行政诉讼", 10)],
            [
                *(_tc(h, merge="restart") for h in heads),
                _tc("未经复议直接起诉", 5),
                _tc("复议后起诉", 5),
            ],
            [*(_tc(merge="continue") for _ in heads), *heads, *heads],
            values,
        ]
    )


def _form(values: dict[str, str], title: str | None = None, *, spanned: bool = True) -> str:
    """The body of the official 2021 form, merged as Word prints it, ``values`` by cell code.

    ``spanned``: a one-column item table's value spans three grid columns, as in the form;
    otherwise it is one cell and the row ends early (gridAfter).
    """
    body = [_p(title)] if title else []
    body += [_p(HEADINGS[0]), _p("本年度，示例县持续推进政务公开。"), _p(HEADINGS[1])]
    s2: list[Sequence[str] | str] = []
    for spec in (t for t in TEMPLATE_2021.tables if t.section == 2):
        s2.append([_tc(spec.caption_zh, 4)])
        header = [column.zh[-1] for column in spec.columns]
        wide = len(header) == 3
        for label, cells in [("信息内容", header)] + [
            (row.zh[-1], [values[code] for code in spec.row_codes(row.key)]) for row in spec.rows
        ]:
            if wide:
                s2.append([label, *cells])
            elif spanned:
                s2.append([label, _tc(cells[0], 3)])
            else:
                s2.append(_tr([label, cells[0]], after=2))
    body += [_tbl(s2), _p(HEADINGS[2])]
    s3 = TEMPLATE_2021.table("s3")
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    organisations = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows: list[Sequence[str] | str] = [
        [_tc(note, 3, "restart"), _tc("申请人情况", 7)],
        [
            _tc(span=3, merge="continue"),
            _tc("自然人", merge="restart"),
            _tc("法人或其他组织", 5),
            _tc("总计", merge="restart"),
        ],
        [
            _tc(span=3, merge="continue"),
            _tc(merge="continue"),
            *organisations,
            _tc(merge="continue"),
        ],
    ]
    previous: tuple[str, ...] = ()
    for row in s3.rows:
        if row.optional:
            continue
        zh = row.zh
        if len(zh) == 1:
            labels = [_tc(zh[0], 3)]
        else:
            first = _tc(zh[0], merge="continue" if previous[:1] == zh[:1] else "restart")
            if len(zh) == 2:
                labels = [first, _tc(zh[1], 2)]
            else:
                second = _tc(zh[1], merge="continue" if previous[:2] == zh[:2] else "restart")
                labels = [first, second, zh[2]]
        rows.append([*labels, *(values[code] for code in s3.row_codes(row.key))])
        previous = zh
    body += [_tbl(rows), _p(HEADINGS[3])]
    s4 = TEMPLATE_2021.table("s4")
    body.append(_s4([values[code] for row in s4.rows for code in s4.row_codes(row.key)]))
    body += [_p(HEADINGS[4]), _p("一是公开深度不够。"), _p(HEADINGS[5]), _p("无。")]
    return "".join(body)


def _example_cells() -> dict[str, object]:
    """示例县's 200 cells in the cells-JSON form (the form truth files use)."""
    cells: dict[str, object] = to_cells_json(example_report("2021"))["cells"]
    return cells


def _example_values() -> dict[str, str]:
    return {code: str(value) for code, value in _example_cells().items()}


# --- the corpus ---------------------------------------------------------------------------------


@needs_corpus
def test_blank_form_is_read_as_the_2021_format_with_its_sections() -> None:
    """The official blank form reads as 2021 format: six sections, no agency, no year, no error."""
    report = read(BLANK)
    assert report.template.version == "2021"
    assert [(s.number, s.heading) for s in report.sections or ()] == list(
        enumerate(HEADINGS, start=1)
    )
    assert report.metadata.agency is None
    assert report.metadata.reporting_year is None
    assert not check(report).errors


@needs_corpus
def test_blank_form_tables_are_expanded_to_their_grids() -> None:
    """Its three tables come out 4, 10 and 15 columns wide, every row full, value cells empty."""
    document = parse_docx(BLANK.read_bytes(), "blank.docx")
    grids = [block for block in document.blocks if isinstance(block, Grid)]
    assert [(len(g.rows), {len(r) for r in g.rows}) for g in grids] == [
        (14, {4}),
        (28, {10}),
        (4, {15}),
    ]
    s3 = grids[1].rows
    labels = ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert [cell.text for cell in s3[7][:3]] == labels
    assert all(not cell.text.strip() for row in s3[3:] for cell in row[3:])
    assert all(not cell.text.strip() for cell in grids[2].rows[3])
    assert grids[1].where.path == "body/tbl[2]"
    assert s3[7][1].where.path == "body/tbl[2]/tr[8]/tc[2]"


@needs_corpus
def test_blank_form_every_cell_is_blank() -> None:
    """All 200 standard cells of the blank form are BLANK, and only CELL.BLANK warns."""
    report = read(BLANK)
    result = compare(report, Path(f"{BLANK}.truth.json"))
    assert len(result.right) == 200, result
    warnings = check(report).filter(severity="warning")
    assert set(warnings.summary()) == {"CELL.BLANK"}
    assert len(warnings) == 34  # one per row printed empty, as tests/test_corpus.py expects


@needs_corpus
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_truncated_corpus_docx_is_an_input_error(fraction: float) -> None:
    """The blank form cut short anywhere is refused with InputError."""
    data = BLANK.read_bytes()
    with pytest.raises(InputError):
        read(data[: max(4, int(len(data) * fraction))])


# --- merged cells -------------------------------------------------------------------------------


def test_grid_span_and_vertical_merge_are_expanded() -> None:
    """gridSpan repeats a cell across columns, vMerge down rows; provenance is the printed cell."""
    body = _tbl(
        [
            [_tc("甲", 2, "restart"), "乙"],
            [_tc("", 2, "continue"), "丙"],
            ["丁", _tc("戊", 2)],
        ]
    )
    document = parse_docx(_docx(body), "t.docx")
    (grid,) = document.blocks
    assert isinstance(grid, Grid)
    assert [[cell.text for cell in row] for row in grid.rows] == [
        ["甲", "甲", "乙"],
        ["甲", "甲", "丙"],
        ["丁", "戊", "戊"],
    ]
    assert grid.rows[1][0] is grid.rows[0][0]
    assert str(grid.rows[1][1].where) == "t.docx: body/tbl[1]/tr[1]/tc[1]"
    assert grid.rows[2][2].where.path == "body/tbl[1]/tr[3]/tc[2]"


def test_legacy_hmerge_grid_before_and_after_are_grid_positions() -> None:
    """w:hMerge continues the cell to its left; gridBefore and gridAfter are empty positions."""
    row = (
        '<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'
        f'<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>{_p("合")}</w:tc>'
        "<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc></w:tr>"
    )
    (grid,) = parse_docx(_docx(f"<w:tbl>{row}</w:tbl>")).blocks
    assert isinstance(grid, Grid)
    assert [cell.text for cell in grid.rows[0]] == ["", "合", "合", ""]


def test_absurd_spans_are_clamped_and_the_grid_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A gridSpan of a billion is clamped; tables past MAX_CELLS positions are refused."""
    body = '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc>'
    body += '<w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'
    (grid,) = parse_docx(_docx(body)).blocks
    assert isinstance(grid, Grid)
    assert len(grid.rows[0]) == 65
    monkeypatch.setattr(docx_reader, "MAX_CELLS", 10)
    with pytest.raises(InputError, match="cells"):
        parse_docx(_docx(body))


def test_empty_cells_stay_empty_fragments() -> None:
    """An empty cell is an empty fragment (BLANK to the assembler), never a zero."""
    (grid,) = parse_docx(_docx(_tbl([["规章", "", "　", "3"]]))).blocks
    assert isinstance(grid, Grid)
    assert [cell.text for cell in grid.rows[0]] == ["规章", "", "　", "3"]


# --- a filled form ------------------------------------------------------------------------------


@pytest.mark.parametrize("spanned", [True, False], ids=["spanned", "grid-after"])
def test_filled_example_county_form_reads_every_number(spanned: bool) -> None:
    """示例县's figures in the merged official form come back cell for cell, with its metadata."""
    title = "示例县人民政府2021年政府信息公开工作年度报告"
    report = read(_docx(_form(_example_values(), title, spanned=spanned)))
    assert report.metadata.agency == "示例县人民政府"
    assert report.metadata.reporting_year == 2021
    result = accuracy(report, _example_cells())
    assert len(result.right) == 200, result
    assert not check(report).errors
    assert [s.number for s in report.sections or ()] == [1, 2, 3, 4, 5, 6]
    assert report.provenance["s4.review.total"].path == "body/tbl[3]/tr[4]/tc[5]"
    assert report.provenance["s3.new.total"].path == "body/tbl[2]/tr[4]/tc[8]"


def test_section_4_alone_reads_its_fifteen_numbers() -> None:
    """A fictional 示例县 section 4 table, merged headers and one data row, reads its numbers."""
    values = [str(n) for n in (3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 1, 2)]
    title = _p("示例县2021年政府信息公开工作年度报告")
    report = read_docx(_docx(title + _p(HEADINGS[3]) + _s4(values)))
    s4 = TEMPLATE_2021.table("s4")
    codes = [code for row in s4.rows for code in s4.row_codes(row.key)]
    assert [report[code] for code in codes] == [int(v) for v in values]


# --- text as printed ----------------------------------------------------------------------------


def test_paragraph_text_as_printed() -> None:
    """Runs join, breaks and tabs are kept; deleted text and a fallback copy are not read."""
    paragraph = (
        "<w:p><w:pPr><w:tabs><w:tab/></w:tabs></w:pPr>"
        "<w:r><w:t>本年</w:t></w:r><w:r><w:t>新收</w:t><w:tab/><w:t>12</w:t><w:br/></w:r>"
        "<w:del><w:r><w:delText>删去</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>件</w:t></w:r></w:ins>"
        "<mc:AlternateContent><mc:Choice><w:r><w:t>框</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>框</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
        "<w:p/><w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    blocks = parse_docx(_docx(paragraph), "p.docx").blocks
    assert [(b.text, b.where.path) for b in blocks if isinstance(b, Fragment)] == [
        ("本年新收\t12\n件框", "body/p[1]"),
        ("控件内", "body/sdt[1]/sdtContent/p[1]"),
    ]


def test_strict_ooxml_namespace_is_read() -> None:
    """A document in the ISO 29500 strict namespace reads like a transitional one."""
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    blocks = parse_docx(_docx(_document(_p(HEADINGS[0]), namespace=strict))).blocks
    assert [b.text for b in blocks if isinstance(b, Fragment)] == [HEADINGS[0]]


def test_core_properties_are_facts_that_do_not_override_the_printed_title() -> None:
    """docProps/core.xml gives 文档标题 and dates; a stale stored title does not set the year."""
    core = (
        '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>示例县2020年度报告</dc:title>'
        "<dcterms:created>2022-01-05T08:00:00Z</dcterms:created></cp:coreProperties>"
    ).encode()
    body = _p("示例县人民政府2021年政府信息公开工作年度报告") + _p(HEADINGS[0])
    data = _docx(body, {"docProps/core.xml": core})
    assert parse_docx(data).facts == (
        ("文档标题", "示例县2020年度报告"),
        ("文档创建时间", "2022-01-05T08:00:00Z"),
    )
    assert read(data).metadata.reporting_year == 2021


# --- untrusted input ----------------------------------------------------------------------------


def test_external_entity_is_never_expanded() -> None:
    """A DTD with an external entity (file:///etc/passwd) is refused, the file never read."""
    prolog = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    data = _docx(_document("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog=prolog))
    with pytest.raises(InputError, match="DTD") as caught:
        read(data)
    assert "root:" not in str(caught.value)


def test_internal_entities_and_billion_laughs_are_refused() -> None:
    """Internal entities (a billion-laughs chain) are refused, never expanded."""
    entities = '<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi")
    )
    prolog = f"<!DOCTYPE w:document [{entities}]>"
    data = _docx(_document("<w:p><w:r><w:t>&i;</w:t></w:r></w:p>", prolog=prolog))
    with pytest.raises(InputError, match=r"DTD|entity"):
        parse_docx(data)


def test_entity_in_core_properties_is_ignored_not_expanded() -> None:
    """An entity in docProps/core.xml drops the properties; the report is still read."""
    core = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<c xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&x;</dc:title></c>'
    )
    document = parse_docx(_docx(_p(HEADINGS[0]), {"docProps/core.xml": core}))
    assert document.facts == ()
    assert document.blocks[0].where.path == "body/p[1]"


def test_undefined_entity_is_an_input_error() -> None:
    """An entity reference with no declaration is malformed XML: InputError."""
    with pytest.raises(InputError, match="not well-formed"):
        parse_docx(_docx("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>"))


def test_zip_bomb_entry_is_refused() -> None:
    """A document.xml that inflates more than a hundredfold past a megabyte is refused."""
    bomb = _document(" " * (8 * 1024 * 1024))
    with pytest.raises(InputError, match="compression bomb"):
        read(_docx(bomb))


def test_total_uncompressed_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries that together unpack past MAX_UNCOMPRESSED are refused before any is read."""
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(InputError, match="compression bomb"):
        parse_docx(_docx(_p("x" * 2000)))


def test_zip_without_word_document_is_refused() -> None:
    """A ZIP without word/document.xml (an .xlsx, any archive) is not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"not a Word \.docx document") as caught:
        read(buffer.getvalue())
    assert caught.value.source == "<bytes>"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<w:p><w:r><w:t>unclosed</w:r></w:p>", "not well-formed"),
        ("", "holds no XML element|not well-formed"),
    ],
)
def test_malformed_document_xml_is_an_input_error(body: str, message: str) -> None:
    """Malformed or empty word/document.xml is an InputError naming the part."""
    data = _docx(_document(body) if body else b"")
    with pytest.raises(InputError, match=message):
        parse_docx(data)


def test_a_foreign_xml_root_is_refused() -> None:
    """word/document.xml that is not a WordprocessingML document, or has no body, is refused."""
    with pytest.raises(InputError, match="not a WordprocessingML document"):
        parse_docx(_docx(b"<html><body/></html>"))
    with pytest.raises(InputError, match="no body"):
        parse_docx(_docx(f'<w:document xmlns:w="{W}"/>'.encode()))


@pytest.mark.parametrize(
    ("offsets", "value", "message"), [((6, 8), 1, "encrypted"), ((8, 10), 77, "method")]
)
def test_encrypted_or_unknown_compression_is_an_input_error(
    offsets: tuple[int, int], value: int, message: str
) -> None:
    """An entry flagged encrypted, or compressed by an unknown method, is an InputError."""
    data = bytearray(_docx(_p("x")))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = [info.header_offset for info in archive.infolist()]
        central = archive.start_dir
    headers = [(start, offsets[0]) for start in local]
    while (central := data.find(b"PK\x01\x02", central)) >= 0:
        headers.append((central, offsets[1]))
        central += 4
    for start, offset in headers:  # the general-purpose flags, or the compression method
        data[start + offset : start + offset + 2] = value.to_bytes(2, "little")
    with pytest.raises(InputError, match=message):
        parse_docx(bytes(data))


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=512))
def test_random_bytes_are_an_input_error(data: bytes) -> None:
    """Random bytes, with or without the ZIP magic in front, raise InputError only."""
    for candidate in (data, b"PK\x03\x04" + data):
        with pytest.raises(InputError):
            read_docx(candidate)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_a_damaged_byte_reads_or_is_an_input_error(position: int, flip: int) -> None:
    """A docx with one byte changed either reads or raises InputError, nothing else."""
    data = bytearray(_docx(_form(_example_values())))
    data[position % len(data)] ^= flip
    with contextlib.suppress(InputError):
        read_docx(bytes(data))


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.6, 0.95])
def test_truncated_docx_is_an_input_error(fraction: float) -> None:
    """A generated form cut short is refused with InputError, through read() as well."""
    data = _docx(_form(_example_values()))
    with pytest.raises(InputError):
        read(data[: max(4, int(len(data) * fraction))])
