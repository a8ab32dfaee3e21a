"""Chinese words drawn by how often they occur, so the CRNN sees common characters often.

Uniformly random hanzi give each of the 3,755 classes the same few samples, yet real documents
are dominated by a few hundred characters: in the word-frequency list below, the 1,000 most
frequent characters carry most of the text. The list is jieba's `dict.txt` (349k words with
corpus counts, MIT licence), read from the installed `jieba` package of the training extra;
nothing is downloaded at training time.
"""
from __future__ import annotations

from importlib import resources

import numpy as np

# Counts are flattened (count ** TEMPERATURE) so rarer words still appear: with the raw counts
# a handful of function words would fill most lines.
TEMPERATURE = 0.6


class WordList:
    """Words whose characters are all in the charset (and include a hanzi), with sampling weights."""

    def __init__(self, chars: list[str]):
        charset = set(chars)
        words, counts = [], []
        text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            word, count = line.split(" ")[:2]
            if all(c in charset for c in word) and any("\u4e00" <= c <= "\u9fff" for c in word):
                words.append(word)
                counts.append(int(count))
        self.words = words
        weights = np.asarray(counts, dtype=np.float64) ** TEMPERATURE
        self._cumulative = np.cumsum(weights / weights.sum())

    def sample(self, rng: np.random.Generator, count: int) -> list[str]:
        picks = np.searchsorted(self._cumulative, rng.random(count), side="right")
        return [self.words[min(i, len(self.words) - 1)] for i in picks]
