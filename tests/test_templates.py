"""The two formats as data, compared cell by cell with the spec's CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ogi_report.templates import (
    TEMPLATE_2019,
    TEMPLATE_2021,
    CellSpec,
    Template,
    get_template,
    template_for_year,
)

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"
VERSIONS = ("2019", "2021")


def _spec_rows(name: str) -> list[dict[str, str]]:
    path = SPEC / name
    if not path.is_file():
        pytest.skip(f"spec file {path} is not present")
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _declared(spec: CellSpec) -> dict[str, str]:
    return {
        "code": spec.code,
        "section": str(spec.section),
        "row_key": spec.row.key,
        "row_label_zh": spec.row.label_zh,
        "col_key": spec.column.key,
        "col_label_zh": spec.column.label_zh,
        "unit": spec.column.unit,
    }


# --- against the spec --------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_standard_cells_match_the_spec_csv_in_order(version: str) -> None:
    """Every standard cell (code, section, keys, zh labels, unit) and the order match the CSV."""
    rows = _spec_rows(f"cells-{version}.csv")
    fields = ("code", "section", "row_key", "row_label_zh", "col_key", "col_label_zh", "unit")
    expected = [{field: row[field] for field in fields} for row in rows]
    declared = [_declared(spec) for spec in get_template(version).cells()]
    assert [d["code"] for d in declared] == [e["code"] for e in expected]
    for got, want in zip(declared, expected):
        assert got == want


@pytest.mark.parametrize("version", VERSIONS)
def test_section_2_item_matches_the_table_caption(version: str) -> None:
    """The CSV's item column (第二十条第（x）项) is the caption of the cell's section 2 table."""
    rows = _spec_rows(f"cells-{version}.csv")
    template = get_template(version)
    for row in rows:
        spec = template.cell(row["code"])
        assert row["item"] == (spec.table.caption_zh if spec.section == 2 else ""), row["code"]


@pytest.mark.parametrize("version", VERSIONS)
def test_optional_cells_match_the_spec_csv(version: str) -> None:
    """Optional subtotal cells (code, labels, unit, parts, templates) match cells-optional.csv."""
    rows = [r for r in _spec_rows("cells-optional.csv") if version in r["templates"].split()]
    fields = ("code", "section", "row_key", "row_label_zh", "col_key", "col_label_zh", "unit")
    expected = [{**{f: r[f] for f in fields}, "parts": r["parts"]} for r in rows]
    template = get_template(version)
    declared = [
        {**_declared(spec), "parts": " ".join(spec.row.parts)}
        for spec in template.cells(optional=True)
        if spec.optional
    ]
    assert declared == expected
    assert rows, "the spec declares optional cells for every format"


def test_optional_cells_of_other_formats_are_not_declared() -> None:
    """A code that cells-optional.csv gives only for 2021 is not a cell of the 2019 format."""
    rows = _spec_rows("cells-optional.csv")
    for row in rows:
        for version in VERSIONS:
            template = get_template(version)
            if version in row["templates"].split():
                assert template.cell(row["code"]).optional, (version, row["code"])
            else:
                assert row["code"] not in template or not template.cell(row["code"]).optional


@pytest.mark.parametrize("version", VERSIONS)
def test_optional_parts_are_rows_of_the_same_table(version: str) -> None:
    """Every part of an optional subtotal row is a standard row of section 3."""
    table = get_template(version).table("s3")
    for row in table.rows:
        if row.optional:
            assert row.parts
            for part in row.parts:
                assert part in table.standard_row_keys
        else:
            assert row.parts == ()


# --- counts and lookups ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "standard", "with_optional"), [("2019", 198, 219), ("2021", 200, 228)]
)
def test_cell_counts(version: str, standard: int, with_optional: int) -> None:
    """The 2019 format has 198 standard cells, the 2021 format 200; plus 21 and 28 optional."""
    template = get_template(version)
    assert sum(1 for _ in template.cells()) == standard
    assert sum(1 for _ in template.cells(optional=True)) == with_optional


@pytest.mark.parametrize("version", VERSIONS)
def test_codes_are_unique_and_follow_section_row_column(version: str) -> None:
    """Each code is s<section>.<row>.<column> and appears once."""
    specs = list(get_template(version).cells(optional=True))
    codes = [spec.code for spec in specs]
    assert len(set(codes)) == len(codes)
    for spec in specs:
        assert spec.code == f"s{spec.section}.{spec.row.key}.{spec.column.key}"


def test_get_template_by_name_and_as_is() -> None:
    """get_template returns the singleton for "2019"/"2021" and a Template unchanged."""
    assert get_template("2019") is TEMPLATE_2019
    assert get_template("2021") is TEMPLATE_2021
    assert get_template(TEMPLATE_2021) is TEMPLATE_2021


@pytest.mark.parametrize("unknown", ["2020", "2018", "", "v2021"])
def test_get_template_unknown_format_names_the_formats(unknown: str) -> None:
    """An unknown format raises KeyError naming the input and the known formats."""
    with pytest.raises(KeyError) as excinfo:
        get_template(unknown)
    message = excinfo.value.args[0]
    assert repr(unknown) in message
    assert "pre-2019, 2019, 2021" in message


@pytest.mark.parametrize(
    ("year", "version"),
    [(2008, "pre-2019"), (2018, "pre-2019"), (2019, "2019"), (2020, "2019"), (2021, "2021")],
)
def test_template_for_year(year: int, version: str) -> None:
    """Years 2008-2018 are before the formats; 2019-2020 the 2019 format; 2021 on 2021."""
    assert template_for_year(year).version == version


def test_template_for_year_before_2008_raises() -> None:
    """No report covers years before 2008, when the first Regulations took effect."""
    with pytest.raises(ValueError, match="2007"):
        template_for_year(2007)


@pytest.mark.parametrize(
    ("template", "year", "expected"),
    [
        (TEMPLATE_2019, 2018, False),
        (TEMPLATE_2019, 2019, True),
        (TEMPLATE_2019, 2020, True),
        (TEMPLATE_2019, 2021, False),
        (TEMPLATE_2021, 2020, False),
        (TEMPLATE_2021, 2021, True),
        (TEMPLATE_2021, 2099, True),
    ],
)
def test_applies_to(template: Template, year: int, expected: bool) -> None:
    """applies_to is true exactly within the format's years."""
    assert template.applies_to(year) is expected


