"""Run the whole app on a private local Ray cluster: what the tests and the benchmark share.

The Serve proxy binds its port with SO_REUSEPORT, so a second cluster on the same port would
silently split requests; each local service therefore takes a free port of its own."""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import ray
from ray import serve

from serve_app.app import build_app

APP_NAME = "ocr"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class LocalService:
    url: str
    session_dir: Path  # Ray's session folder: logs, and (with the dashboard) the metrics targets

    @property
    def metrics_discovery_file(self) -> Path:
        """Ray's Prometheus service-discovery file (written by the dashboard's metrics module)."""
        return self.session_dir / "prom_metrics_service_discovery.json"


_running: list[LocalService] = []


def start_local_service(args: dict[str, Any] | None = None, num_cpus: int = 2,
                        ready_timeout_s: float = 180, dashboard: bool = False) -> str:
    """Start Ray + Serve + the app; return its base URL once /healthz answers 200. `dashboard`
    also starts Ray's dashboard, which lists the metrics endpoints for Prometheus."""
    context = ray.init(address="local", num_cpus=num_cpus, include_dashboard=dashboard, log_to_driver=False)
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port},
                logging_config={"log_level": "WARNING", "enable_access_log": False})
    serve.run(build_app(args), name=APP_NAME, route_prefix="/")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, ready_timeout_s)
    except TimeoutError:
        stop_local_service()
        raise
    _running.append(LocalService(url, Path(context.address_info["session_dir"])))
    return url


def redeploy_local_service(url: str, args: dict[str, Any], ready_timeout_s: float = 180) -> None:
    """Deploy the app again with other `AppConfig` args on the running service (a benchmark's
    next setting); return once /healthz answers 200."""
    serve.run(build_app(args), name=APP_NAME, route_prefix="/")
    wait_healthy(url, ready_timeout_s)


def wait_healthy(url: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the service at {url} was not healthy within {timeout_s} s")


def running_service() -> LocalService:
    """The service this process started (tests reach Ray's logs and metrics through it)."""
    return _running[-1]


def stop_local_service() -> None:
    _running.clear()
    serve.shutdown()
    ray.shutdown()
