"""Recognizer deployment: crop, 0/180 classification and CTC recognition of the lines of many
requests at once. Batches count lines, not requests (`batch_size_fn`): a page of 60 lines and a
single line crop are different amounts of work, and `max_batch_size` bounds the work per call.
A page larger than a batch is read in parts of at most `max_batch_size` lines.

Single-line uploads (det=false) come here directly through `read_line`, skipping the PageReader
hop: decoding a line crop takes about a millisecond, while a Serve hop costs 5-7 ms of CPU, a
quarter of the line's own model time. They still share batches with the pages' lines."""
from __future__ import annotations

import asyncio

import numpy as np
from ray import serve

from models.loading import load_classifier, load_recognizer
from models.registry import load_registry
from ocr_ops.lines import read_lines
from ocr_ops.options import OcrOptions
from ocr_ops.params import PipelineParams
from ocr_ops.pipeline import Models, SourcePage, read_page
from ocr_ops.types import PageResult, RecognitionJob, TextLine
from serve_app.stages.model_stage import ModelStage
from serve_app.stages.rejection import Rejected, input_errors_as_values


def _lines_in(jobs: list[RecognitionJob]) -> int:
    return sum(len(job.quads) for job in jobs)


@serve.deployment
class Recognizer(ModelStage):
    batched, stage = "_read_batch", "recognize"

    def __init__(self, model_set: str | None, params: PipelineParams, threads: int):
        super().__init__(threads)
        models = load_registry().model_set(model_set)
        self.classifier = load_classifier(models.classification, params.classifier, threads)
        self.recognizer = load_recognizer(models.recognition, params.recognition, threads)
        self.params = params

    async def recognize(self, job: RecognitionJob) -> list[TextLine]:
        """The lines of one page, in the job's (reading) order."""
        if len(job.quads) == 0:
            return []
        parts = await asyncio.gather(*(self._read_batch(part) for part in job.split(self.batch_config.max_batch_size)))
        return [line for part in parts for line in part]

    @serve.batch(batch_size_fn=_lines_in)
    async def _read_batch(self, jobs: list[RecognitionJob]) -> list[list[TextLine]]:
        self.record_batch(_lines_in(jobs), len(jobs))
        return await asyncio.to_thread(read_lines, jobs, self.classifier, self.recognizer, self.params.recognition)

    async def read_line(self, image: bytes | np.ndarray, options: OcrOptions) -> PageResult | Rejected:
        """OCR an upload that is one text line (det=false)."""
        return await input_errors_as_values(
            read_page(SourcePage(image), options, self.params, Models(None, self.recognize)))
