"""The official Word form filled from a report: read back, it gives the same cells.

Laws: for every valid report of either format, ``read(to_docx(report))`` prints the same
cells under the same codes (a blank stays blank, a ``/`` not applicable, text the text), the
same agency and year; the form's merged cells are the blank official form's; the same report
gives the same bytes. A report with error findings is refused, or written with a warning.
"""

from __future__ import annotations

import io
import re
import sys
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_report import (
    BLANK,
    MISSING,
    Ambiguous,
    Cell,
    Metadata,
    NotApplicable,
    Report,
    ReportErrors,
    Unreadable,
    check,
    example_report,
    loads,
    read,
)
from ogi_report.cells import NOT_APPLICABLE_MARKS
from ogi_report.cli import main
from ogi_report.strategies import reports
from ogi_report.writers.form import (
    FormError,
    FormWarning,
    Unsettled,
    UnsettledCells,
    to_docx,
    write_form,
)

from .conftest import CORPUS

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))
BLANK_FORM = CORPUS / "docx" / "2021_template_blank_docx_1.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Slow enough (a form is written and read in some 0.2 s) to keep the examples few.
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text that a cell may print instead of a number (no digits grouped by commas: a reader
#: reads ``1,234`` as the number it is).
TEXTS = ("见附件", "不详", "约3件", "未统计", "若干")


def _cells(report: Report) -> dict[str, Cell]:
    return dict(report.values().items())


def _written(report: Report, unsettled: Unsettled = "refuse") -> bytes:
    """The form of a report that may break identities, its warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormWarning)
        return to_docx(report, allow_errors=True, unsettled=unsettled)


# --- the round trip -----------------------------------------------------------------------------


@FEW
@given(report=reports("2019"))
def test_round_trip_2019(report: Report) -> None:
    """A valid 2019-format report reads back from its form with the same cells, agency, year."""
    back = read(to_docx(report))
    assert _cells(back) == _cells(report)
    assert back.template is report.template
    assert back.metadata.agency == report.metadata.agency
    assert back.metadata.reporting_year == report.metadata.reporting_year


@FEW
@given(report=reports("2021"))
def test_round_trip_2021(report: Report) -> None:
    """A valid 2021-format report reads back from its form with the same cells, agency, year."""
    back = read(to_docx(report))
    assert _cells(back) == _cells(report)
    assert back.template is report.template
    assert back.metadata.agency == report.metadata.agency
    assert back.metadata.reporting_year == report.metadata.reporting_year


@st.composite
def _as_published(draw: st.DrawFn) -> Report:
    """A valid report with some cells printed otherwise: empty, a mark, text, a decimal."""
    report = draw(reports())
    codes = list(report.values())
    chosen = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=6, unique=True))
    changes: dict[str, Cell] = {}
    for code in chosen:
        kinds: list[st.SearchStrategy[Cell]] = [
            st.just(BLANK),
            st.sampled_from(sorted(NOT_APPLICABLE_MARKS)).map(NotApplicable),
        ]
        if not code.startswith("s4."):  # see test_section_4_text_is_not_read_back
            kinds += [
                st.sampled_from(TEXTS).map(Unreadable),
                st.integers(0, 10**6).map(lambda n: Decimal(n).scaleb(-2)),
            ]
        changes[code] = draw(st.one_of(kinds))
    return report.replace_cells(changes)


@FEW
@given(report=_as_published())
def test_round_trip_keeps_every_cell_kind(report: Report) -> None:
    """Blanks stay blank, marks stay not applicable, text stays text, decimals keep digits."""
    assert _cells(read(_written(report))) == _cells(report)


def test_section_4_text_is_read_back() -> None:
    """Text in a cell among section 4's data row reads back as that text."""
    report = example_report("2021").replace_cells({"s4.review.total": Unreadable("见附件")})
    assert read(_written(report))["s4.review.total"] == Unreadable("见附件")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_round_trip(path: Path) -> None:
    """The bundled examples read back with their cells, metadata and narrative."""
    report = read(path)
    back = read(_written(report))
    assert _cells(back) == _cells(report)
    for field in ("agency", "reporting_year", "published_on"):
        assert getattr(back.metadata, field) == getattr(report.metadata, field)
    assert back.sections == report.sections


def test_same_report_same_bytes() -> None:
    """The form is deterministic: fixed document dates and ZIP entry dates."""
    report = example_report("2021")
    data = to_docx(report)
    assert to_docx(report) == data
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert "示例县人民政府2021年政府信息公开工作年度报告" in core
    assert "docProps/thumbnail.jpeg" not in archive.namelist()


# --- the layout ---------------------------------------------------------------------------------

#: Per table, per row, per Word cell: (columns spanned, vertical merge, text if a label).
_Shape = list[list[list[tuple[int, str | None, str]]]]


def _shape(data: bytes) -> _Shape:
    from lxml import etree

    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    tables: _Shape = []
    for tbl in etree.fromstring(document).iter(f"{W}tbl"):
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            row = []
            for tc in tr.iter(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                text = re.sub(r"\s+", "", "".join(t.text or "" for t in tc.iter(f"{W}t")))
                row.append(
                    (
                        1 if span is None else int(span.get(f"{W}val")),
                        None if merge is None else merge.get(f"{W}val", "continue"),
                        "" if re.fullmatch(r"[\d.]*", text) else text,
                    )
                )
            rows.append(row)
        tables.append(rows)
    return tables


def test_merged_header_cells(template: str) -> None:
    """Section 3's and 4's header cells are merged as the form prints them (gridSpan, vMerge)."""
    report = example_report(template)
    section2, section3, section4 = _shape(_written(report))
    assert section2[0] == [(4, None, "第二十条第（一）项")]
    corner, applicants = section3[0]
    assert corner[:2] == (3, "restart")
    assert corner[2].startswith("（本列数据的勾稽关系为")
    assert applicants == (7, None, "申请人情况")
    assert section3[1] == [
        (3, "continue", ""),
        (1, "restart", "自然人"),
        (5, None, "法人或其他组织"),
        (1, "restart", "总计"),
    ]
    results = [row[0] for row in section3[5:-1]]  # 三、本年度办理结果 down to （七）总计
    assert results[0] == (1, "restart", "三、本年度办理结果")
    assert all(cell == (1, "continue", "") for cell in results[1:])
    assert section4[0] == [(5, None, "行政复议"), (10, None, "行政诉讼")]
    assert len(section4[-1]) == 15


@pytest.mark.skipif(not BLANK_FORM.is_file(), reason="../shared/corpus is absent")
def test_layout_is_the_blank_official_form() -> None:
    """Every table of the 2021 form has the blank official Word form's merges and labels."""
    ours = _shape(to_docx(example_report("2021")))
    assert ours == _shape(BLANK_FORM.read_bytes())


def test_title_headings_and_narrative(template: str) -> None:
    """The title, the six headings and the narrative are printed, in the order of the form."""
    import docx

    report = example_report(template)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(_written(report))).paragraphs]
    title = f"示例县人民政府{report.metadata.reporting_year}年政府信息公开工作年度报告"
    assert paragraphs[0] == title
    headings = [text for text in paragraphs if re.match("[一二三四五六]、", text)]
    assert headings == [section.heading for section in report.sections or ()]
    section5 = report.section(5)
    assert section5 is not None
    assert section5.parts[0].text in paragraphs


