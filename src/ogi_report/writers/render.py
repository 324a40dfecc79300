"""A report printed back in the official layout: Markdown pipe tables, or HTML with merged cells.

:func:`to_markdown` and :func:`to_html` print the title, the six section headings (一、总体情况
… 六、其他需要报告的事项) with their narrative, and the standard tables where the format puts
them, with the official captions and header rows. Cells print as published: numbers as
digits (a ``Decimal`` amount with every digit it holds), a blank as an empty cell, a
not-applicable mark as the mark, unreadable text as its text. Ambiguous and missing cells
print as ``?`` (HTML adds a ``title`` naming the candidates): that is a rendering for people,
not something to read back.

The HTML follows the format's merged cells: in section 3 the corner note spans three
columns and the three header rows, 申请人情况 seven columns, 自然人 and 总计 two rows,
法人或其他组织 five columns, and 三、本年度办理结果 and the groups （三）…（六） span their
rows; in section 4 行政复议 spans five columns, 行政诉讼 ten, 未经复议直接起诉 and 复议后起诉
five each, over one data row of fifteen cells. Markdown has no merged cells: a merged
header prints its text once, in its first position, and section 3 prints one row per table
row with the row's label (as printed, e.g. ``（一）予以公开``) in the first column, its group
labels (三、本年度办理结果, （三）不予公开 …) on rows of their own with empty cells. A printed
subtotal row (``cells-optional.csv``) is its group's row, holding the subtotal.

>>> from ogi_report import BLANK, example_report, read
>>> report = example_report("2021")
>>> markdown = to_markdown(report)
>>> lines = markdown.splitlines()
>>> lines[0]
'# 示例县人民政府2021年政府信息公开工作年度报告'
>>> [line for line in lines if line.startswith("## ")][:3]
['## 一、总体情况', '## 二、主动公开政府信息情况', '## 三、收到和处理政府信息公开申请情况']
>>> rows = [line for line in lines if line.startswith("| ")]
>>> print("\\n".join(line for line in rows if "予以公开" in line or "行政许可" in line))
| 行政许可 | 15230 |
| （一）予以公开 | 41 | 6 | 1 | 0 | 1 | 0 | 49 |
>>> read(markdown).values() == report.values()
True
>>> html = to_html(report)
>>> html.startswith("<!DOCTYPE html>")
True
>>> '<th colspan="3" rowspan="3">（本列数据的勾稽关系为：' in html
True
>>> '<td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td>' in html
True
>>> '<th colspan="10">行政诉讼</th>' in html
True
>>> blanked = to_html(report.replace_cells({"s4.review.total": BLANK}))
>>> blanked[blanked.rindex("<tr>"):].split("</td>")[:6]
['<tr><td>3', '<td>1', '<td>0', '<td>1', '<td>', '<td>2']
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

import attrs

from ..cells import Ambiguous, Blank, Cell, Missing, NotApplicable, Unreadable
from ..findings import Finding
from ..model import Report, Section, Table
from ..templates import TEMPLATE_PRE_2019, Column, RowSpec, TableSpec

__all__ = ["APPLICANTS", "BALANCE_NOTE", "HEADINGS", "ITEM_CORNER", "to_html", "to_markdown"]


def __dir__() -> list[str]:
    return __all__


#: The six section headings both formats print (``sections.csv``).
HEADINGS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

#: Section 3's corner note (the column's 勾稽关系) and its applicant header.
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
#: The corner of each section 2 item table.
ITEM_CORNER = "信息内容"
#: Section 3 prints its row labels over this many columns (as the format's corner spans).
_S3_LABEL_COLUMNS = 3


# --- cells ----------------------------------------------------------------------------------


@attrs.frozen
class _Cell:
    """One printed cell of a layout: its text, its spans, header or not, and a tooltip."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    title: str | None = None
    css: str | None = None
    code: str | None = None  # a value cell's canonical code, to highlight its findings


_Layout = list[list[_Cell]]
_T = TypeVar("_T")
_K = TypeVar("_K")


