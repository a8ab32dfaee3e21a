"""A real Prometheus (Debian's `prometheus` package) run with the project's cluster/prometheus.yml
against a local service, and every query of cluster/grafana-dashboard.json evaluated on it: the
scrape config and the dashboard checked the way an operator uses them (Grafana only sends these
queries to Prometheus and draws the answers)."""
from __future__ import annotations

import json
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import yaml

from testbed.local_service import free_port

CLUSTER = Path(__file__).resolve().parents[1] / "cluster"


def prometheus_config(discovery_file: Path, scrape_interval_s: int) -> dict:
    """cluster/prometheus.yml, reading `discovery_file` and scraping every `scrape_interval_s`."""
    config = yaml.safe_load((CLUSTER / "prometheus.yml").read_text())
    config["global"]["scrape_interval"] = config["global"]["evaluation_interval"] = f"{scrape_interval_s}s"
    for job in config["scrape_configs"]:
        for discovery in job["file_sd_configs"]:
            discovery["files"] = [str(discovery_file)]
            discovery["refresh_interval"] = f"{scrape_interval_s}s"
    return config


@contextmanager
def running_prometheus(discovery_file: Path, workdir: Path, scrape_interval_s: int = 1,
                       ready_timeout_s: float = 30) -> Iterator[str]:
    """Start Prometheus on a free loopback port with its data in `workdir`; yield its base URL."""
    config_file = workdir / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(prometheus_config(discovery_file, scrape_interval_s)))
    url = f"http://127.0.0.1:{free_port()}"
    with open(workdir / "prometheus.log", "wb") as log:
        process = subprocess.Popen(["prometheus", f"--config.file={config_file}",
                                    f"--storage.tsdb.path={workdir / 'data'}",
                                    f"--web.listen-address={url.removeprefix('http://')}"],
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + ready_timeout_s
        while not _ready(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prometheus did not start; see {workdir / 'prometheus.log'}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/-/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def query(url: str, expr: str) -> list[dict]:
    """The series an instant query returns; a query Prometheus cannot evaluate raises."""
    answer = httpx.get(f"{url}/api/v1/query", params={"query": expr}, timeout=10).json()
    if answer["status"] != "success":
        raise ValueError(f"{expr}: {answer.get('errorType')}: {answer.get('error')}")
    return answer["data"]["result"]


def dashboard_queries(path: Path = CLUSTER / "grafana-dashboard.json") -> list[tuple[str, str]]:
    """(panel title, PromQL) for every query of every panel."""
    dashboard = json.loads(path.read_text())
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]
