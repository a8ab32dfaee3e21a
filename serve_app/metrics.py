"""The service's own Prometheus metrics, next to the ones Ray Serve exports for every deployment.

They are `ray.serve.metrics` objects: each replica's values go to its node's metrics agent, which
Prometheus scrapes (targets listed in Ray's `prom_metrics_service_discovery.json`; see
cluster/prometheus.yml). Ray exports a metric named `ocr_requests` as `ray_ocr_requests_total`
(counters) and a histogram as `ray_<name>_bucket/_sum/_count`, and adds the labels `deployment`,
`replica` and `application` itself when the metric is created inside a replica. So create them
there, lazily, with `service_metrics()`: one set per replica process.

Outside a replica, and without `ray.init`, Ray's metric objects still validate their labels and
simply record nowhere: the label rules below are tested without Ray.

Labels are kept to small, known sets (a scanner probing random paths must not create a series
per path): routes are the ingress's route templates or `UNMATCHED_ROUTE`, stages come from
`STAGES`, document types and error codes are short identifiers."""
from __future__ import annotations

import asyncio
import functools
import re
from typing import Callable

from ray.serve import metrics

# End-to-end and per-stage latency: 10 ms (a line crop's stage) to 60 s (the request timeout).
LATENCY_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)
# Batch sizes in lines or requests: the recognizer's max_batch_size is at most 256.
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
LINES_PER_PAGE_BUCKETS = (1, 5, 10, 20, 40, 80, 160, 320)
STAGES = ("preprocess", "detect", "recognize", "text_layer", "orientation", "extract")
MODEL_STAGES = ("detect", "recognize", "orientation")
UNMATCHED_ROUTE = "unmatched"  # 404s: any path the ingress has no route for
OK_CODE = "ok"  # the error-code label of a successful request
SHED_STATUS, TIMEOUT_STATUS = 503, 504
# Ray's metrics agent forgets a gauge value that was not set again within two export intervals
# (at least 1 s each), so an idle replica's in-flight gauge would vanish instead of reading 0.
GAUGE_REFRESH_S = 1.0
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ROUTE = re.compile(r"/[A-Za-z0-9_./-]{0,63}")


def route_label(route: str) -> str:
    """A route template such as `/ocr`; anything else becomes `UNMATCHED_ROUTE`."""
    return route if route == UNMATCHED_ROUTE or _ROUTE.fullmatch(route) else UNMATCHED_ROUTE


def code_label(code: str | None) -> str:
    """An error code such as `not_an_image`, `OK_CODE` for none, `other` for anything malformed."""
    if code is None:
        return OK_CODE
    return code if _IDENTIFIER.fullmatch(code) else "other"


def stage_label(stage: str, allowed: tuple[str, ...] = STAGES) -> str:
    if stage not in allowed:  # a typo in the caller would otherwise open a new series silently
        raise ValueError(f"unknown stage {stage!r}; the stages are {allowed}")
    return stage


class ServiceMetrics:
    """What the ingress and the stages record. Create it with `service_metrics()` inside a replica."""

    def __init__(self) -> None:
        self.requests = metrics.Counter(
            "ocr_requests", "HTTP requests answered, by route, HTTP status and error code",
            tag_keys=("route", "status", "code"))
        self.shed = metrics.Counter("ocr_shed_requests", "Requests answered 503 (shed or a stage lost)",
                                    tag_keys=("route", "code"))
        self.timed_out = metrics.Counter("ocr_timed_out_requests", "Requests answered 504 (over the timeout)",
                                         tag_keys=("route",))
        self.latency = metrics.Histogram(
            "ocr_request_latency_seconds", "End-to-end time in the ingress, per route",
            boundaries=list(LATENCY_BUCKETS_S), tag_keys=("route",))
        self.stage_latency = metrics.Histogram(
            "ocr_stage_latency_seconds", "Time per stage call, as the caller saw it",
            boundaries=list(LATENCY_BUCKETS_S), tag_keys=("stage",))
        self.pages = metrics.Counter("ocr_pages", "Pages OCR'd (an image is one page; a PDF one per page)")
        self.lines_per_page = metrics.Histogram(
            "ocr_lines_per_page", "Text lines found on a page", boundaries=list(LINES_PER_PAGE_BUCKETS))
        self.documents = metrics.Counter("ocr_documents", "Documents extracted, by detected type",
                                         tag_keys=("type",))
        self.in_flight = metrics.Gauge("ocr_in_flight_requests",
                                       "OCR requests admitted and not yet answered, per ingress replica")
        self.model_batch = metrics.Histogram(
            "ocr_model_batch_lines", "Lines (or pages) per onnxruntime call, per model stage",
            boundaries=list(BATCH_BUCKETS), tag_keys=("stage",))
        self.serve_batch = metrics.Histogram(
            "ocr_serve_batch_requests", "Requests per Serve batch (@serve.batch), per model stage",
            boundaries=list(BATCH_BUCKETS), tag_keys=("stage",))

    def record_request(self, route: str, status: int, code: str | None, seconds: float) -> None:
        """One answered HTTP request; `code` is its error code, None when it succeeded."""
        route, code = route_label(route), code_label(code)
        self.requests.inc(1, {"route": route, "status": str(status), "code": code})
        self.latency.observe(seconds, {"route": route})
        if status == SHED_STATUS:
            self.shed.inc(1, {"route": route, "code": code})
        elif status == TIMEOUT_STATUS:
            self.timed_out.inc(1, {"route": route})

    def record_stage(self, stage: str, seconds: float) -> None:
        self.stage_latency.observe(seconds, {"stage": stage_label(stage)})

    def record_page(self, lines: int) -> None:
        self.pages.inc(1)
        self.lines_per_page.observe(lines)

    def record_document(self, doc_type: str) -> None:
        self.documents.inc(1, {"type": code_label(doc_type)})

    def set_in_flight(self, requests: int) -> None:
        self.in_flight.set(requests)

    def record_model_batch(self, stage: str, size: int) -> None:
        """Inputs in one onnxruntime call (lines for the recognizer, pages for the detector)."""
        self.model_batch.observe(size, {"stage": stage_label(stage, MODEL_STAGES)})

    def record_serve_batch(self, stage: str, requests: int) -> None:
        """Requests `@serve.batch` handed to one call."""
        self.serve_batch.observe(requests, {"stage": stage_label(stage, MODEL_STAGES)})


async def keep_reporting(report: Callable[[], None], every_s: float = GAUGE_REFRESH_S) -> None:
    """Call `report` (which sets gauges to their current values) every `every_s`, until cancelled."""
    while True:
        report()
        await asyncio.sleep(every_s)


@functools.cache
def service_metrics() -> ServiceMetrics:
    """This process's metrics, created on first use (inside the replica, so Serve tags them)."""
    return ServiceMetrics()
