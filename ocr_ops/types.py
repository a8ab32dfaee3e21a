"""Typed values passed between stages (and across Ray, so they stay plain and picklable)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DetectionInput:
    """A page resized for the detector (uint8, sides multiples of 32) and the way back."""

    image: np.ndarray
    scale_x: float  # work-image pixels per detector-input pixel, horizontally
    scale_y: float
    pad: int  # margin (work-image pixels) added around the page before resizing
    work_width: int
    work_height: int

    def to_work(self, points: np.ndarray) -> np.ndarray:
        """Detector-input coordinates -> work-image coordinates, clipped to the page."""
        out = np.empty_like(points, dtype=np.float32)
        out[..., 0] = np.clip(points[..., 0] * self.scale_x - self.pad, 0, self.work_width - 1)
        out[..., 1] = np.clip(points[..., 1] * self.scale_y - self.pad, 0, self.work_height - 1)
        return out


@dataclass
class PreparedPage:
    """What preprocessing hands on: the (enhanced) work image, the detector input, and how
    work-image coordinates map back to the uploaded image's pixels."""

    image: np.ndarray  # work image, H x W x 3 uint8 BGR
    original_width: int
    original_height: int
    detection_input: DetectionInput | None = None

    @property
    def scale_to_original(self) -> tuple[float, float]:
        h, w = self.image.shape[:2]
        return self.original_width / w, self.original_height / h


@dataclass
class RecognitionJob:
    """One page's worth of line recognition: the work image and the quads to read in it."""

    image: np.ndarray
    quads: np.ndarray  # K x 4 x 2 float32, work-image coordinates, clockwise from top-left
    use_cls: bool
    scale_to_original: tuple[float, float] = (1.0, 1.0)
    keep_low_confidence: bool = False  # single-line mode returns its line whatever the score
    field_steps: bool = False  # keep each line's per-step probabilities over the field alphabet


@dataclass
class LineSteps:
    """A recognised line's CTC probabilities restricted to a small alphabet, so a field can be
    re-read (digits only, say) from the recognizer's own evidence without the full class matrix."""

    alphabet: str  # column k + 1 of `probs` is alphabet[k]; column 0 is the CTC blank
    probs: np.ndarray  # T x (1 + len(alphabet)) float16, one row per time step
    char_steps: list[int]  # the step at which each character of the line's text was emitted


@dataclass
class TextLine:
    text: str
    confidence: float
    polygon: list[list[float]] = field(default_factory=list)  # 4 x [x, y], original pixels
    rotated_180: bool = False
    steps: LineSteps | None = None  # only when asked for (RecognitionJob.field_steps)

    @property
    def bbox(self) -> list[float]:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return [min(xs), min(ys), max(xs), max(ys)]
