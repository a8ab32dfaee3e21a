"""A request that times out (504) stops costing the stages: its calls are cancelled, not finished
for nobody. Measured on a second app with a tiny timeout, from the recognizer's own counters."""
import time

import httpx
from ray import serve

from tests.support import SUMMARY, encode, ocr, render_text, second_app


def test_a_timed_out_page_is_never_recognised(service):
    lines = [f"LINE {i:02d} THE QUICK BROWN FOX JUMPS OVER 1234567890" for i in range(36)]
    page = encode(render_text(lines, size=(1800, 2600), top=60, step=70))
    with second_app(service, None, "/timeouts", limits={"request_timeout_s": 0.25}) as url:
        recognizer = serve.get_deployment_handle("Recognizer", app_name="timeouts")
        with httpx.Client(base_url=url, timeout=60) as client:
            response = ocr(client, page, "big.png")
            assert response.status_code == 504 and response.headers["retry-after"]
            assert response.json()["error"]["code"] == "timeout"
            time.sleep(8)  # long enough for detection and recognition of this page to have run
        lines_read = recognizer.batch_stats.remote().result()["items"]
    SUMMARY.append(f"timeout: a 36-line page timed out at 0.25 s; the recognizer then read {lines_read} of its lines")
    assert lines_read == 0
