"""Typed values passed between stages (and across Ray, so they stay plain and picklable)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ocr_ops.extracted import ExtractedDocument


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
    """What preprocessing hands on: the (enhanced) work image, the detector input, how
    work-image coordinates map back to the uploaded image's pixels, and the enhancement steps
    that made the work image."""

    image: np.ndarray  # work image, H x W x 3 uint8 BGR
    original_width: int
    original_height: int
    detection_input: DetectionInput | None = None
    enhancements: tuple[str, ...] = ()
    angle: int = 0  # how far the uploaded page was turned clockwise; the work image is upright

    @property
    def upright_size(self) -> tuple[int, int]:
        """The uploaded image's (width, height) once turned upright."""
        if self.angle in (90, 270):
            return self.original_height, self.original_width
        return self.original_width, self.original_height

    @property
    def scale_to_original(self) -> tuple[float, float]:
        """Work-image pixels -> the upright uploaded image's pixels."""
        h, w = self.image.shape[:2]
        width, height = self.upright_size
        return width / w, height / h


@dataclass
class RecognitionJob:
    """One page's worth of line recognition: the work image and the quads to read in it, in
    reading order (so a job can be split into parts and their lines joined again)."""

    image: np.ndarray
    quads: np.ndarray  # K x 4 x 2 float32, work-image coordinates, clockwise from top-left
    use_cls: bool
    scale_to_original: tuple[float, float] = (1.0, 1.0)
    keep_low_confidence: bool = False  # single-line mode returns its line whatever the score
    field_steps: bool = False  # keep each line's per-step probabilities over the field alphabet

    def split(self, max_lines: int) -> list["RecognitionJob"]:
        """Parts of at most `max_lines` quads each, in order (at least one part)."""
        starts = range(0, max(1, len(self.quads)), max_lines)
        return [replace(self, quads=self.quads[start:start + max_lines]) for start in starts]


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
    steps: LineSteps | None = None  # only when asked for (RecognitionJob.field_steps)

    @property
    def bbox(self) -> list[float]:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return [min(xs), min(ys), max(xs), max(ys)]


@dataclass
class PageResult:
    """One page read: its lines in reading order, its size in the uploaded image's (or rendered
    PDF page's) pixels, and where the time went. What the handle API returns."""

    lines: list[TextLine]
    width: int
    height: int
    enhancements: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    number: int | None = None  # PDF pages: 1-based page number
    dpi: float | None = None  # PDF pages: the resolution the page was rendered at
    preview_jpeg: bytes | None = None  # PDF pages, on request: the rendered page, for drawing boxes
    text_source: str = "ocr"  # "ocr", or "text_layer" for a digital PDF page read from its text
    orientation: int = 0  # the clockwise turn that was undone before reading (0, 90, 180, 270)
    # With OcrOptions.document_type: the documents on the page, in reading order (one today: the page).
    documents: list[ExtractedDocument] = field(default_factory=list)

    @classmethod
    def of(cls, page: PreparedPage, lines: list[TextLine], timings: dict[str, float], **extra) -> "PageResult":
        """The one place a page's result is assembled from its prepared page."""
        return cls(lines=lines, width=page.original_width, height=page.original_height,
                   enhancements=page.enhancements, timings=dict(timings), orientation=page.angle, **extra)


@dataclass
class DocumentResult:
    """An upload read: one page for an image, every page for a PDF."""

    pages: list[PageResult]
    is_pdf: bool
