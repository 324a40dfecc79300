"""What ``import ogi_report`` costs: fresh interpreters, against ``python -c pass``.

    python benchmarks/bench_import.py [--n 30] [--top 15]

Each round starts one fresh interpreter per case, in turn (the order changes each round):
``python -c pass`` (the floor: the interpreter's own start), ``import attrs`` (the model's
one dependency, for scale), ``import ogi_report``, and ``import ogi_report.cli`` (what the
command loads before it parses its arguments). It prints, for each case, the median wall
time and CPU time (user + system) of the process, and the same less the floor's median:
the import alone. Then one ``-X importtime`` run of ``import ogi_report``: the modules that
cost most, cumulative and self, in microseconds. No timing asserts: it prints.

The package is timed as an installed one runs: from bytecode. The children run without
``PYTHONDONTWRITEBYTECODE`` (some environments set it, and then every import compiles the
source again: 20-30 ms more), and ``compileall`` writes the bytecode first.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import ogi_report

CASES = {
    "python -c pass (floor)": "pass",
    "import attrs": "import attrs",
    "import ogi_report": "import ogi_report",
    "import ogi_report.cli": "import ogi_report.cli",
}
FLOOR = "python -c pass (floor)"
#: The Done-when target for ``import ogi_report``, less the floor, in milliseconds.
TARGET_MS = 60.0
#: The children's environment: bytecode written and read, as for an installed package.
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _run(code: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENVIRONMENT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def measure(n: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each case over ``n`` rounds, bytecode written first."""
    compileall.compile_dir(Path(ogi_report.__file__).parent, quiet=1)
    for _ in range(2):  # warm the file system cache and write any bytecode still missing
        for code in CASES.values():
            _run(code)
    walls: dict[str, list[float]] = {case: [] for case in CASES}
    cpus: dict[str, list[float]] = {case: [] for case in CASES}
    for round_ in range(n):
        order = list(CASES.items())
        order = order[round_ % len(order) :] + order[: round_ % len(order)]
        for case, code in order:
            wall, cpu = _run(code)
            walls[case].append(wall)
            cpus[case].append(cpu)
    return {case: (statistics.median(walls[case]), statistics.median(cpus[case])) for case in CASES}


def figures(n: int = 20) -> list[tuple[str, float, str, bool]]:
    """The Done-when line: ``import ogi_report`` less the floor, in CPU milliseconds."""
    medians = measure(n)
    import_ms = (medians["import ogi_report"][1] - medians[FLOOR][1]) * 1e3
    return [
        ("import ogi_report, ms (CPU)", import_ms, f"< {TARGET_MS:.0f} ms", import_ms < TARGET_MS)
    ]


def _importtime(module: str, top: int) -> list[tuple[int, int, str]]:
    """(cumulative, self, name) of the ``top`` costliest imports, by cumulative time."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=ENVIRONMENT,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), int(own), name.rstrip()))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str]) -> int:
    """Print the median start-up of each case and the import's share of it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30, help="fresh interpreters per case")
    parser.add_argument("--top", type=int, default=15, help="imports listed from -X importtime")
    args = parser.parse_args(argv)
    medians = measure(args.n)
    floor_wall, floor_cpu = medians[FLOOR]
    print(f"{sys.version.split()[0]}, median of {args.n} fresh interpreters each, from bytecode")
    print("| case | wall ms | less the floor | CPU ms | less the floor |")
    print("|---|---:|---:|---:|---:|")
    for case, (wall, cpu) in medians.items():
        print(
            f"| {case} | {wall * 1e3:.1f} | {(wall - floor_wall) * 1e3:.1f}"
            f" | {cpu * 1e3:.1f} | {(cpu - floor_cpu) * 1e3:.1f} |"
        )
    print(f"\ntarget: import ogi_report < {TARGET_MS:.0f} ms less the floor")
    print(f"\n-X importtime of import ogi_report, the {args.top} costliest (us):")
    print(f"{'cumulative':>10} {'self':>8}  module")
    for cumulative, own, name in _importtime("ogi_report", args.top):
        print(f"{cumulative:>10} {own:>8}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
