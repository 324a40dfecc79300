"""The ``ogi-report`` command: thin, from arguments to the API to output and an exit status.

Exit status of ``check``: 0 no error findings, 1 error findings, 2 an input could not be read
or checked. Every file of a batch ends in its findings or in one line on standard error naming
it (unreadable, over its time limit, out of memory, an internal error, or its process died);
the batch always finishes.
"""

from __future__ import annotations

import argparse
import errno
import faulthandler
import io
import json
import math
import os
import pickle
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from functools import cache
from itertools import islice
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, NamedTuple, NoReturn, TextIO, TypeVar, cast

import attrs

from .cells import format_cell
from .errors import InputError
from .findings import Finding, Findings
from .model import Report
from .progress import Progress
from .readers import read, skipped, skipped_name
from .rules import RULES, CheckOptions, check, check_pair
from .rules.evaluate import PairRecord, check_records, pair_record
from .rules.text import normalise
from .templates import get_template
from .writers import dumps, json_schema, to_cells_json, to_csv
from .writers.results import check_record, check_record_schema, json_value

if TYPE_CHECKING:
    import sqlite3

# What one command alone uses (diff, render, indicators, aggregate, --version) that command
# imports: the others, and each worker process, start without it.

__all__ = ["main"]

_T = TypeVar("_T")


def __dir__() -> list[str]:
    return __all__


EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
#: A command line that does not parse (an unknown option, an unknown rule code): not the
#: unreadable input of exit status 2 (sysexits.h's EX_USAGE).
EXIT_USAGE = 64

#: ``check --timeout``: seconds a file may take by default, and the most it may be given.
TIMEOUT_DEFAULT, TIMEOUT_MAX = 60.0, 86400.0
#: Tasks queued per worker process: enough to keep it busy, few enough to keep memory flat.
WINDOW_PER_JOB = 4
#: Files per task, at most (fewer in small batches): a dead process costs its task's files a
#: retry one at a time.
CHUNK_MAX = 8
#: Comparisons of two years that take a file's place in a task: a comparison from records
#: costs a small share of reading and checking a file, and each task its round trip.
PAIRS_PER_FILE = 8
#: Seconds between checks that a pool is still whole while a task runs.
POLL = 5.0
#: Seconds past its time limit after which a worker process still at a file is ended outright
#: (at most twice this: the watchdog is not armed again for every file).
HARD_GRACE = 10.0
_STDOUT = "standard output"
_DIED = "the process reading it died (it crashed, was stuck, or was killed: out of memory?)"


def _codes(text: str) -> frozenset[str]:
    """Rule codes or prefixes (``TEXT.``), comma-separated; an unknown one is a usage error."""
    codes = frozenset(code.strip() for code in text.split(",") if code.strip())
    for code in sorted(codes):
        known = any(c.startswith(code) for c in RULES) if code.endswith(".") else code in RULES
        if not known:
            raise argparse.ArgumentTypeError(
                f"{code!r} is not a rule code or prefix; see 'ogi-report rules'"
            )
    return codes


class _Union(argparse.Action):
    """Repeated ``--select``/``--ignore`` add up instead of the last one winning."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, (getattr(namespace, self.dest) or frozenset()) | values)  # type: ignore[operator]


class _Parser(argparse.ArgumentParser):
    """A usage error exits :data:`EXIT_USAGE`, not argparse's 2 (unreadable input here)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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


class _Version(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata takes 30 ms to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from . import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ogi-report",
        description="Check, convert and describe OGI annual reports (政府信息公开工作年度报告).",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check_cmd = commands.add_parser(
        "check",
        help="check reports against the rules; two years of one body are also compared",
        description="Check each FILE; a folder stands for its regular files (-r: and those of"
        " its subfolders; hidden files, FIFOs, sockets, devices and broken links in it are"
        " skipped without a word). Each file ends in its findings or in one line on standard"
        " error naming it: unreadable, over --timeout, out of memory, an internal error, or"
        " the process reading it died; the batch always finishes. Files named README and"
        " corpus truth files (*.truth.json) in a folder are not reports and are skipped."
        " Exit status 0: no errors; 1: error findings; 2: a file could not be read or"
        f" checked, or no file was found to check; {EXIT_USAGE}: a usage error.",
    )
    check_cmd.add_argument("files", nargs="+", metavar="FILE", type=Path)
    check_cmd.add_argument(
        "--format",
        choices=("text", "json", "jsonl", "html"),
        default="text",
        help="html: a static site (an index and a page per report) in the folder given by -o",
    )
    check_cmd.add_argument(
        "-o", "--output", type=Path, help="with --format html: the folder to write the site into"
    )
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
        f" {HARD_GRACE:g} s past its limit is ended (within {2 * HARD_GRACE:g} s), on every system",
    )
    check_cmd.add_argument(
        "--progress",
        action="store_true",
        help="show progress bars (files, cross-year pairs) on standard error; by default"
        " shown on a terminal for more than 20 files (a tqdm bar with the progress extra)",
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
        "--select",
        type=_codes,
        action=_Union,
        help="only these rule codes (or prefixes like TEXT.); repeated, they add up",
    )
    check_cmd.add_argument(
        "--ignore",
        type=_codes,
        action=_Union,
        default=frozenset(),
        help="skip these rule codes (or prefixes); repeated, they add up",
    )
    check_cmd.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        default="info",
        help="hide findings below this severity (and notes of what was not assessed, unless info)",
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

    fill = commands.add_parser(
        "fill",
        help="write the official form (Word .docx) filled from a report",
        description="Write the official form of FILE's format (2019 or 2021) as a Word .docx"
        " file, filled from FILE (any form ogi-report reads). A report with error findings"
        " (an identity such as 一+二=三+四 broken) is refused unless --allow-errors. Exit"
        " status 0: written; 1: refused for error findings (they are printed); 2: FILE could"
        " not be read or printed, or the fill extra is missing.",
    )
    fill.add_argument("file", metavar="FILE", type=Path)
    fill.add_argument("-o", "--output", type=Path, required=True, help="the .docx file to write")
    fill.add_argument(
        "--allow-errors",
        action="store_true",
        help="write the form even if the report has error findings (they are printed)",
    )

    scores = commands.add_parser(
        "score",
        help="score reports under an assessment methodology and rank them",
        description="Score each report under a methodology (the bundled example unless"
        " --methodology), comparing each body's consecutive years; print the ranking, or"
        " write every deduction with its evidence as CSV or xlsx (-o). Exit status 0: scored;"
        " 2: a file or the methodology could not be read (the rest are still scored).",
    )
    scores.add_argument("files", nargs="+", metavar="FILE", type=Path)
    scores.add_argument("-r", "--recursive", action="store_true")
    scores.add_argument("--methodology", type=Path, help="a methodology TOML file")
    scores.add_argument("--by", choices=("minimum", "maximum"), default="minimum")
    scores.add_argument("--format", choices=("text", "csv"), default="text")
    scores.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write the scores here: .csv, .xlsx (xlsx extra), or a folder for a static site",
    )

    schema = commands.add_parser("schema", help="print the JSON Schema of the JSON form")
    schema.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    schema.add_argument(
        "--findings",
        action="store_true",
        help="the schema of check's JSON records (--format json|jsonl) instead, versioned",
    )

    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _fail(message: str) -> None:
    print(f"ogi-report: {message}", file=sys.stderr)


