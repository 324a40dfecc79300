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
