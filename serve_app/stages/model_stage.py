"""What the two model stages share: thread settings, batch settings from `user_config` (applied
live in `reconfigure`), batch-size counters, and the health probe."""
from __future__ import annotations

from collections import Counter

import cv2

from serve_app.config import BatchConfig
from serve_app.metrics import service_metrics


class BatchSizes:
    """How many items each model call carried: proof that batching happens, and the data for
    choosing batch settings."""

    def __init__(self):
        self.histogram: Counter[int] = Counter()

    def record(self, size: int) -> None:
        self.histogram[size] += 1

    def snapshot(self) -> dict:
        calls = sum(self.histogram.values())
        items = sum(size * n for size, n in self.histogram.items())
        return {"calls": calls, "items": items, "max": max(self.histogram, default=0),
                "mean": items / calls if calls else 0.0,
                "histogram": {str(k): v for k, v in sorted(self.histogram.items())}}


class ModelStage:
    """Base of the Detector and Recognizer deployments. Each names its `@serve.batch` method in
    `batched`; its batch settings come only from the stage's `batch` config (as `user_config`),
    so the decorators carry none."""

    batched = ""  # the name of the subclass's @serve.batch method
    stage = ""  # its metrics label: "detect" or "recognize"

    def __init__(self, threads: int):
        cv2.setNumThreads(threads)
        self.batch_config = BatchConfig()
        self.batch_sizes = BatchSizes()  # items (pages or lines) per batch
        self.requests_per_batch = BatchSizes()
        self.metrics = service_metrics()

    def record_batch(self, items: int, requests: int) -> None:
        self.batch_sizes.record(items)
        self.requests_per_batch.record(requests)
        self.metrics.record_model_batch(self.stage, items)
        self.metrics.record_serve_batch(self.stage, requests)

    def reconfigure(self, user_config: dict) -> None:
        """Validate the stage's batch settings and hand them to its batch method (no restart)."""
        self.batch_config = BatchConfig.model_validate(user_config)
        method = getattr(self, self.batched)
        method.set_max_batch_size(self.batch_config.max_batch_size)
        method.set_batch_wait_timeout_s(self.batch_config.batch_wait_timeout_s)

    def batch_stats(self) -> dict:
        """Items per batch (`items`: pages or lines), and requests per batch (`requests`)."""
        return {**self.batch_sizes.snapshot(), "requests": self.requests_per_batch.snapshot()}

    def ready(self) -> bool:
        return True
