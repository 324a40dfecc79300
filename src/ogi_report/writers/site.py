"""The assessor's view (检查结果网站): a static site of checked reports, an index and a page each.

:func:`write_site` writes, into one folder, ``index.html``: every file with its body
(机关), year, format, status (``unreadable``, ``error``, ``warning`` or ``ok``), the counts
of its findings and, when given, its score, worst first and sortable by a click on a
column heading; ``reports/<slug>.html``: each readable report in the official layout with
the cells of its findings highlighted and a link back to the index; ``style.css``, shared.
Nothing is fetched from elsewhere, and the index reads in its default order without
JavaScript. Pages are written as their entries arrive; only the index rows are held
(:class:`Site` takes them one at a time, from a callback).

>>> import tempfile
>>> from pathlib import Path
>>> from ogi_report import example_report
>>> folder = Path(tempfile.mkdtemp()) / "site"
>>> entries = [
...     SiteEntry("reports/shili-county-2020.json", example_report("2019")),  # checked here
...     SiteEntry("scan.pdf", error="scan.pdf: a scanned PDF, no text to read"),
... ]
>>> write_site(entries, folder).name
'index.html'
>>> sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.*"))
['index.html', 'reports/shili-county-2020-15abb172605a.html', 'style.css']
>>> index = (folder / "index.html").read_text(encoding="utf-8")
>>> [status for status in ("unreadable", "error") if f'<tr data-status="{status}">' in index]
['unreadable', 'error']
>>> 'href="reports/shili-county-2020-15abb172605a.html"' in index
True
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import attrs

from ..findings import Findings, Severity
from ..model import Report
from ..rules import check
from ..scorecard import Score
from .render import to_html

__all__ = ["Site", "SiteEntry", "slug", "write_site"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class SiteEntry:
    """One file of the site: its name, the report read from it or why it could not be read.

    ``name`` is the file as the user gave it (shown in the index, and the page's slug is
    made from it). ``report`` is ``None`` when the file could not be read, ``error`` then
    says why. ``findings`` of a report left ``None`` are those of :func:`ogi_report.check`
    with its default options. ``score`` adds a score column to the index and the
    score's deductions to the page.
    """

    name: str
    report: Report | None = None
    findings: Findings | None = None
    error: str | None = None
    score: Score | None = None


#: A status and its label, worst first: the index's default order.
_STATUSES = {
    "unreadable": "unreadable 无法读取",
    "error": "error 有错误",
    "warning": "warning 有警告",
    "ok": "ok 通过",
}
_RANK = {status: rank for rank, status in enumerate(_STATUSES)}
_COUNTED = (Severity.ERROR, Severity.WARNING, Severity.INFO)

#: Folder of the report pages, inside the site's folder.
_REPORTS = "reports"
_TITLE = "政府信息公开工作年度报告检查结果 Report check results"
_STEM_MAX = 40
_HASH_LENGTH = 12


def slug(name: str) -> str:
    """A page name for the file ``name``: its stem in lower-case ASCII and a hash of the name.

    Safe as a file name and in a URL on any system, whatever ``name`` holds (Chinese, spaces,
    slashes, ``..``, a name thousands of characters long): the folders of ``name`` are left
    out and every other character becomes ``-``; the hash keeps names apart that read alike.

    >>> slug("reports/shili-county-2020.json")
    'shili-county-2020-15abb172605a'
    >>> slug("报告/示例县 2021年.PDF")
    '2021-8e97a793f443'
    >>> slug("../../示例县.json")
    'report-6fec74ccd2ea'
    """
    stem = re.split(r"[\\/]", name)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-_")[:_STEM_MAX].strip("-_")
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{stem or 'report'}-{digest[:_HASH_LENGTH]}"


@attrs.frozen
class _Row:
    """What the index keeps of an entry once its page is written."""

    name: str
    status: str
    agency: str | None = None
    year: int | None = None
    version: str | None = None
    counts: tuple[int, int, int] | None = None  # errors, warnings, info
    score: tuple[str, str] | None = None  # as shown, and its sort key (the minimum)
    page: str | None = None  # the page's path from the index
    error: str | None = None

    @property
    def order(self) -> tuple[int, int, int, int, str, str]:
        """Worst first: the status, then the most errors, warnings and information."""
        errors, warnings, info = self.counts or (0, 0, 0)
        return (_RANK[self.status], -errors, -warnings, -info, self.name, self.page or "")


class Site:
    """A site being written, for callers that get their entries one at a time (a callback).

    Each :meth:`add` writes the entry's page; :meth:`close` writes the index, the files in
    their default order. :func:`write_site` is this over an iterable.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        title: str = _TITLE,
    ) -> None:
        self.folder = Path(folder)
        self.title = title
        self._used: set[str] = set()
        self._rows: list[_Row] = []
        (self.folder / _REPORTS).mkdir(parents=True, exist_ok=True)
        _write(self.folder / "style.css", _CSS)

    def add(self, entry: SiteEntry) -> None:
        """Write ``entry``'s page (none if unreadable) and keep its row of the index."""
        if entry.report is None:
            self._rows.append(_Row(entry.name, "unreadable", error=entry.error))
            return
        findings = check(entry.report) if entry.findings is None else entry.findings
        page = _unique(slug(entry.name), self._used)
        errors, warnings, info = (sum(f.severity is level for f in findings) for level in _COUNTED)
        meta, score = entry.report.metadata, entry.score
        path = f"{_REPORTS}/{page}.html"
        row = _Row(
            entry.name,
            "error" if errors else "warning" if warnings else "ok",
            meta.agency,
            meta.reporting_year,
            entry.report.template.version,
            (errors, warnings, info),
            None if score is None else (_score_text(score), _points(score.minimum)),
            path,
        )
        _write(self.folder / path, _page(entry.report, findings, row, score))
        self._rows.append(row)

    def close(self) -> Path:
        """Write the index of the entries added so far; its path."""
        index = self.folder / "index.html"
        _write(index, _index(sorted(self._rows, key=lambda row: row.order), self.title))
        return index