@pytest.mark.parametrize("version", VERSIONS)
def test_cell_unknown_code_message(version: str) -> None:
    """Template.cell raises KeyError naming the code and the format."""
    with pytest.raises(KeyError) as excinfo:
        get_template(version).cell("s9.nothing.total")
    assert excinfo.value.args[0] == f"'s9.nothing.total' is not a cell of the {version} format"


def test_cell_of_the_other_format_is_unknown() -> None:
    """A 2021-only code is not a cell of the 2019 format, and the reverse."""
    assert "s2.rules.issued" in TEMPLATE_2021
    assert "s2.rules.issued" not in TEMPLATE_2019
    assert "s2.procurement.amount" in TEMPLATE_2019
    assert "s2.procurement.amount" not in TEMPLATE_2021
    with pytest.raises(KeyError, match="2019 format"):
        TEMPLATE_2019.cell("s2.rules.issued")


@pytest.mark.parametrize("version", VERSIONS)
def test_table_unknown_key_lists_tables(version: str) -> None:
    """Template.table raises KeyError naming the tables of the format."""
    with pytest.raises(KeyError) as excinfo:
        get_template(version).table("s5")
    assert "'s5'" in excinfo.value.args[0]
    assert "s3" in excinfo.value.args[0]


def test_row_codes_unknown_row_lists_rows() -> None:
    """TableSpec.row_codes raises KeyError naming the rows of the table."""
    with pytest.raises(KeyError) as excinfo:
        TEMPLATE_2021.table("s4").row_codes("appeal")
    assert "review, suit_direct, suit_after_review" in excinfo.value.args[0]


def test_cell_spec_labels() -> None:
    """label_zh joins row and column label paths; money columns are 万元."""
    spec = TEMPLATE_2021.cell("s3.new.total")
    assert spec.label_zh == "一、本年新收政府信息公开申请数量 / 总计"
    assert not spec.column.is_money
    assert TEMPLATE_2021.cell("s2.fees.amount").column.is_money
    assert TEMPLATE_2019.cell("s2.procurement.amount").column.is_money
    assert TEMPLATE_2019.cell("s2.fees.items_change").column.unit == "项"
