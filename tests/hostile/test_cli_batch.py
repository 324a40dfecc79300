"""``ogi-report check`` on a batch with hostile files: every file ends in its findings or in
one line on standard error naming it, the batch always finishes, no traceback.

Failures that need no broken reader (an unexpected exception, a hang, a dying worker) are
made by replacing ``ogi_report.cli.read``: in this process with ``--jobs 1``, or, for worker
processes, in a small wrapper script run as a subprocess whose workers are forked from it.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest

import ogi_report
from ogi_report import cli
from ogi_report.cli import EXIT_USAGE, main

#: What ``check`` prints for each good example (the 2019-format one has two errors).
GOOD = {"good-2020.json": "2 errors, 1 warning", "good-2021.json": "no findings"}

WRAPPER = """\
import multiprocessing, os, signal, sys, time
from pathlib import Path

import ogi_report.cli as cli

multiprocessing.set_start_method("fork")
real = cli.read


def read(source, **kwargs):
    name = Path(source).name
    if name == "killed.json":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "exits.json":
        os._exit(3)
    if name == "stuck.json":  # stuck where no Python signal handler runs
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(60)
    return real(source, **kwargs)


cli.read = read
cli.HARD_GRACE = 0.5
sys.exit(cli.main(sys.argv[1:]))
"""

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers inherit a patch by fork")


def _good(folder: Path, prefix: str = "good") -> list[Path]:
    """The two examples (consecutive years of one body), as ``{prefix}-2020/2021.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for version, year in (("2019", "2020"), ("2021", "2021")):
        path = folder / f"{prefix}-{year}.json"
        path.write_bytes(ogi_report.dumps(ogi_report.example_report(version)))
        paths.append(path)
    return paths


def _hostile(folder: Path) -> list[Path]:
    """Garbage bytes, a truncated report, JSON nested 100000 deep, an empty file."""
    whole = ogi_report.dumps(ogi_report.example_report("2021"))
    contents = {
        "garbage.bin": random.Random(8).randbytes(4096),
        "truncated.json": whole[: len(whole) // 2],
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "empty.json": b"",
    }
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in contents]


def _special(folder: Path) -> list[Path]:
    """A FIFO, a link to /dev/zero, a broken link and (where the path fits) a socket."""
    fifo, zero, broken = folder / "fifo", folder / "zero", folder / "broken"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    broken.symlink_to(folder / "nowhere")
    made = [fifo, zero, broken]
    if hasattr(socket, "AF_UNIX") and len(str(folder / "socket")) < 100:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(folder / "socket"))
        server.close()
        made.append(folder / "socket")
    return made


def _errors(err: str) -> list[str]:
    return err.splitlines()


def _assert_batch(out: str, err: str, good: list[Path], bad: list[Path], *, said: str = "") -> None:
    """Each good file's status line is printed; exactly one stderr line per bad file,
    naming it (and saying ``said``); nothing else on stderr; no traceback anywhere."""
    for path in good:
        assert f"{path}: 示例县人民政府" in out
        assert GOOD[path.name] in next(line for line in out.splitlines() if f"{path}: 示" in line)
    lines = _errors(err)
    assert len(lines) == len(bad), err
    for path in bad:
        mine = [line for line in lines if line.startswith(f"ogi-report: {path}: ")]
        assert len(mine) == 1, err
        assert said in mine[0]
    assert "Traceback" not in out + err


