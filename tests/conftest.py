"""Session fixtures: one in-process pipeline and one real Ray cluster + Serve app per test run."""
from __future__ import annotations

import os

import httpx
import pytest
from ray import serve

from models.loading import load_pipeline
from testbed.local_service import start_local_service, stop_local_service
from serve_app.config import AppConfig
from serve_app.stages.ingress import Ingress
from tests.support import SUMMARY

# Small enough that the tests can cross it cheaply; the default is 20 MiB.
TEST_MAX_BODY_BYTES = 2 * 1024 * 1024
# The session's 2 logical CPUs: the main app takes 1.8, leaving room for a second, opt-in app.
TEST_APP_ARGS = {"limits": {"max_body_bytes": TEST_MAX_BODY_BYTES},
                 "detector": {"num_cpus": 0.7}, "recognizer": {"num_cpus": 0.7}}


@pytest.fixture(scope="session")
def pipeline():
    return load_pipeline()


METRICS_INTERVAL_S = 2.0  # how often the test service's replicas export metrics


@pytest.fixture(scope="session")
def service():
    """Base URL of the full app on a real local Ray cluster, on a port of its own."""
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    # Every Ray process reads this (the metrics agent too, which drops gauges after two intervals),
    # so metrics tests wait seconds, not Ray's default 10 s per export.
    os.environ["RAY_metrics_report_interval_ms"] = str(int(METRICS_INTERVAL_S * 1000))
    url = start_local_service(TEST_APP_ARGS, dashboard=True)  # the dashboard lists the metrics targets
    yield url
    stop_local_service()


API_KEY = "alpha-key-0123456789abcdef"  # one of keyed_service's keys


@pytest.fixture(scope="session")
def keyed_service(service):
    """A second ingress over the running app's stages with API keys on (from its environment, as
    a Kubernetes Secret would give them) and one request in flight per key."""
    stages = [serve.get_deployment_handle(name, app_name="ocr") for name in ("PageReader", "Detector", "Recognizer")]
    config = AppConfig.from_sources({"limits": {"max_in_flight_per_key": 1}}, environ={})
    keys = f"{API_KEY},beta-key-0123456789abcdef"
    ingress = Ingress.options(name="KeyedIngress", ray_actor_options={
        "num_cpus": 0, "runtime_env": {"env_vars": {"OCR_API_KEYS": keys}}})
    serve.run(ingress.bind(*stages, config), name="ocr-keyed", route_prefix="/keyed")
    yield f"{service}/keyed"
    serve.delete("ocr-keyed")


@pytest.fixture(scope="session")
def client(service):
    with httpx.Client(base_url=service, timeout=120) as c:
        yield c


# Test layers, from the fixtures a test uses and the file it is in (pyproject.toml registers them),
# unless the test names its layer (`accuracy`: scores a whole labelled set in-process).
# `make test-fast` runs only `unit`; `make test` runs every layer.
LAYERS = ("unit", "accuracy", "service", "multinode", "browser")
LAYER_OF_MODULE = {"test_multinode": "multinode", "test_web_page": "browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        if any(item.get_closest_marker(layer) for layer in LAYERS):
            continue
        module = item.module.__name__.rpartition(".")[2]
        layer = LAYER_OF_MODULE.get(module) or ("service" if "service" in item.fixturenames else "unit")
        item.add_marker(getattr(pytest.mark, layer))


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("OCR figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)
