"""HTML: saved or crawled web pages of a report, site chrome and all.

The page is decoded by the charset it declares (``<meta charset>`` or ``http-equiv``), else
as UTF-8, else as GB18030, and parsed with lxml's HTML parser with the network off and no
entity expansion. The report body is the smallest article container (``div.TRS_Editor``,
``#zoom``, ``.article-content`` …) that holds every section heading and data table the page
has; everything else (navigation, headers and footers, share buttons, breadcrumbs, forms)
is page chrome: kept as :attr:`Document.chrome`, never mixed into the narrative. The page's
``<title>``, its ``<meta name="ArticleTitle">``-style tags and the metadata table government
pages print above a document (名称, 索引号, 发布机构, 公开日期 …) become
:attr:`Document.facts`.

Every ``<table>`` of the body that holds no other table becomes a :class:`Grid`, its
``rowspan`` and ``colspan`` expanded: a merged cell's fragment stands in every position it
covers. A cell's text is joined from its spans as printed (``商业`` + ``企业``), with its
``<p>`` and ``<br>`` as line breaks. Provenance names the element: ``tag[n]`` is the n-th
``<tag>`` of the page in document order (XPath ``(//tag)[n]``), and a cell is
``table[n]/tr[r]/td[c]``: the r-th row of that table (across ``thead``/``tbody``) and the
c-th ``<td>`` (or ``<th>``) of that row.

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
import itertools
import re
from collections.abc import Iterable, Iterator

from lxml import etree

from ..cells import Provenance
from ..errors import InputError
from ..model import Report
from . import decode
from ._assemble import assemble
from ._document import Block, Document, Fragment, Grid

__all__ = ["parse_html", "read_html"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Elements whose content is not text at all: dropped with nothing kept.
_SKIP = frozenset(
    {"script", "style", "template", "head", "title", "meta", "link", "base", "svg", "math"}
)
#: Elements that are page chrome wherever they stand: their text goes to ``chrome``.
_CHROME_TAGS = _words(
    "noscript iframe frame frameset object embed nav header footer form button select "
    "input textarea aside menu"
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
_SECTION_HEADINGS = re.compile(
    r"(一)[、.．](?:总体情况|概述)"
    r"|(二)[、.．].{0,8}主动公开"
    r"|(三)[、.．].{0,8}(?:收到|处理).{0,12}申请"
    r"|(四)[、.．].{0,16}(?:复议|诉讼)"
    r"|(五)[、.．].{0,16}问题"
    r"|(六)[、.．].{0,4}其他"
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
_SPACE = re.compile(r"\s+")
#: Pages with more ``<`` than this are refused before parsing (real pages hold a few thousand).
_MAX_TAGS = 250_000
#: A metadata table is short: a table with more rows than this is not one.
_METADATA_ROWS = 16
#: colspan above this is not HTML (the spec's limit); rowspan is cut at the table's end.
_MAX_COLSPAN = 1000
#: Expanded grid positions a page may hold in all: far above any report, far below harm.
_MAX_POSITIONS = 250_000


# --- decoding and parsing -------------------------------------------------------------------


def _declared(data: bytes) -> str | None:
    """The codec of the charset the page declares near its start, if Python knows it."""
    match = _CHARSET.search(data[:16384])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    name = _CODECS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


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


def _text(data: bytes, source: str | None) -> str:
    """The page as text: BOM, else declared charset, else UTF-8, else GB18030.

    Each is tried strictly (a character cut off at the end allowed); if none fits, a page
    that declares its charset is decoded in it with replacement characters.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
        if text is not None:
            return text
    codec = _declared(data)
    if codec is not None:
        text = _strict(data, codec)
        if text is not None:
            return text
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    try:
        return decode(data, source)  # GB18030, else InputError
    except InputError:
        if codec is None:
            raise
        return data.decode(codec, errors="replace")  # as a browser shows a damaged page


