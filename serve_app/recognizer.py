"""Recognizer deployment: crop, 0/180 classification and CTC recognition of the lines of many
requests at once (one `@serve.batch` call sees the lines of every page in the batch).

Single-line uploads (det=false) come here directly through `read_line`, skipping the Preprocess
hop: decoding a line crop takes about a millisecond, while a Serve hop costs 5-7 ms of CPU, a
quarter of the line's own model time. They still share batches with the pages' lines."""
from __future__ import annotations

import asyncio
import time

import cv2
import numpy as np
from ray import serve

from models.loading import load_classifier, load_recognizer
from models.registry import load_registry
from ocr_ops.lines import read_lines, recognition_job
from ocr_ops.options import OcrOptions
from ocr_ops.page import prepare_page
from ocr_ops.params import PipelineParams
from ocr_ops.pipeline import PageResult
from ocr_ops.types import RecognitionJob, TextLine
from serve_app.batching import BatchSizes, apply_batch_config


@serve.deployment
class Recognizer:
    def __init__(self, model_set: str | None, params: PipelineParams, threads: int):
        cv2.setNumThreads(threads)
        models = load_registry().model_set(model_set)
        self.classifier = load_classifier(models.classification, params.classifier, threads)
        self.recognizer = load_recognizer(models.recognition, params.recognition, threads)
        self.params = params
        self.batch_sizes = BatchSizes()

    def reconfigure(self, user_config: dict) -> None:
        apply_batch_config(self.recognize, user_config)

    @serve.batch(max_batch_size=16, batch_wait_timeout_s=0.01)
    async def recognize(self, jobs: list[RecognitionJob]) -> list[list[TextLine]]:
        self.batch_sizes.record(len(jobs))
        return await asyncio.to_thread(read_lines, jobs, self.classifier, self.recognizer, self.params.recognition)

    async def read_line(self, image: bytes | np.ndarray, options: OcrOptions) -> PageResult:
        """OCR an upload that is one text line (det=false)."""
        started = time.perf_counter()
        page, steps = await asyncio.to_thread(prepare_page, image, options, self.params)
        decoded = time.perf_counter()
        lines = await self.recognize(recognition_job(page, None, options.cls))
        return PageResult(lines=lines, width=page.original_width, height=page.original_height, enhancements=steps,
                          timings={"preprocess": decoded - started, "detect": 0.0,
                                   "recognize": time.perf_counter() - decoded})

    def batch_stats(self) -> dict:
        return self.batch_sizes.snapshot()

    def ready(self) -> bool:
        return True
