"""Hostile HTML: deep nesting, huge text nodes, wrong or wide charsets, text set aside.

Every page is built here by a small function and read within time and memory bounds
(:func:`~tests.hostile.bounds.read_bounded`): a page is read whole, or refused with one
InputError; it is never cut where the parser gave up, and no visible text is lost.
"""

from __future__ import annotations

import codecs

import pytest

import ogi_report
from ogi_report import InputError, Report
from ogi_report.readers import MAX_TEXT_CHARS, html
from ogi_report.readers._document import Fragment, Grid
from ogi_report.readers.html import parse_html, read_html

from .bounds import assert_kept, bounded, memory_bound, read_bounded

#: The sentence that closes every report built here: if it survives, the page was read whole.
LAST = "最后一句话在此，报告到此结束。"

# --- building pages ------------------------------------------------------------------------


def _page(body: str, *, head: str = '<meta charset="utf-8">') -> str:
    """A fictional page of 示例县 around ``body``."""
    return (
        f"<html><head>{head}<title>示例县2023年政府信息公开工作年度报告</title></head>"
        f"<body>{body}</body></html>"
    )


def _opening(table: str = "") -> str:
    """Sections 一 and 二 of a report, section 2's first table with ``table`` (raw HTML) in it
    before its rows; 规章 reads 7, 1, 9."""
    return (
        "<p>一、总体情况</p><p>本年度示例县持续推进政务公开。</p>"
        "<p>二、主动公开政府信息情况</p>"
        f'<table>{table}<tr><td colspan="4">第二十条第（一）项</td></tr>'
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>7</td><td>1</td><td>9</td></tr></table>"
    )


def _closing() -> str:
    """Section 六 of a report, ending with :data:`LAST`."""
    return f"<p>六、其他需要报告的事项</p><p>{LAST}</p>"


def _report(opening: str = "", closing: str = "") -> str:
    """A whole report's body: ``opening`` before section 一, ``closing`` after section 六."""
    return opening + _opening() + _closing() + closing


def _nested(depth: int, kind: str, inside: str) -> str:
    """``inside`` nested ``depth`` levels deep in elements of ``kind``."""
    if kind == "font":  # left open, as sloppy pages do: every one nests in the one before
        return "<font>" * depth + inside
    if kind == "table":  # one level is three elements: table, tr, td
        return "<table><tr><td>" * depth + inside + "</td></tr></table>" * depth
    opening, closing = {
        "div": ("<div>", "</div>"),
        "nav": ('<div class="nav">', "</div>"),
        "span": ("<span>", "</span>"),
    }[kind]
    return opening * depth + inside + closing * depth


def _deep_report(depth: int, kind: str) -> bytes:
    """A report whose section 六 stands ``depth`` levels deep, after sections 一 and 二."""
    return _page(_opening() + _nested(depth, kind, _closing())).encode()


def _filler(paragraphs: int) -> str:
    return "<p>填充段落文字。</p>" * paragraphs


def _wide_text_node(megabytes: float) -> str:
    """One text node of more than ``megabytes`` MB in UTF-8 (libxml2 cuts 10 MB by default)."""
    return "政" * int(megabytes * 1_000_000 / 3 + 1)


def _read(data: bytes, seconds: float = 10) -> Report:
    outcome = read_bounded(data, seconds=seconds, form="html")
    assert isinstance(outcome, Report), outcome
    return outcome


def _refused(data: bytes) -> InputError:
    outcome = read_bounded(data, seconds=10, form="html")
    assert isinstance(outcome, InputError), "the page was read, not refused"
    return outcome


def _unplaced(report: Report, reason: str) -> str:
    return "\n".join(item.text for item in report.unplaced if item.reason == reason)


def _narrative(report: Report) -> str:
    return "\n".join(section.text for section in report.sections or ())


# --- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "depth"),
    [("div", 300), ("div", 2040), ("font", 300), ("font", 2040), ("span", 2040), ("table", 600)],
)
def test_a_deeply_nested_page_is_read_whole(kind: str, depth: int) -> None:
    """Nesting past libxml2's default 256 levels (up to 2048) is read to the page's end."""
    report = _read(_deep_report(depth, kind))
    assert report["s2.rules.issued"] == 7
    assert [section.number for section in report.sections or ()] == [1, 2, 6]
    assert_kept(report, LAST)
    assert LAST in _narrative(report)


@pytest.mark.parametrize(("kind", "depth"), [("div", 2100), ("font", 3000), ("table", 800)])
def test_a_page_nested_beyond_the_limit_is_refused(kind: str, depth: int) -> None:
    """Nesting beyond 2048 (where libxml2 stops even with huge_tree) is one InputError that
    says where, never a report cut there."""
    error = _refused(_deep_report(depth, kind))
    assert f"nested more than {html._MAX_DEPTH} deep (near line 1" in str(error)


