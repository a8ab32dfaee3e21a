"""The opt-in model set (PP-OCRv4 mobile det + rec, the default until PP-OCRv6 small rec read more):
in-process and as a second Serve app in the same cluster, selected by `model_set` in the app's args."""
import httpx
import pytest

from models.loading import load_pipeline
from ocr_ops.options import OcrOptions
from tests.support import eval_cases, score, second_app

OPT_IN_SET = "ppocrv4-mobile"
# This set reads 27 of the 32 strings exactly and keeps 64 of 70 English words apart (the
# default: 28 and 67); see README "Accuracy".
MIN_EXACT_OPT_IN = 27
MIN_WORDS_KEPT_OPT_IN = 64


@pytest.mark.accuracy
def test_opt_in_set_in_process():
    pipeline = load_pipeline(OPT_IN_SET)
    results = {c.image.name: [l.text for l in pipeline.run(c.data, OcrOptions(det=c.kind == "page")).lines]
               for c in eval_cases()}
    result = score(f"public eval, in-process, {OPT_IN_SET}", results)
    assert result.exact >= MIN_EXACT_OPT_IN, result.misses
    assert result.words.kept >= MIN_WORDS_KEPT_OPT_IN, result.misses


@pytest.fixture(scope="module")
def opt_in_app(service):
    with second_app(service, OPT_IN_SET, "/v4") as url:
        yield url


def test_opt_in_set_over_http(opt_in_app):
    results = {}
    with httpx.Client(base_url=opt_in_app, timeout=120) as client:
        assert client.get("/healthz").status_code == 200
        for case in eval_cases():
            response = client.post("/ocr", files={"image": (case.image.name, case.data)},
                                   data={"det": str(case.kind == "page").lower()})
            assert response.status_code == 200, response.text
            results[case.image.name] = [r["text"] for r in response.json()["results"]]
    result = score(f"public eval, over HTTP, {OPT_IN_SET}", results)
    assert result.exact >= MIN_EXACT_OPT_IN, result.misses
    assert result.words.kept >= MIN_WORDS_KEPT_OPT_IN, result.misses