def _printed(value: Cell, column: Column) -> str:
    """A cell's text as printed: digits, every decimal digit, the mark, the text, or ``?``."""
    if type(value) is int:
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        # 2019's 采购总金额 has no unit in its label: the amount (in 万元) says it in the cell.
        if column.is_money and "万元" not in column.label_zh:
            text += "万元"
        return text
    if isinstance(value, Blank):
        return ""
    if isinstance(value, NotApplicable):
        return value.mark
    if isinstance(value, Unreadable):
        return value.text
    if isinstance(value, Ambiguous | Missing):
        return "?"
    raise TypeError(f"not a cell value: {value!r}")


def _candidates(value: Ambiguous, column: Column) -> str:
    return "、".join(_printed(c, column) or "空白" for c in value.candidates)


def _value_cell(value: Cell, column: Column, code: str, colspan: int = 1) -> _Cell:
    text = _printed(value, column)
    if isinstance(value, Ambiguous):
        title = f"有歧义，可能为：{_candidates(value, column)}"
        return _Cell(text, colspan=colspan, title=title, css="ambiguous", code=code)
    if isinstance(value, Missing):
        return _Cell(text, colspan=colspan, title="未找到", css="missing", code=code)
    return _Cell(text, colspan=colspan, code=code)


# --- layouts: the format's tables as rows of cells ------------------------------------------


def _item_layout(table: Table, width: int) -> _Layout:
    """A section 2 item table: caption row, header row, one row per item; ``width`` columns."""
    spec = table.spec
    fill = width - len(spec.columns)  # the last column takes what a wider table has over
    rows: _Layout = [[_Cell(spec.caption_zh, colspan=width, header=True)]]
    header = [_Cell(ITEM_CORNER, header=True)]
    for index, column in enumerate(spec.columns):
        last = index == len(spec.columns) - 1
        header.append(_Cell(column.label_zh, colspan=fill if last else 1, header=True))
    rows.append(header)
    for row in table.rows:
        cells = [_Cell(spec.row(row.key).zh[-1])]
        codes = spec.row_codes(row.key)
        for index, (column, value) in enumerate(zip(spec.columns, row.values)):
            last = index == len(spec.columns) - 1
            cells.append(_value_cell(value, column, codes[index], fill if last else 1))
        rows.append(cells)
    return rows


def _applicant_header(spec: TableSpec, label_columns: int) -> _Layout:
    """Section 3's three header rows: the corner note, 申请人情况, the applicant columns."""
    top: list[_Cell] = [
        _Cell(BALANCE_NOTE, rowspan=3, colspan=label_columns, header=True),
        _Cell(APPLICANTS, colspan=len(spec.columns), header=True),
    ]
    middle: list[_Cell] = []
    bottom: list[_Cell] = []
    for group, columns in _runs(spec.columns, lambda column: column.zh[0]):
        if len(columns[0].zh) == 1:
            middle.append(_Cell(group, rowspan=2, header=True))
        else:
            middle.append(_Cell(group, colspan=len(columns), header=True))
            bottom.extend(_Cell(column.zh[-1], header=True) for column in columns)
    return [top, middle, bottom]


def _printed_paths(table: Table) -> list[tuple[RowSpec, tuple[str, ...]]]:
    """Each printed row with the label path it prints: a group whose subtotal row is printed
    is that row, so its parts print their own labels without the group's."""
    spec = table.spec
    printed = {row.key for row in table.rows}
    grouped = {
        part: spec.row(key).zh[-1]
        for key in printed
        if spec.row(key).optional
        for part in spec.row(key).parts
    }
    paths = []
    for row in table.rows:
        declared = spec.row(row.key)
        path = declared.zh
        if row.key in grouped:
            path = tuple(label for label in path if label != grouped[row.key])
        paths.append((declared, path))
    return paths


