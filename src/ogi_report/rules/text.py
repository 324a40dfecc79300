"""Heuristics over the narrative: counts stated in words, percentages, foreign text; the
traditional forms of the format's characters, and how text is normalised to compare it.

These read what the model holds (:attr:`Report.sections`); a report read from cells JSON
has no narrative and gets none of these findings.

>>> p = percentages("共收到提案85件，已经解决的25件，占承办总数的29.4%")[0]
>>> p.count, p.base, p.percent
(25, 85, Decimal('29.4'))
>>> injected_spans("按照《国务院办公厅秘书局澳门金沙城中心:印发…》要求")
[Injection(start=12, end=17, term='澳门金沙城')]
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import compress

import attrs

__all__ = [
    "INJECTED_TERMS",
    "OVERVIEW_TOPICS",
    "TRADITIONAL",
    "UNIT_NOT_PRINTED",
    "Injection",
    "Percentage",
    "fold_traditional",
    "injected_spans",
    "normalise",
    "percentages",
    "received_counts",
    "says_region_summary",
    "says_s4_includes_carried",
    "stated_figures",
]


def __dir__() -> list[str]:
    return __all__


#: How a truth file writes an amount whose unit is printed nowhere.
UNIT_NOT_PRINTED = re.compile(r"-?[0-9]+(?:\.[0-9]+)? \(unit not printed\)\Z")

#: Words that do not belong in a government report: gambling and casino spam.
INJECTED_TERMS = (
    "澳门金沙",
    "金沙城",
    "金沙娱乐",
    "新葡京",
    "葡京娱乐",
    "威尼斯人",
    "太阳城",
    "百家乐",
    "博彩",
    "赌场",
    "娱乐城",
    "真人娱乐",
    "六合彩",
    "时时彩",
    "老虎机",
    "彩票网",
    "体育投注",
    "bet365",
    "365bet",
    "365体育",
    "365娱乐",
    "皇冠体育",
    "澳门银河",
    "开云体育",
    "亚博体育",
    "casino",
)

#: Traditional characters as mirror sites print the format's words (規章, 總計, 行政許可, 結轉),
#: each followed by its simplified form: every character of the labels, headings and header
#: words of ``spec/`` (``cells-*.csv``, sections.csv, label-variants.csv), of the assembler's
#: heading, header and metadata words (标题, 首页, 统计期限 …) and of :data:`INJECTED_TERMS`
#: that has a traditional form, with all its forms (复: 復 複 覆), from OpenCC's character
#: tables. Only these fold: a label matches in either script while the narrative keeps the
#: characters it printed. ``tests/test_read_forms.py`` keeps it in step with the spec.
TRADITIONAL = (
    "萬万業业個个箇个為为爲为舉举義义樂乐於于雲云亞亚會会體体關关俱具內内決决況况減减齣出別别彆别製制辦办務务動动區区協协單单"
    "捲卷廳厅發发髮发祇只衹只隻只號号閤合後后國国場场處处復复複复覆复娛娱審审傢家對对屬属佈布應应廢废開开強强噹当當当綵彩總总"
    "執执護护報报據据數数無无時时機机權权條条構构菓果査查標标樣样沒没註注現现眞真確确祕秘穩稳簽签籤签筦管類类係系繫系糾纠納纳"
    "組组織织經经結结統统繼继續续維维繳缴網网罰罚範范獲获穫获補补見见規规計计認认議议許许訟讼設设訪访訴诉詢询請请購购費费賭赌"
    "轉转過过這这進进踰逾埰采寀采採采銀银門门問问間间陽阳頁页項项題题額额"
)
_FOLD = str.maketrans(dict(zip(TRADITIONAL[0::2], TRADITIONAL[1::2], strict=True)))


def fold_traditional(text: str) -> str:
    """``text`` with the traditional forms of the format's characters in simplified form.

    >>> fold_traditional("規章 總計 行政許可 結轉 行政復議 萬元")
    '规章 总计 行政许可 结转 行政复议 万元'
    """
    return text.translate(_FOLD)


#: The five topics of the 2021 format's part （一）, with the words that show each.
OVERVIEW_TOPICS = (
    ("主动公开", ("主动公开",), "proactive disclosure"),
    ("依申请公开", ("依申请公开", "依申请"), "disclosure on request"),
    ("政府信息管理", ("信息管理", "政府信息管理"), "information management"),
    ("政府信息公开平台建设", ("平台建设", "公开平台"), "disclosure platforms"),
    ("监督保障", ("监督保障", "监督", "保障"), "supervision"),
)

#: A number stated in the narrative: at most a count's digits, never the middle of a longer
#: run (the look-behind keeps a search over a run of digits linear, not quadratic).
_COUNT = r"(?<![\d.])(\d{1,12})(?!\d)"
_NUMBER = r"(?<![\d.])(\d{1,12}(?:\.\d{1,6})?)(?![\d.])"


@lru_cache(maxsize=4096)  # one check normalises each section several times
def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) with whitespace removed (what
    ``str.split`` splits at is what the regex ``\\s`` matches)."""
    return "".join(nfkc(text).split())


