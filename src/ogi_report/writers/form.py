"""The official form (年度报告格式) as a Word .docx file, filled from a report: for publishers.

:func:`to_docx` prints what :mod:`ogi_report.writers.render` prints, as Word prints the
official forms: the title (agency, year, 政府信息公开工作年度报告), the publication date if
known, the six section headings with the report's narrative, and the standard tables of the
report's format (2019 or 2021) with the format's merged cells — in section 3 the corner note
spans three columns and the three header rows, 申请人情况 seven columns, 自然人 and 总计 two
rows (``w:vMerge``), 法人或其他组织 five columns (``w:gridSpan``), 三、本年度办理结果 and the
groups （三）…（六） their rows; in section 4 行政复议 spans five columns and 行政诉讼 ten. The
labels come from the format's declarations (:mod:`ogi_report.templates`), never retyped.

Cells print as published: a count or an amount with every digit it holds, a blank as an
empty cell, a not-applicable mark as the mark (``/``), unreadable text as its text. A cell
that is not settled — :class:`~ogi_report.cells.Ambiguous` or
:data:`~ogi_report.cells.MISSING` — has no printed form: the form is refused
(:class:`UnsettledCells`) unless ``unsettled="blank"`` leaves such cells empty to fill in
by hand.

The report is checked (:func:`ogi_report.check`) before anything is written: a report with
error findings (an identity such as 一+二=三+四 broken) is refused with
:class:`~ogi_report.errors.ReportErrors` listing them, unless ``allow_errors=True``, which
writes it all the same with a :class:`FormWarning` naming them.

The file is the same bytes for the same report: fixed document properties and ZIP dates.
Read back by :func:`ogi_report.read` it gives the same cells. Needs the ``fill`` extra
(python-docx).

>>> from ogi_report import example_report, read
>>> report = example_report("2021")
>>> data = to_docx(report)
>>> data[:2], data == to_docx(report)
(b'PK', True)
>>> back = read(data)
>>> back.values() == report.values(), back.metadata.agency, back.metadata.reporting_year
(True, '示例县人民政府', 2021)
>>> to_docx(example_report("2019"))
Traceback (most recent call last):
...
ogi_report.errors.ReportErrors: refused to write the form: 2 error findings \
(pass allow_errors=True to write it all the same):
  error S3.BALANCE: column total (总计): new + carried over = 80, ... (difference 1)
  error S3.ROW_TOTAL: row 一、本年新收政府信息公开申请数量 ... (difference 1) (2 sub-exceptions)
"""

from __future__ import annotations

import copy
import io
import os
import warnings
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Final, Literal

from ..cells import BLANK, Ambiguous, Cell, Missing
from ..errors import OgiReportError, ReportErrors, RuleViolation
from ..findings import Findings
from ..model import Report, Section, Table
from ..templates import TEMPLATES
from .render import (
    _date,
    _item_layout,
    _Layout,
    _requests_layout,
    _review_layout,
    _sections,
    _tables,
    _title,
)

__all__ = ["FormError", "FormWarning", "Unsettled", "UnsettledCells", "to_docx", "write_form"]


def __dir__() -> list[str]:
    return __all__


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NEEDS_EXTRA = "writing the Word form needs the fill extra: pip install 'ogi-report[fill]'"

#: What to do with an ambiguous or missing cell: refuse the form, or print the cell empty.
Unsettled = Literal["refuse", "blank"]


class FormError(OgiReportError, ValueError):
    """The report cannot be printed in an official form (a report before 2019 has none)."""


