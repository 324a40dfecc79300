"""The lossless JSON form: round trips keep every cell kind; loads errors say where."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import ogi_report
import ogi_report.writers.json as json_writer
from ogi_report.cells import BLANK, MISSING, Ambiguous, Cell, CellKind, NotApplicable, Unreadable
from ogi_report.errors import InputError
from ogi_report.model import Report
from ogi_report.writers.json import FORMAT, dumps, from_dict, loads, to_dict

VERSIONS = ("2019", "2021")

EVERY_KIND: dict[str, Cell] = {
    "s4.review.upheld": BLANK,
    "s4.review.corrected": NotApplicable("—"),
    "s4.review.other": Unreadable("见附件"),
    "s2.procurement.amount": Decimal("0.50"),
    "s3.new.natural_person": Ambiguous((23, 2)),
    "s3.new.research": Ambiguous((Decimal("1.50"), NotApplicable("/"), BLANK)),
    "s3.new.commercial": MISSING,
    "s2.fees.items_change": -7,
}


@pytest.fixture
def every_kind() -> Report:
    """The 2019 example with a cell of every kind (and a negative items_change)."""
    return ogi_report.example_report("2019").replace_cells(EVERY_KIND)


def _dict(report: Report) -> dict[str, Any]:
    """A fresh, JSON-decoded copy of the report's dict, safe to damage."""
    data: dict[str, Any] = json.loads(dumps(report))
    return data


def _load_error(data: object) -> str:
    with pytest.raises(InputError) as excinfo:
        loads(json.dumps(data, ensure_ascii=False))
    return str(excinfo.value)


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_examples_round_trip(version: str) -> None:
    """loads(dumps(report)) equals the report, metadata and narrative included."""
    report = ogi_report.example_report(version)
    back = loads(dumps(report))
    assert back == report
    assert back.metadata == report.metadata
    assert back.sections == report.sections
    assert back.template is report.template


@pytest.mark.parametrize("version", VERSIONS)
def test_examples_round_trip_indented_and_from_str(version: str) -> None:
    """Indented output and str input load to the same report."""
    report = ogi_report.example_report(version)
    assert loads(dumps(report, indent=True).decode()) == report


@pytest.mark.parametrize("version", VERSIONS)
def test_to_dict_from_dict_round_trip(version: str) -> None:
    """from_dict(to_dict(report)) equals the report."""
    report = ogi_report.example_report(version)
    assert from_dict(to_dict(report)) == report


def test_every_cell_kind_survives_the_round_trip(every_kind: Report) -> None:
    """Blank, marks, text, Decimal precision, ambiguous, missing and negatives all come back."""
    back = loads(dumps(every_kind))
    assert back == every_kind
    for code, value in EVERY_KIND.items():
        assert back[code] == value, code
        assert type(back[code]) is type(value), code
    amount = back["s2.procurement.amount"]
    assert isinstance(amount, Decimal)
    assert str(amount) == "0.50"
    research = back["s3.new.research"]
    assert isinstance(research, Ambiguous)
    assert [str(c) for c in research.candidates] == ["1.50", "NotApplicable(mark='/')", "BLANK"]
    assert back["s4.review.corrected"] == NotApplicable("—")
    assert back["s4.review.corrected"] != NotApplicable("/")
    kinds = {entry.code: entry.kind for entry in back.cells()}
    assert kinds["s4.review.upheld"] is CellKind.BLANK
    assert kinds["s3.new.commercial"] is CellKind.MISSING


def test_every_kind_json_forms(every_kind: Report) -> None:
    """Each kind has its documented JSON form."""
    tables = to_dict(every_kind)["tables"]
    assert tables["s4"]["review"][:3] == [None, "—", "见附件"]
    assert tables["s2.article_20_9"]["procurement"] == [46, "0.50"]
    assert tables["s2.article_20_8"]["fees"] == [12, -7]
    assert tables["s3"]["new"][:3] == [
        {"ambiguous": [23, 2]},
        {"missing": True},
        {"ambiguous": ["1.50", "/", None]},
    ]


