"""Tables stored flat: one tuple of cells per table, positions shared per format and printing.

The public views (``report[code]``, ``values()``, ``cells()``, ``Table.rows`` …) read the
flat tuple; the JSON form reads a whole report at once when it prints every table, and
falls back table by table (same report, same errors) when it does not.
"""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ogi_report
from ogi_report import BLANK, MISSING, Ambiguous, NotApplicable, Unreadable
from ogi_report.cells import Cell
from ogi_report.model import CellValues, Report, Row, Table
from ogi_report.strategies import random_report, reports
from ogi_report.writers.json import dumps, from_dict, loads, to_dict

VERSIONS = ("2019", "2021")


def _with_subtotal(version: str) -> Report:
    """The example with section 3's first optional subtotal row printed (sum of its parts)."""
    report = ogi_report.example_report(version)
    spec = report.template.table("s3")
    subtotal = next(row for row in spec.rows if row.optional)
    values = dict(report.values())
    for column in spec.column_keys:
        values[f"s3.{subtotal.key}.{column}"] = sum(
            values[f"s3.{part}.{column}"]  # type: ignore[misc]
            for part in subtotal.parts
        )
    return Report.from_cells(version, values, metadata=report.metadata, sections=report.sections)


# --- the flat tuple ------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_table_is_one_flat_tuple_row_by_row(version: str) -> None:
    """cells holds every printed cell in row, then column order; codes name them alike."""
    report = _with_subtotal(version)
    for table in report.tables:
        width = len(table.spec.columns)
        assert type(table.cells) is tuple
        assert len(table.cells) == width * len(table.row_keys)
        assert table.codes == tuple(
            code for key in table.row_keys for code in table.spec.row_codes(key)
        )
        assert [report[code] for code in table.codes] == list(table.cells)
        assert table.rows == tuple(
            Row(key, table.cells[i * width : (i + 1) * width])
            for i, key in enumerate(table.row_keys)
        )


def test_row_keys_name_the_printed_rows_only() -> None:
    """An optional subtotal row is in row_keys, rows and cells only where printed."""
    plain = ogi_report.example_report("2021").table("s3")
    printed = _with_subtotal("2021").table("s3")
    assert plain.row_keys == plain.spec.standard_row_keys
    assert len(printed.row_keys) == len(plain.row_keys) + 1
    assert len(printed.cells) == len(plain.cells) + len(plain.spec.columns)
    extra = (set(printed.row_keys) - set(plain.row_keys)).pop()
    assert plain.spec.row(extra).optional
    with pytest.raises(KeyError, match="not printed"):
        plain.row(extra)
    assert list(printed.row(extra)) == list(plain.spec.column_keys)


def test_positions_are_shared_by_every_report_of_a_format() -> None:
    """No index per report: two reports' tables share one code list (one layout)."""
    first = random_report(random.Random(1), "2021")
    second = ogi_report.example_report("2021")
    for a, b in zip(first.tables, second.tables):
        if a.row_keys == b.row_keys:
            assert a.codes is b.codes


def test_cell_types_are_known_from_construction() -> None:
    """cell_types says which kinds a table holds, so a check needs no walk to find them."""
    report = ogi_report.example_report("2021").replace_cells(
        {"s4.review.upheld": BLANK, "s4.review.other": Ambiguous((1, 2))}
    )
    assert report.table("s4").cell_types == frozenset({int, type(BLANK), Ambiguous})
    assert report.table("s3").cell_types == frozenset({int})


def test_tables_built_from_rows_and_from_json_are_equal_and_hash_alike() -> None:
    """Equality and hashing follow the printed rows and cells, however a table was made."""
    report = _with_subtotal("2019")
    for table in report.tables:
        rebuilt = Table(table.spec, table.rows)
        assert rebuilt == table
        assert hash(rebuilt) == hash(table)
    back = loads(dumps(report))
    assert back.tables == report.tables
    assert hash(back) == hash(report)
    changed = report.replace_cells({"s4.review.total": 999})
    assert changed.table("s4") != report.table("s4")
    assert changed.table("s3") == report.table("s3")


@pytest.mark.parametrize("version", VERSIONS)
def test_copied_tables_equal_their_originals(version: str) -> None:
    """A copied table shares its layout and cell types, and equals and hashes alike."""
    for table in _with_subtotal(version).tables:
        copied = copy.copy(table)
        assert copied == table
        assert hash(copied) == hash(table)
        assert copied.codes is table.codes
        assert copied.cell_types is table.cell_types
        assert dumps(Report(version, (copied,))) == dumps(Report(version, (table,)))


def test_a_copied_declaration_prints_the_same_table() -> None:
    """A table of an equal copy of a format's declaration equals the format's own."""
    table = ogi_report.example_report("2021").table("s4")
    copy = attrs.evolve(table.spec)
    assert copy == table.spec
    assert copy is not table.spec
    twin = Table(copy, table.rows)
    assert twin == table
    assert hash(twin) == hash(table)
    assert Report("2021", (twin,)).table("s4") == table


