"""Per-request pipeline options, validated where they are defined so every caller (HTTP,
deployment handles, the in-process pipeline) gets the same rules and the same errors."""
from __future__ import annotations

from dataclasses import dataclass

from ocr_ops.enhance import AUTO_STEPS, STEPS
from ocr_ops.errors import InvalidOptionError

AUTO, NONE = "auto", "none"
MIN_RESIZE_HEIGHT, MAX_RESIZE_HEIGHT = 32, 8192
ORIENTATIONS = (AUTO, NONE)
DOCUMENT_TYPES = (AUTO, "vat_invoice", "train_ticket")  # ocr_ops.extract.classify's types, and auto
PDF_TEXT = (AUTO, "ocr")


@dataclass(frozen=True)
class OcrOptions:
    det: bool = True  # False: the image is one text line, recognise it without detection
    cls: bool = True  # run the 0/180 degree direction classifier on each line
    enhance: str | tuple[str, ...] = AUTO  # "auto", "none" or named steps applied in order
    resize_height: int | None = None  # scale the page to this height before detection
    orientation: str = AUTO  # "auto": turn a sideways or upside-down page upright first; "none"
    pdf_text: str = AUTO  # "auto": PDF pages with a usable text layer are read from it; "ocr": never
    # Lines keep their per-step probabilities over the field alphabet, so extraction can re-read a
    # field from the recognizer's own evidence (implied by document_type).
    field_steps: bool = False
    # Extract a document's fields from each page: "auto" or a type's name (/extract's `type`);
    # None: lines only.
    document_type: str | None = None

    def __post_init__(self):
        if isinstance(self.enhance, str) and self.enhance not in (AUTO, NONE):
            object.__setattr__(self, "enhance", (self.enhance,))
        if isinstance(self.enhance, (list, tuple)):
            object.__setattr__(self, "enhance", tuple(self.enhance))
            unknown = [s for s in self.enhance if s not in STEPS]
            if unknown:
                raise InvalidOptionError(
                    f"enhance: unknown step(s) {unknown}; use 'auto', 'none' or any of {sorted(STEPS)}")
            repeated = sorted({s for s in self.enhance if self.enhance.count(s) > 1})
            if repeated:  # a step twice changes nothing useful and multiplies the cost
                raise InvalidOptionError(f"enhance: each step at most once, not {repeated} repeated")
        if self.document_type is not None:
            if self.document_type not in DOCUMENT_TYPES:
                raise InvalidOptionError(f"type: use one of {list(DOCUMENT_TYPES)}, not {self.document_type!r}")
            object.__setattr__(self, "field_steps", True)
        for name, allowed in (("orientation", ORIENTATIONS), ("pdf_text", PDF_TEXT)):
            if getattr(self, name) not in allowed:
                raise InvalidOptionError(f"{name}: use one of {list(allowed)}, not {getattr(self, name)!r}")
        if self.resize_height is not None:
            if not MIN_RESIZE_HEIGHT <= self.resize_height <= MAX_RESIZE_HEIGHT:
                raise InvalidOptionError(
                    f"resize_height must be between {MIN_RESIZE_HEIGHT} and {MAX_RESIZE_HEIGHT}, "
                    f"not {self.resize_height}")
            if not self.det:
                raise InvalidOptionError(
                    "resize_height scales the page before text detection; with det=false the line "
                    "is always scaled to the recognizer's input height, so it cannot be honoured")

    @property
    def enhance_steps(self) -> tuple[str, ...]:
        if self.enhance == AUTO:
            return AUTO_STEPS
        if self.enhance == NONE:
            return ()
        return self.enhance
