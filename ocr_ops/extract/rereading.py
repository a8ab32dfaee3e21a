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
# ... and only with a character the recognizer itself found nearly as likely there. A code printed
# with a wrong check character must stay wrong: on rendered, blurred tax IDs, alternatives at 0.35+
# were right corrections, those at 0.06-0.32 made invalid codes "valid" as often as they fixed
# misreadings (a missed correction only leaves a check failing; a wrong one hides an error).
MIN_ALTERNATIVE_PROBABILITY = 0.35


@dataclass
class Reading:
    text: str
    confidences: list[float]  # per character
    runner_up: list[list[str]]  # per character, the plausible next-best allowed characters, best first


def restricted_decode(steps: LineSteps, first_char: int, end_char: int, allowed: str) -> Reading:
    """Greedy CTC decoding of the steps that emitted characters [first_char, end_char) of the
    line's text, over the blank and `allowed` only."""
    start = steps.char_steps[first_char] if first_char < len(steps.char_steps) else len(steps.probs)
    stop = steps.char_steps[end_char] if end_char < len(steps.char_steps) else len(steps.probs)
    # the space stays a candidate but, like the blank, emits nothing: a step that was a gap is
    # not turned into a digit
    columns = [0] + [k + 1 for k, c in enumerate(steps.alphabet) if c in allowed or c == " "]
    symbols = [""] + [steps.alphabet[k - 1].strip() for k in columns[1:]]
    probs = steps.probs[start:stop, columns].astype(np.float32)
    text, confidences, runner_up = [], [], []
    previous = 0
    for row in probs:
        best = int(row.argmax())
        if symbols[best] and best != previous:
            order = np.argsort(-row[1:]) + 1
            text.append(symbols[best])
            confidences.append(float(row[best]))
            runner_up.append([symbols[k] for k in order if k != best and symbols[k]
                              and row[k] >= MIN_ALTERNATIVE_PROBABILITY][:ALTERNATIVES])
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


def reread_value(steps: LineSteps, first_char: int, end_char: int, read: str, allowed: str,
                 parse: Callable[[str], str | None], lengths: tuple[int, ...],
                 is_valid: Callable[[str], bool] | None) -> str:
    """The value printed at characters [first_char, end_char) of a line, first `read` as `read`:
    decoded again over `allowed` (kept when it has one of the field's `lengths`, or the first
    reading had none), then, if `is_valid` still fails, corrected at its least confident characters
    when one substitution alone makes it pass. A value that already passes is left alone."""
    if is_valid is not None and is_valid(read):
        return read
    reading = restricted_decode(steps, first_char, end_char, allowed)
    value = parse(reading.text) or read
    if len(value) not in lengths and len(read) in lengths:
        value = read
    if is_valid is not None and not is_valid(value):
        value = correct_by_check(reading, is_valid, parse) or value
    return value
