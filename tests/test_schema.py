"""The JSON Schema of the JSON form: valid 2020-12, accepts what dumps writes, rejects damage."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import ogi_report
from ogi_report.cells import BLANK, MISSING, Ambiguous, NotApplicable, Unreadable
from ogi_report.writers.json import json_schema, to_dict

VERSIONS = ("2019", "2021")


@pytest.fixture(scope="module")
def validator() -> Any:
    """A Draft 2020-12 validator of the schema."""
    return jsonschema.Draft202012Validator(json_schema())


def _document(version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ogi_report.dumps(ogi_report.example_report(version)))
    return data


def test_schema_is_a_valid_2020_12_schema() -> None:
    """json_schema() passes Draft202012Validator.check_schema and declares 2020-12."""
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_is_json_serialisable() -> None:
    """The schema can be written as JSON."""
    assert json.loads(json.dumps(json_schema(), ensure_ascii=False)) == json_schema()


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_validates_the_examples(version: str, validator: Any) -> None:
    """to_dict of each example is valid, both as Python values and after a JSON round trip."""
    report = ogi_report.example_report(version)
    assert list(validator.iter_errors(to_dict(report))) == []
    assert list(validator.iter_errors(_document(version))) == []


def test_schema_validates_every_cell_kind(validator: Any) -> None:
    """A report holding every cell kind is valid."""
    report = ogi_report.example_report("2019").replace_cells(
        {
            "s4.review.upheld": BLANK,
            "s4.review.corrected": NotApplicable("—"),
            "s4.review.other": Unreadable("见附件"),
            "s2.procurement.amount": Decimal("0.50"),
            "s3.new.natural_person": Ambiguous((23, 2)),
            "s3.new.commercial": MISSING,
        }
    )
    assert list(validator.iter_errors(json.loads(ogi_report.dumps(report)))) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("row", [[1, 2], [0, 0, 0, 0, 0, 0]], ids=["short", "long"])
def test_schema_rejects_wrong_row_width(version: str, row: list[int], validator: Any) -> None:
    """A row with the wrong number of cells is invalid."""
    data = _document(version)
    data["tables"]["s4"]["review"] = row
    assert not validator.is_valid(data)


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_rejects_unknown_table(version: str, validator: Any) -> None:
    """A table key the format does not have is invalid."""
    data = _document(version)
    data["tables"]["s9"] = {}
    assert not validator.is_valid(data)


def test_schema_rejects_table_of_the_other_format(validator: Any) -> None:
    """The 2019-only procurement table in a 2021 document is invalid."""
    data = _document("2021")
    data["tables"]["s2.article_20_9"] = {"procurement": [1, "2.5"]}
    assert not validator.is_valid(data)


def test_schema_rejects_unknown_row(validator: Any) -> None:
    """A row key the table does not have is invalid."""
    data = _document("2021")
    data["tables"]["s4"]["appeal"] = [0, 0, 0, 0, 0]
    assert not validator.is_valid(data)


def test_schema_rejects_missing_standard_row(validator: Any) -> None:
    """A table without one of its standard rows is invalid."""
    data = _document("2021")
    del data["tables"]["s4"]["suit_direct"]
    assert not validator.is_valid(data)


def test_schema_rejects_unknown_top_level_key(validator: Any) -> None:
    """An unknown top-level key is invalid."""
    data = _document("2021")
    data["extra"] = 1
    assert not validator.is_valid(data)


@pytest.mark.parametrize("cell", [1.5, True, {"value": 1}, {"ambiguous": [1]}], ids=repr)
def test_schema_rejects_non_cells(cell: object, validator: Any) -> None:
    """A float, a bool, an unknown object or a one-candidate ambiguous cell is invalid."""
    data = _document("2021")
    data["tables"]["s4"]["review"] = [cell, 0, 0, 0, 0]
    assert not validator.is_valid(data)


def test_schema_rejects_string_reporting_year(validator: Any) -> None:
    """A reporting_year written as a string is invalid."""
    data = _document("2021")
    data["metadata"]["reporting_year"] = "2021"
    assert not validator.is_valid(data)


def test_schema_rejects_unknown_template(validator: Any) -> None:
    """A template other than "2019"/"2021" is invalid."""
    data = _document("2021")
    data["template"] = "2020"
    assert not validator.is_valid(data)


def test_schema_allows_a_printed_subtotal_row(validator: Any) -> None:
    """An optional subtotal row (s3.other in 2021) is valid when printed."""
    data = _document("2021")
    data["tables"]["s3"]["other"] = [3, 1, 0, 0, 0, 0, 4]
    assert validator.is_valid(data)
