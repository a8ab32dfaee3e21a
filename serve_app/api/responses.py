"""The envelopes of the contract around `ocr_ops.serialise`'s lines, pages and documents: one page
for an image, `pages` for a PDF, `success`/`total_time`, rendered pages as data URLs, or the
`{code, msg, data}` dialect."""
from __future__ import annotations

import base64
from typing import Any

from ocr_ops.serialise import lines_json, page_documents_json, pdf_page_json
from ocr_ops.types import DocumentResult, PageResult, TextLine
from serve_app.api.contract import ResponseOptions


def ocr_body(document: DocumentResult, total_s: float, opts: ResponseOptions) -> dict[str, Any]:
    if opts.format == "compat":  # every page's lines in one list, in page order
        return compat_body([line for page in document.pages for line in page.lines], opts)
    if not document.is_pdf:
        page = document.pages[0]
        return {"success": True,
                "results": lines_json(page, opts.return_confidence),
                "total_time": round(total_s, 4),
                "timings": {stage: round(seconds, 4) for stage, seconds in page.timings.items()},
                "image": {"width": page.width, "height": page.height},
                "orientation": page.orientation,
                "enhance": list(page.enhancements)}
    return {"success": True,
            "pages": [{**pdf_page_json(page, opts.return_confidence), **_preview(page)} for page in document.pages],
            "total_time": round(total_s, 4),
            "enhance": list(document.pages[0].enhancements)}


def compat_body(lines: list[TextLine], opts: ResponseOptions) -> dict[str, Any]:
    data = [{"text": line.text, **({"confidence": line.confidence} if opts.return_confidence else {})}
            for line in lines]
    return {"code": 0, "msg": "success", "data": data}


def _preview(page: PageResult) -> dict[str, str]:
    """`image`: the rendered PDF page as a JPEG data URL, when the request asked for page images."""
    if page.preview_jpeg is None:
        return {}
    return {"image": "data:image/jpeg;base64," + base64.b64encode(page.preview_jpeg).decode("ascii")}


def extract_body(document: DocumentResult, total_s: float, dialect: str = "default") -> dict[str, Any]:
    """Every page's documents in page order (an image is page 1), each with its page's picture when asked for."""
    documents = [{**entry, **_preview(page)} for page in document.pages for entry in page_documents_json(page)]
    if dialect == "compat":
        return {"code": 0, "msg": "success", "data": documents}
    return {"success": True, "total_time": round(total_s, 4), "documents": documents}
