"""Tunable parameters of each op, as typed dataclasses with the defaults we measured.

`serve_app.config` nests these inside the one service config, so the same names are set from
the Serve YAML, the environment or code, and the in-process pipeline uses the same defaults."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DecodeParams:
    max_pixels: int = 40_000_000  # refuse larger images (413) before decompressing them


@dataclass
class PdfParams:
    max_pages: int = 20  # PDFs with more pages are refused (413) before any page is rendered
    dpi: float = 150.0  # render resolution; lowered per page where it would exceed decode.max_pixels


@dataclass
class EnhanceParams:
    # `denoise` costs about 1 s of one core per megapixel: larger pages are refused (422) rather
    # than letting one request take a core for a minute.
    max_denoise_pixels: int = 4_000_000


@dataclass
class DetectionParams:
    limit_side_len: int = 736  # scale so the short side is at least this ...
    max_side_len: int = 2000  # ... but never let the long side exceed this
    border_pad: int = 16  # pixels of page-coloured margin so lines touching the edge are found
    thresh: float = 0.3  # probability threshold for the text mask
    box_thresh: float = 0.5  # mean probability a box must reach to be kept
    unclip_ratio: float = 1.6  # DB unclip: how far polygons are grown back to the text's extent
    max_candidates: int = 1000
    min_size: int = 3  # boxes with a shorter side (in map pixels) are noise
    use_dilation: bool = True


@dataclass
class ClassifierParams:
    threshold: float = 0.9  # rotate a line only when the 180 degree class is this confident
    batch_size: int = 16


@dataclass
class RecognitionParams:
    # Lines per onnxruntime call (crops sorted by width first). Measured on PP-OCRv4 rec, one
    # thread: 22.5 lines/s at 1, 15.1 at 4, 9.6 at 8 (docs/BENCHMARKS.md), so 1 by default.
    batch_size: int = 1
    min_confidence: float = 0.5  # lines below this are dropped from page results


@dataclass
class PipelineParams:
    """Every op's parameters in one place (one field per stage)."""

    decode: DecodeParams = field(default_factory=DecodeParams)
    pdf: PdfParams = field(default_factory=PdfParams)
    enhance: EnhanceParams = field(default_factory=EnhanceParams)
    detection: DetectionParams = field(default_factory=DetectionParams)
    classifier: ClassifierParams = field(default_factory=ClassifierParams)
    recognition: RecognitionParams = field(default_factory=RecognitionParams)
