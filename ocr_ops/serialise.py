"""Typed results -> the JSON dicts of a page's lines and of its extracted documents: the one
place their fields are named, so the HTTP routes (`serve_app/api/responses.py` wraps these in
its envelopes and dialects) and a bulk job give the same fields. Pure: no Ray, no HTTP."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ocr_ops.extracted import ExtractedDocument, ExtractedField
from ocr_ops.types import PageResult, TextLine


def line_json(line: TextLine, with_confidence: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"text": line.text}
    if with_confidence:
        out["confidence"] = line.confidence
    out["bbox"] = [round(v, 1) for v in line.bbox]
    out["polygon"] = line.polygon
    return out


def lines_json(page: PageResult, with_confidence: bool) -> list[dict[str, Any]]:
    """The page's lines in reading order."""
    return [line_json(line, with_confidence) for line in page.lines]


def pdf_page_json(page: PageResult, with_confidence: bool) -> dict[str, Any]:
    """A PDF page: its number, size, resolution, where its text came from, and its lines."""
    return {"page": page.number, "width": page.width, "height": page.height, "dpi": round(page.dpi, 1),
            "text_source": page.text_source, "orientation": page.orientation,
            "results": lines_json(page, with_confidence)}


def field_json(found: ExtractedField) -> dict[str, Any]:
    out: dict[str, Any] = {"value": found.value, "confidence": round(float(found.confidence), 4),
                           "bbox": [round(float(v), 1) for v in found.bbox], "source": found.source}
    if found.corrected_from is not None:
        out["corrected_from"] = found.corrected_from
    return out


def document_json(document: ExtractedDocument) -> dict[str, Any]:
    """What was extracted: type, place on the page, fields, items, checks, validity."""
    return {"index": document.index, "region": [[round(float(v), 1) for v in point] for point in document.region],
            "type": document.type, "fields": {key: field_json(found) for key, found in document.fields.items()},
            "items": [asdict(item) for item in document.items], "checks": [asdict(check) for check in document.checks],
            "valid": document.valid}


def page_documents_json(page: PageResult) -> list[dict[str, Any]]:
    """The page's documents, each with the page it is on (an image is page 1) and the turn undone
    before reading it."""
    return [{"page": page.number or 1, "orientation": page.orientation, **document_json(document)}
            for document in page.documents]
