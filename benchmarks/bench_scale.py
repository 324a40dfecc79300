"""A national year: read and check 300,000 generated reports on every core; and the
``ogi-report check -r`` batch with its cross-year pairs.

    python benchmarks/bench_scale.py [--n 300000] [--jobs N]
    python benchmarks/bench_scale.py --batch [--bodies 10000] [--small 1000] [--rounds 4]
    python benchmarks/bench_scale.py --batch --layout year   # a folder per year, not per body

Each worker generates reports from a seed (``strategies.random_report``), serialises them
to JSON, then does what a batch check does: ``loads`` + ``check``. Nothing is kept but
counts, so memory must stay flat as N grows: the script prints the peak resident memory of
the workers and of itself after N/10 reports and after N. No timing asserts: it prints.

``--batch`` writes two years of each of ``--small`` and then ``--bodies`` bodies as JSON
files into a temporary folder, one folder per body (the example reports, 2020 in the 2019
format and 2021 in the 2021 format, under each body's own name), and times ``ogi-report
check -r FOLDER`` in a fresh process, twice a round: with the cross-year comparisons and
without them (``--ignore X.``: the floor, the same files read and checked), alternating
which goes first. It prints the median wall and CPU time (the command and its workers) of
each, the geometric mean of the per-round ratios (and each round's), and the peak resident
memory of the command's main process and of its largest worker, for each batch size: the
main process must not grow with the batch but for its caps.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

from ogi_report import check, dumps, example_report, loads
from ogi_report.strategies import random_report

CHUNK = 500


def _work(seed: int) -> tuple[int, Counter[str]]:
    """Generate, serialise, load and check one chunk of reports; return only counts."""
    rng = random.Random(seed)
    codes: Counter[str] = Counter()
    for index in range(CHUNK):
        template = "2019" if index % 2 else "2021"
        data = dumps(random_report(rng, template))
        for finding in check(loads(data)):
            codes[finding.code] += 1
    return CHUNK, codes


def _generate_only(seed: int) -> int:
    rng = random.Random(seed)
    for index in range(CHUNK):
        dumps(random_report(rng, "2019" if index % 2 else "2021"))
    return CHUNK


def _peak_mib() -> tuple[float, float]:
    """Peak resident memory (MiB) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main(argv: list[str]) -> int:
    """Run the batch; print reports per second and peak memory at N/10 and N."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", action="store_true", help="time `check -r` and its pairs")
    parser.add_argument("--bodies", type=int, default=10_000, help="--batch: bodies, 2 years each")
    parser.add_argument("--small", type=int, default=1_000, help="--batch: the smaller batch")
    parser.add_argument(
        "--rounds", type=int, default=4, help="--batch: rounds per batch size (best even)"
    )
    parser.add_argument(
        "--floor",
        choices=("ignore", "gap"),
        default="ignore",
        help="--batch: without pairs means --ignore X. on the same files, or files whose"
        " years are not consecutive (for versions of ogi-report that pair regardless)",
    )
    parser.add_argument(
        "--input",
        choices=("json", "md"),
        default="json",
        help="--batch: the files' form (md: Markdown, read by the text reader)",
    )
    parser.add_argument(
        "--layout",
        choices=("body", "year"),
        default="body",
        help="--batch: a folder per body (its years together) or per year (apart)",
    )
    args = parser.parse_args(argv)
    if args.batch:
        return batch(
            args.small, args.bodies, args.rounds, args.jobs, args.floor, args.input, args.layout
        )
    chunks = max(1, args.n // CHUNK)
    total = chunks * CHUNK
    print(f"{total:,} reports, {args.jobs} processes, chunks of {CHUNK}")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        start = time.perf_counter()
        floor = sum(pool.map(_generate_only, range(10_000, 10_000 + max(1, chunks // 10))))
        generate_rate = floor / (time.perf_counter() - start)
    done = 0
    codes: Counter[str] = Counter()
    marks: list[tuple[int, float, float, float]] = []
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for count, found in pool.map(_work, range(chunks)):
            done += count
            codes.update(found)
            if (not marks and done >= total // 10) or done == total:
                own, _ = _peak_mib()
                worker = max(_worker_rss(pool), default=0.0)
                marks.append((done, time.perf_counter() - start, own, worker))
    elapsed = time.perf_counter() - start
    rate = done / elapsed
    print(f"generate + dumps only:        {generate_rate:10,.0f} reports/s")
    print(f"generate + dumps + loads + check: {rate:10,.0f} reports/s ({elapsed:.1f} s)")
    print(f"loads + check alone (estimated): {1 / (1 / rate - 1 / generate_rate):10,.0f} reports/s")
    for count, at, own, worker in marks:
        print(
            f"after {count:>9,} reports ({at:6.1f} s):"
            f" peak RSS main {own:7.1f} MiB, worker {worker:7.1f} MiB"
        )
    if len(marks) == 2:
        growth = marks[1][3] / marks[0][3] if marks[0][3] else float("nan")
        print(f"worker memory growth N/10 -> N: {growth:.2f}x (flat if close to 1)")
    print("findings (valid generated reports: none expected):", dict(codes) or "none")
    return 0


def _worker_rss(pool: ProcessPoolExecutor) -> list[float]:
    """Current resident memory (MiB) of the pool's worker processes, read from /proc."""
    sizes = []
    for pid in list(getattr(pool, "_processes", {}) or {}):
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