#: What ``-`` stands for as a FILE, in messages and provenance.
STDIN = "<stdin>"


def _read_source(name: str | Path) -> Report:
    """Read the file ``name``, or standard input for ``-`` (bounded as any input)."""
    if str(name) != "-":
        return read(Path(name))
    from .readers import MAX_BYTES

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return read(data, name=STDIN)


def _read(path: str) -> Report | None:
    try:
        return _read_source(path)
    except InputError as error:
        _fail(str(error) if error.source else f"{path}: {error}")
        return None


def _print_text(
    results: Sequence[tuple[str, str, Findings]], lang: str, out: IO[str], notes: bool = True
) -> None:
    zh = lang == "zh"
    for name, label, findings in results:
        for finding in findings:
            message = finding.message_zh if zh else finding.message_en
            where = finding.location or name
            print(f"{where}: {finding.severity.value} {finding.code}: {message}", file=out)
        for note in findings.notes if notes else ():
            print(f"{name}: {'说明' if zh else 'note'}: {note}", file=out)
        severities = {
            s: sum(1 for f in findings if f.severity.value == s)
            for s in ("error", "warning", "info")
        }
        if zh:
            status = "，".join(f"{_ZH_SEVERITY[s]}{n}项" for s, n in severities.items() if n)
            status = status or "无检查结果"
        else:
            status = ", ".join(_count(n, s) for s, n in severities.items() if n) or "no findings"
        if not label:
            print(f"{name}: {'跨年度规则' if zh else 'cross-year rules'}: {status}", file=out)
        else:
            print(f"{name}: {label}: {status}", file=out)


_ZH_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun == "info" else f"{n} {noun}s"


#: How many files a batch's first look finds before checking starts: a batch of fewer is
#: counted at once (its size sets how work is shared); a larger one is taken as it is found.
FILES_PEEKED = 4096


class _Files:
    """The files to check, found as they are taken: a folder's files come in the order of
    their paths (as :class:`~pathlib.Path` objects sort), its subfolders' (``-r``) where the
    subfolder's name is, so memory stays flat however many files a batch has.

    Paths are taken as given, whatever they are (reading says what is wrong with a FIFO or a
    device); a folder stands for its regular files and links to them (into subfolders if
    asked), its hidden files, README and truth files (:func:`~ogi_report.readers.skipped`)
    and special files skipped without a word. A folder that cannot be listed is said in one
    line when reached (:attr:`unlisted` counts them).

    The first :data:`FILES_PEEKED` are found at once: ``count`` is how many files a batch
    has when it has fewer, else None (then :meth:`counted` walks the folders again).
    """

    def __init__(self, paths: Sequence[Path], recursive: bool) -> None:
        self.paths, self.recursive = paths, recursive
        self.unlisted = 0
        #: Files taken so far.
        self.taken = 0
        self._found = self._names(loud=True)
        self._head = list(islice(self._found, FILES_PEEKED))
        self.count = len(self._head) if len(self._head) < FILES_PEEKED else None

    def __iter__(self) -> Iterator[str]:
        head, self._head = self._head, []
        for name in _chained(head, self._found):
            self.taken += 1
            yield name

    def counted(self) -> int:
        """How many files the batch has: :attr:`count`, or the folders walked again (quietly)."""
        if self.count is None:
            self.count = sum(1 for _ in self._names(loud=False))
        return self.count

    def _names(self, loud: bool) -> Iterator[str]:
        for path in self.paths:
            if not _is(path, Path.is_dir, False):
                yield str(path)
                continue
            try:
                if self.recursive:
                    yield from _walk(str(path))
                else:
                    listed = (name for name in map(str, path.iterdir()) if not skipped(name))
                    yield from sorted((name for name in listed if _is_file(name)), key=_path_order)
            except OSError as error:
                if loud:
                    _fail(f"{path}: cannot list this folder: {error.strerror or error}")
                    self.unlisted += 1


