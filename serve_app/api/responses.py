"""Typed results -> the JSON bodies of the contract: one page for an image, `pages` for a PDF,
or the `{code, msg, data}` dialect."""
from __future__ import annotations

import base64
from typing import Any

from ocr_ops.types import DocumentResult, PageResult, TextLine
from serve_app.api.contract import ResponseOptions


def ocr_body(document: DocumentResult, total_s: float, opts: ResponseOptions) -> dict[str, Any]:
    if opts.format == "compat":  # every page's lines in one list, in page order
        return compat_body([line for page in document.pages for line in page.lines], opts)
    if not document.is_pdf:
        page = document.pages[0]
        return {"success": True,
                "results": [line_json(line, opts.return_confidence) for line in page.lines],
                "total_time": round(total_s, 4),
                "timings": {stage: round(seconds, 4) for stage, seconds in page.timings.items()},
                "image": {"width": page.width, "height": page.height},
                "orientation": page.orientation,
                "enhance": list(page.enhancements)}
    return {"success": True,
            "pages": [_pdf_page_json(page, opts) for page in document.pages],
            "total_time": round(total_s, 4),
            "enhance": list(document.pages[0].enhancements)}


def line_json(line: TextLine, with_confidence: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"text": line.text}
    if with_confidence:
        out["confidence"] = line.confidence
    out["bbox"] = [round(v, 1) for v in line.bbox]
    out["polygon"] = line.polygon
    return out


def compat_body(lines: list[TextLine], opts: ResponseOptions) -> dict[str, Any]:
    data = [{"text": line.text, **({"confidence": line.confidence} if opts.return_confidence else {})}
            for line in lines]
    return {"code": 0, "msg": "success", "data": data}


def _pdf_page_json(page: PageResult, opts: ResponseOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"page": page.number, "width": page.width, "height": page.height,
                           "dpi": round(page.dpi, 1), "text_source": page.text_source,
                           "orientation": page.orientation,
                           "results": [line_json(line, opts.return_confidence) for line in page.lines]}
    return {**out, **_preview(page)}


def _preview(page: PageResult) -> dict[str, str]:
    """`image`: the rendered PDF page as a JPEG data URL, when the request asked for page images."""
    if page.preview_jpeg is None:
        return {}
    return {"image": "data:image/jpeg;base64," + base64.b64encode(page.preview_jpeg).decode("ascii")}


def extract_body(document: DocumentResult, total_s: float, dialect: str = "default") -> dict[str, Any]:
    """One entry per page (an image is page 1): its type, fields, items, checks and validity."""
    documents = [{"page": page.number or 1, "orientation": page.orientation, **page.document.to_json(),
                  **_preview(page)} for page in document.pages]
    if dialect == "compat":
        return {"code": 0, "msg": "success", "data": documents}
    return {"success": True, "total_time": round(total_s, 4), "documents": documents}
