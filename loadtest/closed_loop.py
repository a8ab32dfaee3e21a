"""The project's one HTTP load generator (Locust stays the interactive tool): N clients in closed
loop, each sending its next request as soon as the last one is answered. The benchmark, the
scaling benchmark, the multi-node tests and the soak all measure with it, so their figures share
one percentile convention and one client behaviour:

- every status is counted (or the exception's name when no response came);
- latency is recorded for answered (200) requests only;
- a 503 or 429 with Retry-After makes that client wait as told, outside any latency, as a real
  client (and `ocr_client`) does: without it a shed client retries at once and the rejections
  alone eat the service's CPU (docs/BENCHMARKS.md, "Overload").

It runs in background threads between `start()` and `stop()`, so a test or the soak can act
meanwhile; `reset()` ends a warm-up."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import numpy as np

from loadtest.workload import Upload
from ocr_client.outputs import pages_of

RETRY_STATUSES = (429, 503)
DEFAULT_RETRY_AFTER_S = 1.0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with numpy's default linear interpolation: the project's one
    convention for latency figures. NaN when there are no values."""
    return float(np.percentile(values, q)) if values else float("nan")


def retry_after_s(headers: httpx.Headers) -> float:
    """Seconds a Retry-After header asks for (its delay-seconds form), else the default."""
    try:
        return max(0.0, float(headers.get("retry-after", DEFAULT_RETRY_AFTER_S)))
    except ValueError:
        return DEFAULT_RETRY_AFTER_S


def lines_in(body: dict) -> int:
    """Text lines in an /ocr response, an image's or a PDF's."""
    return sum(len(page["results"]) for page in pages_of(body))


@dataclass
class LoadResult:
    statuses: Counter = field(default_factory=Counter)  # HTTP status, or the exception's name
    latencies: list[float] = field(default_factory=list)  # seconds, answered (200) requests only
    lines: int = 0  # text lines in the answered requests
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok(self) -> int:
        return self.statuses[200]

    @property
    def failed(self) -> int:
        return self.total - self.ok

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return percentile(self.latencies, q)

    def summary(self) -> str:
        return (f"{self.ok}/{self.total} ok in {self.seconds:.1f} s ({self.throughput:.2f} req/s), "
                f"p50 {self.percentile(50):.2f} s, p95 {self.percentile(95):.2f} s, statuses {dict(self.statuses)}")


class ClosedLoop:
    """`clients` threads posting `uploads` (in turn, cycling) to `url + route`."""

    def __init__(self, url: str, uploads: list[Upload], clients: int, timeout_s: float = 120,
                 route: str = "/ocr"):
        self.endpoint, self.clients, self.timeout_s = url.rstrip("/") + route, clients, timeout_s
        self._next_upload = itertools.cycle(uploads).__next__
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._since = 0.0
        self._result = LoadResult()

    def _client(self) -> None:
        with httpx.Client(timeout=self.timeout_s) as http:
            while not self._stop.is_set():
                with self._lock:
                    upload = self._next_upload()
                started = time.perf_counter()
                try:
                    response = http.post(self.endpoint, files={"image": (upload.name, upload.data)},
                                         data=dict(upload.fields))
                    status: int | str = response.status_code
                    lines = lines_in(response.json()) if status == 200 else 0
                except httpx.HTTPError as exc:
                    response, status, lines = None, type(exc).__name__, 0
                elapsed = time.perf_counter() - started
                with self._lock:
                    self._result.statuses[status] += 1
                    if status == 200:
                        self._result.latencies.append(elapsed)
                        self._result.lines += lines
                if response is not None and status in RETRY_STATUSES:
                    self._stop.wait(retry_after_s(response.headers))

    def start(self) -> "ClosedLoop":
        self._since = time.perf_counter()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def reset(self) -> None:
        """Forget what was counted so far (a warm-up) and time from now."""
        with self._lock:
            self._result, self._since = LoadResult(), time.perf_counter()

    def snapshot(self) -> LoadResult:
        """A copy of the counts so far, while the load goes on."""
        with self._lock:
            return LoadResult(Counter(self._result.statuses), list(self._result.latencies), self._result.lines,
                              time.perf_counter() - self._since)

    def stop(self) -> LoadResult:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self._result.seconds = time.perf_counter() - self._since
        return self._result

    def run_for(self, seconds: float, warmup_s: float = 0.0) -> LoadResult:
        self.start()
        if warmup_s:
            time.sleep(warmup_s)
            self.reset()
        time.sleep(seconds)
        return self.stop()
