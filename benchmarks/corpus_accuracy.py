"""Read every corpus report from its published form; print cells right/ambiguous/missing/wrong
and reading time per file, against its hand-checked truth file.

    python benchmarks/corpus_accuracy.py [CORPUS_DIR]

Reading speed targets: text and HTML well under 50 ms a report; a 20-page PDF under 1 s.
No timing asserts: this prints figures.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from ogi_report import InputError, read
from ogi_report.compare import accuracy

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main(argv: list[str]) -> int:
    """Print one line per corpus report and a total; exit 1 if any cell is read wrong."""
    corpus = Path(argv[0]) if argv else DEFAULT
    sources = sorted(
        p for p in corpus.rglob("*") if p.suffix != ".json" and Path(f"{p}.truth.json").exists()
    )
    if not sources:
        print(f"no corpus at {corpus}")
        return 0
    print(f"{'file':46} {'form':5} {'right':>5} {'amb':>4} {'miss':>4} {'wrong':>5} {'ms':>8}")
    totals = [0, 0, 0, 0]
    for source in sources:
        truth = json.loads(Path(f"{source}.truth.json").read_text(encoding="utf-8"))["cells"]
        timings = []
        try:
            for _ in range(5):
                start = time.perf_counter()
                report = read(source)
                timings.append((time.perf_counter() - start) * 1000)
        except InputError as error:
            print(f"{source.name:46} error: {error}")
            continue
        result = accuracy(report, truth)
        counts = [len(result.right), len(result.ambiguous), len(result.missing), len(result.wrong)]
        totals = [t + c for t, c in zip(totals, counts)]
        form = source.suffix.lstrip(".")
        print(
            f"{source.name:46} {form:5} {counts[0]:5} {counts[1]:4} {counts[2]:4} {counts[3]:5}"
            f" {statistics.median(timings):8.1f}"
        )
        for code, got, expected in result.wrong:
            print(f"    wrong {code}: read {got!r}, truth {expected!r}")
    print(f"{'total':46} {'':5} {totals[0]:5} {totals[1]:4} {totals[2]:4} {totals[3]:5}")
    return 1 if totals[3] else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
