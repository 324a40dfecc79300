"""The flat cells-JSON form of TRUTH-FORMAT.md: round trips, truth files, errors naming keys."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ogi_report
from ogi_report.cells import (
    BLANK,
    MISSING,
    NOT_APPLICABLE_MARKS,
    Ambiguous,
    Cell,
    NotApplicable,
    Unreadable,
)
from ogi_report.errors import InputError
from ogi_report.model import Report
from ogi_report.templates import get_template
from ogi_report.writers.cells import from_cells_json, to_cells_json

VERSIONS = ("2019", "2021")
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TRUTH_FILES = sorted(CORPUS.glob("*.truth.json")) if CORPUS.is_dir() else []

EVERY_KIND: dict[str, Cell] = {
    "s4.review.upheld": BLANK,
    "s4.review.corrected": NotApplicable("—"),
    "s4.review.other": Unreadable("见附件"),
    "s2.procurement.amount": Decimal("25.1000"),
    "s3.new.natural_person": Ambiguous((23, 2)),
    "s3.new.commercial": MISSING,
    "s2.fees.items_change": -7,
}


def _expected_cell(value: Any) -> Cell:
    """What TRUTH-FORMAT.md says a truth value means."""
    if value is None:
        return BLANK
    if type(value) is int:
        return value
    assert isinstance(value, str)
    if value in NOT_APPLICABLE_MARKS:
        return NotApplicable(value)
    try:
        number = Decimal(value)
    except ArithmeticError:
        return Unreadable(value)
    if number.is_finite() and value.strip() == value and "e" not in value.lower():
        return number
    return Unreadable(value)


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_examples_round_trip_values(version: str) -> None:
    """from_cells_json(to_cells_json(r)) has the same cells and metadata fields."""
    report = ogi_report.example_report(version)
    back = from_cells_json(to_cells_json(report))
    assert back.values() == report.values()
    assert back.template is report.template
    assert back.metadata.agency == report.metadata.agency
    assert back.metadata.reporting_year == report.metadata.reporting_year
    assert back.metadata.source == report.metadata.source
    assert back.sections is None


@pytest.mark.parametrize("version", VERSIONS)
def test_round_trip_through_json_text(version: str) -> None:
    """The cells-JSON form survives encoding to JSON text and back."""
    report = ogi_report.example_report(version)
    text = json.dumps(to_cells_json(report), ensure_ascii=False)
    assert from_cells_json(json.loads(text)).values() == report.values()


def test_every_kind_round_trips() -> None:
    """Blank, marks, text, Decimal precision, ambiguous, missing and negatives come back."""
    report = ogi_report.example_report("2019").replace_cells(EVERY_KIND)
    flat = json.loads(json.dumps(to_cells_json(report), ensure_ascii=False))
    cells = flat["cells"]
    assert cells["s4.review.upheld"] is None
    assert cells["s4.review.corrected"] == "—"
    assert cells["s4.review.other"] == "见附件"
    assert cells["s2.procurement.amount"] == "25.1000"
    assert cells["s3.new.natural_person"] == {"ambiguous": [23, 2]}
    assert cells["s3.new.commercial"] == {"missing": True}
    back = from_cells_json(flat)
    assert back.values() == report.values()
    for code, value in EVERY_KIND.items():
        assert type(back[code]) is type(value), code
    assert str(back["s2.procurement.amount"]) == "25.1000"


def test_to_cells_json_lists_every_printed_code() -> None:
    """to_cells_json writes every printed cell and the template as a string."""
    report = ogi_report.example_report("2021")
    flat = to_cells_json(report)
    assert flat["template"] == "2021"
    assert list(flat["cells"]) == [spec.code for spec in get_template("2021").cells()]
    assert "notes" not in flat


def test_notes_round_trip() -> None:
    """Metadata notes are written and read back."""
    flat = {"template": "2021", "cells": {}, "notes": "s4 printed twice"}
    report = from_cells_json(flat)
    assert report.metadata.notes == "s4 printed twice"
    assert to_cells_json(report)["notes"] == "s4 printed twice"


# --- truth files -------------------------------------------------------------------------------

TRUTH_SHAPED: dict[str, Any] = {
    "source": "2019_chengcheng_seed.txt",
    "agency": "澄城县人民政府",
    "reporting_year": 2019,
    "template": "2019",
    "cells": {
        **{
            f"s4.{row}.{column}": 0
            for row in ("review", "suit_direct", "suit_after_review")
            for column in ("upheld", "corrected", "other", "pending", "total")
        },
        "s4.review.total": "/",
        "s4.review.pending": None,
        "s4.review.other": "见附件",
        "s2.procurement.projects": 12,
        "s2.procurement.amount": "12189.6",
    },
    "uncertain": ["s4.review.other"],
    "notes": "free text",
}


def test_truth_shaped_input_loads_with_kinds() -> None:
    """An inline truth-shaped dict loads: int, decimal string, null, "/" and text as specified."""
    report = from_cells_json(TRUTH_SHAPED)
    assert report.template.version == "2019"
    assert report.metadata.agency == "澄城县人民政府"
    assert report.metadata.reporting_year == 2019
    assert report.metadata.source == "2019_chengcheng_seed.txt"
    assert report["s2.procurement.projects"] == 12
    assert report["s2.procurement.amount"] == Decimal("12189.6")
    assert report["s4.review.total"] == NotApplicable("/")
    assert report["s4.review.pending"] == BLANK
    assert report["s4.review.other"] == Unreadable("见附件")
    assert [t.key for t in report.tables] == ["s2.article_20_9", "s4"]


def test_source_argument_is_the_default_source() -> None:
    """Without a source key, the source argument becomes metadata.source."""
    report = from_cells_json({"template": "2021", "cells": {}}, source="x.truth.json")
    assert report.metadata.source == "x.truth.json"


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
def test_corpus_truth_file_loads(path: Path) -> None:
    """Each corpus truth file loads; every template code is present with the right kind."""
    data = json.loads(path.read_text(encoding="utf-8"))
    report = from_cells_json(data, source=path.name)
    template = get_template(data["template"])
    assert report.template is template
    assert report.metadata.reporting_year == data["reporting_year"]
    assert report.metadata.agency == data["agency"]
    printed_tables = {t.key for t in report.tables}
    for spec in template.cells():
        if spec.table.key in printed_tables:
            assert spec.code in data["cells"], spec.code
    for code, value in data["cells"].items():
        expected = _expected_cell(value)
        assert report[code] == expected, code
        assert type(report[code]) is type(expected), code


def test_corpus_truth_files_present_or_skip() -> None:
    """The corpus, when present, holds truth files (else the parametrized test ran none)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus {CORPUS} is not present")
    assert TRUTH_FILES


