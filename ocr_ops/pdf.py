"""PDF bytes -> one BGR array per page, safely.

Pages are rendered with PDFium (pypdfium2) at the configured DPI, lowered for any page that would
otherwise exceed the pixel limit, so a huge page size cannot exhaust memory. The page count is
checked before anything is rendered. Encrypted and unreadable files are refused with their own
input errors. PDFium is not thread-safe, not even across documents, so every call into it holds
one process-wide lock (callers may render from worker threads)."""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from ocr_ops.errors import CorruptPdfError, EncryptedPdfError, TooManyPagesError
from ocr_ops.params import PdfParams

PDF_SIGNATURE = b"%PDF"
POINTS_PER_INCH = 72.0
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderedPage:
    number: int  # 1-based, as people count pages
    pixels: np.ndarray  # H x W x 3 uint8 BGR
    dpi: float  # the resolution actually used (below the configured one for oversized pages)


def is_pdf(data: bytes) -> bool:
    return data[:len(PDF_SIGNATURE)] == PDF_SIGNATURE


def render_pdf(data: bytes, params: PdfParams, max_pixels: int) -> list[RenderedPage]:
    """Render every page of `data`; raises `OcrInputError` subclasses for files we refuse."""
    with _PDFIUM_LOCK:
        document = _open(data)
        try:
            count = len(document)
            if count == 0:
                raise CorruptPdfError("the PDF has no pages")
            if count > params.max_pages:
                raise TooManyPagesError(f"the PDF has {count} pages; the limit is {params.max_pages}")
            return [_render_page(document, index, params.dpi, max_pixels) for index in range(count)]
        finally:
            document.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise EncryptedPdfError("the PDF is encrypted with a password; send an unprotected copy") from None
        raise CorruptPdfError(f"cannot read the PDF: {exc}") from None


def _render_page(document: pdfium.PdfDocument, index: int, dpi: float, max_pixels: int) -> RenderedPage:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        if width_pt <= 0 or height_pt <= 0:
            raise CorruptPdfError(f"page {index + 1} has no area ({width_pt}x{height_pt} pt)")
        scale = dpi / POINTS_PER_INCH
        # Shrink pages whose rendering would exceed the pixel limit instead of refusing them.
        scale = min(scale, math.sqrt(max_pixels / (width_pt * height_pt)) * 0.999)
        try:
            bitmap = page.render(scale=scale)  # white background, BGR byte order: OpenCV's
            pixels = np.array(bitmap.to_numpy()[..., :3], copy=True)
        except pdfium.PdfiumError as exc:
            raise CorruptPdfError(f"cannot render page {index + 1}: {exc}") from None
        return RenderedPage(number=index + 1, pixels=pixels, dpi=scale * POINTS_PER_INCH)
    finally:
        page.close()