def _requests_layout(table: Table) -> _Layout:
    """Section 3 with merged label cells: three label columns, the groups spanning rows."""
    spec = table.spec
    rows = _applicant_header(spec, _S3_LABEL_COLUMNS)
    paths = [path for _, path in _printed_paths(table)]
    for index, (row, path) in enumerate(zip(table.rows, paths)):
        cells: list[_Cell] = []
        for depth, label in enumerate(path[:-1]):
            previous = paths[index - 1] if index else ()
            if len(previous) > depth + 1 and previous[: depth + 1] == path[: depth + 1]:
                continue  # covered by the group cell above
            span = 1
            while index + span < len(paths) and _same_group(paths[index + span], path, depth):
                span += 1
            cells.append(_Cell(label, rowspan=span))
        cells.append(_Cell(path[-1], colspan=_S3_LABEL_COLUMNS - len(path) + 1))
        codes = spec.row_codes(row.key)
        cells.extend(
            _value_cell(value, c, code) for value, c, code in zip(row.values, spec.columns, codes)
        )
        rows.append(cells)
    return rows


def _same_group(other: tuple[str, ...], path: tuple[str, ...], depth: int) -> bool:
    """True if ``other`` sits under the same group cell as ``path`` at ``depth``."""
    return len(other) > depth + 1 and other[: depth + 1] == path[: depth + 1]


def _review_layout(table: Table) -> _Layout:
    """Section 4: the groups (行政复议 | 行政诉讼 · 两种起诉) over their columns, one data row."""
    spec = table.spec
    paths = [row.zh for row in spec.rows]
    depth = max(len(path) for path in paths) + 1  # header rows: the group labels, the columns
    width = len(spec.columns)
    header: _Layout = [[] for _ in range(depth)]
    for level in range(depth - 1):
        for prefix, members in _runs(paths, _prefix(level + 1)):
            if len(prefix) > level:
                header[level].append(_Cell(prefix[-1], colspan=len(members) * width, header=True))
        for path in paths:
            if len(path) == level + 1:  # the group's columns, spanning down to the data
                header[level + 1].extend(
                    _Cell(column.label_zh, rowspan=depth - level - 1, header=True)
                    for column in spec.columns
                )
    data = [
        _value_cell(value, column, code)
        for row in table.rows
        for value, column, code in zip(row.values, spec.columns, spec.row_codes(row.key))
    ]
    return [*header, data]


def _prefix(length: int) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    """The first ``length`` labels of a label path."""
    return lambda path: path[:length]


def _runs(items: Sequence[_T], key: Callable[[_T], _K]) -> Iterator[tuple[_K, list[_T]]]:
    """Consecutive runs of ``items`` with the same ``key``."""
    run: list[_T] = []
    for item in items:
        if run and key(run[-1]) != key(item):
            yield key(run[0]), run
            run = []
        run.append(item)
    if run:
        yield key(run[0]), run


def _tables(report: Report, section: int) -> list[Table]:
    return [table for table in report.tables if table.spec.section == section]


# --- the document -----------------------------------------------------------------------------


def _title(report: Report) -> str:
    meta = report.metadata
    year = f"{meta.reporting_year}年" if meta.reporting_year is not None else ""
    return f"{meta.agency or ''}{year}政府信息公开工作年度报告"


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _sections(report: Report) -> list[Section]:
    """All six sections: the report's own, the format's heading where it has none; a report
    before 2019 has its own sections, as many as it prints."""
    if report.template is TEMPLATE_PRE_2019:
        return list(report.sections or ())
    return [
        report.section(number) or Section(number, heading)
        for number, heading in enumerate(HEADINGS, start=1)
    ]


# --- Markdown -------------------------------------------------------------------------------


def _md_text(text: str) -> str:
    """Text for one Markdown line (a heading, a table cell): whitespace runs as one space,
    pipes escaped."""
    return " ".join(text.replace("|", "\\|").split())


def _md_cell(cell: _Cell) -> str:
    text = _md_text(cell.text)
    if cell.css == "ambiguous" and cell.title:
        text += f"（{_md_text(cell.title)}）"
    return text