def test_integer_and_decimal_stay_apart() -> None:
    """An int count stays int and a Decimal amount with no decimals stays Decimal."""
    report = ogi_report.example_report("2021").replace_cells({"s2.fees.amount": Decimal("356")})
    back = loads(dumps(report))
    assert type(back["s2.fees.amount"]) is Decimal
    assert type(back["s3.new.total"]) is int


def test_dumps_writes_format_and_template() -> None:
    """The document names its format and template."""
    data = json.loads(dumps(ogi_report.example_report("2021")))
    assert data["format"] == FORMAT
    assert data["template"] == "2021"
    assert data["metadata"]["published_on"] == "2022-03-28"
    assert data["metadata"]["body_kind"] == "peoples_government"


@pytest.mark.parametrize("indent", [False, True])
@pytest.mark.parametrize("version", VERSIONS)
def test_dumps_same_bytes_without_orjson(
    version: str, indent: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dumps gives identical bytes with orjson and with the stdlib json module."""
    if vars(json_writer)["orjson"] is None:
        pytest.skip("orjson is not installed")
    report = ogi_report.example_report(version)
    with_orjson = dumps(report, indent=indent)
    monkeypatch.setattr(json_writer, "orjson", None)
    without = dumps(report, indent=indent)
    assert without == with_orjson
    assert loads(without) == report


@pytest.mark.parametrize("indent", [False, True])
def test_every_kind_same_bytes_without_orjson(
    every_kind: Report, indent: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report with every cell kind also dumps to identical bytes without orjson."""
    if vars(json_writer)["orjson"] is None:
        pytest.skip("orjson is not installed")
    with_orjson = dumps(every_kind, indent=indent)
    monkeypatch.setattr(json_writer, "orjson", None)
    assert dumps(every_kind, indent=indent) == with_orjson


def test_dumps_is_utf8_without_escapes() -> None:
    """Chinese text is written as UTF-8, not as \\u escapes."""
    data = dumps(ogi_report.example_report("2021"))
    assert "示例县人民政府".encode() in data
    assert b"\\u" not in data


def test_loads_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """loads works with the stdlib json module and still refuses invalid JSON."""
    report = ogi_report.example_report("2019")
    data = dumps(report)
    monkeypatch.setattr(json_writer, "orjson", None)
    assert loads(data) == report
    with pytest.raises(InputError, match=r"not JSON: .* at line 1"):
        loads(b"{not json")


# --- loads errors ------------------------------------------------------------------------------


def test_float_cell_is_refused_suggesting_a_string() -> None:
    """A JSON float cell raises, naming its path and suggesting a decimal string."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s2.article_20_8"]["fees"] = [356.42]
    message = _load_error(data)
    assert "$.tables.s2.article_20_8.fees[0]" in message
    assert "float" in message
    assert '"356.42"' in message


@pytest.mark.parametrize("narrative", ["", "本年度" * 2000])
@pytest.mark.parametrize("flag", [True, False])
def test_bool_in_a_large_table_is_refused_in_short_and_long_text(
    flag: bool, narrative: str
) -> None:
    """A bool among section 3's counts is refused whether or not loads looked through the
    text for ``true`` and ``false`` (it does not past _BOOL_SCAN_MAX bytes)."""
    data = _dict(ogi_report.example_report("2021"))
    data["sections"][0]["parts"][0]["text"] += narrative
    data["tables"]["s3"]["new"][2] = flag
    text = json.dumps(data, ensure_ascii=False).encode()
    assert (len(text) > json_writer._BOOL_SCAN_MAX) == bool(narrative)
    with pytest.raises(InputError, match=r"\$\.tables\.s3\.new\[2\]"):
        loads(text)


def test_float_count_is_refused() -> None:
    """A float count (3.0) is refused, not truncated to 3."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["review"] = [3.0, 1, 0, 1, 5]
    assert "$.tables.s4.review[0]" in _load_error(data)


@pytest.mark.parametrize("flag", [True, False])
def test_bool_cell_is_refused(flag: bool) -> None:
    """A JSON true/false cell raises naming its path."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["review"] = [3, flag, 0, 1, 5]
    message = _load_error(data)
    assert "$.tables.s4.review[1]" in message
    assert "not a cell value" in message


def test_bad_cell_object_is_refused() -> None:
    """An object cell other than ambiguous/missing raises naming its path."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["review"] = [3, {"value": 1}, 0, 1, 5]
    assert "$.tables.s4.review[1]" in _load_error(data)


def test_ambiguous_with_one_candidate_is_refused() -> None:
    """An ambiguous cell with one candidate raises InputError."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["review"] = [3, {"ambiguous": [1]}, 0, 1, 5]
    assert "$.tables.s4" in _load_error(data)


@pytest.mark.parametrize("version", VERSIONS)
def test_wrong_row_width_is_refused(version: str) -> None:
    """A row with too few cells raises naming the table, row and expected columns."""
    data = _dict(ogi_report.example_report(version))
    data["tables"]["s4"]["review"] = [1, 2]
    message = _load_error(data)
    assert message.startswith("$.tables.s4")
    assert "row review: 2 cells, expected 5" in message


def test_row_not_a_list_is_refused() -> None:
    """A row that is not a list raises naming its path."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["review"] = {"upheld": 3}
    assert "$.tables.s4.review" in _load_error(data)


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_table_is_refused(version: str) -> None:
    """A table key the format does not have raises under $.tables, naming it."""
    data = _dict(ogi_report.example_report(version))
    data["tables"]["s9"] = {}
    message = _load_error(data)
    assert message.startswith("$.tables")
    assert "'s9'" in message


def test_table_of_the_other_format_is_refused() -> None:
    """The 2019-only procurement table in a 2021 document is an unknown table."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s2.article_20_9"] = {"procurement": [1, "2.5"]}
    assert "s2.article_20_9" in _load_error(data)


def test_unknown_row_is_refused() -> None:
    """A row key the table does not have raises naming the table and the row."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"]["s4"]["appeal"] = [0, 0, 0, 0, 0]
    message = _load_error(data)
    assert message.startswith("$.tables.s4")
    assert "'appeal'" in message


