"""Session fixtures: one in-process pipeline and one real Ray cluster + Serve app per test run."""
from __future__ import annotations

import os
import time

import httpx
import pytest

from loadtest.local_cluster import free_port
from models.loading import load_pipeline
from tests.support import SUMMARY

# Small enough that the tests can cross it cheaply; the default is 20 MiB.
TEST_MAX_BODY_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="session")
def pipeline():
    return load_pipeline()


@pytest.fixture(scope="session")
def service():
    """Base URL of the full app on a real local Ray cluster, on a port of its own (the Serve
    proxy binds with SO_REUSEPORT, so a shared port would split requests between clusters)."""
    import ray
    from ray import serve

    from serve_app import build_app

    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port},
                logging_config={"log_level": "WARNING", "enable_access_log": False})
    serve.run(build_app({"limits": {"max_body_bytes": TEST_MAX_BODY_BYTES}}), name="ocr", route_prefix="/")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        pytest.fail("the service never became healthy")
    yield url
    serve.shutdown()
    ray.shutdown()


@pytest.fixture(scope="session")
def client(service):
    with httpx.Client(base_url=service, timeout=120) as c:
        yield c


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("OCR figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)