def _parse(data: bytes, source: str | None) -> etree._Element:
    """The page's element tree: no network, no entities expanded, comments and PIs dropped."""
    tags = data.count(b"<")
    if tags > _MAX_TAGS:
        raise InputError(
            f"{tags} tags: more than the {_MAX_TAGS} a report page could hold", source=source
        )
    text = _text(data, source).replace("\x00", "\ufffd")
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"not readable as HTML: {error}", source=source) from None
    if root is None:
        raise InputError("not readable as HTML: the page is empty", source=source)
    return root


# --- small helpers ----------------------------------------------------------------------------


def _tag(element: etree._Element) -> str:
    """The element's tag in lower case, '' for anything that is not an element."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _names(element: etree._Element) -> list[str]:
    """The class and id tokens of an element, lower case."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()


def _clean(text: str) -> str:
    """Whitespace (NBSP and U+3000 included) run into single spaces, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def _lines(parts: Iterable[str]) -> str:
    """Text pieces (``\\n`` where a ``<br>`` or block stood) as clean lines."""
    lines = (_clean(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _label(text: str) -> str:
    """A metadata label as compared: no whitespace, no trailing colon."""
    return re.sub(r"\s+", "", text).rstrip(":：")


def _span(value: str | None, limit: int) -> int:
    """A rowspan or colspan attribute as a count from 1 to ``limit`` (0: to ``limit``)."""
    match = re.match(r"\s*(\d{1,7})", value or "")
    if match is None:
        return 1
    number = int(match.group(1))
    return limit if number == 0 else max(1, min(number, limit))


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows, in source order (rows of nested tables excluded)."""
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if _tag(row) == "tr")


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    return (cell for cell in row if _tag(cell) in ("td", "th"))


def _fact_pairs(text: str) -> list[tuple[str, str]]:
    """``label：value`` pairs of a line that starts with a known metadata label."""
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


def _cell_text(cell: etree._Element) -> str:
    """A cell's text: spans joined as printed, ``<p>``/``<br>``/blocks as line breaks."""
    if not len(cell):
        return _clean(cell.text or "")
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = _tag(element)
        if tag in _SKIP:
            return
        if tag == "br" or tag in _BLOCKS:
            parts.append("\n")
        if tag and element.text:
            parts.append(_SPACE.sub(" ", element.text))
        for child in element:
            walk(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))
        if tag in _BLOCKS:
            parts.append("\n")

    walk(cell)
    return _lines(parts)


def _metadata_pairs(table: etree._Element) -> list[tuple[str, str]] | None:
    """The label/value pairs of a metadata table (名称, 索引号, 发布机构 …), else None."""
    rows = list(itertools.islice(_rows(table), _METADATA_ROWS + 1))
    if len(rows) > _METADATA_ROWS:
        return None
    pairs: list[tuple[str, str]] = []
    labels: set[str] = set()
    for row in rows:
        texts = [_cell_text(cell) for cell in _cells(row)]
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


def _tables(root: etree._Element) -> tuple[set[etree._Element], set[etree._Element]]:
    """(metadata tables, data tables): data tables hold no table and more than one cell."""
    metadata: set[etree._Element] = set()
    data: set[etree._Element] = set()
    for table in root.iter("table"):
        if _metadata_pairs(table) is not None:
            metadata.add(table)
        elif any(True for _ in table.iterdescendants("table")):
            continue  # a layout table: its inner tables are the data
        elif sum(1 for row in _rows(table) for _ in _cells(row)) > 1:
            data.add(table)
    return metadata, data


def _candidate(element: etree._Element, tag: str) -> bool:
    """An element that may be the article: ``<body>``, ``<article>``, ``<main>`` or one whose
    class or id names an article container."""
    return tag in ("body", "article", "main") or (
        bool(tag) and _ARTICLE_NAME.search(" ".join(_names(element))) is not None
    )


