"""Running a read under a time and a memory bound, and checking that no text was lost.

Every hostile test reads its input through :func:`read_bounded`: the read must give a
:class:`~ogi_report.Report` or raise one :class:`~ogi_report.InputError` (anything else fails
the test with its traceback), within ``seconds`` (a hang guard, not a speed target: speed is
measured in ``benchmarks/``) and within a memory bound measured in this process.

Memory is the growth of the process's peak resident set (Linux: ``VmHWM``, reset through
``/proc/self/clear_refs``), which sees what C libraries (lxml, zlib) allocate too; with
``trace=True`` (and where ``/proc`` is absent) also the peak of Python allocations
(``tracemalloc``), exact but some ten times slower: for the tests about memory itself.
"""

from __future__ import annotations

import re
import signal
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import attrs

import ogi_report
from ogi_report import InputError, Report
from ogi_report.cells import Ambiguous, Unreadable

#: Bytes of memory any read may use whatever its input's size (caches, parser set-up).
MEMORY_FLOOR = 48 * 1024 * 1024
#: Memory a read may use per byte of input, on top of the floor (issue 8: under 20x).
MEMORY_FACTOR = 20

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


class Hang(Exception):
    """The bounded call did not return in time."""


@attrs.define
class Usage:
    """What one bounded call used: wall-clock seconds and peak bytes."""

    seconds: float = 0.0
    peak_bytes: int = 0


def _status_kib(field: str) -> int | None:
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def _reset_peak_rss() -> int | None:
    """Reset the process's peak resident set to its current size; that size in bytes."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return None
    rss = _status_kib("VmRSS")
    return None if rss is None else rss * 1024


@contextmanager
def bounded(seconds: float, *, trace: bool = False) -> Iterator[Usage]:
    """Measure the block's peak memory; raise :class:`Hang` in it after ``seconds`` (POSIX)."""
    import time

    usage = Usage()
    has_alarm = hasattr(signal, "SIGALRM")

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm) if has_alarm else None
    baseline = _reset_peak_rss()
    trace = trace or baseline is None
    tracing = tracemalloc.is_tracing()
    if trace and not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.monotonic()
    if has_alarm:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield usage
    finally:
        if has_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        usage.seconds = time.monotonic() - start
        python_peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace and not tracing:
            tracemalloc.stop()
        peak_rss = _status_kib("VmHWM")
        rss_growth = peak_rss * 1024 - baseline if baseline is not None and peak_rss else 0
        usage.peak_bytes = max(python_peak, rss_growth)


def memory_bound(input_size: int) -> int:
    """The memory a read of ``input_size`` bytes may use."""
    return MEMORY_FLOOR + MEMORY_FACTOR * input_size


def read_bounded(
    source: str | bytes | Path,
    *,
    seconds: float = 20,
    memory: int | None = None,
    form: str | None = None,
    reader: Callable[..., Report] = ogi_report.read,
    trace: bool = False,
) -> Report | InputError:
    """``reader(source)`` within bounds: a Report, or the one InputError it raised.

    ``memory`` defaults to :func:`memory_bound` of the input's size; ``trace`` as in
    :func:`bounded`.
    """
    if isinstance(source, Path):
        size = source.stat().st_size if source.is_file() else 0
    else:
        size = len(source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source)
    limit = memory if memory is not None else memory_bound(size)
    outcome: Report | InputError
    with bounded(seconds, trace=trace) as usage:
        try:
            outcome = reader(source, form=form) if form else reader(source)
        except InputError as error:
            outcome = error
    assert usage.peak_bytes <= limit, (
        f"used {usage.peak_bytes / 2**20:.1f} MiB for {size / 2**20:.2f} MiB of input;"
        f" the bound is {limit / 2**20:.1f} MiB"
    )
    assert isinstance(outcome, Report | InputError)
    if isinstance(outcome, InputError):
        assert str(outcome).strip(), "an InputError says what is wrong"
    return outcome


def kept_text(report: Report) -> str:
    """Everything a report keeps as text, normalised: headings, narrative, unplaced text,
    metadata, and the text of cells read as unreadable or ambiguous."""
    pieces: list[str] = [report.metadata.agency or ""]
    for section in report.sections or ():
        pieces.extend((section.heading, section.text))
    pieces.extend(item.text for item in report.unplaced)
    for value in report.values().values():
        if isinstance(value, Unreadable):
            pieces.append(value.text)
        elif isinstance(value, Ambiguous):
            pieces.extend(str(c) for c in value.candidates)
    return _compact("\n".join(pieces))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def assert_kept(report: Report, *sentences: str) -> None:
    """Each sentence survives the read somewhere a user can see it (narrative or unplaced)."""
    kept = kept_text(report)
    for sentence in sentences:
        assert _compact(sentence) in kept, f"{sentence!r} was lost: not narrative, not unplaced"
