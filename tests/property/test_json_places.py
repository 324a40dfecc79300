"""The JSON reader's own reading of places (``$.provenance``, ``$.unplaced``) gives what the
converter gives: the same report for anything either accepts, the same error otherwise."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi_report.writers.json as json_writer
from ogi_report.cells import Provenance
from ogi_report.errors import InputError
from ogi_report.examples import example_report
from ogi_report.model import Unplaced
from ogi_report.writers.json import loads, to_dict

_FIELDS = [field.name for field in attrs.fields(Provenance)]

#: JSON values of every type, those a place holds most often first.
_VALUES = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-3, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=5),
    st.lists(st.one_of(st.floats(-1e3, 1e3), st.integers(0, 900)), min_size=3, max_size=5),
    st.lists(st.text(max_size=2), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
#: Place-like objects: parts in any order, now and then a key no place has.
_PLACES = st.one_of(
    st.dictionaries(st.sampled_from([*_FIELDS, "column"]), _VALUES, max_size=5),
    st.fixed_dictionaries(
        {"path": st.text(max_size=12)}, optional={"source": st.none() | st.text(max_size=6)}
    ),
    st.fixed_dictionaries(
        {
            "page": st.integers(1, 40),
            "bbox": st.lists(st.floats(0, 900, width=32), min_size=3, max_size=5),
        },
        optional={"confidence": st.floats(0, 1)},
    ),
    st.none(),
    st.integers(),
)


def _load(document: dict[str, Any]) -> Any:
    """The report, or the error's text."""
    try:
        report = loads(json.dumps(document))
    except InputError as error:
        return str(error)
    return report, dict(report.provenance), report.unplaced


def _by_the_converter(document: dict[str, Any]) -> Any:
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(json_writer, "_plain_places", lambda data, source: None)
        patched.setattr(json_writer, "_plain_unplaced", lambda data: None)
        return _load(document)


@settings(max_examples=600, deadline=None)
@given(
    source=st.none() | st.just("report.html"),
    places=st.lists(_PLACES, max_size=3),
    code=st.sampled_from(["s3.new.total", "s2.rules.issued", "s9.none"]),
    aside=st.lists(
        st.fixed_dictionaries(
            {"text": st.text(max_size=6), "reason": st.just("page chrome") | st.integers()},
            optional={"provenance": _PLACES},
        )
        | st.integers(),
        max_size=3,
    ),
)
def test_places_read_as_the_converter_reads_them(
    source: str | None,
    places: list[Any],
    code: str,
    aside: list[Any],
) -> None:
    document = to_dict(example_report("2021"))
    document["metadata"]["source"] = source
    codes = [code, "s3.new.natural_person", "s4.review.total"]
    document["provenance"] = dict(zip(codes, places))
    document["unplaced"] = aside
    assert _load(document) == _by_the_converter(document)


def test_every_part_of_a_place_has_a_json_type() -> None:
    """A part added to Provenance is read (or sent to the converter), never unknown here."""
    assert list(json_writer._PLACE_TYPES) == _FIELDS


def test_a_place_without_its_source_is_in_the_reports_source() -> None:
    document = to_dict(example_report("2021"))
    document["metadata"]["source"] = "page.html"
    document["provenance"] = {
        "s3.new.total": {"path": "table[2]/tr[3]/td[9]"},
        "s4.review.total": {"source": None, "page": 2, "bbox": [1.5, 2.0, 3.25, 4.0]},
    }
    document["unplaced"] = [
        {"text": "网站导航", "reason": "page chrome", "provenance": {"path": "div[1]"}}
    ]
    report = loads(json.dumps(document))
    assert report.provenance["s3.new.total"] == Provenance("page.html", path="table[2]/tr[3]/td[9]")
    assert report.provenance["s4.review.total"] == Provenance(page=2, bbox=(1.5, 2.0, 3.25, 4.0))
    assert report.unplaced == (Unplaced("网站导航", "page chrome", Provenance(path="div[1]")),)


def test_a_count_in_a_box_is_made_a_float_as_the_converter_makes_it() -> None:
    document = to_dict(example_report("2021"))
    document["provenance"] = {"s3.new.total": {"page": 1, "bbox": [1, 2, 3, 4]}}
    report = loads(json.dumps(document))
    assert report.provenance["s3.new.total"].bbox == (1.0, 2.0, 3.0, 4.0)
    assert all(type(side) is float for side in report.provenance["s3.new.total"].bbox or ())


def test_places_past_the_makers_kept_are_read_all_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past _MAX_PLACE_MAKERS orders of keys, a place goes to the converter: the same report,
    and no more code is made."""
    monkeypatch.setattr(json_writer, "_PLACE_MAKERS", {})
    monkeypatch.setattr(json_writer, "_MAX_PLACE_MAKERS", 2)
    orders = [("page", "line"), ("line", "page"), ("line", "path", "page"), ("path", "line")]
    document = to_dict(example_report("2021"))
    document["provenance"] = {
        code: {key: "td[1]" if key == "path" else 3 for key in keys}
        for code, keys in zip(
            ["s3.new.total", "s4.review.total", "s2.rules.issued", "s3.new.natural_person"], orders
        )
    }
    read = _load(document)
    assert len(json_writer._PLACE_MAKERS) == 2
    assert read == _by_the_converter(document)
    source = document["metadata"]["source"]
    assert read[1]["s3.new.natural_person"] == Provenance(source, line=3, path="td[1]")


def _places_as_first_written(
    where: dict[str, Provenance], source: str | None
) -> list[tuple[str, list[tuple[str, Any]]]]:
    """Each place's parts in order, as the writer first wrote them (field by field)."""
    written = []
    for code, place in where.items():
        item = {
            field.name: list(value) if isinstance(value, tuple) else value
            for field in attrs.fields(Provenance)
            if (value := getattr(place, field.name)) is not None
        }
        if source is not None:
            if place.source == source:
                del item["source"]
            elif place.source is None:
                item["source"] = None
        written.append((code, list(item.items())))
    return written


_SOURCES = st.none() | st.sampled_from(["page.html", "other.pdf"])
_PROVENANCES = st.builds(
    Provenance,
    source=_SOURCES,
    line=st.none() | st.integers(1, 99),
    start=st.none() | st.integers(0, 99),
    page=st.none() | st.integers(1, 9),
    bbox=st.none() | st.tuples(*[st.floats(0, 900, width=32)] * 4),
    path=st.none() | st.just("td[2]"),
    note=st.none() | st.just("deduced"),
    confidence=st.none() | st.floats(0, 1),
)


@settings(max_examples=300, deadline=None)
@given(source=_SOURCES, places=st.lists(_PROVENANCES, min_size=1, max_size=3))
def test_places_are_written_as_first_written_and_read_back(
    source: str | None, places: list[Provenance]
) -> None:
    """Parts in field order; the report's own source left out, an unknown one null (last)."""
    report = attrs.evolve(
        example_report("2021"),
        metadata=attrs.evolve(example_report("2021").metadata, source=source),
        provenance=dict(zip(["s3.new.total", "s4.review.total", "s2.rules.issued"], places)),
    )
    written = json.loads(json_writer.dumps(report))["provenance"]
    assert [(code, list(item.items())) for code, item in written.items()] == (
        _places_as_first_written(dict(report.provenance), source)
    )
    assert dict(loads(json_writer.dumps(report)).provenance) == dict(report.provenance)
