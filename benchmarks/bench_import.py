"""What ``import ogi_report`` costs: fresh interpreters, against ``python -c pass``.

    python benchmarks/bench_import.py [--n 30]

Each round starts one fresh interpreter per case, in turn (the order changes each round):
``python -c pass`` (the floor: the interpreter's own start), ``import ogi_report``, and
``import ogi_report.cli`` (what the command loads before it parses its arguments). It
prints, for each case, the median wall time of the process, the same less the floor's
median (the import alone), and the ratio of the medians. Then one ``-X importtime`` run of
``import ogi_report``: the modules that cost most, cumulative and self, in microseconds.
No timing asserts: it prints.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass (floor)": "pass",
    "import ogi_report": "import ogi_report",
    "import ogi_report.cli": "import ogi_report.cli",
}


def _time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def _importtime(module: str, top: int) -> list[tuple[int, int, str]]:
    """(cumulative, self, name) of the ``top`` costliest imports, by cumulative time."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
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
    times: dict[str, list[float]] = {case: [] for case in CASES}
    for _ in range(2):  # warm the file system cache and the bytecode
        for code in CASES.values():
            _time(code)
    for round_ in range(args.n):
        order = list(CASES.items())
        order = order[round_ % len(order) :] + order[: round_ % len(order)]
        for case, code in order:
            times[case].append(_time(code))
    floor = statistics.median(times["python -c pass (floor)"])
    print(f"{sys.version.split()[0]}, median of {args.n} fresh interpreters each")
    print("| case | process ms | less the floor ms | ratio to the floor |")
    print("|---|---:|---:|---:|")
    for case, runs in times.items():
        median = statistics.median(runs)
        less = (median - floor) * 1e3
        print(f"| {case} | {median * 1e3:.1f} | {less:.1f} | {median / floor:.2f}x |")
    print(f"\n-X importtime of import ogi_report, the {args.top} costliest (us):")
    print(f"{'cumulative':>10} {'self':>8}  module")
    for cumulative, own, name in _importtime("ogi_report", args.top):
        print(f"{cumulative:>10} {own:>8}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
