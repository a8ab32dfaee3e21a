"""The whole OCR pipeline in one process: the same ops and onnxruntime sessions the service
uses, without Ray or HTTP. Tests use it per op; the benchmark uses it as the service's limit."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ocr_ops.classification import DirectionClassifier
from ocr_ops.detection import TextDetector
from ocr_ops.lines import read_lines, recognition_job
from ocr_ops.options import OcrOptions
from ocr_ops.page import prepare_page
from ocr_ops.params import PipelineParams
from ocr_ops.recognition import TextRecognizer
from ocr_ops.types import TextLine


@dataclass
class PageResult:
    lines: list[TextLine]
    width: int
    height: int
    enhancements: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


class OcrPipeline:
    def __init__(self, detector: TextDetector, classifier: DirectionClassifier,
                 recognizer: TextRecognizer, params: PipelineParams):
        self.detector, self.classifier, self.recognizer, self.params = detector, classifier, recognizer, params

    def run(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions(),
            field_steps: bool = False) -> PageResult:
        """`field_steps`: lines carry their per-step probabilities over the field alphabet."""
        start = time.perf_counter()
        page, steps = prepare_page(data, options, self.params)
        prepared = time.perf_counter()
        quads = self.detector.detect([page.detection_input])[0] if options.det else None
        detected = time.perf_counter()
        job = recognition_job(page, quads, options.cls, field_steps)
        lines = read_lines([job], self.classifier, self.recognizer, self.params.recognition)[0]
        done = time.perf_counter()
        return PageResult(lines=lines, width=page.original_width, height=page.original_height,
                          enhancements=steps,
                          timings={"preprocess": prepared - start, "detect": detected - prepared,
                                   "recognize": done - detected})
