"""The frozen report model: construction refuses meaningless objects, lookups explain themselves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import ogi_report
from ogi_report.cells import BLANK, Cell, CellKind, NotApplicable, Unreadable
from ogi_report.model import (
    AdminLevel,
    BodyKind,
    Metadata,
    Part,
    Report,
    Row,
    Scope,
    Section,
    Table,
)
from ogi_report.templates import get_template

VERSIONS = ("2019", "2021")

S4_ZEROS: dict[str, Cell] = {
    f"s4.{row}.{column}": 0
    for row in ("review", "suit_direct", "suit_after_review")
    for column in ("upheld", "corrected", "other", "pending", "total")
}


def _s4_table(*rows: Row) -> Table:
    return Table(get_template("2021").table("s4"), rows)


def _zero_row(key: str, width: int = 5) -> Row:
    return Row(key, (0,) * width)


# --- Report.from_cells -------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_from_cells_builds_only_the_given_tables(version: str) -> None:
    """from_cells with only section 4 cells prints the s4 table alone."""
    report = Report.from_cells(version, S4_ZEROS)
    assert [table.key for table in report.tables] == ["s4"]
    assert len(report.values()) == 15
    assert [spec.key for spec in report.missing_tables()] == [
        spec.key for spec in get_template(version).tables if spec.key != "s4"
    ]


def test_from_cells_empty_gives_no_tables() -> None:
    """from_cells with no cells gives a report without tables."""
    report = Report.from_cells("2021", {})
    assert report.tables == ()
    assert len(report.missing_tables()) == 6


def test_from_cells_partial_row_names_the_missing_codes() -> None:
    """A row given in part raises naming the row and every absent code."""
    partial_row: dict[str, Cell] = {"s4.review.total": 1}
    cells = {code: value for code, value in S4_ZEROS.items() if not code.startswith("s4.review.")}
    with pytest.raises(ValueError, match=r"row s4\.review lacks") as excinfo:
        Report.from_cells("2021", {**cells, **partial_row})
    message = str(excinfo.value)
    for column in ("upheld", "corrected", "other", "pending"):
        assert f"s4.review.{column}" in message
    assert "s4.review.total" not in message


def test_from_cells_missing_standard_row_raises() -> None:
    """A table given without one of its standard rows raises naming the row."""
    cells = {c: v for c, v in S4_ZEROS.items() if not c.startswith("s4.suit_direct.")}
    with pytest.raises(ValueError, match="suit_direct"):
        Report.from_cells("2021", cells)


@pytest.mark.parametrize("version", VERSIONS)
def test_from_cells_unknown_code_raises_naming_it(version: str) -> None:
    """A code the format does not have raises KeyError naming the code and the format."""
    with pytest.raises(KeyError) as excinfo:
        Report.from_cells(version, {**S4_ZEROS, "s9.nothing.total": 1})
    assert "s9.nothing.total" in excinfo.value.args[0]
    assert version in excinfo.value.args[0]


def test_from_cells_code_of_the_other_format_raises() -> None:
    """A 2021-only code given for the 2019 format is unknown."""
    with pytest.raises(KeyError, match=r"s2\.fees\.amount"):
        Report.from_cells("2019", {"s2.fees.amount": Decimal("1.5")})


def test_from_cells_only_subtotal_rows_raises() -> None:
    """A table given only optional subtotal cells raises."""
    columns = get_template("2021").table("s3").column_keys
    cells: dict[str, Cell] = {f"s3.withheld.{c}": 0 for c in columns}
    with pytest.raises(ValueError, match="only subtotal rows"):
        Report.from_cells("2021", cells)


def test_from_cells_refuses_float_cells() -> None:
    """A float value is no cell: construction raises TypeError naming the column."""
    with pytest.raises(TypeError, match=r"column upheld.*float"):
        Report.from_cells("2021", {**S4_ZEROS, "s4.review.upheld": 1.0})  # type: ignore[dict-item]


def test_from_cells_with_printed_subtotal_row() -> None:
    """Giving an optional subtotal row prints it; its cells become reachable."""
    report = ogi_report.example_report("2021")
    values = dict(report.values())
    for column in get_template("2021").table("s3").column_keys:
        values[f"s3.other.{column}"] = 0
    printed = Report.from_cells("2021", values)
    assert printed["s3.other.total"] == 0
    assert "other" in [row.key for row in printed.table("s3").rows]


# --- Table -------------------------------------------------------------------------------------


def test_table_refuses_wrong_row_order() -> None:
    """Rows out of the format's order raise ValueError saying rows must be in order."""
    with pytest.raises(ValueError, match="format's order"):
        _s4_table(_zero_row("suit_direct"), _zero_row("review"), _zero_row("suit_after_review"))