def write_site(
    entries: Iterable[SiteEntry],
    folder: str | Path,
    *,
    title: str = _TITLE,
) -> Path:
    """Write the site of ``entries`` into ``folder`` (made if need be); the index's path.

    The same entries give the same bytes. Files already in ``folder`` are left alone, but
    ``index.html``, ``style.css`` and the pages of these entries are written over. Two
    entries with one name get a page each: the second's slug ends in ``-2``, and so on.
    """
    site = Site(folder, title=title)
    for entry in entries:
        site.add(entry)
    return site.close()


def _unique(page: str, used: set[str]) -> str:
    """``page``, or with ``-2``, ``-3`` … if an earlier entry took it."""
    candidate, number = page, 1
    while candidate in used:
        number += 1
        candidate = f"{page}-{number}"
    used.add(candidate)
    return candidate


def _write(path: Path, text: str) -> None:
    # A name from a file system may hold undecodable bytes (lone surrogates): written
    # escaped rather than failing the whole site.
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as file:
        file.write(text)


def _html(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", method="html")


# --- a report's page ------------------------------------------------------------------------


def _page(report: Report, findings: Findings, row: _Row, score: Score | None) -> str:
    """The report as :func:`to_html` prints it for a notebook, under a bar back to the index."""
    nav = ET.Element("nav", {"class": "site"})
    ET.SubElement(nav, "a", href="../index.html").text = "← 索引 index"
    ET.SubElement(nav, "span", {"class": "file"}).text = row.name
    status = ET.SubElement(nav, "span", {"class": f"status status-{row.status}"})
    status.text = _STATUSES[row.status]
    extra = _html(nav) + ("" if score is None else _html(_deductions(score)))
    page = to_html(report, findings, notebook=True)
    # to_html escapes every text it prints, so its first "<body>" and "</head>" are the tags.
    page = page.replace("</head>", '<link rel="stylesheet" href="../style.css"></head>', 1)
    return page.replace("<body>", "<body>" + extra, 1)


def _deductions(score: Score) -> ET.Element:
    """The score, each deduction with its evidence, each item that could not be assessed."""
    box = ET.Element("section", {"class": "score"})
    ET.SubElement(box, "p").text = f"得分 score: {_score_text(score)}"
    listed = ET.SubElement(box, "ul")
    for penalty in score.penalties:
        ET.SubElement(listed, "li").text = (
            f"{penalty.item} −{_points(penalty.points)}: {penalty.message_en}"
            f" / {penalty.message_zh}"
        )
    for unsure in score.uncertain:
        ET.SubElement(listed, "li", {"class": "uncertain"}).text = (
            f"{unsure.item} 0 to −{_points(unsure.up_to)} ({unsure.trigger}):"
            f" {unsure.reason_en} / {unsure.reason_zh}"
        )
    return box


def _points(value: Decimal) -> str:
    return format(value.normalize() if value == value.to_integral_value() else value, "f")


def _score_text(score: Score) -> str:
    low, high = _points(score.minimum), _points(score.maximum)
    return f"{low if low == high else f'{low}–{high}'} / {_points(score.total)}"


# --- the index ------------------------------------------------------------------------------

#: Column headings; a number column's first click puts the worst first (``data-first``).
_HEADINGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("机关 body", {}),
    ("年度 year", {"data-type": "number"}),
    ("格式 format", {}),
    ("文件 file", {}),
    ("状态 status", {"data-type": "number"}),
    ("错误 errors", {"data-type": "number", "data-first": "descending"}),
    ("警告 warnings", {"data-type": "number", "data-first": "descending"}),
    ("提示 info", {"data-type": "number", "data-first": "descending"}),
)
_SCORE_HEADING = ("得分 score", {"data-type": "number"})


