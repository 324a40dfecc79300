"""Hostile JSON: deep nesting, numbers past any count, lone surrogates; and checks of reports
that hold extreme values. A Report or one InputError, never another exception."""

from __future__ import annotations

import json
import re

import attrs
import pytest

import ogi_report
from ogi_report import InputError, Report, check, dumps, loads, to_cells_json
from ogi_report.cells import MAX_DIGITS, Unreadable
from ogi_report.model import AdminLevel, BodyKind
from ogi_report.writers import json as json_writer

from .bounds import read_bounded


@pytest.fixture(params=["orjson", "stdlib"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs with orjson (when installed) and with the standard json module."""
    if request.param == "stdlib":
        monkeypatch.setattr(json_writer, "orjson", None)
    elif getattr(json_writer, "orjson", None) is None:  # pragma: no cover - a test extra
        pytest.skip("orjson is not installed")
    return str(request.param)


def _cells_json(value: str) -> str:
    """The 2021 example in cells JSON, with ``value`` written as s3.new.total's JSON."""
    cells = to_cells_json(ogi_report.example_report("2021"))
    cells["cells"]["s3.new.total"] = "@"
    return json.dumps(cells, ensure_ascii=False).replace('"@"', value)


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _nested_ambiguous(depth: int) -> str:
    return _cells_json('{"ambiguous": [' * depth + "1, 2" + "]}" * depth)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (_nested(100_000), "nested|depth"),
        ("[" * 100_000 + "]" * 100_000, "nested|depth"),
        (_nested_ambiguous(900), "nested|depth|not a cell value"),
        (_cells_json("9" * 5_000), "digits|infinity"),
        (_cells_json("9" * (MAX_DIGITS + 1)), "digits"),
        (_cells_json("-" + "9" * 40), "digits"),
        ('{"template": "2021", "tables": {}, "metadata": {"agency": "\\ud800"}}', "surrogate"),
        ('{"template": "2021", "tables": {}, "metadata": {"agency": "\\udfff x"}}', "surrogate"),
        ('{"template": "2021", "cells": {"\\ud800": 1}}', "surrogate"),
    ],
    ids=["deep-object", "deep-array", "deep-ambiguous", "5000-digits", "19-digits", "negative",
         "high-surrogate", "low-surrogate", "surrogate-key"],
)  # fmt: skip
def test_hostile_json_is_one_input_error(engine: str, text: str, says: str) -> None:
    outcome = read_bounded(text, seconds=10)
    assert isinstance(outcome, InputError)
    assert re.search(says, str(outcome))


def test_a_surrogate_pair_is_text(engine: str) -> None:
    """An escaped pair (😀) is one character, not a lone surrogate."""
    text = '{"template": "2021", "tables": {}, "metadata": {"agency": "\\ud83d\\ude00局"}}'
    report = read_bounded(text)
    assert isinstance(report, Report)
    assert report.metadata.agency == "😀局"
    assert loads(dumps(report)) == report


def test_a_backslash_before_u_is_not_an_escape(engine: str) -> None:
    """``\\\\ud800`` is a backslash and the letters ud800: text, read as printed."""
    text = '{"template": "2021", "tables": {}, "metadata": {"agency": "a\\\\ud800"}}'
    report = read_bounded(text)
    assert isinstance(report, Report)
    assert report.metadata.agency == "a\\ud800"


def test_numbers_up_to_the_bound_are_read(engine: str) -> None:
    biggest = int("9" * MAX_DIGITS)
    report = read_bounded(_cells_json(str(biggest)))
    assert isinstance(report, Report)
    assert report["s3.new.total"] == biggest
    check(report)  # sums of the largest numbers still print in messages


def test_loads_refuses_what_read_refuses(engine: str) -> None:
    for text in (_nested(100_000), _cells_json("9" * 5_000)):
        with pytest.raises(InputError):
            loads(text)
    with pytest.raises(InputError, match="surrogate"):
        loads('{"template": "2021", "tables": {}, "metadata": {"agency": "\\ud800"}}')


def test_a_long_digit_string_is_unreadable_text_in_cells_json() -> None:
    """A string of more than MAX_DIGITS digits is text, and stays text through JSON."""
    report = ogi_report.read(_cells_json(json.dumps("1" * 30)))
    assert report["s3.new.total"] == Unreadable("1" * 30)
    assert loads(dumps(report)) == report


def test_check_of_a_year_9999_department_report_does_not_raise() -> None:
    """REPORT.LATE has no deadline after the last calendar year: not assessed, no exception."""
    report = ogi_report.example_report("2021")
    meta = report.metadata
    for year in (9998, 9999):
        far = attrs.evolve(
            report,
            metadata=attrs.evolve(
                meta,
                reporting_year=year,
                body_kind=BodyKind.GOVERNMENT_DEPARTMENT,
                level=AdminLevel.COUNTY,
            ),
        )
        codes = {finding.code for finding in check(far)}
        assert "REPORT.LATE" not in codes


