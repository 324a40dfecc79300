"""The ``ogi-report`` command: thin, from arguments to the API to output and an exit status.

Exit status of ``check``: 0 no error findings, 1 error findings, 2 an input could not be read
or checked. Every file of a batch ends in its findings or in one line on standard error naming
it (unreadable, over its time limit, out of memory, an internal error, or its process died);
the batch always finishes.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import math
import os
import signal
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from decimal import Decimal
from itertools import islice, pairwise
from pathlib import Path
from types import FrameType
from typing import IO, Any, TextIO, TypeVar, cast

import attrs

from . import __version__
from .aggregate import ReportSet
from .cells import format_cell
from .compare import diff, diff_html
from .errors import InputError
from .findings import Finding, Findings
from .indicators import INDICATORS, indicators
from .model import Report
from .readers import read
from .rules import RULES, CheckOptions, check, check_pair
from .rules.text import normalise
from .writers import dumps, json_schema, to_cells_json, to_csv
from .writers.render import to_html, to_markdown

__all__ = ["main"]

_T = TypeVar("_T")
_Chunk = tuple[str, ...]


def __dir__() -> list[str]:
    return __all__


EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

#: ``check --timeout``: seconds a file may take by default, and the most it may be given.
TIMEOUT_DEFAULT, TIMEOUT_MAX = 60.0, 86400.0
#: Tasks queued per worker process: enough to keep it busy, few enough to keep memory flat.
WINDOW_PER_JOB = 4
#: Files per task, at most (fewer in small batches): a dead process costs its task's files a
#: retry one at a time.
CHUNK_MAX = 8
#: Seconds between checks that a pool is still whole while a task runs.
POLL = 5.0
#: Seconds past its time limit after which a worker process still at a file is ended outright.
HARD_GRACE = 10.0
_STDOUT = "standard output"
_DIED = "the process reading it died (it crashed, was stuck, or was killed: out of memory?)"


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.strip() for code in text.split(",") if code.strip())


_ALIASES_HELP = (
    "a JSON file {printed agency name: body key}: names that mean one body (names change)"
)


def _aliases(path: str) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"{path}: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise argparse.ArgumentTypeError(f"{path}: expected a JSON object of names to keys")
    return data


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= TIMEOUT_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give seconds from 0 (no limit) to {TIMEOUT_MAX:g}"
        )
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogi-report",
        description="Check, convert and describe OGI annual reports (政府信息公开工作年度报告).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check_cmd = commands.add_parser(
        "check",
        help="check reports against the rules; two years of one body are also compared",
        description="Check each FILE; a folder stands for its regular files (-r: and those of"
        " its subfolders; hidden files, FIFOs, sockets, devices and broken links in it are"
        " skipped without a word). Each file ends in its findings or in one line on standard"
        " error naming it: unreadable, over --timeout, out of memory, an internal error, or"
        " the process reading it died; the batch always finishes. Exit status 0: no errors;"
        " 1: error findings; 2: a file could not be read or checked.",
    )
    check_cmd.add_argument("files", nargs="+", metavar="FILE", type=Path)
    check_cmd.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    check_cmd.add_argument(
        "-r", "--recursive", action="store_true", help="check the files in subfolders of a folder"
    )
    check_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes to use (default: every core)",
    )
    check_cmd.add_argument(
        "--timeout",
        type=_seconds,
        default=TIMEOUT_DEFAULT,
        metavar="SECONDS",
        help=f"stop reading and checking a file after this long, with a one-line error"
        f" (default {TIMEOUT_DEFAULT:g}; 0: no limit; at most {TIMEOUT_MAX:g}). Needs SIGALRM,"
        " so not on Windows; a worker process (-j) still at a file"
        f" {HARD_GRACE:g} s past its limit is ended, on every system",
    )
    check_cmd.add_argument(
        "--progress", action="store_true", help="show progress on standard error"
    )
    check_cmd.add_argument("--summary", action="store_true", help="end with a summary table")
    check_cmd.add_argument("--aliases", type=_aliases, default={}, help=_ALIASES_HELP)
    check_cmd.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of messages"
    )
    check_cmd.add_argument(
        "--blank",
        choices=("zero", "skip"),
        default="zero",
        help="an empty cell counts as 0 (default) or makes the rules touching it not assessable",
    )
    check_cmd.add_argument(
        "--select", type=_codes, help="only these rule codes (or prefixes like TEXT.)"
    )
    check_cmd.add_argument(
        "--ignore", type=_codes, default=frozenset(), help="skip these rule codes"
    )
    check_cmd.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        default="info",
        help="hide findings below this severity",
    )

    convert = commands.add_parser("convert", help="write a report in another form")
    convert.add_argument("file", metavar="FILE", type=Path)
    convert.add_argument(
        "--to", choices=("json", "cells-json", "cells-csv", "parquet"), required=True
    )
    convert.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    diff_cmd = commands.add_parser("diff", help="what differs between two reports")
    diff_cmd.add_argument("first", metavar="A", type=Path)
    diff_cmd.add_argument("second", metavar="B", type=Path)
    diff_cmd.add_argument("--format", choices=("text", "json", "html"), default="text")

    render = commands.add_parser(
        "render", help="a report in the official layout, as HTML or Markdown"
    )
    render.add_argument("file", metavar="FILE", type=Path)
    render.add_argument("--to", choices=("html", "md"), default="html")
    render.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    render.add_argument(
        "--no-findings", action="store_true", help="HTML: do not highlight the cells of findings"
    )

    measures = commands.add_parser(
        "indicators", help="assessors' indicators per report and over all the files given"
    )
    measures.add_argument("files", nargs="+", metavar="FILE", type=Path)
    measures.add_argument("-r", "--recursive", action="store_true")
    measures.add_argument("--format", choices=("text", "json"), default="text")

    total = commands.add_parser(
        "aggregate", help="sum every cell over the bodies' reports of a year"
    )
    total.add_argument("files", nargs="+", metavar="FILE", type=Path)
    total.add_argument("--year", type=int, required=True)
    total.add_argument("-r", "--recursive", action="store_true")
    total.add_argument("--format", choices=("text", "json"), default="text")
    total.add_argument("--aliases", type=_aliases, default={}, help=_ALIASES_HELP)

    schema = commands.add_parser("schema", help="print the JSON Schema of the JSON form")
    schema.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    commands.add_parser("rules", help="list the rule catalogue")
    return parser


def _fail(message: str) -> None:
    print(f"ogi-report: {message}", file=sys.stderr)


def _read(path: Path) -> Report | None:
    try:
        return read(path)
    except InputError as error:
        _fail(str(error) if error.source else f"{path}: {error}")
        return None


def _json_value(value: object) -> object:
    return format(value, "f") if isinstance(value, Decimal) else value


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "file": finding.source,
        "location": finding.location,
        "code": finding.code,
        "severity": finding.severity.value,
        "instance": finding.instance,
        "cells": list(finding.cells),
        "published": _json_value(finding.published),
        "computed": _json_value(finding.computed),
        "difference": _json_value(finding.difference),
        "tolerance": _json_value(finding.tolerance),
        "message": finding.message_en,
        "message_zh": finding.message_zh,
    }


def _print_text(results: Sequence[tuple[str, str, Findings]], lang: str, out: IO[str]) -> None:
    for name, label, findings in results:
        for finding in findings:
            message = finding.message_zh if lang == "zh" else finding.message_en
            where = finding.location or name
            print(f"{where}: {finding.severity.value} {finding.code}: {message}", file=out)
        for note in findings.notes:
            print(f"{name}: note: {note}", file=out)
        severities = {
            s: sum(1 for f in findings if f.severity.value == s)
            for s in ("error", "warning", "info")
        }
        status = ", ".join(_count(n, s) for s, n in severities.items() if n) or "no findings"
        if not label:
            print(f"{name}: cross-year rules: {status}", file=out)
        else:
            print(f"{name}: {label}: {status}", file=out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun == "info" else f"{n} {noun}s"


def _files(paths: Sequence[Path], recursive: bool) -> tuple[list[Path], int]:
    """The files to check, and how many folders could not be listed (each said in one line).

    Paths are taken as given, whatever they are (reading says what is wrong with a FIFO or a
    device); a folder stands for its regular files and links to them (into subfolders if
    asked), its hidden files and special files skipped without a word.
    """
    found: list[Path] = []
    unlisted = 0
    for path in paths:
        if not _is(path, Path.is_dir, False):
            found.append(path)
            continue
        try:
            walk = path.rglob("*") if recursive else path.iterdir()
            found.extend(
                sorted(p for p in walk if not p.name.startswith(".") and _is(p, Path.is_file, True))
            )
        except OSError as error:
            _fail(f"{path}: cannot list this folder: {error.strerror or error}")
            unlisted += 1
    return found, unlisted


def _is(path: Path, test: Callable[[Path], bool], otherwise: bool) -> bool:
    """``test(path)``, or ``otherwise`` when the path cannot be looked at (reading will say why)."""
    try:
        return test(path)
    except OSError:
        return otherwise


@attrs.frozen
class _Checked:
    """What a worker sends back: enough to print and to pair, not the whole report."""

    name: str
    findings: Findings | None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    label: str = ""


class _TimeUp(BaseException):
    """The time limit's alarm: a BaseException, so that no ``except Exception`` swallows it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TimeUp` in the block after ``seconds`` (0: no limit).

    SIGALRM, so POSIX and the main thread only; elsewhere there is no limit, as there is
    when SIGALRM has a handler set outside Python. An alarm set outside is put back, with the
    time it has left, when the block ends.
    """
    if (
        not seconds
        or not hasattr(signal, "SIGALRM")
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGALRM) is None  # a handler set outside Python
    ):
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, alarm)
    start = time.monotonic()
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            if outer:
                left = max(outer - (time.monotonic() - start), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, interval)


def _one_line(error: BaseException, limit: int = 300) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen
class _Failed:
    """Why a guarded piece of work gave no result: one line that names the file."""

    reason: str


def _guarded(name: str, timeout: float, work: Callable[[], _T]) -> _T | _Failed:
    """``work()`` within ``timeout`` seconds (0: no limit), or why it failed, naming ``name``."""
    try:
        with _time_limit(timeout):
            return work()
    except InputError as error:
        return _Failed(str(error) if error.source else f"{name}: {error}")
    except _TimeUp:
        return _Failed(f"{name}: took longer than {timeout:g} s, stopped (--timeout)")
    except MemoryError:
        return _Failed(f"{name}: ran out of memory")
    except Exception as error:
        return _Failed(_internal(name, error))


def _internal(name: str, error: Exception) -> str:
    return f"{name}: internal error ({type(error).__name__}: {_one_line(error)})"


def _check_one(name: str, options: CheckOptions, timeout: float) -> _Checked:
    """Read and check one file, in a worker or here; never raises."""

    def work() -> _Checked:
        report = read(Path(name))
        meta = report.metadata
        agency = meta.agency or "(agency unknown)"
        year = meta.reporting_year or "(year unknown)"
        label = f"{agency} {year}, {report.template.version} format"
        findings = _named(check(report, options), name)
        return _Checked(name, findings, None, meta.agency, meta.reporting_year, label)

    outcome = _guarded(name, timeout, work)
    return _Checked(name, None, outcome.reason) if isinstance(outcome, _Failed) else outcome


def _check_pair(first: str, second: str, options: CheckOptions, timeout: float) -> _Checked:
    """Read two files again and compare them; never raises."""
    name = f"{first} + {second}"

    def work() -> _Checked:
        pair = check_pair(read(Path(first)), read(Path(second)), options)
        return _Checked(name, _named(pair, name))

    outcome = _guarded(name, timeout, work)
    return _Checked(name, None, outcome.reason) if isinstance(outcome, _Failed) else outcome


def _named(findings: Findings, name: str) -> Findings:
    return Findings(tuple(attrs.evolve(f, source=name) for f in findings), findings.notes)


def _results(
    names: list[str], options: CheckOptions, jobs: int, timeout: float
) -> Iterator[_Checked]:
    """Each file's result, in input order: here for a few files or one job, else in processes."""
    if jobs <= 1 or len(names) < 4:
        return (_check_one(name, options, timeout) for name in names)
    most = 61 if sys.platform == "win32" else len(names)  # Windows waits on at most 61
    return _pooled(names, options, min(jobs, len(names), most), timeout)


