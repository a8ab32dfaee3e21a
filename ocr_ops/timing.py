"""Wall time per pipeline stage, measured the same way in the service and in-process."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator


class StageTimer:
    """`with timer.stage("detect"): ...` adds the block's wall time to `timer.seconds["detect"]`.
    Works around awaits too, so a stage that waits on another replica counts that wait."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