def _chained(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    """``head``'s names then ``rest``'s, ``head`` let go of once taken."""
    yield from head
    head.clear()
    yield from rest


def _walk(folder: str) -> Iterator[str]:
    """The files to check in ``folder`` and its subfolders (not hidden, README or truth
    files), as ``Path(folder).rglob("*")`` finds them (it does not go into links to
    folders, and skips a subfolder it may not list) without a Path for each name: in the
    order of their paths, a folder's names sorted as its Paths sort (:func:`_path_order`)
    and a subfolder's files where the subfolder's name is. A stack, not recursion: any
    depth. Each open folder holds only its names; each name is looked at once (``lstat``)."""
    stack = [(folder, _listing(folder))]
    while stack:
        parent, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        child = _child(parent, name)
        try:
            mode = os.lstat(child).st_mode
        except OSError as error:
            if error.errno not in _IGNORED_ERRNOS:
                raise
            continue  # gone since the folder was listed
        if stat.S_ISDIR(mode):
            stack.append((child, _listing(child)))
        elif not skipped_name(name) and (
            stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and _is_file(child))
        ):
            yield child


def _child(parent: str, name: str) -> str:
    """``str(Path(parent) / name)`` for a folder ``parent`` as a Path prints it and a
    ``name`` in it."""
    return name if parent == "." else os.path.join(parent, name)


def _listing(folder: str) -> Iterator[str]:
    """The names in ``folder`` sorted as their paths sort; none if it may not be listed."""
    try:
        return iter(sorted(os.listdir(folder), key=_path_order))
    except PermissionError:
        return iter(())


#: The errors that mean "not there" to :mod:`pathlib`'s tests (``Path.is_dir``, ``rglob``).
_IGNORED_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOENT", "ENOTDIR", "EBADF", "ELOOP") if hasattr(errno, name)
)


def _path_order(name: str) -> str:
    """A key that sorts names of one folder's files as their :class:`~pathlib.Path` objects
    sort (part by part, case-folded where the system is): the separator made the least of
    characters."""
    return os.path.normcase(name).replace(os.sep, "\0")


def _is_file(name: str) -> bool:
    return _is(Path(name), Path.is_file, True)


def _is(path: Path, test: Callable[[Path], bool], otherwise: bool) -> bool:
    """``test(path)``, or ``otherwise`` when the path cannot be looked at (reading will say why)."""
    try:
        return test(path)
    except OSError:
        return otherwise


@attrs.frozen
class _Checked:
    """What a worker sends back: enough to print and to pair, not the whole report.

    ``record``: what the cross-year rules need of the report (:func:`_record`), when they
    are to be run; ``ahead``: its comparisons with earlier files of its worker's chunk.
    """

    name: str
    findings: Findings | None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    record: bytes | None = None
    pair: bool = False
    files: tuple[str, ...] = ()
    ahead: tuple[_Ahead, ...] = ()

    def label(self, zh: bool = False) -> str:
        """The file's body, year and format for its summary line ("" for a pair)."""
        if self.pair:
            return ""
        if zh:
            kind = "2019年以前的报告" if self.template == "pre-2019" else f"{self.template}年版格式"
            return f"{self.agency or '（机关不明）'} {self.year or '（年度不明）'}，{kind}"
        agency, year = self.agency or "(agency unknown)", self.year or "(year unknown)"
        return f"{agency} {year}, {self.template} format"


