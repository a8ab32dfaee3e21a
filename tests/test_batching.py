"""Concurrent callers share model calls: observed from the replicas' own batch counters."""
from concurrent.futures import ThreadPoolExecutor

import httpx
from ray import serve

from tests.support import SUMMARY, eval_image, ocr


def _stats(deployment: str) -> dict:
    return serve.get_deployment_handle(deployment, app_name="ocr").batch_stats.remote().result()


def test_concurrent_requests_are_batched(service):
    before = _stats("Recognizer")
    line = eval_image("rapidocr_text_rec.jpg")

    def call(_):
        with httpx.Client(base_url=service, timeout=120) as c:
            return ocr(c, line, "l.jpg", det="false")

    with ThreadPoolExecutor(max_workers=8) as pool:  # within the ingress's admission limit
        responses = list(pool.map(call, range(48)))
    assert all(r.status_code == 200 and r.json()["results"][0]["text"] == "韩国小馆" for r in responses)
    after = _stats("Recognizer")
    calls, items = after["calls"] - before["calls"], after["items"] - before["items"]
    SUMMARY.append(f"batching: {items} line requests from 8 concurrent callers in {calls} recognizer calls, largest batch {after['max']}")
    assert items == 48
    assert after["max"] > 1 and calls < items


def test_overload_is_shed_with_a_fast_json_503(service):
    """More concurrent pages than the ingress admits: the excess gets 503 + Retry-After, the
    admitted ones are answered, and the service is healthy afterwards."""
    page = eval_image("rapidocr_ch_en_num.jpg")

    def call(_):
        with httpx.Client(base_url=service, timeout=120) as c:
            return ocr(c, page, "p.jpg")

    with ThreadPoolExecutor(max_workers=24) as pool:
        responses = list(pool.map(call, range(24)))
    shed = [r for r in responses if r.status_code == 503]
    served = [r for r in responses if r.status_code == 200]
    assert len(shed) + len(served) == len(responses)
    assert shed and served
    for r in shed:
        assert r.headers["retry-after"] == "1" and r.json()["error"]["code"] == "overloaded"
    assert all(r.json()["results"][0]["text"] == "正品促销" for r in served)
    SUMMARY.append(f"overload: 24 concurrent pages -> {len(served)} served, {len(shed)} shed with 503")
    with httpx.Client(base_url=service, timeout=30) as c:
        assert c.get("/healthz").status_code == 200
