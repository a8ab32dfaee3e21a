"""Field-aware re-reading: a value known to be digits (or a credit code) is decoded again from the
recognizer's own per-step probabilities with every other character ruled out; when its checksum
still fails, the next-best characters at the least confident positions are tried, and a change is
kept only if it makes the check pass."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ocr_ops.types import LineSteps

DIGITS = "0123456789"
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
MAX_TRIED_POSITIONS = 3  # only single substitutions at the 3 least confident characters: each try
ALTERNATIVES = 2  # that passes a 1-in-31 checksum by luck is a wrong "correction"


@dataclass
class Reading:
    text: str
    confidences: list[float]  # per character
    runner_up: list[list[str]]  # per character, the next-best allowed characters, best first


def restricted_decode(steps: LineSteps, first_char: int, end_char: int, allowed: str) -> Reading:
    """Greedy CTC decoding of the steps that emitted characters [first_char, end_char) of the
    line's text, over the blank and `allowed` only."""
    start = steps.char_steps[first_char] if first_char < len(steps.char_steps) else len(steps.probs)
    stop = steps.char_steps[end_char] if end_char < len(steps.char_steps) else len(steps.probs)
    columns = [0] + [k + 1 for k, c in enumerate(steps.alphabet) if c in allowed]
    symbols = [""] + [steps.alphabet[k - 1] for k in columns[1:]]
    probs = steps.probs[start:stop, columns].astype(np.float32)
    text, confidences, runner_up = [], [], []
    previous = 0
    for row in probs:
        best = int(row.argmax())
        if best != 0 and best != previous:
            order = np.argsort(-row[1:]) + 1
            text.append(symbols[best])
            confidences.append(float(row[best]))
            runner_up.append([symbols[k] for k in order if k != best][:ALTERNATIVES])
        previous = best
    return Reading("".join(text), confidences, runner_up)


def correct_by_check(reading: Reading, is_valid: Callable[[str], bool],
                     parse: Callable[[str], str | None]) -> str | None:
    """The first single substitution at the least confident positions whose parsed value passes
    `is_valid`; None when no such substitution exists."""
    positions = sorted(range(len(reading.text)), key=lambda i: reading.confidences[i])[:MAX_TRIED_POSITIONS]
    for i in positions:
        for alternative in reading.runner_up[i]:
            candidate = parse(reading.text[:i] + alternative + reading.text[i + 1:])
            if candidate is not None and is_valid(candidate):
                return candidate
    return None
