"""Time the PDF reader on the corpus PDFs against pypdfium2's own text extraction.

    python benchmarks/bench_pdf.py [CORPUS_DIR] [--rounds N] [--cpu]

For each corpus PDF: milliseconds a page of ``read_pdf`` (the report, assembled) and of
``parse_pdf`` (the document of grids and lines), and of the floor, pypdfium2's raw text
extraction (``textpage.get_text_range()`` for every page, the document opened and closed as
the reader does), with the ratio of ``read_pdf`` to the floor. The three are timed side by
side in each round; the figures are medians over the rounds (the ratio: the median of the
rounds' ratios), so that a busy machine moves them less; ``--cpu`` times the process's CPU
time instead of the wall clock, steadier still on a shared machine. No timing asserts: this
prints figures. :func:`figures` gives issue 9's "Done when" lines for each PDF (read_pdf at
most :data:`TARGET_MS` a page and :data:`TARGET_RATIO` times the floor) to
``done_when.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import attrs
import pypdfium2 as pdfium
from _clock import CLOCK, timed

from ogi_report.readers.pdf import parse_pdf, read_pdf

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
#: Issue 9's targets: read_pdf's milliseconds a page, and its ratio to the floor.
TARGET_MS = 20.0
TARGET_RATIO = 3.0


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


@attrs.frozen
class Measured:
    """One PDF timed: ms a page of read_pdf, parse_pdf and the floor, and the ratio."""

    name: str
    pages: int
    read: float
    parse: float
    raw: float
    ratio: float


def measure(path: Path, rounds: int) -> Measured:
    """``path`` read ``rounds`` times side by side with the floor."""
    data = path.read_bytes()
    document = pdfium.PdfDocument(data)
    pages = len(document)
    document.close()
    reads, parses, raws, ratios = _rounds(data, path.name, rounds)
    return Measured(
        path.name,
        pages,
        _per_page(reads, pages),
        _per_page(parses, pages),
        _per_page(raws, pages),
        statistics.median(ratios),
    )


def pdfs(corpus: Path) -> list[Path]:
    """The corpus PDFs (none when ``corpus`` is not a directory)."""
    return sorted(corpus.glob("*.pdf")) if corpus.is_dir() else []


def figures(rounds: int = 15, corpus: Path = DEFAULT) -> list[tuple[str, float, str, bool]]:
    """(case, value, target, met) for each corpus PDF: read_pdf's ms a page, and its ratio
    to pypdfium2's raw text; none without the corpus."""
    found: list[tuple[str, float, str, bool]] = []
    for path in pdfs(corpus):
        timed_pdf = measure(path, rounds)
        found.append(
            (
                f"{path.name} read, ms a page",
                timed_pdf.read,
                f"<= {TARGET_MS:g} ms",
                timed_pdf.read <= TARGET_MS,
            )
        )
        found.append(
            (
                f"{path.name} read / raw text",
                timed_pdf.ratio,
                f"<= {TARGET_RATIO:g}x",
                timed_pdf.ratio <= TARGET_RATIO,
            )
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cpu", action="store_true", help="time CPU, not the wall clock")
    args = parser.parse_args()
    if args.cpu:
        CLOCK[0] = time.process_time
    paths = pdfs(args.corpus)
    if not paths:
        print(f"no PDFs at {args.corpus}")
        return 0
    print(
        f"{'file':32} {'pages':>5} {'read_pdf':>9} {'parse_pdf':>9} {'raw text':>9} {'ratio':>6}"
        "   (ms a page; ratio: read_pdf / raw text)"
    )
    ratios_all: list[float] = []
    for path in paths:
        row = measure(path, args.rounds)
        ratios_all.append(row.ratio)
        print(
            f"{row.name:32} {row.pages:5} {row.read:9.2f} {row.parse:9.2f} {row.raw:9.2f}"
            f" {row.ratio:6.2f}"
        )
    print(f"{'median ratio':32} {'':5} {'':9} {'':9} {'':9} {statistics.median(ratios_all):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
