"""The clock the reading benchmarks time their rounds with, shared by ``bench_pdf`` and
``bench_read``: the wall clock, or the process's CPU time (``--cpu``, steadier on a shared
machine) once a script sets ``CLOCK[0] = time.process_time``."""

from __future__ import annotations

import time
from collections.abc import Callable

CLOCK: list[Callable[[], float]] = [time.perf_counter]


def timed(function: Callable[[], object]) -> float:
    """Seconds ``function()`` took by :data:`CLOCK`."""
    clock = CLOCK[0]
    start = clock()
    function()
    return clock() - start
