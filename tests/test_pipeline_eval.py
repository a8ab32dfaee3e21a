"""The public eval set through the in-process pipeline (the same ops the service runs)."""
import pytest

from ocr_ops.options import OcrOptions
from tests.support import MIN_EXACT, MIN_WORDS_KEPT, eval_cases, score


@pytest.mark.accuracy
def test_public_eval_set_in_process(pipeline):
    results = {}
    for case in eval_cases():
        result = pipeline.run(case.data, OcrOptions(det=case.kind == "page"))
        results[case.image.name] = [line.text for line in result.lines]
    result = score("public eval, in-process", results)
    assert result.exact >= MIN_EXACT, result.misses
    assert result.words.kept >= MIN_WORDS_KEPT, result.misses
