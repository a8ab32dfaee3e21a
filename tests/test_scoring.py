"""evaluation.scoring: the same figures as the eval set's own scoring.py, and the word metric."""
import importlib.util

import pytest

from evaluation import scoring
from evaluation.eval_set import EVAL_DIR, eval_cases
from evaluation.scoring import WordsKept, expected_words, latin_words, words_kept


def shared_scoring():
    """../shared/eval/scoring.py, loaded by path here only (the project never edits sys.path)."""
    spec = importlib.util.spec_from_file_location("shared_eval_scoring", EVAL_DIR / "scoring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variants(text: str) -> list[str]:
    """Outputs a recognizer could give: exact, spaced, a character lost, one changed, one added, halves."""
    half = len(text) // 2
    return [text, f" {text.upper()} ", text[1:], text[:-1], text[:half] + "X" + text[half + 1:],
            text[:half] + "的" + text[half:], text[:half], text[half:], "", "一一"]


@pytest.mark.accuracy
def test_same_figures_as_the_eval_sets_own_scoring():
    theirs = shared_scoring()
    expected = [e for case in eval_cases() for e in case.expected]
    checked = 0
    for truth in expected:
        assert scoring.norm(truth) == theirs.norm(truth)
        for lines in [[v] for v in variants(truth)] + [variants(truth)[2:5], [truth[:3], truth[3:]], expected[:4]]:
            assert scoring.best_cer(truth, lines) == theirs.best_cer(truth, lines), (truth, lines)
            for line in lines:
                assert scoring.edit_distance(scoring.norm(truth), scoring.norm(line)) == \
                    theirs.edit_distance(theirs.norm(truth), theirs.norm(line))
            checked += 1
    assert checked >= 12 * len(expected)


def test_latin_words_split_on_spaces_punctuation_and_cjk():
    assert latin_words("Hello world!你好世界 3.0") == ["hello", "world", "3", "0"]
    assert latin_words("ＣＵＤＡ执行") == ["cuda"]  # full-width letters fold to ASCII (NFKC)
    assert latin_words("café large-scale") == ["café", "large", "scale"]
    assert expected_words("就会哈哈大笑。3.0") == []  # numbers alone are left to CER


@pytest.mark.parametrize("lines, kept", [
    (["This is one sentence."], 4),
    (["Thisisonesentence."], 0),                   # glued: CER calls it perfect, the words do not
    (["This isone sentence."], 2),
    (["this IS one sentence"], 4),                 # case and punctuation do not matter
    (["sentence one is This"], 1),                 # in order
    (["This is", "one sentence."], 4),             # a line split into two boxes
    (["This is", "noise", "one sentence."], 2),    # only neighbouring boxes join
])
def test_words_kept(lines, kept):
    assert words_kept("This is one sentence.", lines) == WordsKept(kept, 4)


def test_whitespace_free_cer_cannot_see_glued_words():
    assert scoring.best_cer("This is one sentence.", ["Thisisonesentence."]) == 0.0
    assert words_kept("This is one sentence.", ["Thisisonesentence."]).kept == 0
