"""How well extraction reads the labelled synthetic documents, with the real in-process OCR.

    python -m loadtest.benchmarks.extraction [--model-set NAME ...] [--clean] [--url URL]

Prints the scores of evaluation.extraction (field accuracy by field and by layout, line items,
check precision, planted flaws caught) and extraction time against OCR time per page."""
from __future__ import annotations

import argparse
import time

from evaluation.extraction import Score, report
from models.loading import load_pipeline
from ocr_ops.options import OcrOptions
from synthetic.documents import LabelledDocument, labelled_set
from synthetic.documents.digital_pdf import digital_pdf


def evaluate(model_set: str | None, documents: list[LabelledDocument]) -> tuple[Score, Score, float, float]:
    """Scores from OCR of the (degraded) pages and from the documents as digital PDFs (their text
    layer, written from the undamaged pages), through the pipeline the service runs; and the mean
    OCR and extraction seconds per page."""
    pipeline = load_pipeline(model_set)
    ocr, text_layer, ocr_s, extract_s = Score(), Score(), 0.0, 0.0
    for document in documents:
        page = pipeline.run(document.image, OcrOptions(document_type="auto"))
        ocr.add(document, page.documents[0])  # a labelled page is one document
        ocr_s += sum(seconds for stage, seconds in page.timings.items() if stage != "extract")
        extract_s += page.timings["extract"]
    # A digital PDF is never photographed or misprinted: its text layer is written from the clean page.
    for document in labelled_set(degraded=False):
        [page] = pipeline.read(digital_pdf(document), OcrOptions(document_type="auto")).pages
        text_layer.add(document, page.documents[0])
    return ocr, text_layer, ocr_s / len(documents), extract_s / len(documents)


def http_ratio(url: str, documents: list[LabelledDocument], rounds: int = 2) -> tuple[float, float]:
    """Median seconds per page of POST /ocr and POST /extract on the same pages, interleaved."""
    import statistics

    import cv2
    import httpx

    times: dict[str, list[float]] = {"/ocr": [], "/extract": []}
    with httpx.Client(base_url=url, timeout=120) as client:
        for _ in range(rounds):
            for document in documents:
                data = cv2.imencode(".jpg", document.image)[1].tobytes()
                for path in times:
                    started = time.perf_counter()
                    client.post(path, files={"image": ("page.jpg", data)}).raise_for_status()
                    times[path].append(time.perf_counter() - started)
    return statistics.median(times["/ocr"]), statistics.median(times["/extract"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-set", action="append", help="model sets to compare (default: the registry's "
                        "default and ppocrv4-mobile)")
    parser.add_argument("--clean", action="store_true", help="undamaged pages instead of the degraded set")
    parser.add_argument("--url", help="also time POST /ocr against POST /extract on a running service")
    args = parser.parse_args()
    documents = labelled_set(degraded=not args.clean)
    for model_set in args.model_set or [None, "ppocrv4-mobile"]:
        ocr, text_layer, ocr_s, extract_s = evaluate(model_set, documents)
        report(f"OCR {model_set or 'default model set'}, {'clean' if args.clean else 'degraded'} pages",
               ocr, ocr_s, extract_s)
        report("the same documents as digital PDFs (text layer, undamaged)", text_layer)
    if args.url:
        ocr_s, extract_s = http_ratio(args.url, documents)
        print(f"\nover HTTP, median per page: /ocr {ocr_s:.3f} s, /extract {extract_s:.3f} s "
              f"(ratio {extract_s / ocr_s:.2f})")


if __name__ == "__main__":
    main()
