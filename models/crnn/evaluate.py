"""Accuracy and speed of the CRNN (fp32 and INT8) next to PP-OCRv4 rec, all in one run.

    python -m models.crnn.evaluate [--models models/crnn/run/crnn-fp32.onnx models/crnn/run/crnn-int8.onnx]

- accuracy on a held-out rendered set (its own seed stream: training never saw these images)
  and on the public eval set (../shared/eval) through the full in-process pipeline (detection
  and direction classifier from PP-OCRv4, only the recognizer swapped), NFKC exact and CER;
- speed: recognised lines per second at batch 1 and 8 on one thread over the same held-out
  lines, best of `--repeats` interleaved rounds (the machine is shared), with the ratio to
  PP-OCRv4 rec measured in the same run.

Prints a Markdown table and writes the figures as JSON beside the first model.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluation.eval_set import eval_cases, score
from models.crnn.charset import load_charset
from models.crnn.data import HELDOUT_STREAM, RenderedLine, SyntheticLines
from models.crnn.metrics import line_accuracy
from models.crnn.train import DEFAULT_RUN_DIR
from models.loading import load_classifier, load_detector, load_recognizer
from models.registry import load_registry
from ocr_ops.options import OcrOptions
from ocr_ops.params import PipelineParams, RecognitionParams
from ocr_ops.pipeline import OcrPipeline
from ocr_ops.recognition import TextRecognizer

CRNN_MODEL, BASELINE_MODEL = "crnn-bilstm-rec", "ppocrv4-rec"
SPEED_BATCHES = (1, 8)


@dataclass
class Candidate:
    label: str
    model: str  # registry name (input height, normalisation, dictionary)
    path: Path | None  # None: the registry's own file
    recognizers: dict[int, TextRecognizer] | None = None

    def load(self) -> Candidate:
        spec = load_registry().models[self.model]
        self.recognizers = {b: load_recognizer(spec, RecognitionParams(batch_size=b), threads=1, path=self.path)
                            for b in SPEED_BATCHES}
        return self

    @property
    def size_mb(self) -> float:
        return (self.path or load_registry().models[self.model].path).stat().st_size / 1e6


def heldout_accuracy(candidate: Candidate, lines: list[RenderedLine]) -> str:
    predicted = [text for text, _ in candidate.recognizers[8].recognize([line.image for line in lines])]
    return line_accuracy(predicted, [line.text for line in lines]).summary()


def eval_set_accuracy(candidate: Candidate) -> str:
    """The public eval set through the service's in-process pipeline with this recognizer."""
    params = PipelineParams()
    models = load_registry().model_set()
    pipeline = OcrPipeline(load_detector(models.detection, params.detection),
                           load_classifier(models.classification, params.classifier),
                           candidate.recognizers[1], params)
    results = {case.image.name: [line.text for line in pipeline.run(case.data, OcrOptions(det=case.kind == "page")).lines]
               for case in eval_cases()}
    return score(results).summary()


def speeds(candidates: list[Candidate], crops: list[np.ndarray], repeats: int) -> dict[tuple[str, int], float]:
    """Best lines/s per (candidate, batch) over interleaved rounds, after one warm-up call each."""
    best: dict[tuple[str, int], float] = {}
    for candidate in candidates:
        for recognizer in candidate.recognizers.values():
            recognizer.recognize(crops[:8])
    for _ in range(repeats):
        for candidate in candidates:
            for batch, recognizer in candidate.recognizers.items():
                start = time.perf_counter()
                recognizer.recognize(crops)
                rate = len(crops) / (time.perf_counter() - start)
                best[(candidate.label, batch)] = max(best.get((candidate.label, batch), 0.0), rate)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, nargs="+",
                        default=[DEFAULT_RUN_DIR / "crnn-fp32.onnx", DEFAULT_RUN_DIR / "crnn-int8.onnx"],
                        help="CRNN ONNX files to evaluate (default: this run's fp32 and INT8 exports)")
    parser.add_argument("--registry-crnn", action="store_true", help="also evaluate the committed CRNN")
    parser.add_argument("--heldout", type=int, default=500, help="held-out rendered lines for accuracy")
    parser.add_argument("--speed-lines", type=int, default=200, help="held-out lines timed per round")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    candidates = [Candidate(path.stem, CRNN_MODEL, path) for path in args.models]
    if args.registry_crnn:
        candidates.append(Candidate(f"{CRNN_MODEL} (committed)", CRNN_MODEL, None))
    candidates.append(Candidate(BASELINE_MODEL, BASELINE_MODEL, None))
    for candidate in candidates:
        candidate.load()
    heldout = SyntheticLines(load_charset()).lines(HELDOUT_STREAM, 0, 0, args.heldout)
    rates = speeds(candidates, [line.image for line in heldout[:args.speed_lines]], args.repeats)
    baseline = {b: rates[(BASELINE_MODEL, b)] for b in SPEED_BATCHES}

    rows = []
    print("| recognizer | size MB | held-out rendered lines | public eval set | lines/s b=1 | lines/s b=8 |")
    print("|---|---|---|---|---|---|")
    for candidate in candidates:
        row = {"label": candidate.label, "size_mb": round(candidate.size_mb, 2),
               "heldout": heldout_accuracy(candidate, heldout), "eval_set": eval_set_accuracy(candidate),
               **{f"lines_per_s_b{b}": round(rates[(candidate.label, b)], 1) for b in SPEED_BATCHES},
               **{f"vs_ppocrv4_b{b}": round(rates[(candidate.label, b)] / baseline[b], 2) for b in SPEED_BATCHES}}
        rows.append(row)
        speed = [f"{row[f'lines_per_s_b{b}']} ({row[f'vs_ppocrv4_b{b}']}x)" for b in SPEED_BATCHES]
        print(f"| {row['label']} | {row['size_mb']} | {row['heldout']} | {row['eval_set']} | {' | '.join(speed)} |",
              flush=True)
    out = args.models[0].with_name("evaluation.json")
    out.write_text(json.dumps({"heldout_lines": args.heldout, "speed_lines": args.speed_lines, "rows": rows},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