def _grid(layout: _Layout) -> list[list[str]]:
    """A layout as a full grid; a merged cell's text in its first position, blanks elsewhere."""
    grid: list[list[str]] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(layout):
        line: list[str] = []
        column = 0
        for cell in row:
            while covered.pop((r, column), False):
                line.append("")
                column += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        covered[(r + dr, column + dc)] = True
            line.append(_md_cell(cell))
            line.extend([""] * (cell.colspan - 1))
            column += cell.colspan
        while covered.pop((r, column), False):
            line.append("")
            column += 1
        grid.append(line)
    return grid


def _pipe_rows(rows: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(row) + " |" for row in rows]


def _pipe_table(layout: _Layout, header_rows: int = 1) -> list[str]:
    """A pipe table: the layout's first row as the Markdown header, the rest as body rows."""
    grid = _grid(layout)
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    lines = _pipe_rows(grid[:header_rows])
    lines.append("|" + "---|" * width)
    lines.extend(_pipe_rows(grid[header_rows:]))
    return lines


def _md_requests(table: Table) -> list[str]:
    """Section 3 as one pipe table: one label column, group labels on rows of their own."""
    spec = table.spec
    layout = _applicant_header(spec, 1)
    empty = [_Cell("") for _ in spec.columns]
    shown: tuple[str, ...] = ()
    for (_, path), row in zip(_printed_paths(table), table.rows):
        for depth, label in enumerate(path[:-1]):
            if shown[: depth + 1] != path[: depth + 1]:
                layout.append([_Cell(label), *empty])
        shown = path
        codes = spec.row_codes(row.key)
        values = [
            _value_cell(value, column, code)
            for value, column, code in zip(row.values, spec.columns, codes)
        ]
        layout.append([_Cell(path[-1]), *values])
    return _pipe_table(layout)


def _md_body(section: Section) -> list[str]:
    lines: list[str] = []
    for part in section.parts:
        if part.heading is not None:
            lines += [f"### {_md_text(part.heading)}", ""]
        for text in part.text.splitlines():
            if text.strip():
                lines += [text.strip().replace("|", "\\|"), ""]
    return lines


def to_markdown(report: Report) -> str:
    """The report as Markdown: title, the six sections, the standard tables as pipe tables."""
    lines = [f"# {_md_text(_title(report))}", ""]
    if report.metadata.published_on is not None:
        lines += [_date(report.metadata.published_on), ""]
    for section in _sections(report):
        lines += [f"## {_md_text(section.heading)}", ""]
        lines += _md_body(section)
        for table in _tables(report, section.number):
            if table.spec.key == "s3":
                lines += _md_requests(table)
            elif table.spec.key == "s4":
                lines += _pipe_table(_review_layout(table))
            else:
                lines += _pipe_table(_item_layout(table, 1 + len(table.spec.columns)))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------------

_STYLE = (
    "table { border-collapse: collapse; margin: 8px 0; }"
    " th, td { border: 1px solid #000; padding: 2px 6px; }"
    " td.finding-error { background: #f8c9cc; } td.finding-warning { background: #fde9b0; }"
    " td.ambiguous, td.missing { background: #d9dcff; }"
    " .legend span { padding: 0 6px; margin-right: 6px; }"
    " .finding-error { background: #f8c9cc; } .finding-warning { background: #fde9b0; }"
    " .ambiguous { background: #d9dcff; }"
)

#: Cell code -> (worst severity, messages) of the findings to highlight.
_Marks = dict[str, tuple[str, list[str]]]


def _marks(findings: Iterable[Finding]) -> _Marks:
    marks: _Marks = {}
    for finding in findings:
        for code in finding.cells:
            severity, messages = marks.get(code, ("info", []))
            worst = min((severity, finding.severity.value), key=_SEVERITY_ORDER.index)
            marks[code] = (worst, [*messages, f"{finding.code}: {finding.message_zh}"])
    return marks


_SEVERITY_ORDER = ("error", "warning", "info")