def _check_in_worker(names: _Chunk, options: CheckOptions, timeout: float) -> list[_Checked]:
    """:func:`_check_one` of each file, in a worker process, which is ended outright if it is
    still at a file :data:`HARD_GRACE` seconds after its time limit (stuck where no signal
    handler runs)."""
    if not timeout:
        return [_check_one(name, options, timeout) for name in names]
    results = []
    with open(os.devnull, "w") as devnull:
        try:
            for name in names:
                faulthandler.dump_traceback_later(timeout + HARD_GRACE, exit=True, file=devnull)
                results.append(_check_one(name, options, timeout))
        finally:
            faulthandler.cancel_dump_traceback_later()
    return results


def _pooled(
    names: list[str], options: CheckOptions, jobs: int, timeout: float
) -> Iterator[_Checked]:
    """Results from ``jobs`` processes, in input order, a few chunks of files per process in
    flight (:data:`WINDOW_PER_JOB`, :data:`CHUNK_MAX`), so memory stays flat.

    A process that dies breaks its pool and fails every file in flight: those are checked
    again one at a time (:func:`_recovered`), so only the culprit is lost; then a new pool
    takes over the rest.
    """
    try:
        pool = ProcessPoolExecutor(jobs)
    except (OSError, NotImplementedError):  # no process pools on this system: check here
        yield from (_check_one(name, options, timeout) for name in names)
        return
    size = max(1, min(CHUNK_MAX, len(names) // (jobs * WINDOW_PER_JOB)))
    queue = iter(names)
    pending: deque[tuple[_Chunk, Future[list[_Checked]]]] = deque()
    try:
        while True:
            while len(pending) < jobs * WINDOW_PER_JOB and (chunk := tuple(islice(queue, size))):
                pending.append((chunk, _submit(pool, chunk, options, timeout)))
            if not pending:
                return
            chunk, future = pending[0]
            if _broke(pool, future):
                pool.shutdown(wait=True)  # afterwards every future of the pool is settled
                pending = _recovered(pending, options, timeout)
                pool = ProcessPoolExecutor(jobs)
                continue
            pending.popleft()
            yield from _settled(chunk, future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _broke(pool: ProcessPoolExecutor, future: Future[list[_Checked]]) -> bool:
    """Wait for ``future``; whether its pool broke. A pool that breaks may leave a future
    unsettled (a race in the standard library), so while waiting the pool is asked every
    :data:`POLL` seconds for a trivial task, which a broken pool refuses."""
    while True:
        try:
            return isinstance(future.exception(timeout=POLL), BrokenProcessPool)
        except FutureTimeout:
            try:
                pool.submit(int)
            except BrokenProcessPool:
                return True


def _recovered(
    pending: deque[tuple[_Chunk, Future[list[_Checked]]]], options: CheckOptions, timeout: float
) -> deque[tuple[_Chunk, Future[list[_Checked]]]]:
    """The chunks in flight when their pool broke: as they are if they finished, else each
    file checked again alone in a process of its own, one at a time."""
    recovered: deque[tuple[_Chunk, Future[list[_Checked]]]] = deque()
    alone = ProcessPoolExecutor(1)
    try:
        for chunk, future in pending:
            if not future.done() or future.exception() is not None:
                results = []
                for name in chunk:
                    retry = _submit(alone, (name,), options, timeout)
                    if _broke(alone, retry):
                        alone.shutdown(wait=True)
                        alone = ProcessPoolExecutor(1)
                    results.extend(_settled((name,), retry))
                future = _done(results)
            recovered.append((chunk, future))
    finally:
        alone.shutdown(wait=True)
    return recovered


def _submit(
    pool: ProcessPoolExecutor, chunk: _Chunk, options: CheckOptions, timeout: float
) -> Future[list[_Checked]]:
    try:
        return pool.submit(_check_in_worker, chunk, options, timeout)
    except BrokenProcessPool as error:
        future: Future[list[_Checked]] = Future()
        future.set_exception(error)
        return future
    except OSError:  # no process could be started (a limit on processes): check here
        return _done([_check_one(name, options, timeout) for name in chunk])


def _done(results: list[_Checked]) -> Future[list[_Checked]]:
    future: Future[list[_Checked]] = Future()
    future.set_result(results)
    return future


def _settled(chunk: _Chunk, future: Future[list[_Checked]]) -> list[_Checked]:
    """A future's results, or for each file why it has none, in one line (its process died,
    or its pool broke and left it unsettled; results that could not be sent back)."""
    if not future.done():
        return [_Checked(name, None, f"{name}: {_DIED}") for name in chunk]
    try:
        return future.result()
    except BrokenProcessPool:
        return [_Checked(name, None, f"{name}: {_DIED}") for name in chunk]
    except Exception as error:
        return [_Checked(name, None, _internal(name, error)) for name in chunk]


class _Progress:
    """A one-line progress count on standard error, for long batches on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self.start = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done % 50 == 0 or self.done == self.total):
            rate = self.done / max(time.monotonic() - self.start, 1e-9)
            print(
                f"\rchecked {self.done:,}/{self.total:,} files ({rate:,.0f}/s)",
                end="",
                file=sys.stderr,
            )
            if self.done == self.total:
                print(file=sys.stderr)


def _summary(counts: Counter[str], codes: Counter[str], out: IO[str]) -> None:
    failed = counts["pairs failed"]
    print(
        f"summary: {counts['files']} files read, {counts['unreadable']} unreadable;"
        f" {_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')},"
        f" {counts['info']} info"
        + (f"; {_count(failed, 'cross-year comparison')} failed" if failed else ""),
        file=out,
    )
    for code, n in codes.most_common(10):
        print(f"  {code:28} {n:>8}", file=out)


def _check(args: argparse.Namespace) -> int:
    options = CheckOptions(blank=args.blank, select=args.select, ignore=args.ignore)
    rank = {"error": 0, "warning": 1, "info": 2}[args.min_severity]
    files, unlisted = _files(args.files, args.recursive)
    names = [str(p) for p in files]
    explicit_pair = len(args.files) == 2 and len(names) == 2
    progress = _Progress(len(names), args.progress or (len(names) > 20 and sys.stderr.isatty()))
    counts: Counter[str] = Counter(unreadable=unlisted)
    codes: Counter[str] = Counter()
    collected: list[dict[str, Any]] = []
    index: list[_Checked] = []
    has_errors = False

    def emit(name: str, findings: Findings, label: str) -> None:
        nonlocal has_errors
        has_errors = has_errors or findings.has_errors
        shown = [f for f in findings if f.severity.rank <= rank]
        for finding in findings:
            counts[finding.severity.value] += 1
            codes[finding.code] += 1
        if args.format == "json":
            collected.extend(_finding_json(f) for f in shown)
        elif args.format == "jsonl":
            for finding in shown:
                print(json.dumps(_finding_json(finding), ensure_ascii=False))
        else:
            _print_text(
                [(name, label, Findings(tuple(shown), findings.notes))], args.lang, sys.stdout
            )

    for result in _results(names, options, args.jobs, args.timeout):
        progress.step()
        if result.findings is None:
            counts["unreadable"] += 1
            _fail(result.error or result.name)
            continue
        counts["files"] += 1
        emit(result.name, result.findings, result.label)
        index.append(result)
    for first, second in _pair_up(index, explicit_pair, args.aliases):
        pair = _check_pair(first.name, second.name, options, args.timeout)
        if pair.findings is None:
            counts["pairs failed"] += 1
            _fail(pair.error or pair.name)
        else:
            emit(pair.name, pair.findings, "")
    if args.format == "json":
        json.dump(collected, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if len(names) > 2 or args.summary:
        _summary(counts, codes, sys.stderr if args.format != "text" else sys.stdout)
    if counts["unreadable"] or counts["pairs failed"]:
        return EXIT_INPUT
    return EXIT_FINDINGS if has_errors else EXIT_OK


def _pair_up(
    index: list[_Checked], explicit: bool, aliases: dict[str, str]
) -> Iterator[tuple[_Checked, _Checked]]:
    """Two files given as a pair are compared as given; otherwise consecutive years of a body
    (its alias, else its normalised name)."""
    if explicit and len(index) == 2:
        yield index[0], index[1]
        return
    groups: dict[str, list[_Checked]] = defaultdict(list)
    for result in index:
        if result.agency and result.year is not None:
            groups[aliases.get(result.agency) or normalise(result.agency)].append(result)
    for members in groups.values():
        members.sort(key=lambda r: r.year or 0)
        for first, second in pairwise(members):
            if (second.year or 0) - (first.year or 0) == 1:
                yield first, second


def _write(data: bytes, output: Path | None) -> None:
    """Write to ``output``, else standard output; an OSError names the one that failed."""
    with _naming(_STDOUT if output is None else str(output)):
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            output.write_bytes(data)


def _convert(args: argparse.Namespace) -> int:
    report = _read(args.file)
    if report is None:
        return EXIT_INPUT
    if args.to == "json":
        data = dumps(report, indent=True)
    elif args.to == "cells-json":
        data = json.dumps(to_cells_json(report), ensure_ascii=False, indent=2).encode() + b"\n"
    elif args.to == "parquet":
        if args.output is None:
            _fail("--to parquet writes a file: give it with -o")
            return EXIT_INPUT
        from .exports import to_parquet

        with _naming(str(args.output)):
            to_parquet(report, args.output)
        return EXIT_OK
    else:
        data = (to_csv(report) or "").encode()
    _write(data, args.output)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    a, b = _read(args.first), _read(args.second)
    if a is None or b is None:
        return EXIT_INPUT
    result = diff(a, b)
    if args.format == "json":
        data = {
            "cells": [
                {
                    "code": c.code,
                    "code_b": c.code_b,
                    "label_zh": c.label_zh,
                    "label_en": c.label_en,
                    "a": _json_value(format_cell(c.a)) if c.a is not None else None,
                    "b": _json_value(format_cell(c.b)) if c.b is not None else None,
                    "delta": _json_value(c.delta),
                    "relative": _json_value(c.relative),
                }
                for c in result.cells
            ],
            "sections": [
                {"number": s.number, "heading": s.heading, "diff": s.diff} for s in result.sections
            ],
            "not_comparable": list(result.not_comparable),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.format == "html":
        print(diff_html(result))
    else:
        for c in result.cells:
            change = f" ({c.delta:+})" if c.delta is not None else ""
            code = c.code if c.code == c.code_b else f"{c.code} → {c.code_b}"
            print(f"{code} {c.label_zh}: {_shown(c.a)} → {_shown(c.b)}{change}")
        for section in result.sections:
            print(f"\n{section.heading}\n{section.diff}")
        if result.not_comparable:
            print(f"\nnot comparable across formats: {', '.join(result.not_comparable)}")
        if not result:
            print("no differences")
    return EXIT_OK


def _shown(value: object) -> str:
    return "(not printed)" if value is None else str(format_cell(value))  # type: ignore[arg-type]


def _render(args: argparse.Namespace) -> int:
    report = _read(args.file)
    if report is None:
        return EXIT_INPUT
    if args.to == "md":
        text = to_markdown(report)
    else:
        text = to_html(report, () if args.no_findings else check(report))
    _write(text.encode(), args.output)
    return EXIT_OK


def _read_all(args: argparse.Namespace) -> tuple[list[Report], bool]:
    files, unlisted = _files(args.files, args.recursive)
    reports, unreadable = [], bool(unlisted)
    for path in files:
        report = _read(path)
        if report is None:
            unreadable = True
        else:
            reports.append(report)
    return reports, unreadable


def _indicators(args: argparse.Namespace) -> int:
    reports, unreadable = _read_all(args)
    rows = [(r.metadata.source or r.metadata.agency or "?", indicators(r)) for r in reports]
    if len(reports) > 1:
        rows.append(("(all files)", indicators(reports)))
    if args.format == "json":
        data = [
            {"report": name, **{k: _json_value(v) for k, v in values.items()}}
            for name, values in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for name, values in rows:
            print(name)
            for key, value in values.items():
                shown = "not assessable" if value is None else f"{value:.2%}"
                print(f"  {key:28} {shown:>15}  {INDICATORS[key].name_zh}")
    return EXIT_INPUT if unreadable else EXIT_OK


def _aggregate(args: argparse.Namespace) -> int:
    reports, unreadable = _read_all(args)
    result = ReportSet(reports, args.aliases).aggregate(args.year)
    if args.format == "json":
        data = {
            "year": result.year,
            "bodies": list(result.bodies),
            "missing": list(result.missing),
            "note": result.note,
            "cells": {code: format_cell(value) for code, value in result.values.items()},
        }
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        missing = ", ".join(result.missing) or "none"
        print(f"{args.year}: {len(result.bodies)} bodies in the sum; missing: {missing}")
        print(f"note: {result.note}")
        for code, value in result.values.items():
            print(f"{code} {format_cell(value)}")
    return EXIT_INPUT if unreadable else EXIT_OK


def _rules() -> int:
    for rule in RULES.values():
        templates = "/".join(sorted(rule.templates))
        columns = f"{rule.code:28} {rule.severity.value:8} {rule.scope:7} {templates:10}"
        print(f"{columns} {rule.title_en} ({rule.title_zh})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        with _named_stdout():
            status = _run(args)
            sys.stdout.flush()  # a failed write surfaces here, not at the interpreter's exit
        return status
    except BrokenPipeError:
        # The reader of our output went away (| head): stop quietly, as Unix tools do.
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        if error.filename == _STDOUT:
            _silence_stdout()  # what is left in its buffer must not fail again at exit
        reason = error.strerror or str(error)
        _fail(f"{error.filename}: {reason}" if error.filename else reason)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "convert":
        return _convert(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "render":
        return _render(args)
    if args.command == "indicators":
        return _indicators(args)
    if args.command == "aggregate":
        return _aggregate(args)
    if args.command == "schema":
        data = json.dumps(json_schema(), ensure_ascii=False, indent=2).encode() + b"\n"
        _write(data, args.output)
        return EXIT_OK
    return _rules()


class _NamedStdout:
    """Standard output whose write errors name it (an OSError of a write has no file name)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _naming(_STDOUT):
            return self._stream.write(text)

    def flush(self) -> None:
        with _naming(_STDOUT):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def _named_stdout() -> Iterator[None]:
    stream = sys.stdout
    if stream is None:  # no standard output at all (pythonw): print() writes nothing
        yield
        return
    sys.stdout = cast(TextIO, _NamedStdout(stream))
    try:
        yield
    finally:
        sys.stdout = stream


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Give an OSError raised in the block the file name ``where`` if it has none."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        error.filename = error.filename or where
        raise


def _silence_stdout() -> None:
    """Point standard output at the null device, when it is a file descriptor at all."""
    with suppress(OSError, ValueError):
        target = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, target)
        os.close(devnull)


if __name__ == "__main__":
    raise SystemExit(main())