def _wrapped(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``ogi-report`` run through :data:`WRAPPER` in a subprocess."""
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    command = [sys.executable, "-W", "ignore::DeprecationWarning", str(wrapper), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


# --- a folder of hostile files -----------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_folder_with_hostile_and_special_files(
    jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder mixing good reports, hostile files and special files (FIFO, link to
    /dev/zero, broken link, socket): good files are checked and compared, one line per
    hostile file, special files skipped without a word, exit 2."""
    folder = tmp_path / "reports"
    good = _good(folder)
    bad = _hostile(folder)
    _special(folder)
    assert main(["check", str(folder), "--jobs", jobs, "--timeout", "20"]) == 2
    out, err = capsys.readouterr()
    _assert_batch(out, err, good, bad)
    assert f"{good[0]} + {good[1]}: cross-year rules" in out
    assert "summary: 2 files read, 4 unreadable" in out


def test_recursive_folder_with_hostile_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-r: good and hostile files in subfolders, with more files than the processes'
    window, all end in a result or one line; results come in input order."""
    folder = tmp_path / "reports"
    good = [p for n in range(6) for p in _good(folder / f"body-{n}", prefix="good")]
    bad = _hostile(folder / "body-3")
    _special(folder / "body-4")
    assert main(["check", "-r", str(folder), "--jobs", "2", "--timeout", "20"]) == 2
    out, err = capsys.readouterr()
    _assert_batch(out, err, good, bad)
    statuses = [line.split(": ")[0] for line in out.splitlines() if ": 示例县人民政府" in line]
    assert statuses == sorted(map(str, good))


def test_recursive_folder_deeper_than_the_recursion_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """-r walks folders with a stack: a file 1,500 folders down is found and checked."""
    monkeypatch.chdir(tmp_path)
    os.mkdir("deep")
    try:
        os.chdir("deep")  # a step at a time: no single call is given the whole long path
        for _ in range(1_500):
            os.mkdir("a")
            os.chdir("a")
        Path("r.json").write_bytes(ogi_report.dumps(ogi_report.example_report("2021")))
        os.chdir(tmp_path)
        assert main(["check", "-r", "deep", "--jobs", "1"]) == 0
        out, _ = capsys.readouterr()
        assert out.startswith("deep/" + "a/" * 1_500 + "r.json: 示例县人民政府 2021")
    finally:  # shutil.rmtree recurses: pytest could not remove the tree later
        os.chdir(tmp_path)
        _remove_deep(Path("deep"))


def _remove_deep(top: Path) -> None:
    """Remove a tree of one folder per level, at any depth, going down with chdir."""
    start = os.getcwd()
    os.chdir(top)
    depth = 0
    while os.path.isdir("a"):
        os.chdir("a")
        depth += 1
    for name in os.listdir("."):
        os.remove(name)
    for _ in range(depth):
        os.chdir("..")
        os.rmdir("a")
    os.chdir(start)
    top.rmdir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_special_files_named_on_the_command_line(tmp_path: Path) -> None:
    """A FIFO, /dev/zero (and a link to it), a broken link and a socket named on the command
    line: one line each, at once (no hang, no time-out), and the good file is checked.

    Run in a subprocess under a 2 GiB address-space limit, so that a reader that would take
    /dev/zero whole fails there, not in the test run."""
    resource = pytest.importorskip("resource")
    good = _good(tmp_path)[1]
    special = [*_special(tmp_path), Path("/dev/zero")]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31))

    command = [sys.executable, "-m", "ogi_report.cli", "check", "--jobs", "1", "--timeout", "20"]
    start = time.monotonic()
    done = subprocess.run(
        [*command, str(good), *map(str, special)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=limit,
    )
    assert time.monotonic() - start < 15
    assert done.returncode == 2
    _assert_batch(done.stdout, done.stderr, [good], special)
    assert "took longer" not in done.stderr
    assert "out of memory" not in done.stderr


def test_a_folder_that_cannot_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that cannot be listed is one line; the other arguments are still checked."""
    good = _good(tmp_path / "readable")
    locked = tmp_path / "locked"
    locked.mkdir()
    iterdir = Path.iterdir

    def refuse(self: Path) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    assert main(["check", str(locked), str(tmp_path / "readable"), "--timeout", "20"]) == 2
    out, err = capsys.readouterr()
    _assert_batch(out, err, good, [locked], said="cannot list this folder: Permission denied")


def test_without_process_pools_files_are_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where no process pool can be made (no working sem_open), --jobs 2 checks here."""

    def unavailable(*args: object, **kwargs: object) -> None:
        raise NotImplementedError("this platform lacks a functioning sem_open")

    monkeypatch.setattr("ogi_report.cli.ProcessPoolExecutor", unavailable)
    good = _good(tmp_path / "a") + _good(tmp_path / "b")
    assert main(["check", str(tmp_path / "a"), str(tmp_path / "b"), "--jobs", "2"]) == 1
    out, err = capsys.readouterr()
    _assert_batch(out, err, good, [])


# --- failures made on purpose, in this process --------------------------------------------------


def _failing_read(
    monkeypatch: pytest.MonkeyPatch, culprit: str, fail: Callable[[], object]
) -> None:
    real = ogi_report.read

    def read(source: Path, **kwargs: Any) -> ogi_report.Report:
        if Path(source).name == culprit:
            fail()
        return real(source, **kwargs)

    monkeypatch.setattr("ogi_report.cli.read", read)


def _boom() -> None:
    raise RuntimeError("boom\non a second line")


def _out_of_memory() -> None:
    raise MemoryError


def _hang() -> None:
    time.sleep(30)


@pytest.mark.parametrize(
    ("fail", "said"),
    [
        (_boom, "internal error (RuntimeError: boom on a second line)"),
        (_out_of_memory, "ran out of memory"),
        (_hang, "took longer than 1 s, stopped (--timeout)"),
    ],
)
def test_a_failing_file_is_one_line(
    fail: Callable[[], object],
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unexpected exception, a MemoryError or a hang past --timeout in one file: one
    line naming it and saying what went wrong, the other files checked, exit 2, quickly."""
    good = _good(tmp_path)
    culprit = tmp_path / "culprit.json"
    culprit.write_bytes(good[1].read_bytes())
    _failing_read(monkeypatch, culprit.name, fail)
    start = time.monotonic()
    args = ["check", str(good[0]), str(culprit), str(good[1]), "-j", "1", "--timeout", "1"]
    assert main(args) == 2
    assert time.monotonic() - start < 5
    out, err = capsys.readouterr()
    _assert_batch(out, err, good, [culprit], said=said)


@pytest.mark.parametrize(
    ("fail", "said"),
    [(_boom, "internal error (RuntimeError"), (_hang, "took longer than 1 s")],
)
def test_a_failing_comparison_is_one_line(
    fail: Callable[[], object],
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The cross-year comparison raising or hanging: one line naming both files, each file's
    own result kept, exit 2."""
    good = _good(tmp_path)

    def check_records(*args: object, **kwargs: object) -> None:
        fail()

    monkeypatch.setattr("ogi_report.cli.check_records", check_records)
    assert main(["check", *map(str, good), "--timeout", "1", "--summary"]) == 2
    out, err = capsys.readouterr()
    assert "cross-year rules" not in out
    assert "1 cross-year comparison failed" in out
    _assert_batch(out, "", good, [])
    assert err.splitlines() == [err.strip()]
    assert err.startswith(f"ogi-report: {good[0]} + {good[1]}: ")
    assert said in err


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the time limit needs SIGALRM")
def test_time_limit_puts_back_an_outer_alarm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An alarm handler and timer set by the caller are still there after a check."""

    def outer(signum: int, frame: object) -> None:
        raise AssertionError("the outer alarm rang")

    previous = signal.signal(signal.SIGALRM, outer)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        assert main(["check", str(_good(tmp_path)[1]), "--timeout", "5"]) == 0
        assert signal.getsignal(signal.SIGALRM) is outer
        assert 20 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    capsys.readouterr()


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the time limit needs SIGALRM")
def test_a_held_alarm_handler_is_set_once_and_still_stops_a_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a worker's chunk SIGALRM's handler is set once, not at every step; each step is
    still stopped at its limit, and the handler from before is back after the chunk."""
    settings: list[object] = []
    real_signal = signal.signal

    def counting(signum: int, handler: Any) -> Any:
        settings.append(handler)
        return real_signal(signum, handler)

    before = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(signal, "signal", counting)
    with cli._alarm_held(1):
        for _ in range(3):
            assert cli._guarded("quick.json", 1, lambda: "done") == "done"
        hung = cli._guarded("hang.json", 0.2, lambda: time.sleep(5))
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert hung == cli._Failed("hang.json: took longer than 0.2 s, stopped (--timeout)")
    assert settings == [cli._alarm, before]
    assert signal.getsignal(signal.SIGALRM) is before
    # Outside the chunk each step sets the handler and puts the one before back.
    assert cli._guarded("quick.json", 1, lambda: "done") == "done"
    assert settings[2:] == [cli._alarm, before]


def test_help_documents_the_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    """check --help gives --timeout, its default, 0 for none, its bound and the SIGALRM note."""
    with pytest.raises(SystemExit) as excinfo:
        main(["check", "--help"])
    assert excinfo.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--timeout SECONDS", "default 60", "0: no limit", "at most 86400", "SIGALRM"):
        assert words in text


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "86401", "soon"])
def test_timeout_out_of_bounds_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--timeout takes seconds from 0 to 86400; anything else is a usage error (exit 64)."""
    with pytest.raises(SystemExit) as excinfo:
        main(["check", "x.json", "--timeout", value])
    assert excinfo.value.code == EXIT_USAGE
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "86400", "0.5"])
def test_timeout_bounds_are_accepted(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 (no limit), 86400 and fractions of a second are accepted."""
    assert main(["check", str(_good(tmp_path)[1]), "--timeout", value]) == 0
    assert "no findings" in capsys.readouterr().out


# --- worker processes that die ------------------------------------------------------------------


@needs_fork
@pytest.mark.parametrize("bodies", [5, 20])
@pytest.mark.parametrize("culprit", ["killed.json", "exits.json", "stuck.json"])
def test_a_dying_worker_loses_only_its_file(culprit: str, bodies: int, tmp_path: Path) -> None:
    """A worker killed by SIGKILL (as by the OOM killer), one that exits, and one stuck past
    its time limit where no signal handler runs (ended after the grace), in a batch sent one
    file per task (10 files) or in chunks (40): the culprit gets one line, every other file
    its result, in input order; exit 2."""
    folder = tmp_path / "reports"
    good = [p for n in range(bodies) for p in _good(folder, prefix=f"good-{n:02}")]
    (folder / culprit).write_bytes(good[0].read_bytes())
    start = time.monotonic()
    done = _wrapped(tmp_path, "check", str(folder), "--jobs", "2", "--timeout", "1")
    assert time.monotonic() - start < 20
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"ogi-report: {folder / culprit}: the process reading it died" + (
        " (it crashed, was stuck, or was killed: out of memory?)\n"
    )
    names = [line.split(": ")[0] for line in done.stdout.splitlines() if "示例县人民政府" in line]
    assert names == sorted(map(str, good))
    assert f"summary: {len(good)} files read, 1 unreadable" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_future_a_broken_pool_left_unsettled_does_not_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool that breaks may leave a future unsettled (a standard-library race): waiting on
    it notices the broken pool, and the file it held is said to have died."""
    monkeypatch.setattr(cli, "POLL", 0.1)
    stranded: Future[list[object]] = Future()
    with ProcessPoolExecutor(1) as pool:
        assert pool.submit(os._exit, 3).exception() is not None
        start = time.monotonic()
        assert cli._broke(pool, stranded)  # type: ignore[arg-type]
        assert time.monotonic() - start < 5
    [result] = cli._settled(("x.json",), stranded)  # type: ignore[arg-type]
    assert result.error == f"x.json: {cli._DIED}"


PAIR_WRAPPER = """\
import multiprocessing, os, signal, sys, time

import ogi_report.cli as cli

multiprocessing.set_start_method("fork")
real = cli.check_records


def check_records(first, second, *args, **kwargs):
    agency = first.agency
    if agency == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if agency == "stuck":  # stuck where no Python signal handler runs
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(60)
    if agency == "slow":
        time.sleep(60)
    return real(first, second, *args, **kwargs)


cli.check_records = check_records
cli.HARD_GRACE = 0.5
sys.exit(cli.main(sys.argv[1:]))
"""


@needs_fork
@pytest.mark.parametrize(
    ("culprit", "said"),
    [
        ("killed", cli._DIED),
        ("stuck", cli._DIED),
        ("slow", "took longer than 1 s, stopped (--timeout)"),
    ],
)
def test_a_failing_comparison_in_a_worker_is_one_line(
    culprit: str, said: str, tmp_path: Path
) -> None:
    """A comparison of two years that kills its worker, is stuck past its time limit where
    no signal handler runs, or runs past it: one line naming both files; every file and
    every other pair has its result; exit 2."""
    folder = tmp_path / "reports"
    bodies = [f"body-{n}" for n in range(5)]
    bodies.insert(2, culprit)
    for body in bodies:
        for version, year in (("2019", 2020), ("2021", 2021)):
            report = ogi_report.example_report(version)
            metadata = attrs.evolve(report.metadata, agency=body, reporting_year=year)
            path = folder / body / f"{year}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(ogi_report.dumps(attrs.evolve(report, metadata=metadata)))
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(PAIR_WRAPPER, encoding="utf-8")
    command = [sys.executable, "-W", "ignore::DeprecationWarning", str(wrapper), "check", "-r"]
    start = time.monotonic()
    done = subprocess.run(
        [*command, str(folder), "--jobs", "2", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.monotonic() - start < 30
    assert done.returncode == 2, done.stderr
    first, second = folder / culprit / "2020.json", folder / culprit / "2021.json"
    assert done.stderr.startswith(f"ogi-report: {first} + {second}: {said}")
    assert len(done.stderr.splitlines()) == 1
    pairs = [line for line in done.stdout.splitlines() if ": cross-year rules: " in line]
    assert len(pairs) == len(bodies) - 1
    assert f"summary: {2 * len(bodies)} files read, 0 unreadable" in done.stdout
    assert "1 cross-year comparison failed" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


# --- output that cannot be written --------------------------------------------------------------


@pytest.mark.parametrize("command", [["schema"], ["convert", "{good}", "--to", "json"]])
@pytest.mark.parametrize("where", ["missing folder", "parent is a file", "read-only folder"])
def test_unwritable_output_is_named(
    command: list[str], where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o into a missing folder, under a file, or into a read-only folder: exit 2, one line
    naming the output."""
    good = _good(tmp_path)[1]
    if where == "missing folder":
        output = tmp_path / "no-such-folder" / "out.json"
    elif where == "parent is a file":
        output = good / "out.json"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        if os.access(locked, os.W_OK):
            pytest.skip("this user can write into a read-only folder (root)")
        output = locked / "out.json"
    args = [part.format(good=good) for part in command]
    assert main([*args, "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ogi-report: {output}: ")
    assert len(err.splitlines()) == 1
    assert not output.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["schema"], ["convert", "{good}", "--to", "json"]])
def test_full_output_file_is_named(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o /dev/full: exit 2, "ogi-report: /dev/full: No space left on device"."""
    args = [part.format(good=_good(tmp_path)[1]) for part in command]
    assert main([*args, "-o", "/dev/full"]) == 2
    assert capsys.readouterr().err == "ogi-report: /dev/full: No space left on device\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command",
    [
        ["schema"],
        ["rules"],
        ["convert", "{good}", "--to", "json"],
        ["check", "{good}"],
        ["check", "{folder}", "--jobs", "2", "--format", "jsonl"],
    ],
)
def test_full_standard_output_is_named(command: list[str], tmp_path: Path) -> None:
    """Standard output on /dev/full: exit 2 and exactly one line saying standard output
    is full (no "Exception ignored" at exit, no traceback)."""
    folder = tmp_path / "reports"
    good = _good(folder)
    args = [part.format(good=good[0], folder=folder) for part in command]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "ogi_report.cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "ogi-report: standard output: No space left on device\n"