def _html_table(parent: ET.Element, layout: _Layout, marks: _Marks) -> None:
    table = ET.SubElement(parent, "table")
    body = ET.SubElement(table, "tbody")
    for row in layout:
        tr = ET.SubElement(body, "tr")
        for cell in row:
            attributes: dict[str, str] = {}
            if cell.colspan > 1:
                attributes["colspan"] = str(cell.colspan)
            if cell.rowspan > 1:
                attributes["rowspan"] = str(cell.rowspan)
            css, title = cell.css, cell.title
            if cell.code in marks:
                severity, messages = marks[cell.code]
                css = f"finding-{severity}" if css is None else f"{css} finding-{severity}"
                title = "\n".join(([title] if title else []) + messages)
            if css is not None:
                attributes["class"] = css
            if title is not None:
                attributes["title"] = title
            element = ET.SubElement(tr, "th" if cell.header else "td", attributes)
            element.text = cell.text


def _html_paragraphs(parent: ET.Element, section: Section) -> None:
    for part in section.parts:
        if part.heading is not None:
            ET.SubElement(parent, "h3").text = part.heading.strip()
        for text in part.text.splitlines():
            if text.strip():
                ET.SubElement(parent, "p").text = text.strip()


def _summary(parent: ET.Element, findings: Sequence[Finding]) -> None:
    """What the check found, every message visible, and a legend of the highlights."""
    counts = {level: sum(f.severity.value == level for f in findings) for level in _SEVERITY_ORDER}
    shown = ", ".join(f"{count} {level}" for level, count in counts.items() if count)
    ET.SubElement(parent, "p").text = f"Findings 检查结果: {shown or 'none 无'}"
    if findings:
        listed = ET.SubElement(parent, "ul", {"class": "findings"})
        for finding in findings:
            item = ET.SubElement(listed, "li", {"class": f"finding-{finding.severity.value}"})
            item.text = f"{finding.severity.value} {finding.code}: {finding.message}"
    legend = ET.SubElement(parent, "p", {"class": "legend"})
    for css, label in (
        ("finding-error", "error 错误"),
        ("finding-warning", "warning 警告"),
        ("ambiguous", "ambiguous or missing 有歧义或未读取"),
    ):
        ET.SubElement(legend, "span", {"class": css}).text = label


def to_html(report: Report, findings: Iterable[Finding] = (), *, notebook: bool = False) -> str:
    """The report as one HTML page, its tables with the format's merged cells.

    The cells of ``findings`` are highlighted (red for errors, amber for warnings), their
    messages in the cell's tooltip. ``notebook`` (the display of a report in Jupyter)
    opens with the findings and a legend, and folds the narrative.
    """
    findings = list(findings)
    marks = _marks(findings)
    title = _title(report)
    html = ET.Element("html", lang="zh-CN")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "style").text = _STYLE
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = title
    if report.metadata.published_on is not None:
        ET.SubElement(body, "p").text = _date(report.metadata.published_on)
    if notebook:
        _summary(body, findings)
    for section in _sections(report):
        ET.SubElement(body, "h2").text = section.heading
        if notebook and section.parts:
            folded = ET.SubElement(body, "details")
            ET.SubElement(folded, "summary").text = "正文 narrative"
            _html_paragraphs(folded, section)
        else:
            _html_paragraphs(body, section)
        tables = _tables(report, section.number)
        items = [table for table in tables if table.spec.key not in ("s3", "s4")]
        if section.number == 2 and items and report.template is not TEMPLATE_PRE_2019:
            width = 1 + max(len(table.spec.columns) for table in items)
            layout = [row for table in items for row in _item_layout(table, width)]
            _html_table(body, layout, marks)
        else:
            for table in items:
                _html_table(body, _item_layout(table, 1 + len(table.spec.columns)), marks)
        for table in tables:
            if table.spec.key == "s3":
                _html_table(body, _requests_layout(table), marks)
            elif table.spec.key == "s4":
                _html_table(body, _review_layout(table), marks)
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"
