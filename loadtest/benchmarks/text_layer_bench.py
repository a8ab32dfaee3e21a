"""Digital PDF pages: read from their text layer vs rendered and OCR'd, in-process, same run.

    python -m loadtest.benchmarks.text_layer_bench [--pages 10] [--repeats 3]

The pages are the synthetic invoices' text (synthetic.documents) printed into a PDF with a real
text layer (synthetic.pdf). Both paths go through `ocr_ops.pdf.render_pdf` at the
service's DPI; the OCR path then runs the default in-process pipeline on each rendered page.
Prints pages/s for both (best of `--repeats`) and how many printed lines the OCR read exactly."""
from __future__ import annotations

import argparse
import time

from evaluation.scoring import best_cer
from synthetic.documents import render_invoice
from synthetic.pdf import Printed, written_pdf
from models.loading import load_pipeline
from ocr_ops.params import PdfParams
from ocr_ops.pdf import render_pdf

MAX_PIXELS = 40_000_000
LINE_STEP_PT, FONT_PT = 24, 12


def invoice_pages(count: int) -> list[list[str]]:
    return [render_invoice(seed).lines for seed in range(1, count + 1)]


def best_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts = invoice_pages(args.pages)
    data = written_pdf([[Printed(line, 40, 60 + i * LINE_STEP_PT, FONT_PT) for i, line in enumerate(page)]
                        for page in texts])
    params, pipeline = PdfParams(), load_pipeline()

    text_layer = best_seconds(lambda: render_pdf(data, params, MAX_PIXELS, "auto"), args.repeats)
    pages = render_pdf(data, params, MAX_PIXELS, "auto")
    assert all(page.text_source == "text_layer" for page in pages)
    exact_text_layer = sum(best_cer(line, [l.text for l in page.text_lines]) == 0
                           for page, lines in zip(pages, texts) for line in lines)

    read: list[list[str]] = []

    def render_and_ocr() -> None:
        read.clear()
        for page in render_pdf(data, params, MAX_PIXELS, "ocr"):
            read.append([line.text for line in pipeline.run(page.pixels).lines])

    ocr = best_seconds(render_and_ocr, args.repeats)
    exact_ocr = sum(best_cer(line, found) == 0 for found, lines in zip(read, texts) for line in lines)
    total = sum(map(len, texts))
    print(f"{args.pages} A4 pages, {total} printed lines, {params.dpi:g} DPI, best of {args.repeats}")
    print(f"{'path':16} {'pages/s':>8} {'ms/page':>8} {'lines exact':>12}")
    for name, seconds, exact in [("text layer", text_layer, exact_text_layer), ("render + OCR", ocr, exact_ocr)]:
        print(f"{name:16} {args.pages / seconds:>8.1f} {1000 * seconds / args.pages:>8.1f} {exact:>7}/{total}")
    print(f"text layer / OCR speed: {ocr / text_layer:.0f}x")


if __name__ == "__main__":
    main()
