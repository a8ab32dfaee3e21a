"""A closed-loop HTTP load: N clients, each sending its next request as soon as the last one is
answered, counting every status. Used where a figure needs load in the background (replica kill,
node loss) or is the load itself (scaling benchmark)."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from loadtest.workload import Upload


@dataclass
class LoadResult:
    statuses: Counter = field(default_factory=Counter)  # HTTP status, or the exception's name
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
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
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    def summary(self) -> str:
        return (f"{self.ok}/{self.total} ok in {self.seconds:.1f} s ({self.throughput:.2f} req/s), "
                f"p50 {self.percentile(0.5):.2f} s, p95 {self.percentile(0.95):.2f} s, statuses {dict(self.statuses)}")


class ClosedLoop:
    """Runs in background threads between `start()` and `stop()`, so a test can act meanwhile."""

    def __init__(self, url: str, uploads: list[Upload], clients: int, timeout_s: float = 60):
        self.url, self.clients, self.timeout_s = url, clients, timeout_s
        self._next_upload = itertools.cycle(uploads).__next__
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.result = LoadResult()

    def _client(self) -> None:
        with httpx.Client(timeout=self.timeout_s) as http:
            while not self._stop.is_set():
                with self._lock:
                    upload = self._next_upload()
                started = time.perf_counter()
                try:
                    status: int | str = http.post(f"{self.url}/ocr", files={"image": (upload.name, upload.data)},
                                                  data=dict(upload.fields)).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with self._lock:
                    self.result.statuses[status] += 1
                    if status == 200:
                        self.result.latencies.append(elapsed)

    def start(self) -> "ClosedLoop":
        self._started = time.perf_counter()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> LoadResult:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.result.seconds = time.perf_counter() - self._started
        return self.result

    def run_for(self, seconds: float) -> LoadResult:
        self.start()
        time.sleep(seconds)
        return self.stop()
