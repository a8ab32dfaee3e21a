"""From page images and detected quads to ordered, recognised text lines.

Crops from many pages are classified and recognised together, so one model call serves lines
from many requests (the recognizer sorts them by width to keep padding small)."""
from __future__ import annotations

import numpy as np

from ocr_ops.classification import DirectionClassifier
from ocr_ops.geometry import crop_quad, full_image_quad, reading_order
from ocr_ops.params import RecognitionParams
from ocr_ops.recognition import TextRecognizer
from ocr_ops.types import PreparedPage, RecognitionJob, TextLine


def read_lines(jobs: list[RecognitionJob], classifier: DirectionClassifier | None,
               recognizer: TextRecognizer, params: RecognitionParams) -> list[list[TextLine]]:
    crops, owners = [], []
    for j, job in enumerate(jobs):
        for quad in job.quads:
            crops.append(crop_quad(job.image, quad))
            owners.append(j)
    to_classify = [i for i, j in enumerate(owners) if jobs[j].use_cls]
    if classifier is not None and to_classify:
        oriented, _ = classifier.orient([crops[i] for i in to_classify])
        for i, crop in zip(to_classify, oriented):
            crops[i] = crop
    with_steps = any(job.field_steps for job in jobs)
    decoded = recognizer.recognize_with_steps(crops) if with_steps else \
        [(text, confidence, None) for text, confidence in recognizer.recognize(crops)]

    results: list[list[TextLine]] = [[] for _ in jobs]
    first = 0
    for j, job in enumerate(jobs):
        sx, sy = job.scale_to_original
        for k, quad in enumerate(job.quads):
            text, confidence, steps = decoded[first + k]
            text = text.strip()
            if not job.keep_low_confidence and (not text or confidence < params.min_confidence):
                continue
            polygon = (quad.astype(np.float64) * (sx, sy)).round(1).tolist()
            results[j].append(TextLine(text=text, confidence=round(confidence, 4), polygon=polygon,
                                       steps=steps if job.field_steps else None))
        first += len(job.quads)
    return results


def recognition_job(page: PreparedPage, quads: np.ndarray | None, use_cls: bool,
                    field_steps: bool = False) -> RecognitionJob:
    """The recognition work for one page, its quads put in reading order; `quads=None` means
    the whole image is one line (det=false), which is returned even when its confidence is low.
    `field_steps` keeps each line's per-step probabilities over the field alphabet (for
    /extract's re-reading)."""
    single_line = quads is None
    if single_line:
        height, width = page.image.shape[:2]
        quads = full_image_quad(width, height)
    quads = quads[reading_order(quads)]
    return RecognitionJob(image=page.image, quads=quads, use_cls=use_cls,
                          scale_to_original=page.scale_to_original, keep_low_confidence=single_line,
                          field_steps=field_steps)
