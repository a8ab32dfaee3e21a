"""What the generator hands out: the page, the text it drew, and what an extractor should find."""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr_ops.types import TextLine


@dataclass
class LabelledDocument:
    name: str
    doc_type: str  # "vat_invoice" | "train_ticket"
    layout: str  # e.g. "paper_special", "digital", "train_paper"
    image: np.ndarray  # BGR uint8, after any degradation
    lines: list[TextLine]  # every string drawn, boxes on the clean page: the text-layer stand-in
    fields: dict[str, str | bool]  # ground truth in the response's formats; absent = not printed
    items: list[dict[str, str]] = field(default_factory=list)
    failing_checks: frozenset[str] = frozenset()  # checks that must fail (deliberate flaws); all others pass
    degradations: tuple[str, ...] = ()

    def png(self) -> bytes:
        ok, buffer = cv2.imencode(".png", self.image)
        assert ok
        return buffer.tobytes()


def qr_image(payload: str, size: int) -> np.ndarray:
    """A real QR code (OpenCV's encoder, quiet zone included) scaled to about `size` pixels, RGB."""
    modules = cv2.QRCodeEncoder.create().encode(payload)
    scale = max(1, size // modules.shape[0])
    big = cv2.resize(modules, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    return cv2.cvtColor(big, cv2.COLOR_GRAY2RGB)