def test_table_refuses_missing_row_in_the_middle() -> None:
    """A missing standard row in the middle is named."""
    with pytest.raises(ValueError, match="'suit_direct' is missing"):
        _s4_table(_zero_row("review"), _zero_row("suit_after_review"))


def test_table_refuses_missing_last_row() -> None:
    """A missing standard row at the end is named."""
    with pytest.raises(ValueError, match="'suit_after_review' is missing"):
        _s4_table(_zero_row("review"), _zero_row("suit_direct"))


def test_table_refuses_unknown_row() -> None:
    """A row key the table does not have is named with the table's rows."""
    with pytest.raises(ValueError, match="'appeal'"):
        _s4_table(
            _zero_row("review"),
            _zero_row("suit_direct"),
            _zero_row("suit_after_review"),
            _zero_row("appeal"),
        )


def test_table_refuses_repeated_row() -> None:
    """A row given twice is refused."""
    with pytest.raises(ValueError, match="'review'"):
        _s4_table(
            _zero_row("review"),
            _zero_row("review"),
            _zero_row("suit_direct"),
            _zero_row("suit_after_review"),
        )


@pytest.mark.parametrize("width", [4, 6, 0])
def test_table_refuses_wrong_width(width: int) -> None:
    """A row with the wrong number of cells names the row, the count and the columns."""
    with pytest.raises(ValueError, match="cells, expected") as excinfo:
        _s4_table(
            _zero_row("review", width), _zero_row("suit_direct"), _zero_row("suit_after_review")
        )
    message = str(excinfo.value)
    assert f"row review: {width} cells, expected 5" in message
    assert "upheld, corrected, other, pending, total" in message


@pytest.mark.parametrize("wrong", [0.5, True, "1", None], ids=repr)
def test_table_refuses_non_cell_values(wrong: object) -> None:
    """A float, bool, str or None in a row raises TypeError naming row, column and type."""
    values = (0, wrong, 0, 0, 0)
    with pytest.raises(TypeError) as excinfo:
        _s4_table(Row("review", values), _zero_row("suit_direct"), _zero_row("suit_after_review"))  # type: ignore[arg-type]
    message = str(excinfo.value)
    assert "row review, column corrected" in message
    assert type(wrong).__name__ in message


def test_table_refuses_non_row_objects() -> None:
    """Rows must be Row objects."""
    with pytest.raises((TypeError, AttributeError)):
        _s4_table(("review", (0,) * 5), _zero_row("suit_direct"), _zero_row("suit_after_review"))  # type: ignore[arg-type]


def test_rows_given_as_lists_are_stored_as_tuples() -> None:
    """Lists of rows and of values become tuples, so a table cannot be changed afterwards."""
    values: list[Cell] = [1, 0, 0, 0, 1]
    review = Row("review", values)  # type: ignore[arg-type]
    rows = [review, _zero_row("suit_direct"), _zero_row("suit_after_review")]
    table = Table(get_template("2021").table("s4"), rows)  # type: ignore[arg-type]
    assert type(table.rows) is tuple
    assert all(type(row.values) is tuple for row in table.rows)
    rows.clear()
    assert len(table.rows) == 3
    assert table["review", "upheld"] == 1
    hash(table)


def test_table_lookups() -> None:
    """Table.row, [row, column] and items() read the printed cells; unknown keys raise."""
    table = ogi_report.example_report("2021").table("s4")
    assert table.row("review") == {
        "upheld": 3,
        "corrected": 1,
        "other": 0,
        "pending": 1,
        "total": 5,
    }
    assert table["suit_direct", "total"] == 3
    assert next(table.items()) == ("s4.review.upheld", 3)
    with pytest.raises(KeyError, match="no column 'sum'"):
        table["review", "sum"]
    with pytest.raises(KeyError, match="no row 'appeal'"):
        table.row("appeal")


def test_table_row_of_unprinted_optional_row() -> None:
    """Asking a table for an optional row it does not print says it is not printed."""
    table = ogi_report.example_report("2021").table("s3")
    with pytest.raises(KeyError, match="not printed"):
        table.row("withheld")


# --- Metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [0, -2021])
def test_metadata_refuses_non_positive_year(year: int) -> None:
    """A reporting year of zero or below raises ValueError."""
    with pytest.raises(ValueError, match="positive year"):
        Metadata(reporting_year=year)


