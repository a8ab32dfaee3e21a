"""CTC line recognition: width-sorted batching, padding and greedy decoding with confidences.

Works for any CTC recognizer of the CRNN family (CNN + sequence model + CTC head) whose input is
N x 3 x H x W with a fixed H and a free W: the height and the dictionary come from the registry."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ocr_ops.geometry import resize_to_height
from ocr_ops.onnx_model import OnnxModel, normalise_batch
from ocr_ops.params import RecognitionParams

MAX_LINE_WIDTH = 4096  # resized crops wider than this are squeezed (about 85 characters per 48 px)


def ctc_greedy_decode(probs: np.ndarray, charset: list[str]) -> list[tuple[str, float]]:
    """Best path decoding of N x T x C softmax outputs (class 0 = blank).

    Repeated classes collapse, blanks drop out; the confidence is the mean of the per-step
    maximum probabilities of the characters kept (0.0 for an empty line)."""
    best = probs.argmax(axis=2)
    best_p = probs.max(axis=2)
    results = []
    for indices, scores in zip(best, best_p):
        keep = indices != 0
        keep[1:] &= indices[1:] != indices[:-1]
        text = "".join(charset[i] for i in indices[keep])
        confidence = float(scores[keep].mean()) if keep.any() else 0.0
        results.append((text, confidence))
    return results


def width_sorted_batches(widths: list[int], batch_size: int) -> list[list[int]]:
    """Group crop indices into batches of similar width so padding wastes little compute."""
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


class TextRecognizer:
    """Recognises crops batch by batch; with `workers` > 1 the batches run on that many threads
    at once (one onnxruntime thread each), which uses several cores better than intra-op
    threads on these models (see docs/BENCHMARKS.md)."""

    def __init__(self, model: OnnxModel, charset: list[str], input_height: int, min_width: int,
                 mean, std, params: RecognitionParams, workers: int = 1):
        self.model, self.charset, self.params = model, charset, params
        self.height, self.min_width, self.mean, self.std = input_height, min_width, mean, std
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="rec") if workers > 1 else None

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        resized = [resize_to_height(c, self.height, MAX_LINE_WIDTH) for c in crops]
        widths = [r.shape[1] for r in resized]

        def run(batch: list[int]) -> list[tuple[str, float]]:
            width = max(self.min_width, max(widths[i] for i in batch))
            tensor = normalise_batch([resized[i] for i in batch], width, self.mean, self.std)
            return ctc_greedy_decode(self.model(tensor), self.charset)

        batches = width_sorted_batches(widths, self.params.batch_size)
        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for batch, decoded in zip(batches, (self.pool.map if self.pool else map)(run, batches)):
            for i, text in zip(batch, decoded):
                results[i] = text
        return results
