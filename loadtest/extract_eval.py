"""How well extraction reads the labelled synthetic documents, with the real in-process OCR.

    python -m loadtest.extract_eval [--model-set NAME ...] [--clean]

Prints field accuracy by field and by layout (exact after normalisation: NFKC, no whitespace),
check precision (a check failing on a document without a planted flaw is a false alarm),
planted flaws caught, and extraction time against OCR time per page."""
from __future__ import annotations

import argparse
import datetime
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from loadtest.documents import LabelledDocument, labelled_set
from loadtest.documents.digital_pdf import digital_pdf
from ocr_ops.extract import ExtractedDocument
from ocr_ops.extract.text import compact
from ocr_ops.options import OcrOptions

TODAY = datetime.date(2026, 1, 1)  # after every generated date: the figures do not drift with the clock


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)  # by field key
    total: Counter = field(default_factory=Counter)
    right_by_layout: Counter = field(default_factory=Counter)
    total_by_layout: Counter = field(default_factory=Counter)
    false_alarms: list[str] = field(default_factory=list)  # "document: check"
    flaws_caught: int = 0
    flaws: int = 0
    misses: list[str] = field(default_factory=list)  # "document field: expected / got"
    items_right: int = 0
    items: int = 0
    corrections: list[str] = field(default_factory=list)  # re-readings that changed a value

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))

    def add(self, document: LabelledDocument, extracted: ExtractedDocument) -> None:
        for key, expected in document.fields.items():
            got = extracted.fields.get(key)
            ok = got is not None and same(got.value, expected)
            self.total[key] += 1
            self.total_by_layout[document.layout] += 1
            if ok:
                self.right[key] += 1
                self.right_by_layout[document.layout] += 1
            else:
                self.misses.append(f"{document.name} {key}: {expected!r} / {got.value if got else None!r}")
            if got is not None and got.corrected_from is not None:
                self.corrections.append(f"{document.name} {key}: {got.corrected_from} -> {got.value} "
                                        f"({'right' if ok else 'wrong'})")
        read = [[compact(v) for v in asdict(i).values()] for i in extracted.items]
        self.items += len(document.items)
        self.items_right += sum([compact(v) for v in item.values()] in read for item in document.items)
        for check in extracted.checks:
            if not check.ok and check.name not in document.failing_checks:
                self.false_alarms.append(f"{document.name}: {check.name} ({check.message})")
        failed = {c.name for c in extracted.checks if not c.ok}
        self.flaws += len(document.failing_checks)
        self.flaws_caught += len(document.failing_checks & failed)


def same(got, expected) -> bool:
    return compact(str(got)) == compact(str(expected))


def evaluate(model_set: str | None, documents: list[LabelledDocument]) -> tuple[Score, Score, float, float]:
    """Scores from OCR of the (degraded) pages and from the documents as digital PDFs (their text
    layer, written from the undamaged pages), through the pipeline the service runs; and the mean
    OCR and extraction seconds per page."""
    from models.loading import load_pipeline

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


def report(label: str, score: Score, ocr_s: float | None = None, extract_s: float | None = None) -> None:
    print(f"\n== {label}: {sum(score.right.values())}/{sum(score.total.values())} fields right "
          f"({100 * score.accuracy:.1f}%)")
    print("by layout: " + ", ".join(f"{k} {score.right_by_layout[k]}/{n}" for k, n in score.total_by_layout.items()))
    print(f"line items: {score.items_right}/{score.items} right (all eight cells)")
    print("by field:  " + ", ".join(f"{k} {score.right[k]}/{n}" for k, n in score.total.items()))
    print(f"checks: {len(score.false_alarms)} false alarms; planted flaws caught {score.flaws_caught}/{score.flaws}")
    print(f"re-reading changed {len(score.corrections)} values")
    for line in score.corrections:
        print(f"  {line}")
    for line in score.false_alarms:
        print(f"  false alarm {line}")
    for line in score.misses:
        print(f"  miss {line}")
    if ocr_s is not None:
        print(f"time per page: OCR (with field steps) {ocr_s:.3f} s, extraction {1000 * extract_s:.1f} ms "
              f"({extract_s / ocr_s:.1%} of OCR)")


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
