"""Preprocess deployment: decode, enhance and prepare the detector input (CPU-only, no model)."""
from __future__ import annotations

import cv2
import numpy as np
from ray import serve

from ocr_ops.options import OcrOptions
from ocr_ops.page import prepare_page
from ocr_ops.params import PipelineParams
from ocr_ops.types import PreparedPage


@serve.deployment
class Preprocess:
    def __init__(self, params: PipelineParams, threads: int):
        cv2.setNumThreads(threads)
        self.params = params

    def prepare(self, data: bytes | np.ndarray, options: OcrOptions) -> tuple[PreparedPage, tuple[str, ...]]:
        return prepare_page(data, options, self.params)

    def ready(self) -> bool:
        return True
