"""Time ``ogi_report.similarity.find_copies`` on generated reports: N = 1,000 and 10,000.

    python benchmarks/bench_similarity.py [--n 1000 10000] [--regional 0 500] [--memory]

The reports are those of ``tests/test_similarity.py`` (``generated_reports``): N/2 bodies
for 2021 and 2022, about 1,500 characters of narrative each (our own words), common phrases
and the form's sentences in every one, one body in 25 copying two parts of another body's
report and one in 25 repeating its own. ``--regional K`` adds K phrases of nine words, six
in each report: with K = 500 and N = 10,000 each is printed by about 60 bodies a year,
which is what makes an inverted index go through many pairs.

For each N and K the script prints the wall and CPU time of ``find_copies`` with the
inverted index (``method="index"``) and, with datasketch installed, with MinHash LSH
(``method="lsh"``), and the CPU time per 1,000 reports (on a shared machine the steadier
figure); the findings; whether they are exactly the pairs planted. ``--memory`` runs each
once more under ``tracemalloc`` and prints the peak of what was allocated (slower: the
times above are without it). No assert on time: it prints.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_similarity import generated_reports, pairs

from ogi_report.similarity import Method, find_copies


def main() -> None:
    """Print one line per N, K and method."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--regional", type=int, nargs="+", default=[0, 500])
    parser.add_argument("--memory", action="store_true", help="also the peak under tracemalloc")
    args = parser.parse_args()
    methods: list[Method] = ["index"]
    if importlib.util.find_spec("datasketch") is not None:
        methods.append("lsh")
    else:
        print("datasketch is not installed: the index only (pip install datasketch)")
    print(
        f"{'N':>7} {'K':>5} {'method':6} {'wall s':>7} {'CPU s':>7} {'CPU s/1,000':>11}"
        f" {'found':>5} planted {'peak MB':>7}"
    )
    for count in args.n:
        for regional in args.regional:
            reports, planted = generated_reports(count, regional=regional)
            for method in methods:
                wall, cpu = time.perf_counter(), time.process_time()
                findings = find_copies(reports, method=method)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                peak = ""
                if args.memory:
                    tracemalloc.start()
                    find_copies(reports, method=method)
                    peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:7.1f}"
                    tracemalloc.stop()
                exact = "yes" if pairs(findings) == planted else "NO"
                print(
                    f"{count:7,} {regional:5} {method:6} {wall:7.1f} {cpu:7.1f}"
                    f" {cpu / count * 1000:11.2f} {len(findings):5} {exact:7} {peak:>7}"
                )
            del reports


if __name__ == "__main__":
    main()