# --- the whole-report fast path: what it takes on trust, refused as before ---------------


def _plain_document(place: str, value: str, *, narrative: bool = False) -> bytes:
    """The 2021 example as ``dumps`` writes it, with ``value`` (JSON text) at ``place``.

    ``place`` is ``table.row.column index``, ``year`` or ``section``. The document
    holds no ``true`` or ``false`` of its own, so the reader's fast path is the one tried.
    """
    report = ogi_report.example_report("2021")
    if not narrative:
        report = attrs.evolve(report, sections=None)
    data = json.loads(dumps(report))
    if place == "year":
        data["metadata"]["reporting_year"] = "@"
    elif place == "section":
        data["sections"][0]["number"] = "@"
    else:
        table, row, column = place.rsplit(".", 2)
        data["tables"][table][row][int(column)] = "@"
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert "true" not in text
    assert "false" not in text
    return text.replace('"@"', value).encode()


_LONG = "9" * (MAX_DIGITS + 1)


@pytest.mark.parametrize("as_text", [False, True], ids=["bytes", "str"])
@pytest.mark.parametrize(
    ("place", "value", "path", "says"),
    [
        ("s3.granted.2", "true", "$.tables.s3.granted[2]", "not a cell value"),
        ("s3.granted.2", "false", "$.tables.s3.granted[2]", "not a cell value"),
        ("s3.granted.2", "3.0", "$.tables.s3.granted[2]", "float"),
        ("s3.granted.2", "[3]", "$.tables.s3.granted[2]", "not a cell value"),
        ("s4.review.1", "true", "$.tables.s4.review[1]", "not a cell value"),
        ("s4.review.1", "1.5", "$.tables.s4.review[1]", "float"),
        ("s3.granted.2", _LONG, "$.tables.s3.granted[2]", "digits"),
        ("s3.granted.2", "-" + _LONG, "$.tables.s3.granted[2]", "digits"),
        ("s4.review.1", _LONG, "$.tables.s4.review[1]", "digits"),
        ("s2.article_20_8.fees.0", _LONG, "$.tables.s2.article_20_8.fees[0]", "digits"),
        ("year", _LONG, "$.metadata.reporting_year", "digits"),
        ("year", "true", "$.metadata.reporting_year", "bool"),
        ("section", _LONG, "$.sections[0].number", "digits"),
    ],
)  # fmt: skip
def test_a_bad_number_in_a_plain_report_is_refused_naming_it(
    engine: str, as_text: bool, place: str, value: str, path: str, says: str
) -> None:
    """A bool, float, list or over-long number among counts is refused, as cell by cell."""
    data = _plain_document(place, value, narrative=place == "section")
    with pytest.raises(InputError) as refused:
        loads(data.decode() if as_text else data)
    message = str(refused.value)
    assert path in message
    assert re.search(says, message)


@pytest.mark.parametrize("row", ['"abcdefg"', '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}'])
def test_a_row_that_unpacks_like_a_list_is_refused(engine: str, row: str) -> None:
    """A string or object of a row's width is no row, though it unpacks into as many items."""
    report = attrs.evolve(ogi_report.example_report("2021"), sections=None)
    data = json.loads(dumps(report))
    data["tables"]["s3"]["granted"] = "@"
    text = json.dumps(data, separators=(",", ":")).replace('"@"', row)
    with pytest.raises(InputError, match=r"\$\.tables\.s3\.granted"):
        loads(text.encode())


def test_the_largest_counts_still_take_the_plain_path(engine: str) -> None:
    """Counts of MAX_DIGITS digits and negative counts are read, not refused."""
    biggest = "9" * MAX_DIGITS
    for value in (biggest, "-" + biggest, "-3"):
        report = loads(_plain_document("s3.granted.2", value))
        assert report["s3.granted.research"] == int(value)


def test_true_in_text_only_slows_the_reader(engine: str) -> None:
    """``true`` in a string makes every cell's type tested one by one: the same report."""
    report = attrs.evolve(
        ogi_report.example_report("2021"),
        metadata=attrs.evolve(ogi_report.example_report("2021").metadata, notes="true, false"),
    )
    assert loads(dumps(report)) == report


def test_from_dict_tests_every_cell_and_row() -> None:
    """Python values handed to from_dict get no JSON shortcut: a bool or a tuple row is
    refused, whatever text the report holds."""
    report = ogi_report.example_report("2021")
    data = json.loads(dumps(report))
    data["tables"]["s3"]["granted"][2] = True
    with pytest.raises(InputError, match=r"\$\.tables\.s3\.granted\[2\]"):
        ogi_report.from_dict(data)
    data = json.loads(dumps(report))
    data["tables"]["s3"]["granted"] = tuple(data["tables"]["s3"]["granted"])
    with pytest.raises(InputError, match=r"\$\.tables\.s3\.granted: a row is a list"):
        ogi_report.from_dict(data)