# --- errors ------------------------------------------------------------------------------------


def test_unknown_top_level_key_is_named() -> None:
    """An unknown top-level key raises InputError naming it."""
    with pytest.raises(InputError, match=r"unknown keys.*mayor"):
        from_cells_json({"template": "2021", "cells": {}, "mayor": "x"})


@pytest.mark.parametrize("cells", [[], "s3.new.total=1", None, 3], ids=repr)
def test_cells_not_an_object_is_named(cells: object) -> None:
    """cells that is not an object raises InputError naming "cells"."""
    with pytest.raises(InputError, match="cells"):
        from_cells_json({"template": "2021", "cells": cells})


def test_unknown_code_is_named() -> None:
    """An unknown cell code raises InputError naming the code."""
    with pytest.raises(InputError, match=r"s9\.nothing\.total"):
        from_cells_json({"template": "2021", "cells": {"s9.nothing.total": 1}})


def test_code_of_the_other_format_is_named() -> None:
    """A 2019-only code in a 2021 document raises naming the code."""
    with pytest.raises(InputError, match=r"s2\.procurement\.amount"):
        from_cells_json({"template": "2021", "cells": {"s2.procurement.amount": "1.5"}})


def test_float_value_is_named_by_code() -> None:
    """A JSON float value raises naming cells.<code>."""
    with pytest.raises(InputError, match=r"cells\.s2\.fees\.amount"):
        from_cells_json({"template": "2021", "cells": {"s2.fees.amount": 356.42}})


def test_bool_value_is_refused() -> None:
    """A JSON true value raises naming cells.<code>."""
    with pytest.raises(InputError, match=r"cells\.s2\.fees\.amount"):
        from_cells_json({"template": "2021", "cells": {"s2.fees.amount": True}})


def test_partial_row_is_named() -> None:
    """A row given in part raises naming the absent codes."""
    with pytest.raises(InputError, match=r"s4\.review\.upheld"):
        from_cells_json({"template": "2021", "cells": {"s4.review.total": 1}})


@pytest.mark.parametrize("template", ["2020", None], ids=repr)
def test_wrong_template_is_named(template: object) -> None:
    """A missing or unknown template raises InputError naming "template"."""
    data: dict[str, Any] = {"cells": {}}
    if template is not None:
        data["template"] = template
    with pytest.raises(InputError, match="template"):
        from_cells_json(data)


def test_string_reporting_year_is_refused() -> None:
    """A reporting_year given as a string is refused, not coerced."""
    with pytest.raises(InputError, match="reporting_year"):
        from_cells_json({"template": "2021", "cells": {}, "reporting_year": "2021"})


def test_not_an_object_is_refused() -> None:
    """A JSON array is not the cells-JSON form."""
    with pytest.raises(InputError, match="object"):
        from_cells_json([])  # type: ignore[arg-type]


def test_errors_carry_the_source() -> None:
    """InputError names the source given."""
    with pytest.raises(InputError) as excinfo:
        from_cells_json({"template": "2021", "cells": {"s9.x.y": 1}}, source="bad.json")
    assert excinfo.value.source == "bad.json"
    assert str(excinfo.value).startswith("bad.json: ")


def test_report_built_is_a_report() -> None:
    """from_cells_json returns a Report whose cells() lists the given codes."""
    report = from_cells_json(TRUTH_SHAPED)
    assert isinstance(report, Report)
    assert {e.code for e in report.cells()} == set(TRUTH_SHAPED["cells"])
