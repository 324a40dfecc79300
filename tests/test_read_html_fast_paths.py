"""The HTML and text readers' shortcuts give what the long way gives."""

from __future__ import annotations

from array import array

import pytest

from ogi_report.readers import _assemble, _labels, html
from ogi_report.readers._document import Document, Fragment
from ogi_report.readers._labels import Stream
from ogi_report.templates import TEMPLATE_2021


def _page(markup: str) -> html._Page:
    return html._Page(html._parse(markup.encode("utf-8"), "<test>"), "<test>")


@pytest.mark.parametrize(
    "table",
    [
        "<table>\n <tr> <td>1</td>\n <td>2</td> </tr>\n</table>",
        "<table><caption>表</caption><tbody><tr><td>1</td></tr></tbody></table>",
        "<table>注：<tr><td>1</td></tr></table>",
        "<table><tr><td>1</td></tr>单位：件</table>",
        "<table><tr><td>1</td> 又 <td>2</td></tr></table>",
        "<table><tr><td>1</td><script>x()</script></tr></table>",
        "<table><colgroup><col></colgroup><tr><td>1</td></tr></table>",
    ],
)
def test_stray_text_is_the_walks(table: str) -> None:
    page = _page(f"<html><body>{table}</body></html>")
    element = next(page.root.iter("table"))
    held = {cell for row in html._rows(element, page.tags) for cell in html._cells(row, page.tags)}
    held.update(child for child in element if page.tags[child] == "caption")
    walked = html._cell_text(element, page.tags, frozenset(held))
    assert html._stray_text(element, page.tags) == walked
    cells = html._table_cells(element, page.tags)
    assert html._stray_text(element, page.tags, cells) == walked


def test_tags_by_element_are_those_of_lxmls_tags() -> None:
    page = _page("<HTML><Body><P>a<BR>b</P><table><TR><TD>1</TD></TR></table></Body></HTML>")
    names = html._TagNames()
    for element in page.root.iter():
        assert page.tags[element] == names[element.tag]


@pytest.mark.parametrize(("start", "end"), [(0, 0), (3, 9), (0, 4096), (4090, 4100), (5000, 5003)])
def test_sliced_offsets_are_counted_offsets(start: int, end: int) -> None:
    assert _labels._offsets(start, end) == array("i", range(start, end))


def test_stream_bookkeeping_is_by_character() -> None:
    texts = ("一、总体情况 12 345\n  0  |abc def", " 0 ", " ab cd  ef", "x" * 5000, "y " * 3000)
    fragments = tuple(Fragment(text) for text in texts)
    stream = Stream(Document(fragments, "<t>"))
    by_character = _labels._Builder(set("".join(texts)))
    for number, fragment in enumerate(fragments):
        by_character.fragments.append(fragment)
        by_character.add_by_character(fragment.text, number)
        by_character.separator(_labels.LINE)
    assert stream.text == "".join(by_character.pieces)
    assert list(stream.fragment) == list(by_character.fragment_of)
    assert list(stream.offset) == list(by_character.offset_of)
    assert stream.gap == by_character.gap


def test_class_and_id_marks_are_those_of_each_elements_attributes() -> None:
    page = _page(
        '<html><body><div class="nav">a</div><div id="zoom">b</div>'
        '<div class="share" id="content">c</div><nav>d</nav><p class="x">e</p></body></html>'
    )
    for element in page.root.iter():
        kinds = html._named(element.get("class"), element.get("id"))
        tag = page.tags[element]
        mark = (html._candidate(tag, bool(kinds & 1)), html._is_chrome(tag, bool(kinds & 2)))
        assert page.marks.get(element, (False, False)) == mark


def test_non_data_words_block_what_each_pattern_finds() -> None:
    words = _assemble._review_words()
    text = "行政复议|0|1|行政\n诉讼|总计|— 4 —|2|未经复议直接起诉|3"
    document = Document((Fragment(text),), "<test>")
    ctx = _assemble._Context(Stream(document), TEMPLATE_2021, bytearray(len(text)))
    stream = ctx.stream.text
    for start, end in [(0, len(stream)), (3, 9), (0, 4), (10, 20)]:
        blocked, footers = _assemble._blocked(ctx, start, end, words)
        expected = bytearray(end - start)
        for pattern in (*words, _assemble._FOOTER):
            for match in pattern.finditer(stream, start, end):
                expected[match.start() - start : match.end() - start] = b"\x01" * len(match[0])
        assert blocked == expected
        assert [m.span() for m in footers] == [
            m.span() for m in _assemble._FOOTER.finditer(stream, start, end)
        ]


def test_the_pattern_for_any_word_finds_where_one_does() -> None:
    words = _assemble._review_words()
    for text in ["行政复议", "无", "尚未\n审结", "总|计", "合", ""]:
        found = any(pattern.search(text) for pattern in words)
        assert (words.any.search(text) is not None) == found


def test_a_paragraph_path_is_that_of_its_element() -> None:
    document = html.parse_html(
        b"<html><body><div class='TRS_Editor'><p> </p><p>\xe4\xb8\x80</p><div><p>2</p></div>"
        b"</div></body></html>"
    )
    assert [fragment.where.path for fragment in document.blocks] == ["p[2]", "p[3]"]
