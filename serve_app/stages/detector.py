"""Detector deployment: the DB text detector, batched across pages of many requests."""
from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from models.loading import load_detector
from models.registry import load_registry
from ocr_ops.params import DetectionParams
from ocr_ops.types import DetectionInput
from serve_app.stages.model_stage import ModelStage


@serve.deployment
class Detector(ModelStage):
    batched, stage = "detect", "detect"

    def __init__(self, model_set: str | None, params: DetectionParams, threads: int):
        super().__init__(threads)
        self.detector = load_detector(load_registry().model_set(model_set).detection, params, threads)
        self.detector.warm_up()  # reserve the largest page's memory now, not in steps under load

    @serve.batch
    async def detect(self, inputs: list[DetectionInput]) -> list[np.ndarray]:
        """Text quads of each page (detector-input pixels mapped back to the work image)."""
        self.record_batch(len(inputs), len(inputs))
        # In a thread, so the replica keeps queueing the next batch and answering health checks.
        return await asyncio.to_thread(self.detector.detect, inputs)
