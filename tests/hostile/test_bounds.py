"""The bounds helper itself: it measures, it stops a hang, and it notices lost text."""

from __future__ import annotations

import time

import pytest

import ogi_report

from .bounds import Hang, assert_kept, bounded, read_bounded


def test_a_hang_is_stopped() -> None:
    with pytest.raises(Hang), bounded(0.2):
        time.sleep(5)


@pytest.mark.parametrize("trace", [False, True])
def test_memory_is_measured(trace: bool) -> None:
    with bounded(10, trace=trace) as usage:
        block = bytearray(32 * 2**20)
        block[-1] = 1
    assert usage.peak_bytes >= 30 * 2**20


def test_a_read_over_its_memory_bound_fails() -> None:
    with pytest.raises(AssertionError, match="bound"):
        read_bounded(ogi_report.example_report("2021").metadata.agency or "", memory=1, trace=True)


def test_lost_text_is_noticed() -> None:
    report = ogi_report.example_report("2021")
    assert report.sections is not None
    assert_kept(report, report.sections[0].parts[0].text[:20])
    with pytest.raises(AssertionError, match="lost"):
        assert_kept(report, "这句话不在报告里")