_WHITESPACE = re.compile(r"\s+")
#: Full-width ASCII (！ to ～) and the ideographic space, as NFKC maps them: what stops most
#: report text from being in NFKC already.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, quicker on report text.

    Full-width ASCII and the ideographic space are mapped first, as NFKC maps each of them
    (to one character of combining class 0, so the result is the same); the rest, mostly
    ideographs already in NFKC, is then often left as it is.

    >>> nfkc("共收到申请１２件（含　依申请）")
    '共收到申请12件(含 依申请)'
    """
    mapped = text.translate(_FULL_WIDTH)
    if unicodedata.is_normalized("NFKC", mapped):
        return mapped
    return unicodedata.normalize("NFKC", mapped)


@attrs.frozen
class Percentage:
    """``N件，占P%`` as printed: the count, the percentage, the total it is of (if stated)."""

    count: int
    percent: Decimal
    base: int | None
    phrase: str

    def exact(self) -> Decimal | None:
        """count/base in percent, to the printed number of decimals plus one."""
        if not self.base:
            return None
        unit = Decimal(1).scaleb(int(self.percent.as_tuple().exponent) - 1)
        return (Decimal(self.count) * 100 / Decimal(self.base)).quantize(unit)

    def holds(self) -> bool:
        """True if the percentage is count/base rounded or truncated to the printed decimals."""
        if not self.base:
            return True
        exact = Decimal(self.count) * 100 / Decimal(self.base)
        unit = Decimal(1).scaleb(int(self.percent.as_tuple().exponent))
        return self.percent in (
            exact.quantize(unit, rounding=ROUND_HALF_UP),
            exact.quantize(unit, rounding=ROUND_DOWN),
        )


_PERCENT = re.compile(_COUNT + r"件[,，]?(?:[^,，。;；%\d]{0,12})?占[^%\d]{0,12}?" + _NUMBER + "%")
_BASE = re.compile(
    r"共(?:收到|计|受理|接收|办理)?[^,，。;；\d]{0,12}?" + _COUNT + "件|在" + _COUNT + "件"
)


def percentages(text: str) -> list[Percentage]:
    """Every ``N件 … 占 P%`` in ``text``, each with the nearest ``共…N件`` before it on its line.

    >>> p = percentages("共收到提案85件，在85件提案中，所提问题被纳入规划的13件，占15.4%")[0]
    >>> p.count, p.base, p.percent, p.holds()
    (13, 85, Decimal('15.4'), False)
    """
    found = []
    for line in text.splitlines():
        normal = normalise(line)
        for match in _PERCENT.finditer(normal):
            bases = list(_BASE.finditer(normal, 0, match.start()))
            base = int(bases[-1].group(1) or bases[-1].group(2)) if bases else None
            found.append(
                Percentage(int(match.group(1)), Decimal(match.group(2)), base, match.group(0))
            )
    return found


_RECEIVED = re.compile(
    r"(?:共|全年|本年度?)?(?:收到|受理|接收|接到)[^,，。;；\d]{0,20}?(?:政府信息公开)?申请[^,，。;；\d]{0,6}?"
    r"(?:共计?)?" + _COUNT + "件"
)


def received_counts(text: str) -> list[tuple[int, str]]:
    """Counts of OGI requests received that the narrative states, with the phrase.

    >>> received_counts("区政府办代表区政府受理政府信息公开申请17件。受理行政复议申请2件")
    [(17, '受理政府信息公开申请17件')]
    """
    return [
        (int(m.group(1)), m.group(0))
        for line in text.splitlines()
        for m in _RECEIVED.finditer(normalise(line))
        if "复议" not in m.group(0) and "诉讼" not in m.group(0)
    ]


#: Figures a report before 2019 states in words, by the code of the cell they fill (see
#: ``templates/_pre2019.py``): each pattern's group 1 is the count. A clause stops at 。；.
_CLAUSE = r"[^。;；\d]"
_STATED = {
    "s2.proactive.items": re.compile(
        rf"主动公开(?:各类|各项)?(?:政府)?信息{_CLAUSE}{{0,8}}?" + _COUNT + "(?:条|件|篇|项)"
    ),
    "s3.requests.received": _RECEIVED,
    "s3.requests.answered": re.compile(
        r"(?:已|均已|共|累计|按时)?(?:答复|办结|回复)(?:申请人|申请)?(?:共计?)?" + _COUNT + "件"
    ),
    "s5.appeals.reconsideration": re.compile(
        rf"行政复议(?:申请|案件)?{_CLAUSE}{{0,4}}?" + _COUNT + "(?:件|起|宗)"
    ),
    "s5.appeals.litigation": re.compile(
        rf"行政诉讼(?:案件)?{_CLAUSE}{{0,4}}?" + _COUNT + "(?:件|起|宗)"
    ),
}
#: A clause that states there were none (未发生…行政复议), with no digit in it: a 0.
_NONE = r"(?:未|没有|无)(?:发生|出现|收到|接到|发现)?[^。;；\d]{0,40}?"
_STATED_NONE = {
    "s5.appeals.reconsideration": re.compile(_NONE + "行政复议"),
    "s5.appeals.litigation": re.compile(_NONE + "行政诉讼"),
}


def stated_figures(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """The figures ``text`` (normalised) states: code -> ``(value, start, end)`` of each
    statement, in order. "None" stated in words (未发生…行政复议) is a 0.

    >>> found = stated_figures("全年共受理申请15件，已答复15件。未发生行政复议、行政诉讼。")
    >>> {code: [value for value, _, _ in spans] for code, spans in found.items()}
    {'s3.requests.received': [15], 's3.requests.answered': [15], \
's5.appeals.reconsideration': [0], 's5.appeals.litigation': [0]}
    """
    found: dict[str, list[tuple[int, int, int]]] = {}
    for code, pattern in _STATED.items():
        for match in pattern.finditer(text):
            if code == "s3.requests.received" and ("复议" in match[0] or "诉讼" in match[0]):
                continue
            found.setdefault(code, []).append((int(match[1]), match.start(1), match.end(1)))
    for code, pattern in _STATED_NONE.items():
        for match in pattern.finditer(text):
            found.setdefault(code, []).append((0, match.start(), match.end()))
    for spans in found.values():
        spans.sort(key=lambda span: span[1])
    return found


@attrs.frozen
class Injection:
    """Foreign text in a report: ``text[start:end]`` as printed, one or several overlapping
    or adjacent :data:`INJECTED_TERMS` (澳门金沙 and 金沙城 in 澳门金沙城 are one)."""

    start: int
    end: int
    term: str


#: :data:`INJECTED_TERMS` as they are compared with folded text, each once; their characters.
_FOLDED_TERMS = tuple(dict.fromkeys(fold_traditional(t.lower()) for t in INJECTED_TERMS))
_TERM_CHAR_SETS = tuple(frozenset(term) for term in _FOLDED_TERMS)
_TERM_CHARS = frozenset().union(*_TERM_CHAR_SETS)


def _fold_char(raw: str) -> str:
    """One printed character as terms are compared: none for whitespace, else one or more."""
    return _WHITESPACE.sub("", fold_traditional(unicodedata.normalize("NFKC", raw).lower()))


#: Characters whose fold is kept worked out, from one text to the next: the ones reports
#: print (a few thousand ideographs, digits and punctuation) stay.
_FOLDS_KEPT = 8192
#: The folds kept, as a table for ``str.translate`` (code point -> fold), and their characters.
_FOLD_TABLE: dict[int, str] = {}
_FOLD_KNOWN: set[str] = set()
#: The characters kept whose fold holds a character of a term (see :func:`_may_hold_term`).
_TERM_SOURCES: set[str] = set()


def _fold_table(chars: set[str]) -> dict[int, str]:
    """A translate table with the folds of ``chars``: the kept one, the new characters added
    while it has room for them; else a copy of it with them."""
    new = chars.difference(_FOLD_KNOWN)
    if not new:
        return _FOLD_TABLE
    folds = {ord(raw): _fold_char(raw) for raw in new}
    if len(_FOLD_TABLE) + len(folds) > _FOLDS_KEPT:
        return {**_FOLD_TABLE, **folds}
    _FOLD_TABLE.update(folds)
    _TERM_SOURCES.update(raw for raw in new if not _TERM_CHARS.isdisjoint(folds[ord(raw)]))
    _FOLD_KNOWN.update(new)  # last: a character known has its fold and sources kept
    return _FOLD_TABLE


def _may_hold_term(chars: set[str], table: dict[int, str]) -> bool:
    """False if no term can be in a text of ``chars`` folded by ``table`` (from
    :func:`_fold_table`): their folds lack a character of each term. Told from the folds
    kept, with no pass over the text."""
    if table is not _FOLD_TABLE:  # folds past those kept: no shortcut
        return True
    sources = chars.intersection(_TERM_SOURCES)
    present = set("".join([table[ord(raw)] for raw in sources]))
    return any(map(present.issuperset, _TERM_CHAR_SETS))


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` as terms are compared, and for each of its characters the index of the
    printed character it came from."""
    chars = set(text)
    table = _fold_table(chars)
    folds = {raw: table[ord(raw)] for raw in chars}  # each distinct character once
    if all(len(folded) <= 1 for folded in folds.values()):  # no Python step per character
        folded = text.translate(table)
        if len(folded) == len(text):
            return folded, list(range(len(text)))
        kept = {raw for raw, f in folds.items() if f}
        return folded, list(compress(range(len(text)), map(kept.__contains__, text)))
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, raw in enumerate(text):
        for char in folds[raw]:
            folded_chars.append(char)
            origin.append(index)
    return "".join(folded_chars), origin


