"""Lines of one page in, checked fields out: the entry point of extraction."""
from __future__ import annotations

import datetime
from typing import Callable

import numpy as np

from ocr_ops.extract import checks
from ocr_ops.extract.classify import classify, document_type
from ocr_ops.extract.layout import Found, Page
from ocr_ops.extract.qr import decode_qr, parse_invoice_qr
from ocr_ops.extract.rereading import reread_value
from ocr_ops.extracted import ExtractedDocument, ExtractedField, Source
from ocr_ops.types import TextLine


def extract_document(lines: list[TextLine], image: np.ndarray | None = None, doc_type: str = "auto",
                     today: datetime.date | None = None, source: Source = "ocr") -> ExtractedDocument:
    """Find a document's fields in its upright page's lines, check them, and say if all checks pass.

    `image` (the page, BGR) is only read for a QR code; `doc_type` is "auto" or a type's name;
    `source` says where the lines came from ("ocr", or "text_layer" for a PDF's own text)."""
    today = today or datetime.date.today()
    kind = classify(Page(lines)) if doc_type == "auto" else document_type(doc_type)
    if kind is None:
        return ExtractedDocument(type="unknown")
    page = Page(lines, stop_labels=kind.LABELS)
    found, items = kind.extract(page)
    fields = {key: _field(f, source) for key, f in found.items()}
    for key, (allowed, parse, lengths) in kind.REREAD.items():
        if key in found:
            fields[key].value, fields[key].corrected_from = reread(found[key], allowed, parse, lengths,
                                                                   kind.VALIDATORS.get(key))
    qr = parse_invoice_qr(decode_qr(image) or "") if image is not None and kind.NAME == "vat_invoice" else {}
    for key, value in qr.items():
        if key != "amount" and key not in fields:
            fields[key] = ExtractedField(value, 1.0, [], "qr")
    values = {key: f.value for key, f in fields.items()}
    results = [check(values, items, today) for check in kind.CHECKS]
    results.append(checks.qr_matches(values, qr))
    return ExtractedDocument(type=kind.NAME, fields=fields, items=items, checks=[c for c in results if c is not None])


def reread(found: Found, allowed: str, parse: Callable[[str], str | None], lengths: tuple[int, ...],
           is_valid: Callable[[str], bool] | None) -> tuple[str, str | None]:
    """A found value re-read from its line's per-step probabilities, when the line has them and
    the value is that line's own text; returns the value and what was read before, if it changed."""
    steps = found.line.line.steps
    if steps is None or found.line.text[found.start:found.end] != found.raw:
        return found.value, None
    value = reread_value(steps, found.start, found.end, found.value, allowed, parse, lengths, is_valid)
    return value, (found.value if value != found.value else None)


def _field(found: Found, source: Source) -> ExtractedField:
    return ExtractedField(found.value, found.confidence, found.bbox, source)