# --- the views ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_values_is_a_read_only_view_in_format_order(version: str) -> None:
    """values() reads the tables: order, length, lookups, get and equality with a dict."""
    report = _with_subtotal(version)
    values = report.values()
    assert isinstance(values, CellValues)
    expected = {code: value for table in report.tables for code, value in table.items()}
    assert list(values) == list(expected)
    assert list(values.items()) == list(expected.items())
    assert list(values.values()) == list(expected.values())
    assert len(values) == len(expected)
    assert values == expected
    assert dict(values) == expected
    assert values.copy() == expected
    assert type(values.copy()) is dict
    assert values | {"s3.new.total": BLANK} == {**expected, "s3.new.total": BLANK}
    assert {"s3.new.total": BLANK} | values == expected
    assert "s9.nothing.total" not in values
    assert values.get("s9.nothing.total", BLANK) is BLANK
    with pytest.raises(KeyError):
        values["s9.nothing.total"]
    with pytest.raises(TypeError):
        values["s3.new.total"] = 1  # type: ignore[index]


def test_lookups_of_codes_not_printed() -> None:
    """A code of an unprinted table or row is absent; a non-string key is simply absent."""
    cells: dict[str, Cell] = {
        f"s4.{row}.{column}": 0
        for row in ("review", "suit_direct", "suit_after_review")
        for column in ("upheld", "corrected", "other", "pending", "total")
    }
    report = Report.from_cells("2021", cells)
    assert "s3.new.total" not in report
    assert report.get("s3.new.total") is None
    assert 123 not in report
    assert None not in report.values()
    assert len(report.values()) == 15


def test_report_and_values_show_every_cell_kind() -> None:
    """Every kind of cell reads back through the flat storage unchanged."""
    kinds: dict[str, Cell] = {
        "s4.review.upheld": BLANK,
        "s4.review.corrected": NotApplicable("—"),
        "s4.review.other": Unreadable("见附件"),
        "s4.review.pending": MISSING,
        "s2.fees.amount": Decimal("356.42"),
        "s3.new.natural_person": Ambiguous((23, 2)),
    }
    report = ogi_report.example_report("2021").replace_cells(kinds)
    for code, value in kinds.items():
        assert report[code] == value
        assert report.values()[code] == value
        assert type(report[code]) is type(value)
    entries = {entry.code: entry.value for entry in report.cells()}
    assert entries == dict(report.values())


# --- the JSON form ------------------------------------------------------------------------


def _shuffled(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The JSON form with tables and rows in another order (JSON objects are unordered)."""
    tables = list(data["tables"].items())
    rng.shuffle(tables)
    shuffled = {}
    for key, rows in tables:
        items = list(rows.items())
        rng.shuffle(items)
        shuffled[key] = dict(items)
    return {**data, "tables": shuffled}


@pytest.mark.parametrize("version", VERSIONS)
def test_json_in_any_order_reads_the_same_report(version: str) -> None:
    """Rows and tables in another order read to the same report, subtotal rows included."""
    report = _with_subtotal(version)
    data = json.loads(dumps(report))
    for seed in range(5):
        assert from_dict(_shuffled(data, random.Random(seed))) == report


@pytest.mark.parametrize("version", VERSIONS)
def test_json_missing_a_table_reads_table_by_table(version: str) -> None:
    """A report that prints some tables only reads the same as one read whole."""
    report = ogi_report.example_report(version)
    for key in (spec.key for spec in report.template.tables):
        partial = attrs.evolve(report, tables=tuple(t for t in report.tables if t.key != key))
        back = loads(dumps(partial))
        assert back == partial
        assert [t.key for t in back.tables] == [t.key for t in partial.tables]


def test_errors_are_the_same_read_whole_or_table_by_table() -> None:
    """A bad row is named the same whether every table is printed or one is missing."""
    report = ogi_report.example_report("2021")
    whole = json.loads(dumps(report))
    whole["tables"]["s4"]["review"] = [1, True, 0, 0, 1]
    partial = json.loads(json.dumps(whole))
    del partial["tables"]["s3"]
    messages = []
    for data in (whole, partial):
        with pytest.raises(ogi_report.InputError) as excinfo:
            from_dict(data)
        messages.append(str(excinfo.value))
    assert messages[0] == messages[1]
    assert "$.tables.s4.review[1]" in messages[0]


def test_rows_that_are_not_lists_are_refused_even_of_the_right_length() -> None:
    """A row given as a string or an object of the right length is no row of cells."""
    report = ogi_report.example_report("2021")
    for wrong in ("12345", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, (1, 0, 0, 0, 1)):
        data = to_dict(report)
        data["tables"]["s4"]["review"] = wrong
        with pytest.raises(ogi_report.InputError, match=r"\$\.tables\.s4\.review: a row is a list"):
            from_dict(data)


@given(reports(), st.randoms(use_true_random=False), st.data())
def test_generated_reports_read_back_in_any_order(
    report: Report, rng: random.Random, data: st.DataObject
) -> None:
    """Any generated report, its rows shuffled and odd cells planted, reads back equal."""
    codes = sorted(report.values())
    odd: list[Cell] = [BLANK, MISSING, NotApplicable("/"), Unreadable("约3件"), -1]
    planted = data.draw(st.dictionaries(st.sampled_from(codes), st.sampled_from(odd), max_size=4))
    report = report.replace_cells(planted) if planted else report
    dropped = data.draw(st.sets(st.sampled_from([t.key for t in report.tables]), max_size=2))
    report = attrs.evolve(report, tables=tuple(t for t in report.tables if t.key not in dropped))
    back = from_dict(_shuffled(to_dict(report), rng))
    assert back == report
    assert dumps(back) == dumps(report)
    assert back.values() == report.values()
