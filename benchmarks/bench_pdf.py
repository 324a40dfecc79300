"""Time the PDF reader on the corpus PDFs against pypdfium2's own text extraction.

    python benchmarks/bench_pdf.py [CORPUS_DIR] [--rounds N] [--cpu]

For each corpus PDF: milliseconds a page of ``read_pdf`` (the report, assembled) and of
``parse_pdf`` (the document of grids and lines), and of the floor, pypdfium2's raw text
extraction (``textpage.get_text_range()`` for every page, the document opened and closed as
the reader does), with the ratio of ``read_pdf`` to the floor. The three are timed side by
side in each round; the figures are medians over the rounds (the ratio: the median of the
rounds' ratios), so that a busy machine moves them less; ``--cpu`` times the process's CPU
time instead of the wall clock, steadier still on a shared machine. No timing asserts: this
prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from ogi_report.readers.pdf import parse_pdf, read_pdf

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


def raw_text(data: bytes) -> int:
    """The floor: every page's text through pypdfium2, as plain as it comes."""
    document = pdfium.PdfDocument(data)
    try:
        characters = 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            characters += len(textpage.get_text_range())
            textpage.close()
            page.close()
        return characters
    finally:
        document.close()


#: The clock the rounds are timed with (``--cpu``: the process's CPU time).
CLOCK: list[Callable[[], float]] = [time.perf_counter]


def timed(function: Callable[[], object]) -> float:
    clock = CLOCK[0]
    start = clock()
    function()
    return clock() - start


def _rounds(
    data: bytes, name: str, rounds: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds of read_pdf, parse_pdf and the floor in each round, and their ratios."""
    read_pdf(data, name), parse_pdf(data, name), raw_text(data)  # warm up
    reads: list[float] = []
    parses: list[float] = []
    raws: list[float] = []
    ratios: list[float] = []
    for _ in range(rounds):
        raw = timed(lambda: raw_text(data))
        read = timed(lambda: read_pdf(data, name))
        parses.append(timed(lambda: parse_pdf(data, name)))
        raws.append(raw)
        reads.append(read)
        ratios.append(read / raw)
    return reads, parses, raws, ratios


def _per_page(times: list[float], pages: int) -> float:
    return statistics.median(times) * 1000 / pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cpu", action="store_true", help="time CPU, not the wall clock")
    args = parser.parse_args()
    if args.cpu:
        CLOCK[0] = time.process_time
    paths = sorted(args.corpus.glob("*.pdf")) if args.corpus.is_dir() else []
    if not paths:
        print(f"no PDFs at {args.corpus}")
        return 0
    print(
        f"{'file':32} {'pages':>5} {'read_pdf':>9} {'parse_pdf':>9} {'raw text':>9} {'ratio':>6}"
        "   (ms a page; ratio: read_pdf / raw text)"
    )
    ratios_all: list[float] = []
    for path in paths:
        data = path.read_bytes()
        document = pdfium.PdfDocument(data)
        pages = len(document)
        document.close()
        reads, parses, raws, ratios = _rounds(data, path.name, args.rounds)
        ratio = statistics.median(ratios)
        ratios_all.append(ratio)
        print(
            f"{path.name:32} {pages:5} {_per_page(reads, pages):9.2f}"
            f" {_per_page(parses, pages):9.2f} {_per_page(raws, pages):9.2f} {ratio:6.2f}"
        )
    print(f"{'median ratio':32} {'':5} {'':9} {'':9} {'':9} {statistics.median(ratios_all):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
