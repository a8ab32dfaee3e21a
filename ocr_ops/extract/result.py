"""The typed result of extracting one document, and its JSON form (the `/extract` response's
`documents[]` entry, less `page` and `orientation`, which the caller knows)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Source = Literal["ocr", "text_layer", "qr"]


@dataclass
class ExtractedField:
    value: str | bool
    confidence: float
    bbox: list[float]  # x0, y0, x1, y1 in page pixels; [] when the value has no place (a QR-only value)
    source: Source = "ocr"
    corrected_from: str | None = None  # what was read before a checksum-guided re-reading

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "confidence": round(float(self.confidence), 4),
                               "bbox": [round(float(v), 1) for v in self.bbox], "source": self.source}
        if self.corrected_from is not None:
            out["corrected_from"] = self.corrected_from
        return out


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

    @property
    def valid(self) -> bool:
        """All checks pass (an unknown document has none and is not valid)."""
        return self.type != "unknown" and all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "fields": {k: f.to_json() for k, f in self.fields.items()},
                "items": [asdict(i) for i in self.items], "checks": [asdict(c) for c in self.checks],
                "valid": self.valid}