# --- refusals -----------------------------------------------------------------------------------


def test_identity_error_is_refused() -> None:
    """A report that breaks 一+二=三+四 is refused with every error finding listed."""
    report = example_report("2019")
    with pytest.raises(ReportErrors) as caught:
        to_docx(report)
    codes = sorted(violation.finding.code for violation in caught.value.exceptions)
    assert codes == ["S3.BALANCE", "S3.ROW_TOTAL"]
    assert "S3.BALANCE" in str(caught.value)
    assert "allow_errors=True" in str(caught.value)


def test_identity_error_is_written_when_allowed(tmp_path: Path) -> None:
    """allow_errors writes the form as published, with a warning naming the findings."""
    report = example_report("2019")
    target = tmp_path / "report.docx"
    with pytest.warns(FormWarning, match="S3.BALANCE total; S3.ROW_TOTAL new"):
        findings = write_form(report, target, allow_errors=True)
    assert findings.errors.flatten() == [("S3.BALANCE", "total"), ("S3.ROW_TOTAL", "new")]
    back = read(target)
    assert _cells(back) == _cells(report)
    assert check(back).errors.flatten() == findings.errors.flatten()


def test_write_form_to_a_stream() -> None:
    """write_form writes the same bytes to a binary stream and returns the findings."""
    report = example_report("2021")
    stream = io.BytesIO()
    findings = write_form(report, stream)
    assert stream.getvalue() == to_docx(report)
    assert not findings.errors