# --- check -r: cross-year pairs against the same batch without them -----------------------

#: Run in a fresh interpreter: the command on the arguments after the first, then its own
#: peak memory and that of its largest worker (MiB) as JSON into the file named first.
RUNNER = """
import json, resource, sys
from ogi_report.cli import main
status = main(sys.argv[2:])
sys.stdout.flush()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # Linux keeps ru_maxrss across exec (a big parent's peak): VmHWM is this program's own
    with open("/proc/self/status", encoding="ascii") as status_file:
        own = next(int(s.split()[1]) for s in status_file if s.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    pass
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"status": status, "main": own, "worker": worker}, out)
"""


def _write_bodies(job: tuple[str, int, int, int, str, str]) -> int:
    """Two years of bodies ``start`` to ``stop``: 2020 (the 2019-format example) and
    ``2020 + gap`` (the 2021-format example), as JSON or as Markdown (which the text reader
    reads, far slower than JSON); a folder per body (``body-N/2020.json``), or per year
    (``2020/body-N.json``: no worker then holds both years of a body)."""
    from ogi_report.writers.render import to_markdown

    root, start, stop, gap, form, layout = job
    years = ((example_report("2019"), 2020), (example_report("2021"), 2020 + gap))
    suffix = ".md" if form == "md" else ".json"
    for body in range(start, stop):
        agency = f"示例县第{body}局"
        for report, year in years:
            name = f"body-{body:06}/{year}" if layout == "body" else f"{year}/body-{body:06}"
            path = Path(root) / f"{name}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            metadata = attrs.evolve(report.metadata, agency=agency, reporting_year=year)
            report = attrs.evolve(report, metadata=metadata)
            if form == "md":
                path.write_text(to_markdown(report), encoding="utf-8")
            else:
                path.write_bytes(dumps(report))
    return stop - start


def _run_check(folder: Path, jobs: int, extra: list[str]) -> dict[str, float]:
    """``ogi-report check -r folder`` in a fresh process: wall and CPU seconds, peak MiB."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as stats:
        command = [sys.executable, "-c", RUNNER, stats.name, "check", "-r", str(folder)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command, "-j", str(jobs), *extra], stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = json.load(stats)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": cpu, "main": result["main"], "worker": result["worker"]}


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _cross_year_lines(folder: Path, jobs: int) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "ogi_report.cli", "check", "-r", str(folder), "-j", str(jobs)],
        capture_output=True,
        text=True,
        check=False,
    )
    return sum(1 for line in done.stdout.splitlines() if ": cross-year rules: " in line)


@attrs.frozen
class BatchRun:
    """The medians of one batch size: ``check -r`` without pairs (``floor``) and with them."""

    files: int
    bodies: int
    floor: dict[str, float]
    paired: dict[str, float]
    ratios_wall: tuple[float, ...]
    """Each round's ratio, with pairs over without, the two run one after the other."""
    ratios_cpu: tuple[float, ...]

    @property
    def ratio_wall(self) -> float:
        return _balanced(self.ratios_wall)

    @property
    def ratio_cpu(self) -> float:
        return _balanced(self.ratios_cpu)


def _balanced(ratios: tuple[float, ...]) -> float:
    """The geometric mean of the rounds' ratios. Rounds alternate which run goes first, and
    on a shared machine the first of two back-to-back runs of several seconds is often the
    slower (by up to a tenth): over an even number of rounds each order counts as often, and
    the effect cancels, where a median of three rounds takes one order's side."""
    return math.exp(statistics.fmean(map(math.log, ratios)))


