"""PageReader deployment: an upload in, its pages' results out. It decodes an image or renders a
PDF's pages (or reads a digital page's text layer), prepares each page (turns it upright with the
page-orientation model, resizes, enhances, makes the detector input), hands the page's pixels
straight to the Detector and Recognizer, and, on /extract, extracts the page's documents from its
lines; only the lines and documents go back to the ingress."""
from __future__ import annotations

import cv2
import numpy as np
from ray import serve
from ray.serve.handle import DeploymentHandle

from models.loading import load_orientation
from models.registry import load_registry
from ocr_ops.options import OcrOptions
from ocr_ops.params import PipelineParams
from ocr_ops.pipeline import Models, read_document
from ocr_ops.types import DocumentResult
from serve_app.stages.rejection import Rejected, input_errors_as_values


@serve.deployment
class PageReader:
    def __init__(self, detector: DeploymentHandle, recognizer: DeploymentHandle, model_set: str | None,
                 params: PipelineParams, threads: int):
        cv2.setNumThreads(threads)
        has_orientation = load_registry().model_set(model_set).orientation is not None
        self.models = Models(detector.detect.remote, recognizer.recognize.remote,
                             load_orientation(model_set, threads=threads) if has_orientation else None)
        self.params = params

    async def read(self, data: bytes | np.ndarray, options: OcrOptions,
                   page_images: bool = False) -> DocumentResult | Rejected:
        """Every page of an image or PDF through detection and recognition, all pages at once.
        `page_images`: PDF pages also carry their rendering as JPEG (for clients that draw boxes)."""
        return await input_errors_as_values(read_document(data, options, self.params, self.models, page_images))

    def ready(self) -> bool:
        return True