def test_ambiguous_cell_is_refused() -> None:
    """An ambiguous or missing cell has no printed form: refused unless printed blank."""
    report = example_report("2021").replace_cells(
        {"s3.new.research": Ambiguous((1, 7)), "s4.review.other": MISSING}
    )
    with pytest.raises(UnsettledCells, match=r"2 cell\(s\) .*s3.new.research, s4.review.other"):
        to_docx(report)
    back = read(_written(report, unsettled="blank"))
    assert back["s3.new.research"] is BLANK
    assert back["s4.review.other"] is BLANK


def test_report_before_2019_has_no_form() -> None:
    """A report before 2019 (no official form, no standard tables) is refused."""
    report = Report("pre-2019", (), Metadata(agency="示例县人民政府", reporting_year=2017))
    with pytest.raises(FormError, match="pre-2019 reports have no official form"):
        to_docx(report)


def test_missing_extra_says_which(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-docx the error names the fill extra."""
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ImportError, match=r"pip install 'ogi-report\[fill\]'"):
        to_docx(example_report("2021"))


# --- the command --------------------------------------------------------------------------------


def _example(tmp_path: Path, version: str) -> Path:
    from ogi_report import dumps

    path = tmp_path / f"example-{version}.json"
    path.write_bytes(dumps(example_report(version)))
    return path


def test_cli_fill_writes_the_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """fill exits 0 and writes a form that reads back as the report."""
    source, target = _example(tmp_path, "2021"), tmp_path / "report.docx"
    assert main(["fill", str(source), "-o", str(target)]) == 0
    assert _cells(read(target)) == _cells(loads(source.read_bytes()))
    assert capsys.readouterr().err == ""


def test_cli_fill_refuses_identity_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fill exits 1 on error findings, prints them, and writes nothing; --allow-errors writes."""
    source, target = _example(tmp_path, "2019"), tmp_path / "report.docx"
    assert main(["fill", str(source), "-o", str(target)]) == 1
    captured = capsys.readouterr()
    assert [line.split(": ")[1] for line in captured.out.splitlines()] == [
        "error S3.BALANCE",
        "error S3.ROW_TOTAL",
    ]
    assert captured.err.count("\n") == 1
    assert "--allow-errors" in captured.err
    assert not target.exists()
    assert main(["fill", str(source), "-o", str(target), "--allow-errors"]) == 0
    assert "S3.BALANCE" in capsys.readouterr().out
    assert target.is_file()


def test_cli_fill_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fill exits 2 with one line naming the file when the input cannot be read."""
    source = tmp_path / "broken.json"
    source.write_text('{"template": "2021", "tables": [', encoding="utf-8")
    assert main(["fill", str(source), "-o", str(tmp_path / "out.docx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(source) in err
    assert "Traceback" not in err
    assert main(["fill", str(tmp_path / "absent.json"), "-o", str(tmp_path / "out.docx")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_fill_unsettled_cells_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fill exits 2 with one line naming the cells when a cell is ambiguous."""
    from ogi_report import dumps

    report = example_report("2021").replace_cells({"s3.new.research": Ambiguous((1, 7))})
    source, target = tmp_path / "ambiguous.json", tmp_path / "report.docx"
    source.write_bytes(dumps(report))
    assert main(["fill", str(source), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "s3.new.research" in err
    assert not target.exists()


def test_cli_fill_without_extra_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """fill exits 2 with one line naming the fill extra when python-docx is missing."""
    monkeypatch.setitem(sys.modules, "docx", None)
    source, target = _example(tmp_path, "2021"), tmp_path / "report.docx"
    assert main(["fill", str(source), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "ogi-report[fill]" in err
    assert not target.exists()