def _body(root: etree._Element, data_tables: set[etree._Element]) -> etree._Element:
    """The article container: the smallest one holding the most section headings and tables.

    One pass over the page gives each candidate its span of the page's text (whitespace
    removed); headings are found once in that text, and a container's score is the number
    of distinct section headings and data tables inside its span (found by bisection, so
    the work stays near linear however many candidates a page nests).
    """
    chars: list[str] = []
    length = 0
    spans: list[tuple[etree._Element, int, int]] = []
    table_starts: list[int] = []
    opened: list[int] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(element)
        if event == "start":
            opened.append(length)
            if element in data_tables:
                table_starts.append(length)
            if tag and tag not in _SKIP and element.text:
                piece = _SPACE.sub("", element.text)
                chars.append(piece)
                length += len(piece)
        else:
            start = opened.pop()
            if _candidate(element, tag):
                spans.append((element, start, length))
            if element.tail and element is not root:
                piece = _SPACE.sub("", element.tail)
                chars.append(piece)
                length += len(piece)
    text = "".join(chars)
    # Per section numeral, its headings' (start, end) in order: they never overlap.
    headings: dict[int, tuple[list[int], list[int]]] = {}
    for match in _SECTION_HEADINGS.finditer(text):
        starts, ends = headings.setdefault(match.lastindex or 0, ([], []))
        starts.append(match.start())
        ends.append(match.end())
    best: etree._Element | None = None
    best_key = (0, 0)
    for element, start, end in spans:
        score = bisect.bisect_left(table_starts, end) - bisect.bisect_left(table_starts, start)
        for starts, ends in headings.values():
            first = bisect.bisect_left(starts, start)
            score += first < len(starts) and ends[first] <= end
        key = (score, start - end)
        if best is None or key > best_key:
            best, best_key = element, key
    if best is None or best_key[0] == 0:
        body = root.find("body")
        return body if body is not None else root
    return best


def _is_chrome(element: etree._Element, tag: str) -> bool:
    """Site chrome by its tag or by a class or id that names it."""
    if tag in _CHROME_TAGS:
        return True
    return any(_CHROME_NAME.search(name) for name in _names(element))


# --- the walk -------------------------------------------------------------------------------


