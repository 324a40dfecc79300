"""HTML: saved or crawled web pages of a report, site chrome and all.

The page is decoded by its byte order mark (UTF-8, UTF-16, UTF-32), else by the charset it
declares (``<meta charset>`` or ``http-equiv``) if its bytes fit that charset (a UTF-16 or
UTF-32 page needs its BOM), else as UTF-8, else as GB18030. It is parsed with lxml's HTML
parser with the network off and no entity expansion; text nodes may be of any length (the
input is at most :data:`~ogi_report.readers.MAX_BYTES`), elements may nest 2048 deep. A page
the parser cannot read whole raises :class:`~ogi_report.errors.InputError`: a report is never
made of the part before the place the parser stopped.

The report body is the smallest article container (``div.TRS_Editor``, ``#zoom``,
``.article-content`` …) that holds every section heading and data table the page has;
everything else (navigation, headers and footers, share buttons, breadcrumbs, forms,
drawings and formulas) is page chrome: kept as :attr:`Document.chrome`, never mixed into the
narrative. Only what a browser never shows as text (scripts, styles, templates, the
``<head>``) is dropped. The page's ``<title>``, its ``<meta name="ArticleTitle">``-style tags
and the metadata table government pages print above a document (名称, 索引号, 发布机构,
公开日期 …) become :attr:`Document.facts`.

Every ``<table>`` of the body that holds no other table becomes a :class:`Grid`, its
``rowspan`` and ``colspan`` expanded: a merged cell's fragment stands in every position it
covers. A cell's text is joined from its spans as printed (``商业`` + ``企业``), with its
``<p>`` and ``<br>`` as line breaks; text a table holds outside its cells (a browser shows it
above the table) comes before the grid, after the caption. Provenance names the element:
``tag[n]`` is the n-th ``<tag>`` of the page in document order (XPath ``(//tag)[n]``), and a
cell is ``table[n]/tr[r]/td[c]``: the r-th row of that table (across ``thead``/``tbody``)
and the c-th ``<td>`` (or ``<th>``) of that row.

>>> page = '''<html><head><title>示例县2023年政府信息公开工作年度报告</title></head>
... <body><div class="nav">首页 | 政府信息公开</div><div class="TRS_Editor">
... <p>四、政府信息公开行政复议、行政诉讼情况</p><table>
... <tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
... <tr>''' + "<td>0</td>" * 4 + "<td>１</td>" + "<td>0</td>" * 10 + '''</tr>
... </table></div></body></html>'''
>>> report = read_html(page.encode("utf-8"))
>>> report["s4.review.total"], report.provenance["s4.review.total"].path
(1, 'table[1]/tr[2]/td[5]')
>>> report.metadata.agency, report.metadata.reporting_year
('示例县', 2023)
>>> document = parse_html(page.encode("utf-8"))
>>> [fragment.text for fragment in document.chrome]
['首页 | 政府信息公开']
"""

from __future__ import annotations

import bisect
import codecs
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeAlias

from lxml import etree

from ..cells import _new_provenance
from ..errors import InputError
from ..model import Report
from . import decode
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

