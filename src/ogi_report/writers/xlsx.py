"""Excel workbooks (.xlsx) for assessors: cells, findings, scores and deductions, a sheet each.

Needs the ``xlsx`` extra (openpyxl). Every sheet has its header row frozen, an autofilter and
column widths fitted to the content. Cells keep their kind: counts and amounts are numbers
(an amount shows every printed decimal place), an empty cell stays empty, ``/`` and
unreadable text are text, and an ambiguous cell lists its candidates. Text is never taken
for a formula. The workbook's properties (created, modified) and the zip's timestamps are
fixed, so the same input writes the same bytes.

>>> import io
>>> from ogi_report import example_report
>>> from ogi_report.scorecard import score
>>> report = example_report("2021")
>>> out = io.BytesIO()
>>> write_xlsx([(report, None, score(report))], out)
>>> out.getvalue()[:2]
b'PK'
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..cells import Ambiguous, Cell, NotApplicable, Unreadable, format_cell
from ..findings import Findings
from ..model import Report
from ..rules import check
from ..scorecard import Score

__all__ = ["SHEETS", "write_xlsx"]


def __dir__() -> list[str]:
    return __all__


#: The sheets and their header rows (the scores sheet adds a column per item before
#: ``uncertain``).
SHEETS: dict[str, tuple[str, ...]] = {
    "cells": ("agency", "year", "format", "code", "label_zh", "kind", "value"),
    "findings": (
        "agency",
        "year",
        "format",
        "code",
        "severity",
        "instance",
        "message_zh",
        "message_en",
        "cells",
        "published",
        "computed",
        "difference",
        "location",
    ),
    "scores": ("agency", "year", "format", "methodology", "minimum", "maximum", "total"),
    "deductions": (
        "agency",
        "year",
        "format",
        "item",
        "row",
        "deducted",
        "up_to",
        "code",
        "cells",
        "published",
        "computed",
        "message_zh",
        "message_en",
    ),
}

#: Excel's limits: rows per sheet, characters per cell.
_MAX_ROWS = 1_048_576
_MAX_TEXT = 32_767
#: The workbook's created and modified time and every zip entry's: fixed for equal bytes.
_FIXED = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


class _Openpyxl(NamedTuple):
    Workbook: Any
    WriteOnlyCell: Any
    Font: Any
    ExcelWriter: Any
    illegal: Any
    column_letter: Any


def _openpyxl() -> _Openpyxl:
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        raise ImportError(
            "writing xlsx needs the xlsx extra: pip install 'ogi-report[xlsx]'"
        ) from None
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped, unused-ignore]

    return _Openpyxl(
        Workbook, WriteOnlyCell, Font, ExcelWriter, ILLEGAL_CHARACTERS_RE, get_column_letter
    )


#: What :func:`write_xlsx` takes per report: the report, its findings and its score.
Assessed = tuple[Report, Findings | None, Score | None]


def write_xlsx(assessed: Iterable[Assessed], path: str | PathLike[str] | IO[bytes]) -> None:
    """Write ``(report, findings, score)`` triples as a workbook of four sheets.

    ``findings`` ``None``: the report is checked here; ``score`` ``None``: the report has
    no row in the scores and deductions sheets. Sheets (:data:`SHEETS`): ``cells`` (a row
    per report and cell), ``findings`` (a row per finding), ``scores`` (a row per score: the
    range, then a column per item, a number when certain and the range ``min-max`` when
    not, and the uncertain items), ``deductions`` (a row per penalty and per uncertain
    deduction, with its evidence).

    Raises ``ImportError`` without openpyxl, ``ValueError`` past Excel's 1,048,576 rows.
    """
    px = _openpyxl()
    cells: list[list[object]] = []
    findings_rows: list[list[object]] = []
    scores: list[tuple[list[object], Score]] = []
    for report, findings, card in assessed:
        who = _who(report)
        cells.extend(
            [*who, e.code, e.spec.label_zh, e.kind.value, _value(e.value)] for e in report.cells()
        )
        for f in findings if findings is not None else check(report):
            findings_rows.append(
                [
                    *who,
                    f.code,
                    f.severity.value,
                    f.instance,
                    f.message_zh,
                    f.message_en,
                    " ".join(f.cells),
                    f.published,
                    f.computed,
                    f.difference,
                    f.location or f.source,
                ]
            )
        if card is not None:
            scores.append((who, card))
    item_titles: dict[str, str] = {}
    for _, card in scores:
        for item in card.items:
            item_titles.setdefault(
                item.key, f"{item.key}: {item.title_zh} ({_number(item.points)})"
            )
    book = px.Workbook(write_only=True)
    book.properties.created = book.properties.modified = _FIXED
    book.properties.creator = "ogi-report"
    _sheet(px, book, "cells", SHEETS["cells"], cells)
    _sheet(px, book, "findings", SHEETS["findings"], findings_rows)
    _sheet(
        px,
        book,
        "scores",
        (*SHEETS["scores"], *item_titles.values(), "uncertain"),
        [_score_row(who, card, tuple(item_titles)) for who, card in scores],
    )
    _sheet(
        px,
        book,
        "deductions",
        SHEETS["deductions"],
        [row for who, card in scores for row in _deduction_rows(who, card)],
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        px.ExcelWriter(book, archive).save()
    data = _fixed_times(buffer.getvalue())
    if isinstance(path, (str, PathLike)):
        Path(path).write_bytes(data)
    else:
        path.write(data)


def _who(report: Report) -> list[object]:
    meta = report.metadata
    return [meta.agency, meta.reporting_year, report.template.version]


def _value(value: Cell) -> object:
    """A cell as the sheet shows it: numbers as numbers, blank and missing empty, text as text."""
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, (NotApplicable, Unreadable)):
        return format_cell(value)
    if isinstance(value, Ambiguous):
        return "ambiguous: " + " | ".join(str(format_cell(c)) for c in value.candidates)
    return None


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _score_row(who: list[object], card: Score, keys: Sequence[str]) -> list[object]:
    by_key = {item.key: item for item in card.items}
    per_item: list[object] = []
    for key in keys:
        item = by_key.get(key)
        if item is None:
            per_item.append(None)
        elif item.certain:
            per_item.append(item.maximum)
        else:
            per_item.append(f"{_number(item.minimum)}-{_number(item.maximum)}")
    methodology = f"{card.methodology.name} {card.methodology.version}"
    unsure = ", ".join(item.key for item in card.items if not item.certain)
    return [*who, methodology, card.minimum, card.maximum, card.total, *per_item, unsure or None]


def _deduction_rows(who: list[object], card: Score) -> Iterator[list[object]]:
    for item in card.items:
        for p in item.penalties:
            yield [
                *who,
                item.key,
                "penalty",
                p.points,
                None,
                p.code or p.trigger,
                " ".join(p.cells),
                p.published,
                p.computed,
                p.message_zh,
                p.message_en,
            ]
        for u in item.uncertain:
            yield [
                *who,
                item.key,
                "uncertain",
                None,
                u.up_to,
                u.trigger,
                " ".join(u.cells),
                None,
                None,
                u.reason_zh,
                u.reason_en,
            ]


def _width(value: object) -> int:
    """Display width: CJK characters take two columns."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet(
    px: _Openpyxl, book: Any, title: str, header: Sequence[str], rows: list[list[object]]
) -> None:
    if len(rows) + 1 > _MAX_ROWS:
        raise ValueError(
            f"the {title} sheet would have {len(rows) + 1} rows, past Excel's {_MAX_ROWS}:"
            " write fewer reports per workbook"
        )
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    last = px.column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for i, name in enumerate(header):  # widths from the first rows: bounded work
        widest = max((_width(row[i]) for row in rows[:2000]), default=0)
        sheet.column_dimensions[px.column_letter(i + 1)].width = min(max(widest, len(name)) + 2, 60)
    bold = px.Font(bold=True)
    head = []
    for name in header:
        cell = px.WriteOnlyCell(sheet, value=name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append([_cell(px, sheet, value) for value in row])


def _cell(px: _Openpyxl, sheet: Any, value: object) -> object:
    if isinstance(value, str):
        text = px.illegal.sub("\ufffd", value)
        if len(text) > _MAX_TEXT:
            text = text[: _MAX_TEXT - 1] + "…"
        if text.startswith("="):  # text, never a formula
            cell = px.WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text
    if isinstance(value, Decimal):
        places = value.as_tuple().exponent
        if isinstance(places, int) and places < 0:  # an amount: show every printed decimal
            cell = px.WriteOnlyCell(sheet, value=value)
            cell.number_format = "0." + "0" * -places
            return cell
    return value


def _fixed_times(data: bytes) -> bytes:
    """The zip with every entry's timestamp fixed (zipfile stamps entries with the time now)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info))
    return out.getvalue()