class _Walker:
    """One pass over the page: body blocks, chrome fragments and facts, in reading order."""

    def __init__(
        self,
        source: str | None,
        body: etree._Element,
        metadata: set[etree._Element],
        data: set[etree._Element],
        index: dict[etree._Element, int],
    ) -> None:
        self.source = source
        self.body = body
        self.metadata = metadata
        self.data = data
        self.index = index
        self.blocks: list[Block] = []
        self.chrome: list[Fragment] = []
        self.text_facts: list[tuple[str, str]] = []
        self.table_facts: list[tuple[str, str]] = []
        self.positions = 0
        self._parts: list[str] = []
        self._path: str | None = None
        self._in_body = False

    def path(self, element: etree._Element) -> str:
        return f"{_tag(element)}[{self.index.get(element, 0)}]"

    # paragraphs

    def add(self, text: str, path: str) -> None:
        """Text of the page: its whitespace (line breaks of the source too) is one space."""
        if not self._parts and not text.strip():
            return
        if not self._parts:
            self._path = path
        self._parts.append(_SPACE.sub(" ", text))

    def newline(self) -> None:
        """A ``<br>``: the paragraph goes on as a new line (a fragment of its own)."""
        if self._parts:
            self._parts.append("\n")

    def flush(self) -> None:
        """The paragraph so far as fragments, one a line: body blocks, or chrome (with facts)."""
        if not self._parts:
            return
        text = _lines(self._parts)
        path = self._path
        self._parts.clear()
        self._path = None
        if not text:
            return
        for line in text.split("\n"):
            fragment = Fragment(line, Provenance(source=self.source, path=path))
            if self._in_body:
                self.blocks.append(fragment)
            else:
                self.chrome.append(fragment)
                self.text_facts.extend(_fact_pairs(line))

    # elements

    def walk(self, element: etree._Element, block: str) -> None:
        tag = _tag(element)
        if not tag or tag in _SKIP:
            return
        was = self._in_body
        if element is self.body:
            self.flush()
            self._in_body = True
        elif self._in_body and _is_chrome(element, tag) and not self.holds_report(element):
            self.flush()
            self._in_body = False
        if tag == "br":
            self.newline()
        elif tag == "table" and element in self.metadata:
            self.metadata_table(element)
        elif tag == "table" and element in self.data and self._in_body:
            self.flush()
            self.grid(element)
        else:
            if tag in _BLOCKS:
                self.flush()
                block = self.path(element)
            if element.text:
                self.add(element.text, block)
            for child in element:
                self.walk(child, block)
                if child.tail:
                    self.add(child.tail, block)
            if tag in _BLOCKS:
                self.flush()
        if was != self._in_body:
            self.flush()
            self._in_body = was

    def holds_report(self, element: etree._Element) -> bool:
        """True if the element holds a data table or a section heading: never chrome."""
        if any(table in self.data for table in element.iter("table")):
            return True
        return _SECTION_HEADINGS.search(_SPACE.sub("", "".join(element.itertext()))) is not None

    def metadata_table(self, table: etree._Element) -> None:
        """Facts from the table; its text to chrome, one row a fragment."""
        self.flush()
        self.table_facts.extend(_metadata_pairs(table) or [])
        for number, row in enumerate(_rows(table), start=1):
            text = " ".join(t for t in (_clean(_cell_text(c)) for c in _cells(row)) if t)
            if text:
                where = Provenance(source=self.source, path=f"{self.path(table)}/tr[{number}]")
                self.chrome.append(Fragment(text, where))

    def grid(self, table: etree._Element) -> None:
        """A data table as a grid, merged cells expanded; its caption first, as a paragraph."""
        table_path = self.path(table)
        for child in table:
            if _tag(child) == "caption":
                caption = _clean(_cell_text(child))
                if caption:
                    where = Provenance(source=self.source, path=f"{table_path}/caption")
                    self.blocks.append(Fragment(caption, where))
        rows = list(_rows(table))
        taken: list[dict[int, Fragment]] = [{} for _ in rows]
        for number, row in enumerate(rows):
            column = 0
            counts: dict[str, int] = {}
            for cell in _cells(row):
                tag = _tag(cell)
                counts[tag] = counts.get(tag, 0) + 1
                while column in taken[number]:
                    column += 1
                down = _span(cell.get("rowspan"), len(rows) - number)
                across = _span(cell.get("colspan"), _MAX_COLSPAN)
                self.positions += down * across
                if self.positions > _MAX_POSITIONS:
                    raise InputError(
                        f"tables too large: more than {_MAX_POSITIONS} cells once merged cells"
                        " are expanded",
                        source=self.source,
                    )
                path = f"{table_path}/tr[{number + 1}]/{tag}[{counts[tag]}]"
                fragment = Fragment(_cell_text(cell), Provenance(source=self.source, path=path))
                for below in range(number, number + down):
                    for right in range(column, column + across):
                        taken[below].setdefault(right, fragment)
                column += across
        grid: list[tuple[Fragment, ...]] = []
        for number, cells in enumerate(taken):
            if not cells:
                continue
            where = Provenance(source=self.source, path=f"{table_path}/tr[{number + 1}]")
            hole = Fragment("", where)  # a position no cell covers (a row cut short)
            grid.append(tuple(cells.get(c, hole) for c in range(max(cells) + 1)))
        if grid:
            self.blocks.append(Grid(tuple(grid), Provenance(source=self.source, path=table_path)))


def _index(root: etree._Element) -> dict[etree._Element, int]:
    """Each element's place among the page's elements of its tag, from 1, document order."""
    counts: dict[str, int] = {}
    index: dict[etree._Element, int] = {}
    for element in root.iter():
        tag = _tag(element)
        if tag:
            counts[tag] = counts.get(tag, 0) + 1
            index[element] = counts[tag]
    return index


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
    metadata, data_tables = _tables(root)
    body = _body(root, data_tables)
    walker = _Walker(source, body, metadata, data_tables, _index(root))
    walker.walk(root, "html[1]")
    walker.flush()
    facts = _with_title([*_head_facts(root), *walker.text_facts, *walker.table_facts])
    return Document(tuple(walker.blocks), source, tuple(facts), tuple(walker.chrome))


def read_html(data: bytes, source: str | None = None) -> Report:
    """Read a report from an HTML page (bytes as saved or fetched)."""
    return assemble(parse_html(data, source or "<html>"))
