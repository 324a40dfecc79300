"""Reports, tables and formats survive pickle and deepcopy (worker processes, Dask, caches):
equal values, the same findings, and what is one object stays one (the formats, a table's
layout, the BLANK and MISSING cells the rules test by identity)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import ogi_report
from ogi_report.cells import BLANK, MISSING, Provenance
from ogi_report.findings import Findings
from ogi_report.model import Report, Unplaced
from ogi_report.strategies import reports
from ogi_report.templates import TEMPLATE_2021, Template

from .conftest import CORPUS


def pickled(value: object) -> object:
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def findings(report: Report) -> list[tuple[object, ...]]:
    return [(f.code, f.instance, f.published, f.computed) for f in ogi_report.check(report)]


@given(reports())
def test_a_report_pickles_to_an_equal_report(report: Report) -> None:
    for copied in (pickled(report), copy.deepcopy(report)):
        assert isinstance(copied, Report)
        assert copied == report
        assert copied.template is report.template
        assert [t._layout for t in copied.tables] == [t._layout for t in report.tables]
        assert all(a._layout is b._layout for a, b in zip(copied.tables, report.tables))


def test_blank_and_missing_cells_stay_the_singletons_the_rules_test() -> None:
    """A report with a blank and a missing cell, pickled: the same cells, the same findings
    (``check`` tells a missing cell by identity)."""
    report = ogi_report.example_report("2021")
    codes = report.tables[-2].codes
    damaged = report.replace_cells({codes[0]: MISSING, codes[1]: BLANK})
    copied = pickled(damaged)
    assert isinstance(copied, Report)
    assert copied[codes[0]] is MISSING
    assert copied[codes[1]] is BLANK
    assert findings(copied) == findings(damaged)
    assert pickled(BLANK) is BLANK
    assert copy.deepcopy(MISSING) is MISSING
    assert copy.copy(BLANK) is BLANK


def test_provenance_and_unplaced_text_survive() -> None:
    report = ogi_report.example_report("2021")
    code = report.tables[0].codes[0]
    where = Provenance(source="示例.html", path="table[1]/tr[2]/td[2]")
    placed = attrs.evolve(
        report,
        provenance={code: where},
        unplaced=(Unplaced("注：本表数据截至12月31日", "a note under the table", where),),
    )
    copied = pickled(placed)
    assert isinstance(copied, Report)
    assert copied == placed
    assert dict(copied.provenance) == {code: where}
    with pytest.raises(TypeError):
        copied.provenance[code] = where  # type: ignore[index]


def test_a_format_is_its_own_copy_and_another_template_copies_by_value() -> None:
    assert pickled(TEMPLATE_2021) is TEMPLATE_2021
    assert copy.deepcopy(TEMPLATE_2021) is TEMPLATE_2021
    own = Template("test", 2030, None, "a test format", TEMPLATE_2021.tables[:1])
    copied = pickled(own)
    assert isinstance(copied, Template)
    assert copied is not own
    assert copied.version == "test"
    assert copied.tables == own.tables
    spec = own.tables[0]
    code = spec.row_codes(spec.rows[0].key)[0]
    assert copied.cell(code).code == code


def test_a_report_read_from_a_page_pickles_with_where_each_cell_was_read() -> None:
    page = CORPUS / "html" / "2023_pingtan_html_2.html"
    if not page.is_file():
        pytest.skip("../shared/corpus is not beside the repository")
    report = ogi_report.read(Path(page))
    copied = pickled(report)
    assert copied == report
    assert isinstance(copied, Report)
    assert copied.provenance == report.provenance
    assert findings(copied) == findings(report)


def test_findings_pickle_with_where_each_was_found() -> None:
    """A finding's place (``provenance``, left out of equality) survives too."""
    where = Provenance(source="示例.pdf", page=3, bbox=(72.0, 100.5, 96.0, 112.0))
    found = ogi_report.check(ogi_report.example_report("2019"))
    placed = Findings(
        tuple(attrs.evolve(f, location=str(where), provenance=where) for f in found),
        ("a note",),
    )
    copied = pickled(placed)
    assert isinstance(copied, Findings)
    assert copied == placed
    assert [f.provenance for f in copied] == [where] * len(found)
    assert copied.notes == ("a note",)
