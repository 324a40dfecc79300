"""The xlsx writer: four sheets, cells of each kind kept apart, the same bytes every time."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ogi_report import BLANK, Ambiguous, NotApplicable, Report, Unreadable, example_report
from ogi_report.scorecard import score
from ogi_report.writers.xlsx import SHEETS, write_xlsx

openpyxl = pytest.importorskip("openpyxl")


def planted() -> Report:
    """The 2021 example with a blank, a mark, text that looks like a formula, an ambiguity."""
    return example_report("2021").replace_cells(
        {
            "s3.new.commercial": BLANK,
            "s3.new.research": NotApplicable(),
            "s3.new.social_org": Unreadable("=HYPERLINK(1)"),
            "s3.new.legal_service": Ambiguous((2, 20)),
        }
    )


def written(tmp_path: Path) -> tuple[Path, Any]:
    """Both examples (one planted) written to a file and read back."""
    report = planted()
    path = tmp_path / "out.xlsx"
    write_xlsx(
        [(report, None, score(report)), (example_report("2019"), None, None)],
        path,
    )
    return path, openpyxl.load_workbook(path)


def row_of(sheet: Any, code: str, year: int = 2021) -> tuple[Any, ...]:
    """The cells-sheet row of ``code`` in the report for ``year``, as openpyxl cells."""
    for row in sheet.iter_rows(min_row=2):
        if row[3].value == code and row[1].value == year:
            return tuple(row)
    raise KeyError(code)


def test_sheets_and_headers(tmp_path: Path) -> None:
    """Four sheets, header rows as declared, frozen, filtered."""
    _, book = written(tmp_path)
    assert book.sheetnames == ["cells", "findings", "scores", "deductions"]
    for name in ("cells", "findings", "deductions"):
        assert tuple(c.value for c in book[name][1]) == SHEETS[name]
    header = [c.value for c in book["scores"][1]]
    assert tuple(header[:7]) == SHEETS["scores"]
    assert header[7] == "timeliness: 按时发布 (15)"
    assert header[-1] == "uncertain"
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert book["cells"].column_dimensions["E"].width > 10


def test_cells_keep_their_kind(tmp_path: Path) -> None:
    """A count is a number, an amount shows its decimals, a blank is empty, "/" is text."""
    _, book = written(tmp_path)
    cells = book["cells"]
    count = row_of(cells, "s3.new.total")[6]
    assert (count.value, count.data_type) == (99, "n")
    amount = row_of(cells, "s2.fees.amount")[6]
    assert (amount.value, amount.number_format) == (pytest.approx(356.42), "0.00")
    blank = row_of(cells, "s3.new.commercial")
    assert (blank[5].value, blank[6].value) == ("blank", None)
    mark = row_of(cells, "s3.new.research")[6]
    assert (mark.value, mark.data_type) == ("/", "s")
    text = row_of(cells, "s3.new.social_org")[6]
    assert (text.value, text.data_type) == ("=HYPERLINK(1)", "s")
    assert row_of(cells, "s3.new.legal_service")[6].value == "ambiguous: 2 | 20"
    assert row_of(cells, "s3.new.total", 2020)[6].value == 78


def test_findings_scores_and_deductions(tmp_path: Path) -> None:
    """Findings with their numbers; a score row per score, its evidence in deductions."""
    _, book = written(tmp_path)
    findings = list(book["findings"].iter_rows(min_row=2, values_only=True))
    balance = next(r for r in findings if r[1] == 2020 and r[3] == "S3.BALANCE")
    assert balance[9:12] == (80, 79, 1)
    scores = list(book["scores"].iter_rows(min_row=2, values_only=True))
    assert len(scores) == 1  # the 2020 report came without a score
    card = score(planted())
    assert scores[0][4:7] == (card.minimum, card.maximum, 100)
    assert scores[0][7] == 15
    assert scores[0][-1] == ", ".join(i.key for i in card.items if not i.certain)
    deductions = list(book["deductions"].iter_rows(min_row=2, values_only=True))
    assert [r[4] for r in deductions].count("penalty") == len(card.penalties)
    assert [r[4] for r in deductions].count("uncertain") == len(card.uncertain)


def test_output_is_deterministic(tmp_path: Path) -> None:
    """The same input writes the same bytes, with fixed workbook properties."""
    path, book = written(tmp_path)
    again = io.BytesIO()
    report = planted()
    write_xlsx([(report, None, score(report)), (example_report("2019"), None, None)], again)
    assert again.getvalue() == path.read_bytes()
    assert book.properties.created == book.properties.modified
    assert book.properties.created.year == 2000


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl the error says which extra to install."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match=r"ogi-report\[xlsx\]"):
        write_xlsx([(example_report("2021"), None, None)], io.BytesIO())


def test_amount_places_follow_the_print() -> None:
    """An amount printed with six places keeps six in the number format."""
    report = example_report("2021").replace_cells({"s2.fees.amount": Decimal("7539.443252")})
    out = io.BytesIO()
    write_xlsx([(report, None, None)], out)
    book = openpyxl.load_workbook(out)
    assert row_of(book["cells"], "s2.fees.amount")[6].number_format == "0.000000"