__all__ = ["parse_html", "read_html"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Elements whose content a browser never shows as text: dropped with nothing kept.
_SKIP = frozenset({"script", "style", "template", "head", "title", "meta", "link", "base"})
#: Elements that are page chrome wherever they stand: their text goes to ``chrome``.
_CHROME_TAGS = _words(
    "noscript iframe frame frameset object embed nav header footer form button select "
    "input textarea aside menu svg math"
)
#: Elements that end a paragraph (block-level content).
_BLOCKS = _words(
    "html body p div h1 h2 h3 h4 h5 h6 li ul ol dl dd dt blockquote pre section "
    "article main center address figure figcaption hr table caption thead tbody tfoot "
    "tr td th fieldset legend details summary"
)
#: A class or id token naming site chrome (share buttons, breadcrumbs, navigation, footers).
_CHROME_NAME = re.compile(
    r"(?:^|[-_])(?:share|bdshare|jiathis|breadcrumbs?|crumbs?|nav|navbar|navigation|"
    r"menu|footer|header|topbar|toolbar|qrcode|ewm|sitemap|skip)(?:[-_]|\d|$)"
    r"|导航|面包屑|分享|页脚|页眉"
)
#: A class or id token naming an article container.
_ARTICLE_NAME = re.compile(
    r"trs_editor|editor|article|content|zoom|detail|zhengwen|main|text|wenzhang|conent",
    re.IGNORECASE,
)
#: Section headings as a page prints them (whitespace removed), to score article containers.
#: Each numeral is printed before its empty group (the group's number is the section's), so
#: that the regex engine skips ahead to the numerals.
_SECTION_HEADINGS = re.compile(
    r"一()[、.．](?:总体情况|概述)"
    r"|二()[、.．].{0,8}主动公开"
    r"|三()[、.．].{0,8}(?:收到|处理).{0,12}申请"
    r"|四()[、.．].{0,16}(?:复议|诉讼)"
    r"|五()[、.．].{0,16}问题"
    r"|六()[、.．].{0,4}其他"
)
#: Labels of the metadata table (and label: value lines) government pages print.
_FACT_LABELS = _words(
    "标题 名称 文件名称 信息名称 索引号 发布机构 发文机关 发文机构 发布单位 "
    "所属机构 公开日期 成文日期 发文日期 发布日期 发布时间 生成日期 来源 "
    "信息来源 文号 发文字号 分类 主题分类 信息分类 体裁分类 组配分类 关键词 "
    "主题词 时效 有效性 公开方式 公开范围 公开时限 单位 采集时间 时间 日期 "
    "作者 编辑 责任编辑 字号 浏览次数 访问量"
)
#: Printed labels that name the document's title, also given as ``标题``.
_TITLE_LABELS = frozenset({"名称", "文件名称", "信息名称"})
_FACT_ALTERNATIVES = "|".join(sorted(_FACT_LABELS, key=lambda label: (-len(label), label)))
_FACT_LINE = re.compile(rf"(?:^|(?<=\s))({_FACT_ALTERNATIVES})\s*[:：]\s*")
#: ``<meta name=…>`` tags of Chinese government CMSs, as facts.
_META_FACTS = {
    "articletitle": "标题",
    "pubdate": "发布时间",
    "contentsource": "来源",
}
_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-z0-9_.:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)
#: Charsets pages declare, by what decodes them best (GB18030 is a superset of GBK, GB2312).
_CODECS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
}
#: Byte order marks and their codecs; UTF-32's before UTF-16's, which they begin with.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Codecs of 16- or 32-bit units: a page declaring one without a BOM is not trusted (an
#: ASCII-compatible page cannot be in one, and nearly any even run of bytes decodes in them).
_WIDE_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
#: Pages with more ``<`` than this are refused before parsing: real pages hold a few thousand,
#: and a parsed element costs some hundreds of bytes, so this keeps a page's tree within tens
#: of MB (100,000 one-character paragraphs: 48 MiB, 5 s).
_MAX_TAGS = 100_000
#: Elements nested deeper than this (``<html>`` is 1) are refused: real pages nest a few dozen
#: deep. It is libxml2's own limit with ``huge_tree`` (its parser stops there, cutting the
#: page), checked here too so that every libxml2 version refuses such a page alike.
_MAX_DEPTH = 2048
#: A metadata table is short: a table with more rows than this is not one.
_METADATA_ROWS = 16
#: colspan above this is not HTML (the spec's limit); rowspan is cut at the table's end.
_MAX_COLSPAN = 1000
#: Expanded grid positions a page may hold in all: far above any report, far below harm.
_MAX_POSITIONS = 250_000


# --- decoding and parsing -------------------------------------------------------------------


def _declared(data: bytes) -> str | None:
    """The codec of the charset the page declares near its start, if Python knows it and it
    could be the charset of a page without a BOM (not UTF-16 or UTF-32)."""
    match = _CHARSET.search(data[:16384])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    name = _CODECS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in _WIDE_CODECS else codec


