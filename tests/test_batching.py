"""Concurrent callers share model calls: observed from the replicas' own batch counters."""
from concurrent.futures import ThreadPoolExecutor

import httpx
from ray import serve

from tests.support import SUMMARY, eval_image


def _stats(deployment: str) -> dict:
    return serve.get_deployment_handle(deployment, app_name="ocr").batch_stats.remote().result()


def test_concurrent_requests_are_batched(service):
    before = _stats("Recognizer")
    line = eval_image("rapidocr_text_rec.jpg")

    def call(_):
        with httpx.Client(base_url=service, timeout=120) as c:
            return c.post("/ocr", files={"image": ("l.jpg", line)}, data={"det": "false"})

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(call, range(48)))
    assert all(r.status_code == 200 and r.json()["results"][0]["text"] == "韩国小馆" for r in responses)
    after = _stats("Recognizer")
    calls, items = after["calls"] - before["calls"], after["items"] - before["items"]
    SUMMARY.append(f"batching: {items} concurrent line requests in {calls} recognizer calls, largest batch {after['max']}")
    assert items == 48
    assert after["max"] > 1 and calls < items
