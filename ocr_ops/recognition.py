"""CTC line recognition: width-sorted batching, padding and greedy decoding with confidences.

Works for any CTC recognizer of the CRNN family (CNN + sequence model + CTC head) whose input is
N x 3 x H x W with a fixed H and a free W: the height and the dictionary come from the registry."""
from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ocr_ops.geometry import resize_to_height
from ocr_ops.onnx_model import OnnxModel, normalise_batch
from ocr_ops.params import RecognitionParams
from ocr_ops.types import LineSteps

MAX_LINE_WIDTH = 4096  # resized crops wider than this are squeezed (about 85 characters per 48 px)
# The characters field-aware re-reading may choose between (digits, the letters of unified social
# credit codes, decimal point, hyphen, and the space, a separator like the blank): per-step
# probabilities are kept for these only, a few dozen columns instead of the recognizer's 6k-18k.
FIELD_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY.- "
# Classes that print as the same field character: full-width forms (by NFKC), and O / I, which
# never occur in these fields and are how 0 / 1 get misread.
FIELD_ALIASES = {"0": "Oo", "1": "Il"}
MIN_FIELD_CHARACTERS = 4  # lines with fewer characters of the alphabet carry no steps


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


def field_classes(charset: list[str]) -> tuple[str, list[list[int]]]:
    """The field alphabet this charset can express, and for each of its characters the classes
    that print as it (the character itself, its full-width form, its aliases)."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(charset):
        if i == 0:
            continue  # the CTC blank
        plain = unicodedata.normalize("NFKC", c) if c.strip() else c
        for field_char in FIELD_ALPHABET:
            if plain == field_char or plain in FIELD_ALIASES.get(field_char, ""):
                groups.setdefault(field_char, []).append(i)
    alphabet = "".join(c for c in FIELD_ALPHABET if c in groups)
    return alphabet, [groups[c] for c in alphabet]


def line_steps(probs: np.ndarray, charset: list[str], classes: list[list[int]], alphabet: str) -> LineSteps | None:
    """One line's T x C softmax outputs, summed into the blank and the `alphabet`'s characters
    (`classes` of each), with the step at which each character of its (stripped) greedy text was
    emitted; None for a line with too few characters of the alphabet to be worth re-reading."""
    best = probs.argmax(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    text = "".join(charset[i] for i in best[keep])
    if sum(unicodedata.normalize("NFKC", c) in alphabet for c in text) < MIN_FIELD_CHARACTERS:
        return None
    lead = len(text) - len(text.lstrip())
    steps = np.flatnonzero(keep)[lead:lead + len(text.strip())]
    restricted = np.stack([probs[:, 0]] + [probs[:, group].sum(axis=1) for group in classes], axis=1)
    return LineSteps(alphabet=alphabet, probs=restricted.astype(np.float16), char_steps=steps.tolist())


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
        self.field_alphabet, self.field_classes = field_classes(charset)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [(text, confidence) for text, confidence, _ in self._recognize(crops, with_steps=False)]

    def recognize_with_steps(self, crops: list[np.ndarray]) -> list[tuple[str, float, LineSteps | None]]:
        """As `recognize`, plus each line's per-step probabilities over the field alphabet (for
        field-aware re-reading; see `line_steps`)."""
        return self._recognize(crops, with_steps=True)

    def _recognize(self, crops: list[np.ndarray], with_steps: bool) -> list[tuple[str, float, LineSteps | None]]:
        resized = [resize_to_height(c, self.height, MAX_LINE_WIDTH) for c in crops]
        widths = [r.shape[1] for r in resized]

        def run(batch: list[int]) -> list[tuple[str, float, LineSteps | None]]:
            width = max(self.min_width, max(widths[i] for i in batch))
            tensor = normalise_batch([resized[i] for i in batch], width, self.mean, self.std)
            probs = self.model(tensor)
            decoded = ctc_greedy_decode(probs, self.charset)
            if not with_steps:
                return [(text, confidence, None) for text, confidence in decoded]
            # padding steps past a crop's own width are dropped
            lengths = [max(1, int(np.ceil(widths[i] / width * probs.shape[1]))) for i in batch]
            return [(text, confidence, line_steps(p[:n], self.charset, self.field_classes, self.field_alphabet))
                    for (text, confidence), p, n in zip(decoded, probs, lengths)]

        batches = width_sorted_batches(widths, self.params.batch_size)
        results: list[tuple[str, float, LineSteps | None]] = [("", 0.0, None)] * len(crops)
        for batch, decoded in zip(batches, (self.pool.map if self.pool else map)(run, batches)):
            for i, text in zip(batch, decoded):
                results[i] = text
        return results
