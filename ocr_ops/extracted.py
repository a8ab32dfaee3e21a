"""The typed result of extracting one document from a page. Apart from `ocr_ops.extract` (which
finds the fields) so that `ocr_ops.types.PageResult` can hold documents without an import cycle;
its JSON form is `ocr_ops.serialise.document_json`."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Literal

Source = Literal["ocr", "text_layer", "qr"]
Points = list[list[float]]


@dataclass
class ExtractedField:
    value: str | bool
    confidence: float
    bbox: list[float]  # x0, y0, x1, y1 in page pixels; [] when the value has no place (a QR-only value)
    source: Source = "ocr"
    corrected_from: str | None = None  # what was read before a checksum-guided re-reading


@dataclass
class LineItem:
    name: str = ""
    spec: str = ""
    unit: str = ""
    quantity: str = ""
    unit_price: str = ""
    amount: str = ""
    tax_rate: str = ""
    tax: str = ""


@dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class ExtractedDocument:
    type: str  # "vat_invoice" | "train_ticket" | "unknown"
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    items: list[LineItem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    index: int = 0  # its place among the page's documents, in reading order
    region: Points = field(default_factory=list)  # its polygon in page pixels, clockwise from its top-left

    @property
    def valid(self) -> bool:
        """All checks pass (an unknown document has none and is not valid)."""
        return self.type != "unknown" and all(c.ok for c in self.checks)

    def mapped(self, to_page: Callable[[Points], Points]) -> ExtractedDocument:
        """The document with its region and its fields' boxes moved by `to_page` (points in, points
        out), e.g. from the upright page the fields were found on back to the uploaded page. A box
        becomes the axis-aligned box around its two mapped corners."""
        def box(bbox: list[float]) -> list[float]:
            if not bbox:
                return bbox
            corners = to_page([bbox[:2], bbox[2:]])
            return [*map(min, *corners), *map(max, *corners)]

        fields = {key: replace(found, bbox=box(found.bbox)) for key, found in self.fields.items()}
        return replace(self, fields=fields, region=to_page(self.region) if self.region else [])


def whole_page(width: float, height: float) -> Points:
    """A page's own outline, as a region: clockwise from the top-left corner."""
    return [[0.0, 0.0], [float(width), 0.0], [float(width), float(height)], [0.0, float(height)]]