def injected_spans(text: str) -> list[Injection]:
    """Every stretch of ``text`` holding foreign words, in order: overlapping or adjacent
    terms merged, so that one injection is one span (and one finding).

    Matched whatever the spacing, width, case and script (澳門金沙, ３６５ bet).

    >>> [i.term for i in injected_spans("点击进入365 bet体育，澳門金沙娛樂城")]
    ['365 bet', '澳門金沙娛樂城']
    """
    chars = set(text)
    table = _fold_table(chars)
    if not _may_hold_term(chars, table):  # most texts: no translate of the whole text
        return []
    folded = text.translate(table)
    found: list[tuple[int, int]] = []
    for term in _FOLDED_TERMS:
        at = folded.find(term)
        while at >= 0:
            found.append((at, at + len(term)))
            at = folded.find(term, at + 1)
    if not found:  # most texts: no origins needed
        return []
    origin = _folded(text)[1]
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    spans = []
    for start, end in merged:
        first, last = origin[start], origin[end - 1] + 1
        spans.append(Injection(first, last, text[first:last]))
    return spans


_REGION = re.compile(r"汇总[^。]{0,40}编制|本行政区域")
_S4_CARRIED = re.compile(
    r"(?:复议|诉讼)[^。]{0,40}(?:含|包括|包含)[^。]{0,6}(?:上年|上一年)[^。]{0,6}结转"
)


def says_region_summary(text: str) -> bool:
    """True if the narrative says the report sums a region's bodies (汇总…编制而成)."""
    return bool(_REGION.search(normalise(text)))


def says_s4_includes_carried(text: str) -> bool:
    """True if section 四's counts are said to include cases carried over."""
    return bool(_S4_CARRIED.search(normalise(text)))
