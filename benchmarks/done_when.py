"""Every figure of issue 9's "Done when", measured in one run, printed as one table.

    python benchmarks/done_when.py            # the issue's sizes: about 4 minutes on 2 cores
    python benchmarks/done_when.py --quick    # smaller batches, fewer rounds: about 20 s

Each line comes from the script that measures it, which prints the details when run alone:
``bench_json`` (loads, dumps and check against msgspec, orjson and a dict check),
``bench_read`` (the seed's text read, HTML against lxml), ``bench_pdf`` (a PDF page, and
against pypdfium2's raw text), ``bench_scale`` (``check -r`` with and without its pairs,
and the main process's memory at two batch sizes) and ``bench_import``, each in a fresh
interpreter of its own. Ratios are medians of per-round ratios, each round timing ours and
its floor back to back in the process's CPU time, so they move less than absolute times on
a busy machine. The table opens with the machine it ran on. No timing asserts: a ``NO`` is
a finding to act on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import _clock
import bench_import
import bench_json
import bench_pdf
import bench_read
import bench_scale

#: (case, value, target, met?) as each script's ``figures`` gives them.
Figure = tuple[str, float, str, bool]


def machine() -> str:
    """One line naming the machine: cores, CPU model, Python, load average."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.machine()},"
        f" Python {platform.python_version()}, load average {load}"
    )


def sections(quick: bool) -> list[tuple[str, Callable[[], Sequence[Figure]]]]:
    """Each script's figures, at the quick or the issue's sizes."""
    if quick:
        return [
            ("JSON and check", lambda: bench_json.figures(n=1_000, rounds=5, budget=0.005)),
            ("text and HTML", lambda: bench_read.figures(rounds=10)),
            ("PDF", lambda: bench_pdf.figures(rounds=3)),
            ("check -r pairs", lambda: bench_scale.figures(small=200, bodies=2_000, rounds=2)),
            ("import", lambda: bench_import.figures(n=10)),
        ]
    return [
        ("JSON and check", lambda: bench_json.figures(n=10_000, rounds=15)),
        ("text and HTML", lambda: bench_read.figures(rounds=30)),
        ("PDF", lambda: bench_pdf.figures(rounds=7)),
        ("check -r pairs", lambda: bench_scale.figures(small=1_000, bodies=10_000, rounds=4)),
        ("import", lambda: bench_import.figures(n=30)),
    ]


def _value(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _in_fresh_interpreter(name: str, quick: bool) -> list[Figure]:
    """One section's figures, measured in a fresh interpreter: no heap, collector state or
    peak memory left by another section (Linux keeps a process's peak across exec, so a
    command started from a big process would report that process's peak)."""
    command = [sys.executable, __file__, "--section", name, *(["--quick"] if quick else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return [(case, value, target, met) for case, value, target, met in json.loads(done.stdout)]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every figure and print the table; exit 0 whatever the figures say."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller batches, fewer rounds")
    parser.add_argument("--section", help=argparse.SUPPRESS)  # one section, as JSON rows
    args = parser.parse_args(argv)
    # CPU time: others' work on the machine not counted.
    bench_json.CLOCK[0] = _clock.CLOCK[0] = time.process_time
    measures = dict(sections(args.quick))
    if args.section:
        print(json.dumps(list(measures[args.section]())))
        return 0
    print(f"# issue 9, Done when: {machine()}")
    print(f"# {'quick run' if args.quick else 'full run'}, {time.strftime('%Y-%m-%d %H:%M')}")
    rows: list[Figure] = []
    for name in measures:
        start = time.perf_counter()
        found = _in_fresh_interpreter(name, args.quick)
        print(f"# {name}: {len(found)} figures in {time.perf_counter() - start:.0f} s", flush=True)
        rows.extend(found)
    width = max(len(case) for case, *_ in rows) if rows else 10
    print(f"\n| {'figure':<{width}} | value | target | met? |")
    print(f"|{'-' * (width + 2)}|---:|---|---|")
    for case, value, target, met in rows:
        print(f"| {case:<{width}} | {_value(value)} | {target} | {'yes' if met else 'NO'} |")
    print(f"\n{sum(met for *_, met in rows)} of {len(rows)} met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