def test_the_depth_bound_is_ours_whatever_libxml2_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader checks :data:`_MAX_DEPTH` itself, so the bound holds on any libxml2."""
    monkeypatch.setattr(html, "_MAX_DEPTH", 100)
    assert "nested more than 100 deep" in str(_refused(_deep_report(300, "div")))
    assert isinstance(read_bounded(_deep_report(90, "div"), form="html"), Report)


def test_a_deeply_nested_cell_is_read() -> None:
    """A cell whose number stands 2000 elements deep reads like a flat one (no recursion)."""
    page = _page(_opening().replace("<td>7</td>", "<td>" + _nested(2000, "span", "7") + "</td>"))
    assert _read(page.encode())["s2.rules.issued"] == 7


@pytest.mark.parametrize("kind", ["table", "nav"])
def test_deep_nesting_around_a_long_page_costs_no_quadratic_time(kind: str) -> None:
    """Layout tables or chrome-named containers nested around a long part of a page: telling
    metadata tables from layout, and chrome from containers that hold a section heading, looks
    at every element a few times, not once per level of nesting."""
    depth = 600 if kind == "table" else 2000
    inside = _filler(8000) + _closing()
    report = _read(_page(_opening() + _nested(depth, kind, inside)).encode(), seconds=15)
    assert report["s2.rules.issued"] == 7
    assert_kept(report, LAST)


# --- huge text nodes ----------------------------------------------------------------------


def test_a_text_node_over_10_mb_is_parsed_whole_then_refused_as_too_much_text() -> None:
    """One text node of 11 MB (libxml2 stops at 10 MB without huge_tree) is parsed whole;
    in the body it is more text than a report holds, so read() refuses the page, saying so."""
    node = _wide_text_node(11)
    data = _page(_opening() + f"<p>{node}</p>" + _closing()).encode()
    with bounded(20) as usage:
        document = parse_html(data)
    assert usage.peak_bytes <= memory_bound(len(data))
    texts = [block.text for block in document.blocks if isinstance(block, Fragment)]
    assert node in texts
    assert texts[-1] == LAST
    assert f"more than the {MAX_TEXT_CHARS} a report could hold" in str(_refused(data))


def test_a_text_node_over_10_mb_in_the_chrome_is_kept_and_the_report_read() -> None:
    """An 11 MB text node before the article (in a nav) is page chrome, the report after it
    is read: nothing is cut where the node ends."""
    node = _wide_text_node(11)
    report = _read(_page(_report(opening=f'<div class="nav">{node}</div>')).encode(), seconds=20)
    assert report["s2.rules.issued"] == 7
    assert LAST in _narrative(report)
    assert node in _unplaced(report, "page chrome")


# --- charsets -----------------------------------------------------------------------------


def _windows_unicode_page() -> str:
    """A page as Windows saves it "as Unicode": its meta declares utf-16."""
    return _page(
        _report(), head='<meta http-equiv="Content-Type" content="text/html; charset=utf-16">'
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_page_with_a_utf16_or_utf32_bom_reads_like_utf8(codec: str) -> None:
    """A BOM names the encoding, whatever the page declares; read_html and read() alike."""
    page = _windows_unicode_page()
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    data = bom + page.encode(codec)
    expected = read_html(page.encode())
    assert read_html(data) == expected
    assert expected["s2.rules.issued"] == 7
    assert _read(data) == ogi_report.read(page.encode(), form="html")


def test_a_utf16_page_cut_inside_a_character_still_reads() -> None:
    """An odd last byte (a UTF-16 unit cut in two) is dropped, not a reason to misread."""
    data = codecs.BOM_UTF16_LE + _windows_unicode_page().encode("utf-16-le") + b"\x00"
    assert _read(data)["s2.rules.issued"] == 7


@pytest.mark.parametrize("declared", ["utf-16", "UTF-16LE", "utf-16be", "utf-32", "ascii"])
def test_a_utf8_page_declaring_a_charset_its_bytes_do_not_fit_reads_as_utf8(
    declared: str,
) -> None:
    """A UTF-16 or UTF-32 declaration without a BOM, or a charset the bytes do not decode in,
    is not trusted: the page is read as what its bytes are."""
    page = _page(_report(), head=f'<meta charset="{declared}">')
    report = _read(page.encode())
    assert report == _read(_page(_report()).encode())
    assert LAST in _narrative(report)


def test_a_gb18030_page_declaring_utf16_reads_as_gb18030() -> None:
    """Bytes that are not UTF-8 fall back to GB18030, whatever wide charset is declared."""
    page = _page(_report(), head='<meta charset="utf-16">')
    report = _read(page.encode("gb18030"))
    assert report["s2.rules.issued"] == 7
    assert LAST in _narrative(report)


# --- text set aside -------------------------------------------------------------------------


def test_text_in_a_data_table_outside_its_cells_is_kept_before_the_grid() -> None:
    """Text a data table holds outside its cells (browsers show it above the table) is a
    paragraph of the body, before the grid; the cells read as before."""
    stray = "<caption>表一 主动公开</caption>表内散字。<tr>行内散字。</tr><div>表内段落。</div>"
    page = _page(_opening(stray).replace("<td>7</td>", "<td>7</td>格后散字。") + _closing())
    document = parse_html(page.encode())
    texts = [block.text if isinstance(block, Fragment) else "<grid>" for block in document.blocks]
    grid = texts.index("<grid>")
    for sentence in ("表一 主动公开", "表内散字。", "行内散字。", "表内段落。", "格后散字。"):
        assert any(sentence in text for text in texts[:grid]), sentence
    report = _read(page.encode())
    assert report["s2.rules.issued"] == 7
    assert report["s2.rules.in_force"] == 9
    assert_kept(report, "表内散字。", "行内散字。", "表内段落。", "格后散字。", LAST)


def test_text_in_a_metadata_table_outside_its_cells_is_page_chrome() -> None:
    """A metadata table's caption and stray text are chrome, like its rows."""
    meta = (
        "<table><caption>信息索引</caption>元数据散字。"
        "<tr><td>索引号</td><td>000/2024-01</td></tr>"
        "<tr><td>发布机构</td><td>示例县人民政府办公室</td></tr></table>"
    )
    report = _read(_page(_report(opening=meta)).encode())
    chrome = _unplaced(report, "page chrome")
    for sentence in ("信息索引", "元数据散字。", "索引号 000/2024-01"):
        assert sentence in chrome
    assert report.metadata.agency == "示例县人民政府办公室"


