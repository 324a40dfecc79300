"""pytest-benchmark versions of the per-report cases of ``bench_json.py``.

Run with ``pytest benchmarks --benchmark-only`` (needs the ``bench`` extra). The default
test run does not collect this directory. Each case is grouped with its floor, so
pytest-benchmark's table shows ogi-report and the floor side by side:

* ``loads-<version>``: ``ogi_report.loads`` vs the msgspec Structs of the same JSON form,
  and ``orjson.loads`` (parsing only);
* ``dumps-<version>``: ``ogi_report.dumps`` vs ``orjson.dumps`` of the dict form, and
  msgspec encoding the decoded Struct;
* ``check-<version>``: ``ogi_report.check`` vs the plain-dict version of the identities.

The reports are the two examples without their narrative (``sections=None``), as in
``bench_json.py``. Nothing asserts on time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import attrs
import pytest

import ogi_report
from ogi_report import Report

pytest.importorskip("pytest_benchmark")
orjson = pytest.importorskip("orjson")
pytest.importorskip("msgspec")

from bench_json import FloorTypes, dict_check, dict_rules, floor_types  # noqa: E402

T = TypeVar("T")


class Benchmark(Protocol):
    """The part of pytest-benchmark's ``benchmark`` fixture used here."""

    group: str | None

    def __call__(self, function: Callable[..., T], *args: Any) -> T: ...


@pytest.fixture(scope="module")
def floor() -> FloorTypes:
    """The msgspec decoder and encoder built from the template declarations."""
    return floor_types()


@pytest.fixture(params=["2019", "2021"], scope="module")
def report(request: pytest.FixtureRequest) -> Report:
    """Each example report, without its narrative."""
    return attrs.evolve(ogi_report.example_report(request.param), sections=None)


def test_loads(benchmark: Benchmark, report: Report) -> None:
    blob = ogi_report.dumps(report)
    benchmark.group = f"loads-{report.template.version}"
    assert benchmark(ogi_report.loads, blob) == report


def test_loads_msgspec(benchmark: Benchmark, report: Report, floor: FloorTypes) -> None:
    blob = ogi_report.dumps(report)
    benchmark.group = f"loads-{report.template.version}"
    assert benchmark(floor.decoder.decode, blob) is not None


def test_loads_orjson_parse_only(benchmark: Benchmark, report: Report) -> None:
    blob = ogi_report.dumps(report)
    benchmark.group = f"loads-{report.template.version}"
    assert benchmark(orjson.loads, blob) == ogi_report.to_dict(report)


def test_dumps(benchmark: Benchmark, report: Report) -> None:
    benchmark.group = f"dumps-{report.template.version}"
    assert ogi_report.loads(benchmark(ogi_report.dumps, report)) == report


def test_dumps_orjson_dict(benchmark: Benchmark, report: Report) -> None:
    data = ogi_report.to_dict(report)
    benchmark.group = f"dumps-{report.template.version}"
    assert benchmark(orjson.dumps, data) == ogi_report.dumps(report)


def test_dumps_msgspec(benchmark: Benchmark, report: Report, floor: FloorTypes) -> None:
    struct = floor.decoder.decode(ogi_report.dumps(report))
    benchmark.group = f"dumps-{report.template.version}"
    assert ogi_report.loads(benchmark(floor.encoder.encode, struct)) == report


def test_check(benchmark: Benchmark, report: Report) -> None:
    benchmark.group = f"check-{report.template.version}"
    findings = benchmark(ogi_report.check, report)
    assert findings is not None


def test_check_dict(benchmark: Benchmark, report: Report) -> None:
    values = dict(report.values())
    rules = dict_rules(report.template)
    benchmark.group = f"check-{report.template.version}"
    found = benchmark(dict_check, values, rules)
    expected = {
        (f.code, f.instance, f.cells, f.published, f.computed, f.difference)
        for f in ogi_report.check(report)
        if f.code in {"S3.BALANCE", "S3.HANDLED_SUM", "S3.ROW_TOTAL", "S4.GROUP_TOTAL"}
    }
    assert set(found) == expected
