"""A national year: read and check 300,000 generated reports on every core.

    python benchmarks/bench_scale.py [--n 300000] [--jobs N]

Each worker generates reports from a seed (``strategies.random_report``), serialises them
to JSON, then does what a batch check does: ``loads`` + ``check``. Nothing is kept but
counts, so memory must stay flat as N grows: the script prints the peak resident memory of
the workers and of itself after N/10 reports and after N. No timing asserts: it prints.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from ogi_report import check, dumps, loads
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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