def test_unknown_top_level_key_is_refused() -> None:
    """An unknown top-level key raises naming it."""
    data = _dict(ogi_report.example_report("2021"))
    data["extra"] = 1
    message = _load_error(data)
    assert message.startswith("$")
    assert "extra" in message


def test_unknown_metadata_key_is_refused() -> None:
    """An unknown metadata key raises naming it."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"]["mayor"] = "x"
    assert "mayor" in _load_error(data)


@pytest.mark.parametrize("template", ["2020", "", None, ["2021"]], ids=repr)
def test_wrong_template_is_refused(template: object) -> None:
    """A template that is not "2019" or "2021" raises under $.template."""
    data = _dict(ogi_report.example_report("2021"))
    data["template"] = template
    assert _load_error(data).startswith("$.template")


def test_integer_template_is_refused() -> None:
    """A template written as the JSON integer 2021 is refused, not coerced to "2021"."""
    data = _dict(ogi_report.example_report("2021"))
    data["template"] = 2021
    assert _load_error(data).startswith("$.template")


def test_missing_template_is_refused() -> None:
    """A document without a template raises under $.template."""
    assert _load_error({"tables": {}}).startswith("$.template")


def test_wrong_format_is_refused() -> None:
    """A document of another format version raises under $.format."""
    data = _dict(ogi_report.example_report("2021"))
    data["format"] = "ogi-report/99"
    assert _load_error(data).startswith("$.format")


def test_tables_not_an_object_is_refused() -> None:
    """tables that is not an object raises under $.tables."""
    data = _dict(ogi_report.example_report("2021"))
    data["tables"] = []
    assert _load_error(data).startswith("$.tables")


@pytest.mark.parametrize("bad_date", ["2022年13月1日", "202020年12月31日", "soon", 20220328])
def test_bad_published_on_is_refused(bad_date: object) -> None:
    """An unparseable or non-string published_on raises InputError naming the field."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"]["published_on"] = bad_date
    assert "published_on" in _load_error(data)


