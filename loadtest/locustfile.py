"""Locust users for the OCR service: full pages and single text lines, in a configurable mix.

    make loadtest USERS=8 DURATION=60s                     # against http://127.0.0.1:8000
    locust -f loadtest/locustfile.py --headless -u 8 -t 60s --host http://127.0.0.1:8000

`OCR_LOAD_MIX=pages=3,lines=1` sets the weights of the two user kinds. Every response is checked
(200 and non-empty text: every page sent has text). Shed requests (503) count as failures,
reported under their own name so the latency of served requests stays visible, and the user
waits the Retry-After it was given, as a real client does (our ocr_client included). At the end the totals go to `$OCR_LOAD_SUMMARY` (JSON) for
`python -m loadtest.summary`."""
from __future__ import annotations

import json
import os
import random
from collections import Counter

import gevent
from locust import HttpUser, constant, events, task

from loadtest.workload import line_uploads, page_uploads

PAGES, LINES = page_uploads(), line_uploads()
MIX = {k: int(v) for k, v in (part.split("=") for part in os.environ.get("OCR_LOAD_MIX", "pages=3,lines=1").split(","))}
TOTALS: Counter[str] = Counter()


def _ocr(user: HttpUser, kind: str, upload, fields: dict[str, str]) -> None:
    with user.client.post("/ocr", files={"image": (upload.name, upload.data)}, data=fields,
                          name=f"/ocr {kind}", catch_response=True) as response:
        if response.status_code == 503:
            TOTALS["shed"] += 1
            response.request_meta["name"] = f"/ocr {kind} (shed)"
            response.failure("shed (503)")
        elif response.status_code != 200:
            response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
        elif not any(r["text"] for r in response.json()["results"]):
            response.failure(f"no text recognised in {upload.name}")
        else:
            TOTALS[kind] += 1
            TOTALS["lines"] += len(response.json()["results"])
    if response.status_code == 503:  # outside the timed block: the wait is not the request's latency
        gevent.sleep(float(response.headers.get("Retry-After", 1)))


class PageUser(HttpUser):
    """Uploads whole documents: eval pages and synthetic invoices."""

    weight = MIX.get("pages", 0)
    wait_time = constant(0)

    @task
    def page(self):
        _ocr(self, "pages", random.choice(PAGES), {})


class LineUser(HttpUser):
    """Sends pre-cropped single lines with det=false."""

    weight = MIX.get("lines", 0)
    wait_time = constant(0)

    @task
    def line(self):
        _ocr(self, "line_crops", random.choice(LINES), {"det": "false"})


@events.test_stop.add_listener
def _write_totals(environment, **_):
    path = os.environ.get("OCR_LOAD_SUMMARY")
    if path:
        with open(path, "w") as f:
            json.dump(dict(TOTALS), f)
