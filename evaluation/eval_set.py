"""The public eval set in ../shared/eval, scored with `evaluation.scoring`, shared by tests,
benchmarks and model training so every quoted score means the same thing."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from evaluation.scoring import WordsKept, best_cer, words_kept

# The public eval set lives in shared/ beside the checkout (CI clones it there too); OCR_EVAL_DIR
# points elsewhere.
EVAL_DIR = Path(os.environ.get("OCR_EVAL_DIR") or Path(__file__).resolve().parents[2] / "shared" / "eval")


@dataclass(frozen=True)
class EvalCase:
    image: Path
    kind: str  # "line": recognise without detection; "page": the full pipeline
    expected: list[str]
    note: str

    @property
    def data(self) -> bytes:
        return self.image.read_bytes()


@dataclass(frozen=True)
class EvalScore:
    exact: int
    total: int
    mean_cer: float
    words: WordsKept  # the expected strings' English words that came back as separate words
    misses: list[str]

    def summary(self) -> str:
        return f"{self.exact}/{self.total} exact, mean CER {self.mean_cer:.3f}, {self.words.summary()}"


def eval_cases() -> list[EvalCase]:
    cases = []
    for line in (EVAL_DIR / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        cases.append(EvalCase(EVAL_DIR / raw["image"], raw["kind"], raw["expected"], raw.get("note", "")))
    return cases


def score(results: dict[str, list[str]]) -> EvalScore:
    """Score recognised lines per image file name against every expected string."""
    exact, cers, words, misses = 0, [], WordsKept(0, 0), []
    for case in eval_cases():
        lines = results[case.image.name]
        for expected in case.expected:
            cer = best_cer(expected, lines)
            cers.append(cer)
            exact += cer == 0.0
            kept = words_kept(expected, lines)
            words += kept
            if cer > 0 or kept.kept < kept.total:
                misses.append(f"{case.image.name}: {expected[:30]!r} (CER {cer:.2f}, words {kept.kept}/{kept.total})"
                              f" got {lines[:3]}")
    return EvalScore(exact, len(cers), sum(cers) / len(cers), words, misses)
