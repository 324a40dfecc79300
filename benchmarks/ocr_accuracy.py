"""Read corpus reports from scans of them by OCR; print cells right/flagged/wrong and seconds
a page, against their hand-checked truth files.

    python benchmarks/ocr_accuracy.py [CORPUS_DIR] [--dpi 150]

Each corpus text report (``*.txt``, ``*.md``) is drawn from its truth file as printed pages
(``tests/ocr_render.py``: title, section headings, the tables ruled in the official layout)
and each corpus PDF is rasterised page by page (pypdfium2); either is saved as a PDF of
images only, at ``--dpi``, and read with ``ogi_report.read``. Flagged: ambiguous,
unreadable or missing; wrong: a plain value that differs from the truth. Needs the ``ocr``
extra and ``mplfonts`` (the test extra). Target (issue 10): at least 99% of cells right and
none wrong; 4 to 18 seconds a page on 2 cores. No timing asserts: this prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.ocr_render

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402
from tests.ocr_render import render, tally, to_pdf  # noqa: E402

from ogi_report import read  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus"


def rasterised(path: Path, dpi: int) -> list[Image.Image]:
    """The pages of the PDF at ``path`` as grayscale images at ``dpi``, as a scanner sees them."""
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def main(argv: list[str]) -> int:
    """Print one line per corpus report and a total; exit 1 if any cell is read wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--dpi", type=int, default=150, help="resolution of the scans drawn")
    args = parser.parse_args(argv)
    truths = sorted(
        path
        for path in args.corpus.rglob("*.truth.json")
        if path.name.endswith((".txt.truth.json", ".md.truth.json", ".pdf.truth.json"))
    )
    if not truths:
        print(f"no corpus reports at {args.corpus}")
        return 0
    print(f"{'report':28} {'pages':>5} {'right':>5} {'flagged':>7} {'wrong':>5} {'s/page':>7}")
    totals = [0, 0, 0]
    seconds = pages = 0.0
    for path in truths:
        truth = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = path.with_name(path.name.removesuffix(".truth.json"))
        if source.suffix == ".pdf":
            images = rasterised(source, args.dpi)
        else:
            images = list(render(read(path), dpi=args.dpi).pages)
        start = time.perf_counter()
        report = read(to_pdf(images, dpi=args.dpi))
        elapsed = time.perf_counter() - start
        score = tally(report, truth)
        counts = [len(score.right), len(score.flagged), len(score.wrong)]
        totals = [t + c for t, c in zip(totals, counts)]
        seconds += elapsed
        pages += len(images)
        print(
            f"{source.name:28} {len(images):5} {counts[0]:5} {counts[1]:7} {counts[2]:5}"
            f" {elapsed / len(images):7.1f}"
        )
        for code in score.flagged:
            print(f"    flagged {code}: read {report.get(code)!r}, truth {truth[code]!r}")
        for code, got, expected in score.wrong:
            print(f"    wrong {code}: read {got!r}, truth {expected!r}")
    share = totals[0] / max(1, sum(totals))
    print(
        f"{'total':28} {int(pages):5} {totals[0]:5} {totals[1]:7} {totals[2]:5}"
        f" {seconds / max(1.0, pages):7.1f}   ({share:.1%} right)"
    )
    return 1 if totals[2] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