@pytest.mark.parametrize("year", [True, 2021.0, "2021"], ids=repr)
def test_metadata_refuses_non_int_year(year: object) -> None:
    """A bool, float or str reporting year raises TypeError (no coercion)."""
    with pytest.raises(TypeError, match="reporting_year must be an int"):
        Metadata(reporting_year=year)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("2022年1月20日", date(2022, 1, 20)), ("2022-03-28", date(2022, 3, 28))],
)
def test_metadata_parses_published_on_strings(printed: str, expected: date) -> None:
    """published_on given as printed text becomes a date."""
    assert Metadata(published_on=printed).published_on == expected


def test_metadata_keeps_published_on_dates() -> None:
    """published_on given as a date is kept."""
    assert Metadata(published_on=date(2022, 1, 20)).published_on == date(2022, 1, 20)


def test_metadata_refuses_bad_published_on() -> None:
    """published_on that is no date raises (ValueError for text, TypeError for other types)."""
    with pytest.raises(ValueError, match="is not a date"):
        Metadata(published_on="202020年12月31日")
    with pytest.raises(TypeError, match="published_on"):
        Metadata(published_on=20220120)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("body_kind", "peoples_government"),
        ("level", BodyKind.OTHER),
        ("level", "county"),
        ("scope", "own"),
        ("body_kind", AdminLevel.COUNTY),
    ],
    ids=repr,
)
def test_metadata_refuses_wrong_enum_types(field: str, wrong: object) -> None:
    """An enum field given a str or another enum raises TypeError naming the field."""
    with pytest.raises(TypeError, match=field):
        Metadata(**{field: wrong})  # type: ignore[arg-type]


def test_metadata_accepts_right_enums() -> None:
    """The enum fields take members of their own enums."""
    meta = Metadata(body_kind=BodyKind.OTHER, level=AdminLevel.TOWNSHIP, scope=Scope.REGION)
    assert meta.level is AdminLevel.TOWNSHIP
    assert not AdminLevel.TOWNSHIP.county_or_above
    assert AdminLevel.COUNTY.county_or_above


def test_metadata_refuses_non_str_agency() -> None:
    """agency must be a str."""
    with pytest.raises(TypeError, match="agency"):
        Metadata(agency=123)  # type: ignore[arg-type]


@pytest.mark.parametrize("number", [0, 11, True])
def test_section_number_must_be_1_to_10(number: int) -> None:
    """A section number outside 1-10 (or a bool) raises: six since 2019, a few more before."""
    with pytest.raises(ValueError, match="sections 1 to 10"):
        Section(number, "heading")


# --- Report ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_report_is_frozen(version: str) -> None:
    """Setting an attribute of a report raises FrozenInstanceError."""
    report = ogi_report.example_report(version)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.metadata = Metadata()  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.tables = ()  # type: ignore[misc]


def test_report_metadata_is_frozen() -> None:
    """Metadata cannot be changed in place either."""
    meta = ogi_report.example_report("2021").metadata
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        meta.reporting_year = 2022  # type: ignore[misc]


def test_report_refuses_non_metadata() -> None:
    """metadata must be a Metadata object."""
    with pytest.raises(TypeError, match="metadata must be Metadata"):
        Report("2021", (), {"agency": "x"})  # type: ignore[arg-type]


def test_report_refuses_tables_of_another_format() -> None:
    """A 2019 table in a 2021 report raises."""
    table = ogi_report.example_report("2019").table("s3")
    with pytest.raises(ValueError, match="not a table of the 2021 format"):
        Report("2021", (table,))


def test_report_refuses_repeated_tables() -> None:
    """A table given twice raises."""
    table = ogi_report.example_report("2021").table("s4")
    with pytest.raises(ValueError, match="repeated or out of the format's order"):
        Report("2021", (table, table))


@pytest.mark.parametrize(
    ("version", "optional"), [("2019", "s3.withheld.total"), ("2021", "s3.other.total")]
)
def test_getitem_of_unprinted_optional_cell(version: str, optional: str) -> None:
    """report[code] for an optional cell not printed raises KeyError saying "not printed"."""
    report = ogi_report.example_report(version)
    with pytest.raises(KeyError) as excinfo:
        report[optional]
    message = excinfo.value.args[0]
    assert "not printed" in message
    assert optional in message
    assert optional not in report
    assert report.get(optional) is None
    assert report.get(optional, BLANK) is BLANK


@pytest.mark.parametrize("version", VERSIONS)
def test_getitem_of_unknown_code(version: str) -> None:
    """report[code] for a code the format does not have says so."""
    with pytest.raises(KeyError, match="is not a cell of the"):
        ogi_report.example_report(version)["s9.nothing.total"]