def measure(
    sizes: tuple[int, ...],
    rounds: int,
    jobs: int,
    floor_kind: str = "ignore",
    form: str = "json",
    layout: str = "body",
) -> Iterator[BatchRun]:
    """Time ``check -r`` over two years of each of ``sizes`` bodies, with and without the
    cross-year pairs (see the module's docstring), one size after the other. Raises
    RuntimeError if the first batch does not give one comparison per body."""
    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as temp, ProcessPoolExecutor() as pool:
        for count in sizes:
            folder = Path(temp) / f"bodies-{count}"
            apart = Path(temp) / f"apart-{count}"
            steps = [(n, min(n + 500, count)) for n in range(0, count, 500)]
            paired_jobs = [(str(folder), *step, 1, form, layout) for step in steps]
            written = sum(pool.map(_write_bodies, paired_jobs))
            if floor_kind == "gap":
                apart_jobs = [(str(apart), *step, 2, form, layout) for step in steps]
                sum(pool.map(_write_bodies, apart_jobs))
            if count == sizes[0]:  # a sanity check: every body gives one comparison
                lines = _cross_year_lines(folder, jobs)
                if lines != written:
                    raise RuntimeError(f"expected {written} cross-year lines, got {lines}")
            floor: list[dict[str, float]] = []
            paired: list[dict[str, float]] = []
            for index in range(rounds):  # alternate which goes first
                order: list[tuple[list[dict[str, float]], Path, list[str]]]
                order = [(floor, apart, []), (paired, folder, [])]
                if floor_kind == "ignore":
                    order[0] = (floor, folder, ["--ignore", "X."])
                for done, where, extra in order if index % 2 == 0 else order[::-1]:
                    done.append(_run_check(where, jobs, extra))
            yield BatchRun(
                2 * written,
                written,
                {key: _median(floor, key) for key in floor[0]},
                {key: _median(paired, key) for key in paired[0]},
                tuple(p["wall"] / f["wall"] for f, p in zip(floor, paired)),
                tuple(p["cpu"] / f["cpu"] for f, p in zip(floor, paired)),
            )


#: The issue-9 target: pairs add less than this to ``check -r`` over JSON files.
PAIRS_ADD_AT_MOST = 0.10
#: What the main process may grow by from the smaller batch to the larger, in MiB: its
#: bounds (4 MiB of held records, 2 MiB of SQLite cache for the rest). File names are not
#: held: a batch's files are taken as the walk of its folders finds them.
MAIN_BOUNDED_MIB = 6.0


def figures(
    small: int = 100, bodies: int = 1_000, rounds: int = 2, jobs: int | None = None
) -> list[tuple[str, float, str, bool]]:
    """The Done-when rows of issue 9 for ``check -r`` over JSON files: ``(case, value,
    target, met)``. The default sizes run in under a minute and are noisy; the figures of
    record are ``figures(1_000, 10_000, 4)`` (2,000 and 20,000 files, about 4 minutes)."""
    runs = list(measure((small, bodies), rounds, jobs or os.cpu_count() or 1))
    rows: list[tuple[str, float, str, bool]] = []
    target = f"< {PAIRS_ADD_AT_MOST:.0%}"
    for run in runs:
        for kind, ratio in (("wall", run.ratio_wall), ("CPU", run.ratio_cpu)):
            added = ratio - 1
            case = f"check -r, {run.files:,} JSON files: pairs add ({kind}), %"
            rows.append((case, added * 100, target, added < PAIRS_ADD_AT_MOST))
    for run in runs:
        case = f"check -r, {run.files:,} JSON files: main process peak MiB (with pairs)"
        rows.append((case, run.paired["main"], "reported", True))
    first, last = runs[0], runs[-1]
    growth = last.paired["main"] - first.paired["main"]
    case = f"main process peak MiB, {last.files:,} files less {first.files:,} (with pairs)"
    target = f"<= {MAIN_BOUNDED_MIB:g} (its caps)"
    rows.append((case, growth, target, growth <= MAIN_BOUNDED_MIB))
    return rows


def batch(
    small: int,
    bodies: int,
    rounds: int,
    jobs: int,
    floor_kind: str,
    form: str,
    layout: str = "body",
) -> int:
    """Print the cost of the cross-year pairs of ``check -r`` and the main process's memory."""
    floor_is = (
        "the same files with --ignore X."
        if floor_kind == "ignore"
        else "as many files, years 2020 and 2022 (nothing to pair)"
    )
    print(
        f"check -r: {form} files, 2 years per body, a folder per {layout}, {jobs} processes,"
        f" {rounds} rounds: median times, ratios the geometric mean of the rounds' (each below)"
    )
    print(f"no pairs: {floor_is}")
    print(
        "| files | bodies | no pairs: wall s | CPU s | with pairs: wall s | CPU s"
        " | ratio wall | ratio CPU | main MiB (no pairs / pairs) | worker MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rounds_seen: list[str] = []
    try:
        for run in measure((small, bodies), rounds, jobs, floor_kind, form, layout):
            rounds_seen.append(
                f"{run.files:,} files, each round's ratio (wall / CPU): "
                + ", ".join(f"{w:.3f} / {c:.3f}" for w, c in zip(run.ratios_wall, run.ratios_cpu))
            )
            floor, paired = run.floor, run.paired
            print(
                f"| {run.files:,} | {run.bodies:,}"
                f" | {floor['wall']:.2f} | {floor['cpu']:.2f}"
                f" | {paired['wall']:.2f} | {paired['cpu']:.2f}"
                f" | {run.ratio_wall:.3f}x | {run.ratio_cpu:.3f}x"
                f" | {floor['main']:.1f} / {paired['main']:.1f}"
                f" | {paired['worker']:.1f} |"
            )
    except RuntimeError as error:  # the sanity check failed
        print(error)
        return 1
    print("\n".join(rounds_seen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
