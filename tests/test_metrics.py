"""The service's metrics, without Ray: Ray's real metric objects validate their labels outside a
replica too (a missing or non-string label raises), so every record call is exercised here; label
sets stay bounded; the buckets span 10 ms to 60 s. The scrape helper reads a real Prometheus
exposition (prometheus_client's own server) and a file in Ray's service-discovery format.
That the series reach Ray's endpoint after traffic is the service test's job."""
from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from ray._private.ray_constants import PROMETHEUS_SERVICE_DISCOVERY_FILE

from testbed.prometheus_scrape import discovery_targets, find, loopback, scrape
from serve_app.metrics import (LATENCY_BUCKETS_S, MODEL_STAGES, OK_CODE, STAGES, UNMATCHED_ROUTE, ServiceMetrics,
                               code_label, keep_reporting, route_label, service_metrics, stage_label)


def test_latency_buckets_span_ten_ms_to_sixty_s_in_order():
    assert LATENCY_BUCKETS_S[0] == 0.01 and LATENCY_BUCKETS_S[-1] == 60
    assert list(LATENCY_BUCKETS_S) == sorted(set(LATENCY_BUCKETS_S))


def test_every_metric_is_prefixed_and_every_record_call_carries_its_labels():
    m = ServiceMetrics()
    names = [metric.info["name"] for metric in vars(m).values()]
    assert names and all(name.startswith("ocr_") for name in names)
    # Ray raises ValueError for a missing label and TypeError for a non-string one.
    m.record_request("/ocr", 200, None, 1.2)
    m.record_request("/ocr", 503, "overloaded", 0.01)
    m.record_request("/extract", 504, "timeout", 60.0)
    m.record_request("/no/such/path", 404, "not_found", 0.001)
    for stage in STAGES:
        m.record_stage(stage, 0.3)
    m.record_page(42)
    m.record_page(0)
    m.record_document("vat_invoice")
    m.set_in_flight(3)
    for stage in MODEL_STAGES:
        m.record_model_batch(stage, 16)
        m.record_serve_batch(stage, 4)


def test_one_set_per_process():
    assert service_metrics() is service_metrics()


def test_gauges_are_set_again_until_the_reporter_is_cancelled():
    reports = []

    async def run_for_a_while():
        reporter = asyncio.create_task(keep_reporting(lambda: reports.append(len(reports)), every_s=0.01))
        await asyncio.sleep(0.1)
        reporter.cancel()
        count = len(reports)
        await asyncio.sleep(0.05)
        return count

    assert asyncio.run(run_for_a_while()) == len(reports) >= 3


def test_labels_stay_in_small_known_sets():
    assert route_label("/ocr") == "/ocr" and route_label("/compat/ocr") == "/compat/ocr"
    assert route_label("/" + "a" * 200) == UNMATCHED_ROUTE
    assert route_label("/x?q=<script>") == UNMATCHED_ROUTE
    assert code_label(None) == OK_CODE and code_label("not_an_image") == "not_an_image"
    assert code_label("Robert'); DROP") == "other"
    with pytest.raises(ValueError):
        stage_label("detection")
    with pytest.raises(ValueError):
        ServiceMetrics().record_model_batch("preprocess", 1)  # not a model stage


def test_scrape_reads_targets_from_a_discovery_file_and_parses_the_exposition(tmp_path):
    registry = CollectorRegistry()
    Counter("ray_ocr_requests", "", ["route", "status", "code"], registry=registry).labels("/ocr", "200", "ok").inc(3)
    Histogram("ray_ocr_stage_latency_seconds", "", ["stage"], buckets=LATENCY_BUCKETS_S,
              registry=registry).labels("detect").observe(0.2)
    server, thread = start_http_server(0, addr="127.0.0.1", registry=registry)
    try:
        sd = tmp_path / "prom_metrics_service_discovery.json"
        sd.write_text(json.dumps([{"labels": {"job": "ray"}, "targets": [f"10.0.0.5:{server.server_port}"]}]))
        samples = scrape([loopback(t) for t in discovery_targets(sd)])
    finally:
        server.shutdown()
    assert [s.value for s in find(samples, "ray_ocr_requests_total", route="/ocr", code="ok")] == [3.0]
    assert find(samples, "ray_ocr_stage_latency_seconds_bucket", stage="detect", le="0.25")[0].value == 1.0
    assert not find(samples, "ray_ocr_requests_total", code="overloaded")


def _exported_names(metric) -> set[str]:
    """The series names Ray exports for one of our metrics (`ray_` prefix, Prometheus suffixes)."""
    name, kind = "ray_" + metric.info["name"], type(metric).__name__
    return {"Counter": {name + "_total"}, "Gauge": {name},
            "Histogram": {name + "_bucket", name + "_sum", name + "_count"}}[kind]


def test_the_dashboard_queries_only_our_series_and_shows_every_metric():
    cluster = Path(__file__).resolve().parents[1] / "cluster"
    dashboard = json.loads((cluster / "grafana-dashboard.json").read_text())
    queried = {name for panel in dashboard["panels"] for target in panel["targets"]
               for name in re.findall(r"\bray_ocr_[a-z_]+", target["expr"])}
    metrics_by_name = {metric.info["name"]: _exported_names(metric) for metric in vars(ServiceMetrics()).values()}
    exported = set().union(*metrics_by_name.values())
    assert queried <= exported, queried - exported
    assert all(names & queried for names in metrics_by_name.values()), "a metric without a panel"
    scrape_files = yaml.safe_load((cluster / "prometheus.yml").read_text())["scrape_configs"][0]["file_sd_configs"]
    assert scrape_files[0]["files"][0].endswith("/" + PROMETHEUS_SERVICE_DISCOVERY_FILE)