def test_getitem_of_unprinted_table_cell() -> None:
    """report[code] for a cell of an unprinted table says it is not printed."""
    report = Report.from_cells("2021", S4_ZEROS)
    with pytest.raises(KeyError, match="not printed"):
        report["s3.new.total"]
    with pytest.raises(KeyError, match="not printed"):
        report.table("s3")


@pytest.mark.parametrize("version", VERSIONS)
def test_replace_cells_returns_a_new_report(version: str) -> None:
    """replace_cells gives a changed copy and leaves the original unchanged."""
    original = ogi_report.example_report(version)
    before = original["s3.new.total"]
    changes: dict[str, Cell] = {"s3.new.total": 5, "s4.review.other": NotApplicable("—")}
    fixed = original.replace_cells(changes)
    assert fixed is not original
    assert fixed["s3.new.total"] == 5
    assert fixed["s4.review.other"] == NotApplicable("—")
    assert original["s3.new.total"] == before
    assert original["s4.review.other"] == 0
    assert original == ogi_report.example_report(version)
    assert fixed != original
    assert fixed.metadata == original.metadata
    assert fixed.sections == original.sections


def test_replace_cells_unknown_code_raises() -> None:
    """replace_cells refuses a code that the format does not have."""
    with pytest.raises(KeyError, match=r"s9\.nothing\.total"):
        ogi_report.example_report("2021").replace_cells({"s9.nothing.total": 1})


@pytest.mark.parametrize("version", VERSIONS)
def test_cells_lists_every_printed_cell_with_spec_and_kind(version: str) -> None:
    """cells() yields one entry per printed cell in format order, with its spec and kind."""
    report = ogi_report.example_report(version).replace_cells(
        {"s4.review.other": Unreadable("见附件"), "s4.review.pending": BLANK}
    )
    entries = list(report.cells())
    template = get_template(version)
    assert [e.code for e in entries] == [spec.code for spec in template.cells()]
    for entry in entries:
        assert entry.spec is template.cell(entry.code)
        assert entry.value == report[entry.code]
    kinds = {e.code: e.kind for e in entries}
    assert kinds["s4.review.other"] is CellKind.UNREADABLE
    assert kinds["s4.review.pending"] is CellKind.BLANK
    assert kinds["s3.new.total"] is CellKind.NUMBER


@pytest.mark.parametrize("version", VERSIONS)
def test_examples_print_every_table(version: str) -> None:
    """The examples print every table of their format."""
    assert ogi_report.example_report(version).missing_tables() == ()


def test_section_lookup() -> None:
    """section(n) returns the numbered section, None if absent or the narrative is unknown."""
    report = ogi_report.example_report("2021")
    section = report.section(6)
    assert section is not None
    assert section.number == 6
    assert section.text == "本年度未收取信息处理费。"
    assert report.section(7) is None
    assert Report.from_cells("2021", S4_ZEROS).section(1) is None


def test_section_text_includes_headings() -> None:
    """Section.text joins parts with their sub-headings, one per line."""
    section = Section(1, "一、总体情况", (Part("（一）主动公开", "正文一"), Part(None, "正文二")))
    assert section.text == "（一）主动公开\n正文一\n正文二"


def test_sections_given_as_list_are_stored_as_tuple() -> None:
    """Sections given as a list are stored as a tuple."""
    sections = [Section(6, "六、其他需要报告的事项")]
    report = Report.from_cells("2021", S4_ZEROS, sections=sections)
    assert type(report.sections) is tuple
    sections.clear()
    assert report.sections is not None
    assert len(report.sections) == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_equal_reports_built_twice_are_equal_and_hash_alike(version: str) -> None:
    """Two reports built from the same data are equal, hashable and hash alike."""
    first = ogi_report.example_report(version)
    second = ogi_report.example_report(version)
    assert first is not second
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


def test_equality_ignores_the_lookup_cache() -> None:
    """A report whose cells were looked up equals one whose cells were not."""
    first = ogi_report.example_report("2021")
    second = ogi_report.example_report("2021")
    first["s3.new.total"]
    assert first == second
    assert hash(first) == hash(second)


def test_reports_differing_in_one_cell_are_unequal() -> None:
    """Changing one cell, or the metadata, makes the report unequal."""
    report = ogi_report.example_report("2021")
    assert report != report.replace_cells({"s4.review.pending": BLANK})
    assert report != attrs.evolve(report, metadata=Metadata())


def test_report_repr() -> None:
    """The repr names format, agency, year, tables and cell count."""
    report = Report.from_cells("2021", S4_ZEROS, metadata=Metadata(agency="示例县人民政府"))
    assert repr(report) == "<Report 2021 示例县人民政府 (year unknown): 1 of 6 tables, 15 cells>"
