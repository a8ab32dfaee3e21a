"""Line accuracy with the public eval set's own normalisation (NFKC, no whitespace, case-folded)
and CER (edit distance / expected length), so training logs, the held-out set and the eval set
speak the same numbers. A held-out line counts as exact only if the whole line matches."""
from __future__ import annotations

from dataclasses import dataclass

from evaluation.scoring import cer


@dataclass(frozen=True)
class LineAccuracy:
    exact: int
    total: int
    mean_cer: float

    @property
    def exact_rate(self) -> float:
        return self.exact / self.total

    def summary(self) -> str:
        return f"{self.exact}/{self.total} exact ({self.exact_rate:.1%}), mean CER {self.mean_cer:.3f}"


def line_accuracy(predicted: list[str], expected: list[str]) -> LineAccuracy:
    cers = [cer(truth, guess) for guess, truth in zip(predicted, expected, strict=True)]
    return LineAccuracy(sum(c == 0.0 for c in cers), len(cers), sum(cers) / len(cers))
