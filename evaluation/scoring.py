"""The eval set's comparison (NFKC, whitespace-free, case-folded; CER against the best-matching
stretch of the output) and a word-level metric that the comparison cannot express.

`norm`, `edit_distance`, `cer` and `best_cer` give exactly the figures of ../shared/eval/scoring.py
(tests/test_scoring.py proves it on every public case), so every quoted score means the same thing.

Whitespace-free scoring is right for Chinese but blind to glued English: `Thisisonesentence.`
scores as a perfect `This is one sentence.`. `words_kept` counts what it cannot see."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def norm(text: str) -> str:
    """NFKC (full- and half-width forms are the same), no whitespace, case-folded as the eval set does."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions and substitutions cost 1)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def cer(expected: str, predicted: str) -> float:
    """Character error rate of a whole predicted line: edit distance / normalised expected length."""
    truth = norm(expected)
    return edit_distance(truth, norm(predicted)) / max(1, len(truth))


def best_cer(expected: str, lines: list[str]) -> float:
    """CER of `expected` against the best-matching stretch of any output line or of all lines
    joined (0.0 = found exactly); stretches are the expected length +- 2 characters."""
    truth = norm(expected)
    if not truth:
        return 0.0
    best = 1.0
    for candidate in [norm(line) for line in lines] + [norm("".join(lines))]:
        if truth in candidate:
            return 0.0
        for width in range(max(1, len(truth) - 2), len(truth) + 3):
            for start in range(0, max(1, len(candidate) - width + 1)):
                best = min(best, edit_distance(truth, candidate[start:start + width]) / len(truth))
    return best


# Latin letters and digits: ASCII, Latin-1 and Latin Extended-A/B (after NFKC, so full-width
# forms count too). Everything else (spaces, punctuation, CJK) separates words.
_LATIN_END = 0x0250


def latin_words(text: str) -> list[str]:
    """The Latin words of `text`, case-folded: maximal runs of Latin letters and digits."""
    words, current = [], []
    for char in unicodedata.normalize("NFKC", text).casefold():
        if char.isalnum() and ord(char) < _LATIN_END:
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def expected_words(text: str) -> list[str]:
    """The words `words_kept` asks for: Latin words with at least one letter (numbers are left to CER)."""
    return [word for word in latin_words(text) if any(char.isalpha() for char in word)]


def _in_order(wanted: list[str], found: list[str]) -> int:
    """How many of `wanted` appear in `found` as whole words, in order (longest common subsequence)."""
    previous = [0] * (len(found) + 1)
    for word in wanted:
        current = [0]
        for j, other in enumerate(found, 1):
            current.append(previous[j - 1] + 1 if word == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class WordsKept:
    kept: int
    total: int

    def __add__(self, other: WordsKept) -> WordsKept:
        return WordsKept(self.kept + other.kept, self.total + other.total)

    def summary(self) -> str:
        return f"{self.kept}/{self.total} English words kept apart"


def words_kept(expected: str, lines: list[str]) -> WordsKept:
    """Of the expected string's Latin words (`expected_words`), how many come back as separate
    words, in order: the longest common subsequence of the expected words and the Latin words
    (`latin_words`) of the best output line, where a line joined with the next one also counts
    as a line (a detector may split one printed line into two boxes). A glued `onesentence` or
    a misread letter loses the word; punctuation, case and CJK neighbours do not matter."""
    wanted = expected_words(expected)
    if not wanted:
        return WordsKept(0, 0)
    candidates = lines + [f"{first} {second}" for first, second in zip(lines, lines[1:])]
    return WordsKept(max((_in_order(wanted, latin_words(line)) for line in candidates), default=0), len(wanted))