class UnsettledCells(FormError):
    """The report has cells with no printed form (ambiguous or missing): settle them first.

    ``codes`` names them, in the format's order.
    """

    def __init__(self, codes: Sequence[str]) -> None:
        shown = ", ".join(codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")
        super().__init__(
            f"refused to write the form: {len(codes)} cell(s) ambiguous or missing ({shown});"
            " settle them, or pass unsettled='blank' to print them empty"
        )
        self.codes = tuple(codes)


class FormWarning(UserWarning):
    """A form was written although the report has error findings (``allow_errors=True``)."""


# --- the page -----------------------------------------------------------------------------------

#: A4, in EMU (914,400 a inch), and the margins (2.54 cm top and bottom, 2.5 cm at the sides).
_PAGE = (7_560_310, 10_692_130)
_MARGINS = (914_400, 900_000)
#: Twips (1,440 a inch) between the side margins: every table is this wide.
_TEXT_WIDTH = (_PAGE[0] - 2 * _MARGINS[1]) * 1440 // 914_400
#: Section 3's column widths as the blank 2021 form sets them (twips): three label columns,
#: then the seven applicant columns; other tables share their width evenly.
_REQUESTS_WEIGHTS: Final = (754, 921, 3271)
_APPLICANT_WEIGHT: Final = 685

#: Fonts and sizes (half-points) of the official documents' conventions (GB/T 9704): the
#: title in 小标宋 二号, section headings in 黑体 三号, sub-headings in 楷体, text in 仿宋 三号,
#: tables in 宋体 五号.
_LATIN = "Times New Roman"
_TITLE = ("方正小标宋简体", 44)
_HEADING = ("黑体", 32)
_SUBHEADING = ("楷体_GB2312", 32)
_BODY = ("仿宋_GB2312", 32)
_TABLE = ("宋体", 21)

#: Space above a section heading: 8 points, in EMU.
_SPACE_BEFORE = 101_600

#: The document's fixed properties: the same report gives the same bytes.
_WHEN = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise ImportError(_NEEDS_EXTRA) from None
    return docx


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(_qn(f"w:{name}"), value)
    return element


def _sub(parent: Any, name: str, **attributes: str) -> Any:
    """Append a new ``w:name`` element to ``parent``: the fast way, for the tables' cells."""
    child = parent.makeelement(f"{_W}{name}", {f"{_W}{k}": v for k, v in attributes.items()})
    parent.append(child)
    return child


def _set_fonts(rpr: Any, font: tuple[str, int]) -> None:
    """Give new run (or style) properties an East Asian font, a Latin one and a size.

    Through python-docx's own accessors, which keep the schema's order of the elements.
    """
    name, size = font
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(_qn(f"w:{attribute}"), _LATIN)
    fonts.set(_qn("w:eastAsia"), name)
    sz = rpr.get_or_add_sz()
    sz.set(_qn("w:val"), str(size))
    sz.addnext(_element("w:szCs", val=str(size)))


class _Writer:
    """One document being written: paragraphs and tables in the body's order."""

    def __init__(self) -> None:
        docx = _docx()
        self.document = docx.Document()
        self._page()
        normal = self.document.styles["Normal"]
        _set_fonts(normal.element.get_or_add_rPr(), _BODY)
        # The run properties of every table cell, made once and copied (a form has 400 cells).
        self._table_font = _element("w:rPr")
        _set_fonts(self._table_font, _TABLE)

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = _PAGE
        section.top_margin = section.bottom_margin = _MARGINS[0]
        section.left_margin = section.right_margin = _MARGINS[1]

    def paragraph(
        self,
        text: str,
        font: tuple[str, int],
        *,
        center: bool = False,
        indent: bool = False,
        outline: int | None = None,
        space_before: bool = False,
    ) -> None:
        """A paragraph of one run; ``indent``: the first line by two characters. A heading
        (``outline``: its level in Word's navigation pane) is kept with what follows it."""
        paragraph = self.document.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        if outline is not None:
            paragraph.paragraph_format.keep_with_next = True
            ppr.get_or_add_outlineLvl().set(_qn("w:val"), str(outline))
        if space_before:
            paragraph.paragraph_format.space_before = _SPACE_BEFORE
        if indent:
            ppr.get_or_add_ind().set(_qn("w:firstLineChars"), "200")
        if center:
            ppr.get_or_add_jc().set(_qn("w:val"), "center")
        run = paragraph.add_run(text)
        _set_fonts(run._r.get_or_add_rPr(), font)

    def table(self, layout: _Layout, weights: Sequence[int], *, repeat: bool = False) -> None:
        """A table of ``layout``'s rows, its merged cells as Word merges them: ``w:gridSpan``
        across, ``w:vMerge`` down (a cell in every row it covers, the first ``restart``).

        Header rows are kept together and with the row after them; with ``repeat`` the
        leading ones repeat on every page the table runs onto.
        """
        total = sum(weights)
        widths = [weight * _TEXT_WIDTH // total for weight in weights]
        table = self.document.add_table(rows=0, cols=len(widths))
        table.style = self.document.styles["Table Grid"]
        from docx.enum.table import WD_TABLE_ALIGNMENT

        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl = table._tbl
        tbl.tblPr.find(_qn("w:tblW")).attrib.update(
            {_qn("w:w"): str(sum(widths)), _qn("w:type"): "dxa"}
        )
        for column, width in zip(tbl.tblGrid.findall(_qn("w:gridCol")), widths):
            column.set(_qn("w:w"), str(width))
        below: dict[int, tuple[int, int]] = {}  # grid column -> (rows still covered, span)
        leading = True
        for row in layout:
            tr = _sub(tbl, "tr")
            header = all(cell.header for cell in row)
            leading = leading and header
            if header:
                trpr = _sub(tr, "trPr")
                _sub(trpr, "cantSplit")
                if repeat and leading:
                    _sub(trpr, "tblHeader")
            column = 0
            cells = iter(row)
            while column < len(widths):
                covered = below.get(column)
                if covered is not None:
                    rows_left, span = covered
                    self._cell(tr, "", widths[column : column + span], "continue", header)
                    if rows_left == 1:
                        del below[column]
                    else:
                        below[column] = (rows_left - 1, span)
                    column += span
                    continue
                cell = next(cells)
                span = cell.colspan
                merge = None
                if cell.rowspan > 1:
                    merge = "restart"
                    below[column] = (cell.rowspan - 1, span)
                self._cell(tr, cell.text, widths[column : column + span], merge, header)
                column += span

    def _cell(
        self, tr: Any, text: str, widths: Sequence[int], merge: str | None, header: bool
    ) -> None:
        """One Word cell (``w:tc``): its width, spans, centred text in the table font."""
        tc = _sub(tr, "tc")
        tcpr = _sub(tc, "tcPr")
        _sub(tcpr, "tcW", w=str(sum(widths)), type="dxa")
        if len(widths) > 1:
            _sub(tcpr, "gridSpan", val=str(len(widths)))
        if merge is not None:
            _sub(tcpr, "vMerge", val=merge)
        _sub(tcpr, "vAlign", val="center")
        p = _sub(tc, "p")
        ppr = _sub(p, "pPr")
        if header:
            _sub(ppr, "keepNext")
        _sub(ppr, "jc", val="center")
        if not text:
            return
        run = _sub(p, "r")
        run.append(copy.deepcopy(self._table_font))
        for index, line in enumerate(text.split("\n")):  # text a cell prints on lines
            if index:
                _sub(run, "br")
            t = _sub(run, "t")
            t.text = line
            if line != line.strip():
                t.set(_XML_SPACE, "preserve")

    def save(self, title: str) -> bytes:
        """The document's bytes, with fixed properties and ZIP dates."""
        properties = self.document.core_properties
        properties.title = title
        properties.author = properties.last_modified_by = "ogi-report"
        properties.comments = ""
        properties.created = properties.modified = _WHEN
        properties.revision = 1
        package = self.document.part.package
        for rid, relation in list(package.rels.items()):
            if relation.reltype.endswith("/thumbnail"):  # python-docx's own, of no report
                del package.rels[rid]
        buffer = io.BytesIO()
        self.document.save(buffer)
        return _fixed_dates(buffer.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The ZIP again with every entry dated 1980-01-01 (``zipfile`` dates them now)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info))
    return out.getvalue()


# --- the form -----------------------------------------------------------------------------------


def _body(writer: _Writer, section: Section) -> None:
    for part in section.parts:
        if part.heading is not None and part.heading.strip():
            writer.paragraph(part.heading.strip(), _SUBHEADING, indent=True, outline=1)
        for line in part.text.splitlines():
            if line.strip():
                writer.paragraph(line.strip(), _BODY, indent=True)


def _item_tables(writer: _Writer, tables: Sequence[Table]) -> None:
    """Section 2's item tables as one table, as the form prints them."""
    width = 1 + max(len(table.spec.columns) for table in tables)
    layout = [row for table in tables for row in _item_layout(table, width)]
    writer.table(layout, [1] * width)


def _unsettled(report: Report) -> list[str]:
    return [
        code for code, value in report.values().items() if isinstance(value, Ambiguous | Missing)
    ]


def _refusal(errors: Findings) -> ReportErrors:
    lines = "\n".join(f"  {finding}" for finding in errors)
    message = (
        f"refused to write the form: {_errors(len(errors))}"
        f" (pass allow_errors=True to write it all the same):\n{lines}"
    )
    return ReportErrors(message, [RuleViolation(finding) for finding in errors])


def _checked(report: Report, allow_errors: bool, unsettled: Unsettled) -> tuple[Report, Findings]:
    """The report to print (unsettled cells blank if asked) and its findings; raise if refused."""
    if report.template not in TEMPLATES:
        formats = ", ".join(template.version for template in TEMPLATES)
        raise FormError(
            f"the {report.template.version} reports have no official form to fill"
            f" (forms: {formats})"
        )
    if unsettled not in ("refuse", "blank"):
        raise ValueError(f"unsettled must be 'refuse' or 'blank', not {unsettled!r}")
    codes = _unsettled(report)
    if codes:
        if unsettled == "refuse":
            raise UnsettledCells(codes)
        blanks: dict[str, Cell] = dict.fromkeys(codes, BLANK)
        report = report.replace_cells(blanks)
    from ..rules import check  # the rules are imported by whoever writes a form

    findings = check(report)
    errors = findings.errors
    if errors:
        if not allow_errors:
            raise _refusal(errors)
        listed = "; ".join(f"{f.code} {f.instance or ''}".strip() for f in errors)
        warnings.warn(
            f"the form was written with {_errors(len(errors))}: {listed}",
            FormWarning,
            stacklevel=3,  # the caller of to_docx or write_form
        )
    return report, findings


def _errors(count: int) -> str:
    return f"{count} error finding{'' if count == 1 else 's'}"


def to_docx(
    report: Report, *, allow_errors: bool = False, unsettled: Unsettled = "refuse"
) -> bytes:
    """The official form of ``report``'s format, filled from it, as a .docx file's bytes.

    Raises:
        ReportErrors: the report has error findings and ``allow_errors`` is false.
        UnsettledCells: a cell is ambiguous or missing and ``unsettled`` is ``"refuse"``.
        FormError: the report's kind has no official form (reports before 2019).
        ImportError: python-docx is not installed (the ``fill`` extra).
    """
    _docx()  # before the check: a missing extra is said first
    report, _ = _checked(report, allow_errors, unsettled)
    return _form(report)


def _form(report: Report) -> bytes:
    writer = _Writer()
    title = _title(report)
    writer.paragraph(title, _TITLE, center=True, outline=0)
    if report.metadata.published_on is not None:
        writer.paragraph(_date(report.metadata.published_on), _BODY, center=True)
    for section in _sections(report):
        writer.paragraph(section.heading, _HEADING, indent=True, outline=0, space_before=True)
        _body(writer, section)
        tables = _tables(report, section.number)
        items = [table for table in tables if table.spec.key not in ("s3", "s4")]
        if items:
            _item_tables(writer, items)
        for table in tables:
            if table.spec.key == "s3":
                label_weights = _REQUESTS_WEIGHTS
                weights = (*label_weights, *[_APPLICANT_WEIGHT] * len(table.spec.columns))
                writer.table(_requests_layout(table), weights, repeat=True)
            elif table.spec.key == "s4":
                layout = _review_layout(table)
                writer.table(layout, [1] * len(layout[-1]), repeat=True)
    return writer.save(title)


def write_form(
    report: Report,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    allow_errors: bool = False,
    unsettled: Unsettled = "refuse",
) -> Findings:
    """Write the official form filled from ``report`` to a path or a binary stream.

    Returns the findings of the check run before writing (warnings, and errors when
    ``allow_errors`` let them through). Nothing is written when the form is refused; see
    :func:`to_docx` for what raises.
    """
    _docx()
    printed, findings = _checked(report, allow_errors, unsettled)
    data = _form(printed)
    if isinstance(target, str | os.PathLike):
        Path(target).write_bytes(data)
    else:
        target.write(data)
    return findings