def test_every_visible_text_set_aside_is_page_chrome_and_scripts_are_dropped() -> None:
    """Navigation, headers, footers, forms, frames, drawings, formulas and text around the
    article all reach Report.unplaced as page chrome; script and style are no text."""
    chrome = {
        "<nav>导航文字。</nav>": "导航文字。",
        "<header>页眉文字。</header>": "页眉文字。",
        '<div class="breadcrumb">当前位置文字。</div>': "当前位置文字。",
        "<aside>侧栏文字。</aside>": "侧栏文字。",
        "<form>表单文字。<button>按钮文字</button><select><option>选项文字</option></select>"
        "<textarea>文本框文字</textarea></form>": "表单文字。",
        "<iframe>框架文字。</iframe>": "框架文字。",
        "<noscript>未启用时文字。</noscript>": "未启用时文字。",
        '<svg><text x="0" y="10">图中文字。</text></svg>': "图中文字。",
        "<math><mi>公式文字</mi></math>": "公式文字",
    }
    inside = '<div class="bdshare">分享文字。</div><svg><text>正文图中文字。</text></svg>'
    body = (
        "".join(chrome)
        + '<div class="TRS_Editor">'
        + _report(closing=inside)
        + "</div><script>var s = '脚本文字';</script><style>p{}</style>"
        + "<footer>页脚文字。</footer>"
    )
    report = _read(_page(body).encode())
    unplaced = _unplaced(report, "page chrome")
    expected = [*chrome.values(), "按钮文字", "选项文字", "文本框文字", "分享文字。"]
    for sentence in [*expected, "正文图中文字。", "页脚文字。"]:
        assert sentence in unplaced, sentence
    narrative = _narrative(report)
    assert LAST in narrative
    assert not any(sentence in narrative for sentence in expected)
    everything = narrative + unplaced
    assert "脚本文字" not in everything
    assert "p{}" not in everything


def test_no_grid_is_lost_to_chrome_text_handling() -> None:
    """A report in a chrome-named container is still the body: its table is a grid."""
    document = parse_html(_page(f'<div class="nav">{_report()}</div>').encode())
    assert sum(isinstance(block, Grid) for block in document.blocks) == 1
    assert not document.chrome


def test_a_page_of_tiny_elements_is_read_within_memory_or_refused() -> None:
    """Each element costs some hundreds of bytes parsed: past ``_MAX_TAGS`` a page is
    refused before parsing, and one just under it stays within the memory bound."""
    limit = html._MAX_TAGS

    def page(tags: int) -> bytes:
        body = "<p>x</p>" * (tags // 2)
        return f"<html><body><p>一、总体情况</p>{body}<p>五、存在的主要问题及改进情况</p>".encode()

    assert isinstance(read_bounded(page(limit - 100), seconds=30, form="html"), Report)
    refused = read_bounded(page(limit + 100), seconds=5, form="html")
    assert isinstance(refused, InputError)
    assert str(limit) in str(refused)