class _TimeUp(BaseException):
    """The time limit's alarm: a BaseException, so that no ``except Exception`` swallows it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _TimeUp


#: The thread for which :func:`_alarm` is SIGALRM's handler for a run of steps
#: (:func:`_alarm_held`), or ``None``.
_ALARM_HELD_BY: int | None = None


def _can_alarm(seconds: float) -> bool:
    """True if a time limit of ``seconds`` can be kept here: a limit (not 0), SIGALRM (POSIX),
    the main thread, and no handler set outside Python."""
    return bool(
        seconds
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) is not None
    )


@contextmanager
def _alarm_held(seconds: float) -> Iterator[None]:
    """:func:`_alarm` as SIGALRM's handler for the whole block, so that each
    :func:`_time_limit` in it only sets and clears the timer (setting the handler costs
    more than a small file's check). For a worker's chunk: what was set before is put
    back when the block ends."""
    global _ALARM_HELD_BY
    if _ALARM_HELD_BY is not None or not _can_alarm(seconds):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    _ALARM_HELD_BY = threading.get_ident()
    try:
        yield
    finally:
        _ALARM_HELD_BY = None
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TimeUp` in the block after ``seconds`` (0: no limit).

    SIGALRM, so POSIX and the main thread only; elsewhere there is no limit, as there is
    when SIGALRM has a handler set outside Python. An alarm set outside is put back, with the
    time it has left, when the block ends.
    """
    held = bool(seconds) and threading.get_ident() == _ALARM_HELD_BY
    if not held and not _can_alarm(seconds):
        yield
        return
    previous = None if held else signal.signal(signal.SIGALRM, _alarm)
    start = time.monotonic()
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            if not held:
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
    return _check_file(name, options, timeout)[0]


def _check_file(
    name: str, options: CheckOptions, timeout: float
) -> tuple[_Checked, PairRecord | None]:
    """:func:`_check_one`, and the file's record for the cross-year rules as well as its
    pickled form (:attr:`_Checked.record`), when they are to be run; never raises."""

    def work() -> tuple[_Checked, PairRecord | None]:
        report = _read_source(name)
        meta = report.metadata
        findings = _named(check(report, options), name)
        record = pickled = None
        if _pairs_wanted(options):
            try:
                record, pickled = _record(report)
            except Exception as error:  # the file's own findings are kept all the same
                note = f"cross-year rules not run: {_internal(name, error)}"
                findings = Findings(tuple(findings), (*findings.notes, note))
        version = report.template.version
        checked = _Checked(name, findings, None, meta.agency, meta.reporting_year, version, pickled)
        return checked, record

    outcome = _guarded(name, timeout, work)
    return (_Checked(name, None, outcome.reason), None) if isinstance(outcome, _Failed) else outcome


@cache
def _pairs_wanted(options: CheckOptions) -> bool:
    """Whether ``options`` select any cross-year rule: if not, no pair is compared."""
    return any(options.wants(code) for code, rule in RULES.items() if rule.scope == "pair")


def _record(report: Report) -> tuple[PairRecord, bytes]:
    """What the cross-year rules read of ``report`` (:func:`pair_record`: its format, agency
    and year, the cells they compare, its tables' cells and its sections' normalised texts),
    and that pickled: a few hundred bytes to a few kilobytes, compared by
    :func:`check_records` with no report rebuilt (:func:`_unpickled`)."""
    record = pair_record(report)
    # A plain tuple, the format by its version: quicker to write and read.
    return record, pickle.dumps((record.template.version, *record[1:]), pickle.HIGHEST_PROTOCOL)


def _unpickled(record: bytes) -> PairRecord:
    version, *rest = pickle.loads(record)
    return PairRecord(get_template(version), *rest)


def _pair_name(first: str, second: str) -> str:
    """How a comparison of two files is named in its result and its messages."""
    return f"{first} + {second}"


def _check_pair(first: _Year, second: _Year, options: CheckOptions, timeout: float) -> _Checked:
    """Compare two years from their pickled records (no file is read again); never raises."""
    return _compare((first.name, second.name), first.record, second.record, options, timeout)


def _compare(
    files: tuple[str, str],
    first: PairRecord | bytes,
    second: PairRecord | bytes,
    options: CheckOptions,
    timeout: float,
) -> _Checked:
    """The cross-year rules on the two ``files``, from their records or the records pickled;
    never raises."""
    name = _pair_name(*files)

    def work() -> _Checked:
        earlier = _unpickled(first) if isinstance(first, bytes) else first
        later = _unpickled(second) if isinstance(second, bytes) else second
        pair = check_records(earlier, later, options)
        return _Checked(name, _named(pair, name), pair=True, files=files)

    outcome = _guarded(name, timeout, work)
    if isinstance(outcome, _Failed):
        return _Checked(name, None, outcome.reason, pair=True, files=files)
    return outcome


@attrs.frozen
class _Year:
    """A checked file to compare with the neighbouring years of its body, and its record."""

    name: str
    record: bytes


class _Ahead(NamedTuple):
    """A comparison a worker made ahead of the main process, of two files of its chunk that
    the main process is likely to pair: the files, their pickled records, and the result
    (its findings, or why it has none). The main process uses it only for a pair of those
    very files and records (:func:`_made_ahead`)."""

    files: tuple[str, str]
    records: tuple[bytes, bytes]
    findings: Findings | None
    error: str | None


#: A piece of a batch's work: a file to check, or two years of a body to compare.
_Item = str | tuple[_Year, _Year]
_Chunk = tuple[_Item, ...]


def _check_item(item: _Item, options: CheckOptions, timeout: float) -> _Checked:
    if isinstance(item, str):
        return _check_one(item, options, timeout)
    return _check_pair(*item, options, timeout)


def _item_name(item: _Item) -> str:
    return item if isinstance(item, str) else _pair_name(item[0].name, item[1].name)


def _lost(item: _Item, reason: str) -> _Checked:
    """The result of an item that gave none: ``reason`` names it."""
    return _Checked(_item_name(item), None, reason, pair=not isinstance(item, str))


class _Feed:
    """A batch's work: the files in order, each pair of years found put ahead of them (a
    pair is found when the second of its files is checked, so pairs follow the input order)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = iter(names)
        self._pairs: deque[tuple[_Year, _Year]] = deque()

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> _Item:
        return self._pairs.popleft() if self._pairs else next(self._names)

    def extend(self, pairs: Iterable[tuple[_Year, _Year]]) -> None:
        self._pairs.extend(pairs)


def _named(findings: Findings, name: str) -> Findings:
    return Findings(tuple(attrs.evolve(f, source=name) for f in findings), findings.notes)


def _results(
    feed: _Feed, files: int, options: CheckOptions, jobs: int, timeout: float
) -> Iterator[_Checked]:
    """Each item's result, in the feed's order: here for a few files or one job, else in
    processes. ``files``: how many files the feed holds (:data:`FILES_PEEKED` if more)."""
    if jobs <= 1 or files < 4:
        return (_check_item(item, options, timeout) for item in feed)
    most = 61 if sys.platform == "win32" else files  # Windows waits on at most 61
    jobs = min(jobs, files, most)
    size = max(1, min(CHUNK_MAX, files // (jobs * WINDOW_PER_JOB)))
    return _pooled(feed, size, options, jobs, timeout)


def _check_in_worker(items: _Chunk, options: CheckOptions, timeout: float) -> list[_Checked]:
    """:func:`_check_item` of each item, in a worker process, which is ended outright if it
    is still at one step between :data:`HARD_GRACE` and twice that many seconds after its
    time limit (stuck where no signal handler runs).

    Two files of the chunk that are consecutive years of one body (by agency name) are
    compared here too, while their records are in hand (:class:`_Ahead`, with the later
    file's result): the main process need not send them back in most batches, whose files
    come a body's years together.
    """
    results = []
    held: dict[tuple[str, int], tuple[str, PairRecord, bytes]] = {}
    with _watchdog(timeout) as step, _alarm_held(timeout):
        for item in items:
            step()
            if not isinstance(item, str):
                results.append(_check_pair(*item, options, timeout))
                continue
            result, record = _check_file(item, options, timeout)
            if record is not None and result.record is not None and result.agency:
                this = (item, record, result.record)
                ahead = []
                for first, second in _chunk_pairs(
                    held, normalise(result.agency), result.year, this
                ):
                    step()
                    files = (first[0], second[0])
                    made = _compare(files, first[1], second[1], options, timeout)
                    ahead.append(_Ahead(files, (first[2], second[2]), made.findings, made.error))
                if ahead:
                    result = attrs.evolve(result, ahead=tuple(ahead))
            results.append(result)
    return results


def _chunk_pairs(
    held: dict[tuple[str, int], tuple[str, PairRecord, bytes]],
    key: str,
    year: int | None,
    this: tuple[str, PairRecord, bytes],
) -> list[tuple[tuple[str, PairRecord, bytes], tuple[str, PairRecord, bytes]]]:
    """The files of a chunk so far that ``this`` (of body ``key`` and ``year``) would pair
    with, earlier year first, as :class:`_Pairing` pairs them; ``this`` is held for the
    rest of the chunk if it is the first of its body and year."""
    if year is None or (key, year) in held:
        return []
    held[key, year] = this
    pairs = []
    before, after = held.get((key, year - 1)), held.get((key, year + 1))
    if before is not None:
        pairs.append((before, this))
    if after is not None:
        pairs.append((this, after))
    return pairs


@contextmanager
def _watchdog(timeout: float) -> Iterator[Callable[[], None]]:
    """In the block, a function to call before each step (a file, a comparison) that may
    take up to ``timeout`` seconds (0: no limit): the process is ended outright if it is
    still at a step between :data:`HARD_GRACE` and twice that many seconds after its time
    limit."""
    if not timeout:
        yield lambda: None
        return
    # Arming the watchdog costs a thread, so it is armed for twice the grace and armed
    # again only when less than the grace would be left at a step's time limit.
    horizon = timeout + 2 * HARD_GRACE
    until = -math.inf

    def step() -> None:
        nonlocal until
        now = time.monotonic()
        if until - now < timeout + HARD_GRACE:
            faulthandler.dump_traceback_later(horizon, exit=True, file=devnull)
            until = now + horizon

    with open(os.devnull, "w") as devnull:
        try:
            yield step
        finally:
            faulthandler.cancel_dump_traceback_later()


def _pooled(
    feed: Iterator[_Item], size: int, options: CheckOptions, jobs: int, timeout: float
) -> Iterator[_Checked]:
    """Results from ``jobs`` processes, in the feed's order, a few chunks of ``size`` items
    per process in flight (:data:`WINDOW_PER_JOB`), so memory stays flat.

    A process that dies breaks its pool and fails every item in flight: those are checked
    again one at a time (:func:`_recovered`), so only the culprit is lost; then a new pool
    takes over the rest.
    """
    try:
        pool = ProcessPoolExecutor(jobs)
    except (OSError, NotImplementedError):  # no process pools on this system: check here
        yield from (_check_item(item, options, timeout) for item in feed)
        return
    queue = feed
    pending: deque[tuple[_Chunk, Future[list[_Checked]]]] = deque()
    try:
        while True:
            while len(pending) < jobs * WINDOW_PER_JOB and (chunk := _chunk(queue, size)):
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


def _chunk(items: Iterator[_Item], size: int) -> _Chunk:
    """The next task: items until they make ``size`` files, a comparison of two years
    counting as :data:`PAIRS_PER_FILE`-th of one (a batch laid out by year sends every
    comparison back to a worker)."""
    chunk: list[_Item] = []
    room = size * PAIRS_PER_FILE
    for item in items:
        chunk.append(item)
        room -= PAIRS_PER_FILE if isinstance(item, str) else 1
        if room <= 0:
            break
    return tuple(chunk)


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
                for item in chunk:
                    retry = _submit(alone, (item,), options, timeout)
                    if _broke(alone, retry):
                        alone.shutdown(wait=True)
                        alone = ProcessPoolExecutor(1)
                    results.extend(_settled((item,), retry))
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
        return _done([_check_item(item, options, timeout) for item in chunk])


def _done(results: list[_Checked]) -> Future[list[_Checked]]:
    future: Future[list[_Checked]] = Future()
    future.set_result(results)
    return future


def _settled(chunk: _Chunk, future: Future[list[_Checked]]) -> list[_Checked]:
    """A future's results, or for each item why it has none, in one line (its process died,
    or its pool broke and left it unsettled; results that could not be sent back)."""
    if not future.done():
        return [_lost(item, f"{_item_name(item)}: {_DIED}") for item in chunk]
    try:
        return future.result()
    except BrokenProcessPool:
        return [_lost(item, f"{_item_name(item)}: {_DIED}") for item in chunk]
    except Exception as error:
        return [_lost(item, _internal(_item_name(item), error)) for item in chunk]


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
    if (args.format == "html") != (args.output is not None):
        _fail("--format html writes a site into the folder -o names (and -o needs --format html)")
        return EXIT_USAGE
    site = None
    if args.format == "html":
        from .writers.site import Site, SiteEntry

        site = Site(args.output)
    names = _Files(args.files, args.recursive)
    if names.count == 0 and not names.unlisted:
        _fail(f"{', '.join(map(str, args.files))}: no file to check (use -r for subfolders)")
        return EXIT_INPUT
    explicit_pair = len(args.files) == 2 and names.count == 2
    shown = args.progress or ((names.count or FILES_PEEKED) > 20 and sys.stderr.isatty())
    progress = Progress(names.counted() if shown else 0, "files", show=shown)
    pairing_progress = Progress(
        0, "cross-year pairs", show=shown and _pairs_wanted(options), position=1
    )
    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    array = _JsonArray(sys.stdout) if args.format == "json" else None
    has_errors = False

    def record(result: _Checked, findings: Findings | None, notes: tuple[str, ...]) -> None:
        data = check_record(
            (result.files[0], result.files[1]) if result.pair else result.name,
            findings=findings,
            status="checked"
            if findings is not None
            else ("failed" if result.pair else "unreadable"),
            error=result.error,
            agency=result.agency,
            year=result.year,
            template=result.template,
            notes=notes,
        )
        if array is not None:
            array.add(data)
        else:
            print(json.dumps(data, ensure_ascii=False))

    def emit(result: _Checked, findings: Findings, label: str, notes: tuple[str, ...]) -> None:
        nonlocal has_errors
        has_errors = has_errors or findings.has_errors
        shown = [f for f in findings if f.severity.rank <= rank]
        for finding in findings:
            counts[finding.severity.value] += 1
            codes[finding.code] += 1
        name = result.name
        if args.format in ("json", "jsonl"):
            kept = findings.notes + notes if rank == 2 else ()
            record(result, Findings(tuple(shown), kept), ())
        elif args.format == "text":
            _print_text(
                [(name, label, Findings(tuple(shown), findings.notes))],
                args.lang,
                sys.stdout,
                notes=rank == 2,  # notes (what was not assessed) sit below info
            )

    def page(result: _Checked) -> None:
        """The file's page of the site: its report read again here (the workers keep none)."""
        assert site is not None
        got: Report | _Failed | None = None
        if result.findings is not None:
            got = _guarded(result.name, args.timeout, lambda: _read_source(result.name))
        if isinstance(got, Report):
            site.add(SiteEntry(result.name, got, result.findings))
        else:
            error = got.reason if isinstance(got, _Failed) else result.error
            site.add(SiteEntry(result.name, error=error))

    def show(result: _Checked, note: str | None, failure: str | None) -> None:
        if site is not None and not result.pair:
            page(result)
        if result.findings is None:
            counts["pairs failed" if result.pair else "unreadable"] += 1
            _fail(result.error or result.name)
            if args.format in ("json", "jsonl"):
                record(result, None, ())
        else:
            if not result.pair:
                counts["files"] += 1
            label = result.label(zh=args.lang == "zh")
            extra = tuple(n for n in (note, failure) if n and args.format in ("json", "jsonl"))
            emit(result, result.findings, label, extra)
        if note and args.format == "text" and rank == 2:
            print(f"{result.name}: {'说明' if args.lang == 'zh' else 'note'}: {note}")
        if failure:
            counts["pairs failed"] += 1
            _fail(failure)

    # Printed in one order whatever the processes: each file, then the pairs it completes
    # (their results come later, as they are checked after the files already sent).
    feed = _Feed(names)
    places: deque[list[_Shown | None]] = deque()
    sent: deque[list[_Shown | None]] = deque()  # the places of the pairs sent, in order
    with _Pairing(args.aliases, explicit_pair) as pairing:
        files = names.count or FILES_PEEKED  # or more
        for result in _results(feed, files, options, args.jobs, args.timeout):
            if result.pair:
                sent.popleft()[0] = (result, None, None)
                pairing_progress.update()
            else:
                progress.update()
                pairs: list[tuple[_Year, _Year]] = []
                note = failure = None
                if result.findings is not None:
                    try:
                        pairs, note = pairing.add(result)
                    except Exception as error:  # the temporary file of held years failed
                        failure = f"{result.name}: cross-year rules not run: {_one_line(error)}"
                places.append([(result, note, failure)])
                sending = []
                for pair in pairs:
                    ahead = _made_ahead(result, pair)
                    places.append([None if ahead is None else (ahead, None, None)])
                    if ahead is None:
                        sent.append(places[-1])
                        sending.append(pair)
                if pairs:
                    pairing_progress.grow(len(pairs))
                    pairing_progress.update(len(pairs) - len(sending))
                feed.extend(sending)
            while places and (ready := places[0][0]) is not None:
                places.popleft()
                with progress.printing(), pairing_progress.printing():
                    show(*ready)
    progress.close()
    pairing_progress.close()
    if array is not None:
        array.close()
    if site is not None:
        print(f"site: {site.close()}", file=sys.stderr)
    counts["unreadable"] += names.unlisted
    if names.taken > 2 or args.summary:
        _summary(counts, codes, sys.stderr if args.format != "text" else sys.stdout)
    if counts["unreadable"] or counts["pairs failed"]:
        return EXIT_INPUT
    return EXIT_FINDINGS if has_errors else EXIT_OK


def _made_ahead(result: _Checked, pair: tuple[_Year, _Year]) -> _Checked | None:
    """The comparison of ``pair`` that the worker made ahead with ``result`` (the pair's
    later-found file), if it compared these very files and records."""
    first, second = pair
    files, records = (first.name, second.name), (first.record, second.record)
    for ahead in result.ahead:
        if ahead.files == files and ahead.records == records:
            name = _pair_name(*files)
            return _Checked(name, ahead.findings, ahead.error, pair=True, files=files)
    return None


#: A result to print: a file's or a pair's, a note on the file, why its pairs failed.
_Shown = tuple[_Checked, str | None, str | None]


class _JsonArray:
    """A JSON array written an item at a time, as ``json.dump(items, indent=2)`` writes it."""

    def __init__(self, out: IO[str]) -> None:
        self._out, self._empty = out, True

    def add(self, item: object) -> None:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        self._out.write(("[\n  " if self._empty else ",\n  ") + text)
        self._empty = False

    def close(self) -> None:
        self._out.write("[]\n" if self._empty else "\n]\n")


#: Bytes of records held in memory, at most: past this the oldest move to a temporary SQLite
#: file, so that memory stays flat however many bodies a batch has.
HELD_IN_MEMORY = 4 << 20
#: What an entry costs beyond its record and file name (its tuples, dict slot, key), roughly.
_ENTRY_BYTES = 200
#: Bits of the filter that tells the bodies with entries in the temporary database (256 KiB):
#: a body it has not seen is not looked up there; one it wrongly has costs a query.
_STORED_SHIFT = 21
_STORED_BITS = 1 << _STORED_SHIFT

_Entry = tuple[str, bytes | None]


class _Held:
    """For each body and year seen, ``(file, record)``; the record is dropped (``None``) once
    both neighbouring years were seen, as then it can pair with nothing more.

    The latest entries are held in memory, up to :data:`HELD_IN_MEMORY` bytes; the oldest
    then move, in batches, to a private temporary SQLite database (on disk, deleted when
    closed). If SQLite is missing or cannot be written (a full disk), entries stay in
    memory: memory grows, nothing is lost.
    """

    def __init__(self) -> None:
        self._memory: dict[tuple[str, int], _Entry] = {}
        self._bytes = 0
        self._db: sqlite3.Connection | None = None
        self._spill = True
        self._stored = bytearray()  # the filter, once entries move to the database

    def around(self, key: str, year: int) -> dict[int, _Entry]:
        """The entries of body ``key`` from ``year - 2`` to ``year + 2``, by year."""
        found: dict[int, _Entry] = {}
        if self._db is not None and self._may_be_stored(key):
            for seen, name, record in self._db.execute(
                "SELECT year, name, record FROM held WHERE key = ? AND year BETWEEN ? AND ?",
                (key, year - 2, year + 2),
            ):
                found[seen] = (name, record)
        memory = self._memory
        for seen in range(year - 2, year + 3):
            entry = memory.get((key, seen))
            if entry is not None:  # newer than the database's
                found[seen] = entry
        return found

    def put(self, key: str, year: int, entry: _Entry) -> None:
        """Set the entry of body ``key`` and ``year``."""
        old = self._memory.pop((key, year), None)
        if old is not None:
            self._bytes -= _size(old)
        self._memory[key, year] = entry
        self._bytes += _size(entry)
        if self._bytes > HELD_IN_MEMORY and self._spill:
            self._evict()

    def _evict(self) -> None:
        """Move the oldest entries to the database until half the budget is left."""
        moved: list[tuple[str, int, str, bytes | None]] = []
        left = self._bytes
        for (key, year), entry in self._memory.items():
            if left <= HELD_IN_MEMORY // 2:
                break
            moved.append((key, year, *entry))
            left -= _size(entry)
        try:
            if self._db is None:
                self._db = _database()
            self._db.executemany("INSERT OR REPLACE INTO held VALUES (?, ?, ?, ?)", moved)
        except Exception:  # no sqlite3 module, no temporary file, a full disk: keep them here
            self._spill = False
            return
        if not self._stored:
            self._stored = bytearray(_STORED_BITS // 8)
        for key, year, *_ in moved:
            del self._memory[key, year]
            for bit in _bits(key):
                self._stored[bit >> 3] |= 1 << (bit & 7)
        self._bytes = left

    def _may_be_stored(self, key: str) -> bool:
        """False if body ``key`` has no entry in the database (True: it may have one)."""
        return all(self._stored[bit >> 3] >> (bit & 7) & 1 for bit in _bits(key))

    def close(self) -> None:
        if self._db is not None:
            with suppress(Exception):
                self._db.close()


def _bits(key: str) -> tuple[int, int]:
    """The filter's two bits for body ``key``."""
    digest = hash(key)
    return digest & (_STORED_BITS - 1), (digest >> _STORED_SHIFT) & (_STORED_BITS - 1)


def _size(entry: _Entry) -> int:
    return _ENTRY_BYTES + len(entry[0]) + len(entry[1] or b"")


def _database() -> sqlite3.Connection:
    """A private temporary SQLite database for held entries: on disk, deleted when closed."""
    import sqlite3

    db = sqlite3.connect("", isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA cache_size = -2048")  # KiB: the memory it may use
        db.execute(
            "CREATE TABLE held (key TEXT NOT NULL, year INTEGER NOT NULL, name TEXT,"
            " record BLOB, PRIMARY KEY (key, year))"
        )
        db.execute("BEGIN")  # never committed: the database is thrown away
    except BaseException:
        db.close()
        raise
    return db


class _Pairing:
    """The pairs of reports to compare across years, found as results come, from the records
    workers send (no file is read again).

    Two files given as a pair are compared as given. Otherwise a file is compared with the
    previous and the next year of its body (its alias, else its normalised agency name) as
    soon as both are checked, so pairs follow the input order; the first file of a body and
    year stands for it (another gets a note). Held are only the records of years whose both
    neighbours have not been seen yet (:class:`_Held`).
    """

    def __init__(self, aliases: Mapping[str, str], explicit: bool) -> None:
        self._aliases, self._explicit = aliases, explicit
        self._first: _Year | None = None
        self._held = _Held()

    def __enter__(self) -> _Pairing:
        return self

    def __exit__(self, *exc: object) -> None:
        self._held.close()

    def add(self, result: _Checked) -> tuple[list[tuple[_Year, _Year]], str | None]:
        """The pairs ``result`` completes, in order, and a note if it is not compared."""
        if result.record is None:
            return [], None
        this = _Year(result.name, result.record)
        if self._explicit:
            if self._first is None:
                self._first = this
                return [], None
            return [(self._first, this)], None
        agency, year = result.agency, result.year
        if not agency or year is None:
            return [], None
        key = self._aliases.get(agency) or normalise(agency)
        seen = self._held.around(key, year)
        if year in seen:
            return [], f"not compared across years: {seen[year][0]} came first for {year}"
        pairs = []
        before, after = seen.get(year - 1), seen.get(year + 1)
        if before is not None and before[1] is not None:
            pairs.append((_Year(before[0], before[1]), this))
        if after is not None and after[1] is not None:
            pairs.append((this, _Year(after[0], after[1])))
        closed = before is not None and after is not None
        self._held.put(key, year, (this.name, None if closed else this.record))
        # A neighbour whose other neighbour was seen too can pair with nothing more.
        for neighbour, entry, beyond in ((year - 1, before, year - 2), (year + 1, after, year + 2)):
            if entry is not None and entry[1] is not None and beyond in seen:
                self._held.put(key, neighbour, (entry[0], None))
        return pairs, None


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
    from .compare import diff, diff_html

    result = diff(a, b)
    if args.format == "json":
        data = {
            "cells": [
                {
                    "code": c.code,
                    "code_b": c.code_b,
                    "label_zh": c.label_zh,
                    "label_en": c.label_en,
                    "a": json_value(format_cell(c.a)) if c.a is not None else None,
                    "b": json_value(format_cell(c.b)) if c.b is not None else None,
                    "delta": json_value(c.delta),
                    "relative": json_value(c.relative),
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
    return EXIT_FINDINGS if result else EXIT_OK


def _shown(value: object) -> str:
    return "(not printed)" if value is None else str(format_cell(value))  # type: ignore[arg-type]


def _render(args: argparse.Namespace) -> int:
    from .writers.render import to_html, to_markdown

    report = _read(args.file)
    if report is None:
        return EXIT_INPUT
    if args.to == "md":
        text = to_markdown(report)
    else:
        text = to_html(report, () if args.no_findings else check(report))
    _write(text.encode(), args.output)
    return EXIT_OK


def _fill(args: argparse.Namespace) -> int:
    """Read a report and write its official form; nothing is written when it is refused."""
    import warnings

    from .errors import ReportErrors
    from .writers.form import FormError, FormWarning, write_form

    name = str(args.file)

    def work() -> tuple[bytes, Findings] | Findings | _Failed:
        report = _read_source(args.file)
        buffer = io.BytesIO()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FormWarning)  # the findings are printed below
                findings = write_form(report, buffer, allow_errors=args.allow_errors)
        except ReportErrors as refused:
            return Findings(tuple(violation.finding for violation in refused.exceptions))
        except (ImportError, FormError) as error:  # no python-docx; cells or a kind unprintable
            return _Failed(f"{name}: {error}")
        return buffer.getvalue(), findings.errors

    outcome = _guarded(name, TIMEOUT_DEFAULT, work)
    if isinstance(outcome, _Failed):
        _fail(outcome.reason)
        return EXIT_INPUT
    errors = outcome if isinstance(outcome, Findings) else outcome[1]
    for finding in errors:
        print(f"{finding.location or name}: error {finding.code}: {finding.message_en}")
    if isinstance(outcome, Findings):
        _fail(
            f"{name}: refused to write the form: {_count(len(errors), 'error finding')};"
            " --allow-errors writes it all the same"
        )
        return EXIT_FINDINGS
    _write(outcome[0], args.output)
    return EXIT_OK


def _read_all(args: argparse.Namespace) -> tuple[list[Report], bool]:
    files = _Files(args.files, args.recursive)
    reports, unreadable = [], False
    for path in files:
        report = _read(path)
        if report is None:
            unreadable = True
        else:
            reports.append(report)
    return reports, unreadable or bool(files.unlisted)


def _indicators(args: argparse.Namespace) -> int:
    from .indicators import INDICATORS, indicators

    reports, unreadable = _read_all(args)
    rows = [(r.metadata.source or r.metadata.agency or "?", indicators(r)) for r in reports]
    if len(reports) > 1:
        rows.append(("(all files)", indicators(reports)))
    if args.format == "json":
        data = [
            {"report": name, **{k: json_value(v) for k, v in values.items()}}
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
    from .aggregate import ReportSet

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


def _who(report: Report) -> str:
    return f"{report.metadata.agency} {report.metadata.reporting_year}"


def _copies_by_report(reports: Sequence[Report]) -> dict[str, list[Finding]]:
    """The 雷同 findings of the set (``similarity.find_copies``), by each report they name."""
    from .similarity import find_copies

    found: dict[str, list[Finding]] = {}
    for finding in find_copies(reports):
        for side in (finding.instance or "").split(" / "):
            found.setdefault(side, []).append(finding)
    return found


def _score(args: argparse.Namespace) -> int:
    from .aggregate import ReportSet
    from .scorecard import example_methodology, load_methodology, rank, score, scores_to_csv

    try:
        methodology = (
            load_methodology(args.methodology) if args.methodology else example_methodology()
        )
    except InputError as error:
        _fail(str(error))
        return EXIT_INPUT
    reports, unreadable = _read_all(args)
    copies = _copies_by_report(reports)
    assessed = []
    for body_reports in ReportSet(reports).bodies().values():
        by_year = {r.metadata.reporting_year: r for r in body_reports}
        for report in body_reports:
            year = report.metadata.reporting_year
            previous = by_year.get(year - 1) if year is not None else None
            findings = check(report)
            pair = None
            if previous is not None:  # else the cross-year items stay uncertain
                compared = check_pair(previous, report)
                found = (*compared, *copies.get(_who(report), ()))
                pair = Findings(found, compared.notes)
            assessed.append(
                (
                    report,
                    findings,
                    score(report, findings, methodology=methodology, pair_findings=pair),
                )
            )
    ranked = rank((card for _, _, card in assessed), by=args.by)
    if args.output is not None and (args.output.is_dir() or not args.output.suffix):
        from .writers.site import SiteEntry, write_site

        entries = (
            SiteEntry(report.metadata.source or "?", report, findings, score=card)
            for report, findings, card in assessed
        )
        print(f"site: {write_site(entries, args.output)}", file=sys.stderr)
    elif args.output is not None and args.output.suffix.lower() == ".xlsx":
        from .writers.xlsx import write_xlsx

        try:
            write_xlsx(assessed, args.output)
        except ImportError as error:
            _fail(str(error))
            return EXIT_INPUT
    elif args.output is not None or args.format == "csv":
        text = scores_to_csv([r.score for r in ranked]) or ""
        _write(text.encode("utf-8"), args.output)
    if args.output is None and args.format == "text":
        for place in ranked:
            print(f"{place.position}. {place.score}")
    return EXIT_INPUT if unreadable else EXIT_OK


def _rules(form: str = "text") -> int:
    if form == "json":
        data = [
            {
                "code": rule.code,
                "severity": rule.severity.value,
                "scope": rule.scope,
                "formats": sorted(rule.templates),
                "title_en": rule.title_en,
                "title_zh": rule.title_zh,
                "citation": rule.citation,
            }
            for rule in RULES.values()
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
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
    if args.command == "fill":
        return _fill(args)
    if args.command == "score":
        return _score(args)
    if args.command == "schema":
        schema = check_record_schema() if args.findings else json_schema()
        data = json.dumps(schema, ensure_ascii=False, indent=2).encode() + b"\n"
        _write(data, args.output)
        return EXIT_OK
    return _rules(args.format)


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