@pytest.mark.parametrize("year", ["2021", 2021.0, True], ids=repr)
def test_wrong_type_of_reporting_year_is_refused(year: object) -> None:
    """A reporting_year that is a string, float or bool is rejected, not coerced."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"]["reporting_year"] = year
    assert "reporting_year" in _load_error(data)


def test_wrong_enum_value_is_refused() -> None:
    """An unknown body_kind raises InputError naming the field."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"]["body_kind"] = "army"
    assert "body_kind" in _load_error(data)


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("published_on", "2022年13月1日"),
        ("reporting_year", "2021"),
        ("body_kind", "army"),
        ("agency", 3),
    ],
    ids=repr,
)
def test_metadata_errors_name_the_full_path(field: str, wrong: object) -> None:
    """A bad metadata field is reported under its full path $.metadata.<field>."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"][field] = wrong
    assert f"$.metadata.{field}" in _load_error(data)


def test_negative_reporting_year_is_refused_naming_the_field() -> None:
    """A negative reporting_year raises InputError naming reporting_year."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"]["reporting_year"] = -2021
    assert "reporting_year" in _load_error(data)


@pytest.mark.parametrize("metadata", [[1], "x", [], 0, False], ids=repr)
def test_metadata_not_an_object_is_refused(metadata: object) -> None:
    """metadata that is not an object (or null) raises InputError naming $.metadata."""
    data = _dict(ogi_report.example_report("2021"))
    data["metadata"] = metadata
    assert "$.metadata" in _load_error(data)


@pytest.mark.parametrize(
    ("damage", "wrong"),
    [("number", 11), ("number", "6"), ("heading", None), ("extra", 1)],
    ids=repr,
)
def test_bad_section_is_refused(damage: str, wrong: object) -> None:
    """A bad section (number out of 1-6, wrong type, unknown key) raises under $.sections."""
    data = _dict(ogi_report.example_report("2021"))
    data["sections"][0][damage] = wrong
    assert "$.sections" in _load_error(data)


def test_bad_section_part_is_refused() -> None:
    """A part whose text is not a string raises under $.sections."""
    data = _dict(ogi_report.example_report("2021"))
    data["sections"][5]["parts"].append({"heading": None, "text": 3})
    assert "$.sections" in _load_error(data)


@pytest.mark.parametrize("sections", [{}, {"x": 1}, "abc", 5], ids=repr)
def test_sections_not_a_list_is_refused(sections: object) -> None:
    """sections that is not a list (or null) raises InputError naming $.sections."""
    data = _dict(ogi_report.example_report("2021"))
    data["sections"] = sections
    assert "$.sections" in _load_error(data)


def test_null_sections_mean_no_narrative() -> None:
    """sections null loads as None (narrative unknown), an empty list as ()."""
    data = _dict(ogi_report.example_report("2021"))
    data["sections"] = None
    assert loads(json.dumps(data)).sections is None
    data["sections"] = []
    assert loads(json.dumps(data)).sections == ()


@pytest.mark.parametrize("text", [b"{not json", b"", b'{"template": "2021",}'], ids=repr)
def test_invalid_json_is_refused(text: bytes) -> None:
    """Text that is not JSON raises InputError saying so."""
    with pytest.raises(InputError, match=r"not JSON: .* at line 1"):
        loads(text)


@pytest.mark.parametrize("document", ["[]", "[1, 2]", '"2021"', "null"])
def test_non_object_document_is_refused(document: str) -> None:
    """A JSON document that is not an object raises saying a report is an object."""
    with pytest.raises(InputError, match="object"):
        loads(document)


def test_load_errors_are_value_errors() -> None:
    """InputError is also a ValueError, so existing handlers keep working."""
    with pytest.raises(ValueError, match=r"\$"):
        loads('{"template": "2021", "tables": {"s9": {}}}')
