"""What the model stages share: applying `user_config` batch settings and counting batch sizes."""
from __future__ import annotations

from collections import Counter

from serve_app.config import BatchConfig


def apply_batch_config(batched_method, user_config: dict) -> BatchConfig:
    """Validate a stage's `user_config` and hand it to its `@serve.batch` method (no restart)."""
    config = BatchConfig.model_validate(user_config)
    batched_method.set_max_batch_size(config.max_batch_size)
    batched_method.set_batch_wait_timeout_s(config.batch_wait_timeout_s)
    return config


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