def _index(rows: list[_Row], title: str) -> str:
    html = ET.Element("html", lang="zh-CN")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "link", rel="stylesheet", href="style.css")
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = title
    ET.SubElement(body, "p", {"class": "summary"}).text = _summary(rows)
    scored = any(row.score is not None for row in rows)
    table = ET.SubElement(body, "table", {"id": "reports", "class": "reports"})
    heading = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for text, attributes in (*_HEADINGS, _SCORE_HEADING) if scored else _HEADINGS:
        ET.SubElement(heading, "th", {"scope": "col", **attributes}).text = text
    tbody = ET.SubElement(table, "tbody")
    for row in rows:
        _index_row(ET.SubElement(tbody, "tr", {"data-status": row.status}), row, scored)
    ET.SubElement(body, "script").text = _SCRIPT
    return "<!DOCTYPE html>\n" + _html(html) + "\n"


def _summary(rows: list[_Row]) -> str:
    statuses = {status: sum(row.status == status for row in rows) for status in _STATUSES}
    errors, warnings, info = (sum(row.counts[i] for row in rows if row.counts) for i in range(3))
    return (
        f"{_count(len(rows), 'file')} 个文件: {statuses['unreadable']} unreadable,"
        f" {statuses['error']} with errors, {statuses['warning']} with warnings only,"
        f" {statuses['ok']} ok; {_count(errors, 'error')}, {_count(warnings, 'warning')},"
        f" {info} info. Worst first; click a column heading to sort 点击列标题排序."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _cell(tr: ET.Element, text: str, sort: str | None = None, css: str | None = None) -> ET.Element:
    attributes = {} if sort is None else {"data-sort": sort}
    if css is not None:
        attributes["class"] = css
    td = ET.SubElement(tr, "td", attributes)
    td.text = text
    return td


def _index_row(tr: ET.Element, row: _Row, scored: bool) -> None:
    # Number cells sort by data-sort; an absent number sorts as -1, below every real one.
    _cell(tr, row.agency or "")
    _cell(tr, "" if row.year is None else str(row.year), str(row.year or -1), "number")
    _cell(tr, row.version or "")
    name = _cell(tr, "", row.name)
    if row.page is None:
        name.text = row.name
    else:
        ET.SubElement(name, "a", href=row.page).text = row.name
    if row.error is not None:
        ET.SubElement(name, "div", {"class": "problem"}).text = row.error
    _cell(tr, _STATUSES[row.status], str(_RANK[row.status]), f"status status-{row.status}")
    for count in row.counts or (None,) * len(_COUNTED):
        text = "" if count is None else str(count)
        _cell(tr, text, str(-1 if count is None else count), "number")
    if scored:
        text, key = row.score or ("", "-1")
        _cell(tr, text, key, "number")


#: Sorts the index by the clicked column (again: the other way); ties keep their order.
_SCRIPT = """
(() => {
  const table = document.getElementById("reports");
  const body = table.tBodies[0];
  const heads = [...table.tHead.rows[0].cells];
  const key = (cell) => cell.dataset.sort ?? cell.textContent.trim();
  heads.forEach((th, column) => {
    const sort = () => {
      const current = th.getAttribute("aria-sort");
      const ascending = current ? current !== "ascending" : th.dataset.first !== "descending";
      const number = th.dataset.type === "number";
      const rows = [...body.rows].sort((a, b) => {
        const x = key(a.cells[column]), y = key(b.cells[column]);
        const order = number ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
        return ascending ? order : -order;
      });
      heads.forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      body.append(...rows);
    };
    th.tabIndex = 0;
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
    });
  });
  table.dataset.sortable = "ready";
})();
"""

_CSS = """\
body { font-family: sans-serif; margin: 16px; }
nav.site { margin-bottom: 12px; }
nav.site span { margin-left: 12px; }
table.reports { border-collapse: collapse; }
table.reports th, table.reports td { border: 1px solid #999; padding: 2px 8px; text-align: left; }
table.reports td.number { text-align: right; }
table[data-sortable] th { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
.problem { color: #8a1c24; font-size: 90%; }
.status { padding: 0 6px; }
.status-unreadable { background: #d9d9d9; }
.status-error { background: #f8c9cc; }
.status-warning { background: #fde9b0; }
.status-ok { background: #cdeccd; }
section.score li.uncertain { color: #555; }
"""
