"""PDF bytes -> one BGR array per page, or the page's own text lines, safely.

Pages are rendered with PDFium (pypdfium2) at the configured DPI, lowered for any page that would
otherwise exceed the pixel limit, so a huge page size cannot exhaust memory. The page count is
checked before anything is rendered. Encrypted and unreadable files are refused with their own
input errors. With `pdf_text="auto"` a page whose text layer is usable (ocr_ops.text_layer) comes
back as text lines, unrendered; every other page is rendered for OCR. PDFium is not thread-safe,
not even across documents, so every call into it holds one process-wide lock (callers may render
from worker threads)."""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from ocr_ops.errors import CorruptPdfError, EncryptedPdfError, TooManyPagesError
from ocr_ops.params import PdfParams
from ocr_ops.text_layer import page_text_lines
from ocr_ops.types import TextLine

PDF_SIGNATURE = b"%PDF"
POINTS_PER_INCH = 72.0
_PDFIUM_LOCK = threading.Lock()


PdfText = Literal["auto", "ocr"]  # "auto": a page's usable text layer is read; "ocr": every page is OCR'd


@dataclass(frozen=True)
class RenderedPage:
    number: int  # 1-based, as people count pages
    pixels: np.ndarray | None  # H x W x 3 uint8 BGR; None for a page read from its text layer
    dpi: float  # the resolution actually used (below the configured one for oversized pages)
    width: int  # the rendering's size in pixels: the frame of every box on this page
    height: int
    # The page's lines from its text layer (confidence 1.0, rendered pixels, reading order);
    # None: OCR `pixels`.
    text_lines: list[TextLine] | None = None
    text_layer_s: float | None = None  # with pdf_text=auto: the time reading the text layer took

    @property
    def text_source(self) -> str:
        return "ocr" if self.text_lines is None else "text_layer"


def is_pdf(data: bytes) -> bool:
    return data[:len(PDF_SIGNATURE)] == PDF_SIGNATURE


def render_pdf(data: bytes, params: PdfParams, max_pixels: int, pdf_text: PdfText = "ocr",
               render_text_pages: bool = False) -> list[RenderedPage]:
    """Every page of `data`, rendered or (`pdf_text="auto"`) read from its usable text layer,
    decided page by page; `render_text_pages` renders text-layer pages too (a preview, a QR code).
    Raises `OcrInputError` subclasses for files we refuse."""
    with _PDFIUM_LOCK:
        document = _open(data)
        try:
            count = len(document)
            if count == 0:
                raise CorruptPdfError("the PDF has no pages")
            if count > params.max_pages:
                raise TooManyPagesError(f"the PDF has {count} pages; the limit is {params.max_pages}")
            return [_read_page(document, index, params.dpi, max_pixels, pdf_text, render_text_pages)
                    for index in range(count)]
        finally:
            document.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise EncryptedPdfError("the PDF is encrypted with a password; send an unprotected copy") from None
        raise CorruptPdfError(f"cannot read the PDF: {exc}") from None


def _read_page(document: pdfium.PdfDocument, index: int, dpi: float, max_pixels: int,
               pdf_text: PdfText, render_text_pages: bool) -> RenderedPage:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        if width_pt <= 0 or height_pt <= 0:
            raise CorruptPdfError(f"page {index + 1} has no area ({width_pt}x{height_pt} pt)")
        scale = dpi / POINTS_PER_INCH
        # Shrink pages whose rendering would exceed the pixel limit instead of refusing them.
        scale = min(scale, math.sqrt(max_pixels / (width_pt * height_pt)) * 0.999)
        # The bitmap's size, exactly as `page.render` computes it.
        width, height = math.ceil(width_pt * scale), math.ceil(height_pt * scale)
        lines, text_layer_s = None, None
        if pdf_text == "auto":
            started = time.perf_counter()
            lines = page_text_lines(page, width, height)
            text_layer_s = time.perf_counter() - started
        if lines is not None and not render_text_pages:
            return RenderedPage(index + 1, None, scale * POINTS_PER_INCH, width, height, lines, text_layer_s)
        try:
            bitmap = page.render(scale=scale)  # white background, BGR byte order: OpenCV's
            pixels = np.array(bitmap.to_numpy()[..., :3], copy=True)
        except pdfium.PdfiumError as exc:
            raise CorruptPdfError(f"cannot render page {index + 1}: {exc}") from None
        return RenderedPage(index + 1, pixels, scale * POINTS_PER_INCH, pixels.shape[1], pixels.shape[0], lines,
                            text_layer_s)
    finally:
        page.close()
