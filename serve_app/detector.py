"""Detector deployment: the DB text detector, batched across requests."""
from __future__ import annotations

import asyncio

import cv2
import numpy as np
from ray import serve

from models.loading import load_detector
from models.registry import load_registry
from ocr_ops.params import DetectionParams
from ocr_ops.types import DetectionInput
from serve_app.batching import BatchSizes, apply_batch_config


@serve.deployment
class Detector:
    def __init__(self, model_set: str | None, params: DetectionParams, threads: int):
        cv2.setNumThreads(threads)
        spec = load_registry().model_set(model_set).detection
        self.detector = load_detector(spec, params, threads)
        self.batch_sizes = BatchSizes()

    def reconfigure(self, user_config: dict) -> None:
        apply_batch_config(self.detect, user_config)

    @serve.batch(max_batch_size=4, batch_wait_timeout_s=0.005)
    async def detect(self, inputs: list[DetectionInput]) -> list[np.ndarray]:
        self.batch_sizes.record(len(inputs))
        # In a thread, so the replica keeps queueing the next batch and answering health checks.
        return await asyncio.to_thread(self.detector.detect, inputs)

    def batch_stats(self) -> dict:
        return self.batch_sizes.snapshot()

    def ready(self) -> bool:
        return True
