"""Read Ray's Prometheus metrics the way Prometheus does: targets from Ray's service-discovery file,
scraped over loopback and parsed with prometheus_client's text parser. For tests and the soak,
which check that the service's `ocr_*` series exist after real traffic."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

# Ray keeps a link to the newest session's file here (RAY_TMPDIR moves the folder).
RAY_TEMP_DIR = Path("/tmp/ray")
DISCOVERY_FILE = "prom_metrics_service_discovery.json"


@dataclass(frozen=True)
class Sample:
    name: str  # as exported, e.g. ray_ocr_requests_total
    labels: dict[str, str]
    value: float


def discovery_targets(path: Path = RAY_TEMP_DIR / DISCOVERY_FILE) -> list[str]:
    """`host:port` of every metrics agent listed in a Prometheus file_sd file."""
    return [target for group in json.loads(path.read_text()) for target in group["targets"]]


def loopback(target: str) -> str:
    """Ray lists the node's own IP; on one machine its agents answer on 127.0.0.1 too."""
    return "127.0.0.1:" + target.rpartition(":")[2]


def scrape(targets: list[str], timeout_s: float = 10) -> list[Sample]:
    samples = []
    with httpx.Client(timeout=timeout_s) as http:
        for target in targets:
            text = http.get(f"http://{target}/metrics").raise_for_status().text
            samples += [Sample(s.name, dict(s.labels), s.value)
                        for family in text_string_to_metric_families(text) for s in family.samples]
    return samples


def find(samples: list[Sample], name: str, **labels: str) -> list[Sample]:
    """Samples of `name` whose labels include all of `labels`."""
    return [s for s in samples if s.name == name and labels.items() <= s.labels.items()]