def _strict(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec``, allowing only a character cut off at the very end."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 4:
            try:
                return data[: error.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None


def _by_bom(data: bytes) -> str | None:
    """The page in the UTF-16 or UTF-32 its BOM names (damaged units replaced), else None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = _strict(body, codec)
            return text if text is not None else body.decode(codec, errors="replace")
    return None


def _text(data: bytes, source: str | None) -> tuple[str, bytes | None]:
    """The page as text: BOM, else declared charset, else UTF-8, else GB18030; and the
    page's bytes (its BOM left out) when they are that text in UTF-8 as they stand.

    Each is tried strictly (a character cut off at the end allowed); if none fits, a page
    that declares its charset is decoded in it with replacement characters. A UTF-16 or
    UTF-32 page needs its BOM: without one, the bytes cannot be told from others.
    """
    text = _by_bom(data)
    if text is not None:
        return text, None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    codec = _declared(data)
    if codec is not None and codec != "utf-8":
        text = _strict(data, codec)
        if text is not None:
            return text, None
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        text = _strict(data, "utf-8")
    if text is not None:
        return text, None
    try:
        return decode(data, source), None  # GB18030, else InputError
    except InputError:
        if codec is None:
            raise
        return data.decode(codec, errors="replace"), None  # as a browser shows a damaged page


def _too_deep(where: str) -> str:
    """The InputError message for a page nested deeper than :data:`_MAX_DEPTH`."""
    return f"elements nested more than {_MAX_DEPTH} deep ({where}): the page cannot be read whole"


def _stopped(parser: etree.HTMLParser, source: str | None) -> None:
    """InputError if the parser gave up before the page's end (it then keeps only the part
    before): a fatal error in its log, such as nesting beyond its limit."""
    for error in parser.error_log:
        if error.level >= etree.ErrorLevels.FATAL:
            where = f"near line {error.line}, column {error.column}"
            if "depth" in error.message.lower():
                raise InputError(_too_deep(where), source=source)
            message = error.message.strip().rstrip(".")
            raise InputError(
                f"the HTML parser stopped {where} ({message}): the rest of the page cannot be read",
                source=source,
            )


def _parse(data: bytes, source: str | None) -> etree._Element:
    """The page's element tree: no network, no entities expanded, comments and PIs dropped.

    ``huge_tree`` lifts libxml2's 10 MB limit on a text node (the input is bounded already)
    and raises its nesting limit to :data:`_MAX_DEPTH`; a page cut short raises InputError
    (one nested deeper, whatever libxml2 allowed, is refused by :func:`_body`'s pass).
    """
    text, utf8 = _text(data, source)
    if utf8 is None or b"\x00" in utf8:
        utf8 = text.replace("\x00", "\ufffd").encode("utf-8", "surrogatepass")
    tags = utf8.count(b"<")  # in UTF-8 no byte of another character is that of "<"
    if tags > _MAX_TAGS:
        raise InputError(
            f"{tags} tags: more than the {_MAX_TAGS} a report page could hold", source=source
        )
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(utf8, parser)
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"not readable as HTML: {error}", source=source) from None
    _stopped(parser, source)
    if root is None:
        raise InputError("not readable as HTML: the page is empty", source=source)
    return root


# --- small helpers ----------------------------------------------------------------------------


#: Distinct class and id attributes whose names are kept worked out (pages of one site share
#: theirs), and the longest kept.
_NAMES_KEPT = 4096
_NAME_KEPT_CHARS = 256


def _named(class_: str | None, id_: str | None) -> int:
    """What an element's class and id tokens name: 1 if one names an article container,
    2 if one names site chrome (3: both), 0 neither."""
    if len(class_ or "") + len(id_ or "") > _NAME_KEPT_CHARS:
        return _tokens_named(class_, id_)
    return _kept_named(class_, id_)


def _tokens_named(class_: str | None, id_: str | None) -> int:
    """:func:`_named`, worked out."""
    named = 0
    for token in f"{class_ or ''} {id_ or ''}".lower().split():
        named |= (_ARTICLE_NAME.search(token) is not None) | (
            2 * (_CHROME_NAME.search(token) is not None)
        )
    return named


_kept_named = functools.lru_cache(maxsize=_NAMES_KEPT)(_tokens_named)


def _clean(text: str) -> str:
    """Whitespace (NBSP and U+3000 included) run into single spaces, ends stripped
    (``str.split`` and the regex ``\\s`` know the same whitespace)."""
    return " ".join(text.split())


def _lines(parts: Iterable[str]) -> str:
    """Text pieces (``\\n`` where a ``<br>`` or block stood) as clean lines."""
    text = "".join(parts)
    if "\n" not in text:
        return _clean(text)
    lines = (_clean(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _label(text: str) -> str:
    """A metadata label as compared: no whitespace, no trailing colon."""
    return "".join(text.split()).rstrip(":：")


#: The count a rowspan or colspan attribute starts with.
_SPAN_COUNT = re.compile(r"\s*(\d{1,7})")


def _span(value: str | None, limit: int) -> int:
    """A rowspan or colspan attribute as a count from 1 to ``limit`` (0: to ``limit``)."""
    if value is None:
        return 1
    match = _SPAN_COUNT.match(value)
    if match is None:
        return 1
    number = int(match.group(1))
    return limit if number == 0 else max(1, min(number, limit))


def _rows(table: etree._Element, tags: _Tags) -> Iterator[etree._Element]:
    """The table's own rows, in source order (rows of nested tables excluded)."""
    for child in table:
        tag = tags[child]
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if tags[row] == "tr")


def _cells(row: etree._Element, tags: _Tags) -> Iterator[etree._Element]:
    """The row's cells (``<td>`` and ``<th>``)."""
    return (cell for cell in row if tags[cell] in ("td", "th"))


def _fact_pairs(text: str) -> list[tuple[str, str]]:
    """``label：value`` pairs of a line that starts with a known metadata label."""
    if ":" not in text and "：" not in text:
        return []  # every fact line prints a colon after its label
    matches = list(_FACT_LINE.finditer(text))
    if not matches or text[: matches[0].start()].strip():
        return []
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pairs.append((match.group(1), _clean(text[match.end() : end])))
    return pairs


def _with_title(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Facts as printed, a title under 名称 (and the like) also given as 标题."""
    out: list[tuple[str, str]] = []
    for label, value in pairs:
        out.append((label, value))
        if label in _TITLE_LABELS and value:
            out.append(("标题", value))
    return out


# --- the page's structure: metadata tables, data tables, the body --------------------------


#: Elements that break a cell's text into lines: ``<br>`` and block-level content.
_BREAKS = _BLOCKS | {"br"}


def _cell_text(
    cell: etree._Element, tags: _Tags, leave_out: frozenset[etree._Element] = frozenset()
) -> str:
    """A cell's text: spans joined as printed, ``<p>``/``<br>``/blocks as line breaks; the
    elements in ``leave_out`` (with all they hold) left out. A walk, not recursion: elements
    may nest :data:`_MAX_DEPTH` deep. A line break in the source is a space (``_lines``
    then runs whitespace into one space). ``tags``: the page's (see :class:`_Tags`)."""
    if not len(cell):
        return _clean(cell.text or "")
    if not leave_out:
        line = _one_line(cell, tags)
        if line is not None:
            return line
    parts: list[str] = []
    walk = etree.iterwalk(cell, events=("start", "end"))
    for event, element in walk:
        tag = tags[element]
        left_out = tag in _SKIP or (bool(leave_out) and element in leave_out)
        if event == "start":
            if left_out:
                walk.skip_subtree()  # its end still comes, for its tail
                continue
            if tag in _BREAKS:
                parts.append("\n")
            text = element.text
            if tag and text:
                parts.append(text.replace("\n", " "))
            continue
        if tag in _BLOCKS and not left_out:
            parts.append("\n")
        tail = element.tail
        if tail and element is not cell:
            parts.append(tail.replace("\n", " "))
    return _lines(parts)


#: What a cell's text is not all on one line with: elements that break it or hide theirs,
#: and what is not an element.
_NOT_INLINE = _BREAKS | _SKIP | {""}


def _one_line(cell: etree._Element, tags: _Tags) -> str | None:
    """The cell's text if it is one line (as :func:`_cell_text` reads it), else None: the
    cell, or the block it alone wraps (``<td> <p>…</p> </td>``, as deep as they go), holding
    inline elements only."""
    inner = cell
    while len(inner) == 1:
        child = inner[0]
        if tags[child] not in _BLOCKS or (inner.text or "").strip():
            break
        if (child.tail or "").strip():
            break
        inner = child
    if not len(inner):
        return _clean(inner.text or "")
    for element in inner.iterdescendants():
        if tags[element] in _NOT_INLINE:
            return None
    return _clean("".join(inner.itertext()))


def _stray_text(
    table: etree._Element, tags: _Tags, cells: set[etree._Element] | None = None
) -> str:
    """Text a table holds outside its cells and caption (a browser shows it above the table);
    ``cells``: the table's cells, when the caller has them (else they are found)."""
    held = set(cells) if cells is not None else _table_cells(table, tags)
    held.update(child for child in table if tags[child] == "caption")
    if _blank_outside(table, held):
        return ""  # as _cell_text reads it: whitespace and line breaks only
    return _cell_text(table, tags, frozenset(held))


def _table_cells(table: etree._Element, tags: _Tags) -> set[etree._Element]:
    """The cells of the table's own rows."""
    return {cell for row in _rows(table, tags) for cell in _cells(row, tags)}


def _blank_outside(table: etree._Element, held: set[etree._Element]) -> bool:
    """True if the table's text outside the ``held`` elements (its tails included) is all
    whitespace, as in nearly every table: one look at each element outside them, a level at
    a time (far cheaper than :func:`_cell_text`'s walk of events)."""
    if not _blank(table.text):
        return False
    level = [table]
    while level:
        inner = []
        for parent in level:
            for child in parent:
                if not _blank(child.tail):
                    return False
                if child not in held:
                    if not _blank(child.text):
                        return False
                    inner.append(child)
        level = inner
    return True


def _blank(text: str | None) -> bool:
    """True for no text, or whitespace only."""
    return not text or text.isspace()


class _TagNames(dict[object, str]):
    """lxml's tags as compared here: lower case, '' for what is not an element (a tag lxml
    gives as is may not be: it lower-cases ASCII letters only), each worked out once."""

    def __missing__(self, raw: object) -> str:
        tag = self[raw] = raw.lower() if isinstance(raw, str) else ""
        return tag


#: Each element of a page, by its tag as compared here (see :class:`_TagNames`): a look-up
#: by element is far cheaper than lxml's making the tag's string.
_Tags: TypeAlias = "dict[etree._Element, str]"
#: The class and id attributes of the page's elements, each knowing its element: libxml2
#: walks the attribute axis far faster than it tests a predicate on every element.
_CLASS_AND_ID = "descendant-or-self::*/@class | descendant-or-self::*/@id"
#: Tags that may make an element the article or page chrome whatever its class or id.
_MARKED_TAGS = frozenset({"body", "article", "main"}) | _CHROME_TAGS


class _Page:
    """A parsed page and what several passes over it ask of its elements, found in one walk:
    their tags, their places among the elements of their tag, whether they may be the article
    or are chrome (by tag, class and id), and the page's text with each such element's span
    of it; and each cell's text once read.

    The text is the page's, whitespace removed, outside ``<script>``, ``<style>`` and the like
    (:data:`_SKIP`); an element's span runs from its text to its end, its own tail left out.
    InputError if elements nest deeper than :data:`_MAX_DEPTH` (whatever libxml2 allowed).
    """

    def __init__(self, root: etree._Element, source: str | None) -> None:
        self.root = root
        self.tags: _Tags = {}
        #: Each element's place among the page's elements of its tag, from 1, document order.
        self.index: dict[etree._Element, int] = {}
        #: (may be the article, is chrome) of the elements that are either (see
        #: :func:`_candidate`, :func:`_is_chrome`).
        self.marks: dict[etree._Element, tuple[bool, bool]] = {}
        #: The spans of :attr:`text` of the elements that may be the article, and of those
        #: that are chrome: ``(element, start, end)``.
        self.spans: list[tuple[etree._Element, int, int]] = []
        self.chrome_spans: list[tuple[etree._Element, int, int]] = []
        #: Where each ``<table>`` starts in :attr:`text`.
        self.table_starts: dict[etree._Element, int] = {}
        names: dict[etree._Element, list[str | None]] = {}
        for value in root.xpath(_CLASS_AND_ID):
            named = names.get(element := value.getparent())
            if named is None:
                named = names[element] = [None, None]
            named[value.attrname == "id"] = str(value)
        tags, index, marks = self.tags, self.index, self.marks
        names_of_tags = _TagNames()
        counts: dict[str, int] = {}
        chars: list[str] = []
        length = 0
        opened: list[tuple[etree._Element, int]] = []  # entered, not yet ended; where each starts
        for element in itertools.chain(root.iter(), (None,)):  # None: the page's end
            # In document order (lxml's iter, far cheaper than its iterwalk's events), the
            # elements entered after an element's parent have ended before the element.
            parent = None if element is None else element.getparent()
            while opened and opened[-1][0] is not parent:
                ended, start = opened.pop()
                mark = marks.get(ended)
                if mark is not None:
                    if mark[0]:
                        self.spans.append((ended, start, length))
                    if mark[1]:
                        self.chrome_spans.append((ended, start, length))
                tail = ended.tail
                if tail and not tail.isspace() and ended is not root:  # not the markup's indent
                    piece = "".join(tail.split())
                    chars.append(piece)
                    length += len(piece)
            if element is None:
                break
            tag = tags[element] = names_of_tags[element.tag]
            if tag:
                count = counts[tag] = counts.get(tag, 0) + 1
                index[element] = count
                if tag in _MARKED_TAGS or element in names:
                    class_, id_ = names.get(element) or (None, None)
                    kinds = _named(class_, id_)
                    mark = (_candidate(tag, bool(kinds & 1)), _is_chrome(tag, bool(kinds & 2)))
                    if mark[0] or mark[1]:
                        marks[element] = mark
                if tag == "table":
                    self.table_starts[element] = length
            opened.append((element, length))
            if len(opened) > _MAX_DEPTH:
                line = element.sourceline
                where = f"near line {line}" if line else "in the page"
                raise InputError(_too_deep(where), source=source)
            text = element.text
            if text and tag and tag not in _SKIP and not text.isspace():
                piece = "".join(text.split())  # whitespace removed
                chars.append(piece)
                length += len(piece)
        self.text = "".join(chars)
        self._texts: dict[etree._Element, str] = {}

    def is_chrome(self, element: etree._Element) -> bool:
        """Site chrome by its tag, class or id (see :func:`_is_chrome`)."""
        mark = self.marks.get(element)
        return mark is not None and mark[1]

    def cell_text(self, cell: etree._Element) -> str:
        """The cell's text (see :func:`_cell_text`), read once."""
        text = self._texts.get(cell)
        if text is None:
            text = self._texts[cell] = _cell_text(cell, self.tags)
        return text


def _metadata_pairs(page: _Page, table: etree._Element) -> list[tuple[str, str]] | None:
    """The label/value pairs of a metadata table (名称, 索引号, 发布机构 …), else None."""
    rows = list(itertools.islice(_rows(table, page.tags), _METADATA_ROWS + 1))
    if len(rows) > _METADATA_ROWS:
        return None
    pairs: list[tuple[str, str]] = []
    labels: set[str] = set()
    for row in rows:
        texts = [page.cell_text(cell) for cell in _cells(row, page.tags)]
        for index, text in enumerate(texts):
            label = _label(text)
            if label in _FACT_LABELS:
                following = texts[index + 1] if index + 1 < len(texts) else ""
                value = "" if _label(following) in _FACT_LABELS else following
                pairs.append((label, _clean(value)))
                labels.add(label)
            else:
                inline = _fact_pairs(_clean(text))
                pairs.extend(inline)
                labels.update(label for label, _ in inline)
    return pairs if len(labels) >= 2 else None


def _layout_tables(root: etree._Element) -> set[etree._Element]:
    """The tables that hold another table (page layout), found in one pass over the page."""
    layout: set[etree._Element] = set()
    opened: list[etree._Element] = []
    for event, table in etree.iterwalk(root, events=("start", "end"), tag="table"):
        if event == "end":
            opened.pop()
            continue
        if opened:
            layout.add(opened[-1])
        opened.append(table)
    return layout


def _tables(page: _Page) -> tuple[set[etree._Element], set[etree._Element]]:
    """(metadata tables, data tables) among the tables that hold no table (a table holding one
    is layout: its inner tables are the data); data tables have more than one cell. Each cell
    is read once, however deep tables nest."""
    metadata: set[etree._Element] = set()
    data: set[etree._Element] = set()
    layout = _layout_tables(page.root)
    for table in page.root.iter("table"):
        if table in layout:
            continue
        if _metadata_pairs(page, table) is not None:
            metadata.add(table)
        elif _more_than_one_cell(table, page.tags):
            data.add(table)
    return metadata, data


def _more_than_one_cell(table: etree._Element, tags: _Tags) -> bool:
    """True if the table's rows hold a second cell (counting stops there)."""
    cells = (cell for row in _rows(table, tags) for cell in _cells(row, tags))
    return next(itertools.islice(cells, 1, None), None) is not None


def _candidate(tag: str, article_name: bool) -> bool:
    """An element that may be the article: ``<body>``, ``<article>``, ``<main>`` or one with
    a class or id token that names an article container (``article_name``)."""
    return tag in ("body", "article", "main") or (bool(tag) and article_name)


def _body(
    page: _Page, data_tables: set[etree._Element]
) -> tuple[etree._Element, set[etree._Element]]:
    """The article container: the smallest one holding the most section headings and tables;
    and the elements that look like chrome but hold a section heading or a data table.

    A span's score (of :attr:`_Page.spans`) is the number of distinct section headings and
    data tables inside it: headings are found once in the page's text, and both are counted
    by bisection, so the work stays near linear however deep the page nests.
    """
    root = page.root
    spans, chrome_spans = page.spans, page.chrome_spans
    table_starts = sorted(page.table_starts[table] for table in data_tables)
    score = _scorer(page.text, table_starts)
    best: etree._Element | None = None
    best_key = (0, 0)
    for element, start, end in spans:
        key = (score(start, end), start - end)
        if best is None or key > best_key:
            best, best_key = element, key
    holding = {element for element, start, end in chrome_spans if score(start, end)}
    if best is None or best_key[0] == 0:
        body = root.find("body")
        return (body if body is not None else root), holding
    return best, holding


def _scorer(text: str, table_starts: list[int]) -> Callable[[int, int], int]:
    """How much of the report a span of ``text`` holds: its data tables (by where they
    start) and its distinct section headings."""
    # Per section numeral, its headings' (start, end) in order: they never overlap.
    headings: dict[int, tuple[list[int], list[int]]] = {}
    for match in _SECTION_HEADINGS.finditer(text):
        starts, ends = headings.setdefault(match.lastindex or 0, ([], []))
        starts.append(match.start())
        ends.append(match.end())

    def score(start: int, end: int) -> int:
        found = bisect.bisect_left(table_starts, end) - bisect.bisect_left(table_starts, start)
        for starts, ends in headings.values():
            first = bisect.bisect_left(starts, start)
            found += first < len(starts) and ends[first] <= end
        return found

    return score


def _is_chrome(tag: str, chrome_name: bool) -> bool:
    """Site chrome by its tag or by a class or id token that names it (``chrome_name``)."""
    return tag in _CHROME_TAGS or chrome_name


# --- the walk -------------------------------------------------------------------------------

#: The paragraph text goes under: its path, or the element it is the text of (its path is
#: worked out only for a paragraph that holds text).
_Block: TypeAlias = "etree._Element | str"
#: What the walk keeps of an element it entered, until the element's end: the paragraph
#: its text and its children's tails go under, whether its end ends a paragraph, and whether
#: the walk was in the body before it (None: the element did not change that).
_Open = tuple[_Block, bool, bool | None]


class _Walker:
    """One pass over the page: body blocks, chrome fragments and facts, in reading order.

    ``holding`` are the elements that look like chrome but hold part of the report: they stay
    in the body.
    """

    def __init__(
        self,
        source: str | None,
        page: _Page,
        body: etree._Element,
        holding: set[etree._Element],
        metadata: set[etree._Element],
        data: set[etree._Element],
    ) -> None:
        self.source = source
        self.page = page
        self.body = body
        self.holding = holding
        self.metadata = metadata
        self.data = data
        self.blocks: list[Block] = []
        self.chrome: list[Fragment] = []
        self.text_facts: list[tuple[str, str]] = []
        self.table_facts: list[tuple[str, str]] = []
        self.positions = 0
        self._parts: list[str] = []
        self._block: _Block = ""
        self._in_body = False

    def path(self, element: etree._Element) -> str:
        return f"{self.page.tags[element]}[{self.page.index.get(element, 0)}]"

    # paragraphs

    def add(self, text: str, block: _Block) -> None:
        """Text of the page: its whitespace (line breaks of the source too) is one space
        (:func:`_lines` runs the rest of it into one)."""
        if not self._parts and not text.strip():
            return
        if not self._parts:
            self._block = block
        self._parts.append(text.replace("\n", " "))

    def newline(self) -> None:
        """A ``<br>``: the paragraph goes on as a new line (a fragment of its own)."""
        if self._parts:
            self._parts.append("\n")

    def flush(self) -> None:
        """The paragraph so far as fragments, one a line: body blocks, or chrome (with facts)."""
        if not self._parts:
            return
        text = _lines(self._parts)
        self._parts.clear()
        if not text:
            return
        block = self._block
        path = block if isinstance(block, str) else self.path(block)
        for line in text.split("\n"):
            fragment = Fragment(line, _new_provenance(self.source, path=path))
            if self._in_body:
                self.blocks.append(fragment)
            else:
                self.chrome.append(fragment)
                self.text_facts.extend(_fact_pairs(line))

    # elements

    def walk(self, root: etree._Element, block: _Block) -> None:
        """The page in reading order: one pass of events, not recursion (elements may nest
        :data:`_MAX_DEPTH` deep). ``block``: the paragraph of the root's text."""
        opened: list[_Open] = []
        walk = etree.iterwalk(root, events=("start", "end"))
        for event, element in walk:
            if event == "start":
                entered, inside = self.enter(element, opened[-1][0] if opened else block)
                opened.append(entered)
                if not inside:
                    walk.skip_subtree()  # its end still comes, for its tail
                continue
            _, ends_paragraph, was_in_body = opened.pop()
            if ends_paragraph:
                self.flush()
            if was_in_body is not None:
                self.leave(was_in_body)
            tail = element.tail
            if tail and opened:
                self.add(tail, opened[-1][0])

    def enter(self, element: etree._Element, block: _Block) -> tuple[_Open, bool]:
        """Take in an element's own text (under ``block``, its parent's paragraph):
        what its end must do, and whether its children are to be walked."""
        tag = self.page.tags[element]
        if not tag or tag in _SKIP:
            return (block, False, None), False
        was = self._in_body
        if element is self.body:
            self.flush()
            self._in_body = True
        elif self._in_body and self.page.is_chrome(element) and element not in self.holding:
            self.flush()
            self._in_body = False
        changed = was if was != self._in_body else None
        if tag == "br":
            self.newline()
            return (block, False, changed), False
        if tag == "table" and element in self.metadata:
            self.metadata_table(element)
            return (block, False, changed), False
        if tag == "table" and element in self.data and self._in_body:
            self.flush()
            self.grid(element)
            return (block, False, changed), False
        ends_paragraph = tag in _BLOCKS
        if ends_paragraph:
            self.flush()
            block = element
        text = element.text
        if text:
            self.add(text, block)
        return (block, ends_paragraph, changed), True

    def leave(self, was_in_body: bool) -> None:
        """The end of an element that entered or left the body: back to where it was."""
        self.flush()
        self._in_body = was_in_body

    def metadata_table(self, table: etree._Element) -> None:
        """Facts from the table; its text to chrome: caption and text outside cells, then
        one fragment a row."""
        self.flush()
        self.table_facts.extend(_metadata_pairs(self.page, table) or [])
        self.chrome.extend(self.outside_cells(table))
        tags = self.page.tags
        for number, row in enumerate(_rows(table, tags), start=1):
            text = " ".join(
                t for t in (_clean(self.page.cell_text(c)) for c in _cells(row, tags)) if t
            )
            if text:
                where = _new_provenance(self.source, path=f"{self.path(table)}/tr[{number}]")
                self.chrome.append(Fragment(text, where))

    def outside_cells(
        self, table: etree._Element, cells: set[etree._Element] | None = None
    ) -> list[Fragment]:
        """The table's caption, then the text it holds outside cells (``cells``, if known), a
        fragment a line."""
        table_path = self.path(table)
        fragments = []
        for child in table:
            if self.page.tags[child] == "caption":
                caption = _clean(_cell_text(child, self.page.tags))
                if caption:
                    where = _new_provenance(self.source, path=f"{table_path}/caption")
                    fragments.append(Fragment(caption, where))
        where = _new_provenance(self.source, path=table_path)
        loose = _stray_text(table, self.page.tags, cells).split("\n")
        return fragments + [Fragment(line, where) for line in loose if line]

    def grid(self, table: etree._Element) -> None:
        """A data table as a grid, merged cells expanded; first its caption and any text it
        holds outside its cells, as paragraphs."""
        table_path = self.path(table)
        tags = self.page.tags
        rows = list(_rows(table, tags))
        taken: list[dict[int, Fragment]] = [{} for _ in rows]
        seen: set[etree._Element] = set()  # the table's cells, for its text outside them
        for number, row in enumerate(rows):
            column = 0
            counts: dict[str, int] = {}
            row_taken = taken[number]
            for cell in _cells(row, tags):
                tag = tags[cell]
                seen.add(cell)
                counts[tag] = counts.get(tag, 0) + 1
                while column in row_taken:
                    column += 1
                rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
                down = 1 if rowspan is None else _span(rowspan, len(rows) - number)
                across = 1 if colspan is None else _span(colspan, _MAX_COLSPAN)
                self.positions += down * across
                if self.positions > _MAX_POSITIONS:
                    raise InputError(
                        f"tables too large: more than {_MAX_POSITIONS} cells once merged cells"
                        " are expanded",
                        source=self.source,
                    )
                path = f"{table_path}/tr[{number + 1}]/{tag}[{counts[tag]}]"
                where = _new_provenance(self.source, path=path)
                fragment = Fragment(self.page.cell_text(cell), where)
                if down == across == 1:
                    row_taken.setdefault(column, fragment)  # most cells: one position
                else:
                    for below in range(number, number + down):
                        for right in range(column, column + across):
                            taken[below].setdefault(right, fragment)
                column += across
        self.blocks.extend(self.outside_cells(table, seen))
        grid = [
            self.grid_row(cells, f"{table_path}/tr[{number + 1}]")
            for number, cells in enumerate(taken)
            if cells
        ]
        if grid:
            self.blocks.append(Grid(tuple(grid), _new_provenance(self.source, path=table_path)))

    def grid_row(self, cells: dict[int, Fragment], row_path: str) -> tuple[Fragment, ...]:
        """A grid row from its cells by column; a position no cell covers (a row cut short)
        holds an empty fragment of the row."""
        width = max(cells) + 1
        if len(cells) == width:
            return tuple(cells[column] for column in range(width))
        hole = Fragment("", _new_provenance(self.source, path=row_path))
        return tuple(cells.get(column, hole) for column in range(width))


def _head_facts(root: etree._Element) -> list[tuple[str, str]]:
    """The page's ``<title>`` as 标题, then the CMS ``<meta>`` tags that name facts."""
    facts: list[tuple[str, str]] = []
    title = next(root.iter("title"), None)
    if title is not None:
        text = _clean("".join(title.itertext()))
        if text:
            facts.append(("标题", text))
    for meta in root.iter("meta"):
        label = _META_FACTS.get((meta.get("name") or "").strip().lower())
        content = _clean(meta.get("content") or "")
        if label and content:
            facts.append((label, content))
    return facts


def parse_html(data: bytes, source: str | None = None) -> Document:
    """An HTML page to a :class:`Document`: body blocks, chrome, facts; InputError if unreadable."""
    root = _parse(data, source)
    page = _Page(root, source)
    metadata, data_tables = _tables(page)
    body, holding = _body(page, data_tables)
    walker = _Walker(source, page, body, holding, metadata, data_tables)
    walker.walk(root, "html[1]")
    walker.flush()
    facts = _with_title([*_head_facts(root), *walker.text_facts, *walker.table_facts])
    return Document(tuple(walker.blocks), source, tuple(facts), tuple(walker.chrome))


def read_html(data: bytes, source: str | None = None) -> Report:
    """Read a report from an HTML page (bytes as saved or fetched)."""
    return assemble(parse_html(data, source or "<html>"))
