"""Recognizer deployment: crop, 0/180 classification and CTC recognition of the lines of many
requests at once (one `@serve.batch` call sees the lines of every page in the batch)."""
from __future__ import annotations

import asyncio

import cv2
from ray import serve

from models.loading import load_classifier, load_recognizer
from models.registry import load_registry
from ocr_ops.lines import read_lines
from ocr_ops.params import ClassifierParams, RecognitionParams
from ocr_ops.types import RecognitionJob, TextLine
from serve_app.batching import BatchSizes, apply_batch_config


@serve.deployment
class Recognizer:
    def __init__(self, model_set: str | None, classifier_params: ClassifierParams,
                 recognition_params: RecognitionParams, threads: int):
        cv2.setNumThreads(threads)
        models = load_registry().model_set(model_set)
        self.classifier = load_classifier(models.classification, classifier_params, threads)
        self.recognizer = load_recognizer(models.recognition, recognition_params, threads)
        self.params = recognition_params
        self.batch_sizes = BatchSizes()

    def reconfigure(self, user_config: dict) -> None:
        apply_batch_config(self.recognize, user_config)

    @serve.batch(max_batch_size=16, batch_wait_timeout_s=0.01)
    async def recognize(self, jobs: list[RecognitionJob]) -> list[list[TextLine]]:
        self.batch_sizes.record(len(jobs))
        return await asyncio.to_thread(read_lines, jobs, self.classifier, self.recognizer, self.params)

    def batch_stats(self) -> dict:
        return self.batch_sizes.snapshot()

    def ready(self) -> bool:
        return True
