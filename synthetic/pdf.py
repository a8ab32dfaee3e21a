"""PDFs with a real text layer (ReportLab, a CJK TrueType font from Debian embedded), as digital
invoices and office documents are: for the tests and the text-layer benchmark."""
from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from synthetic.fonts import EMBEDDABLE_CJK_FONT

A4_POINTS = (595.0, 842.0)


@dataclass(frozen=True)
class Printed:
    """Text to print on a PDF page: `top` is the baseline's distance from the page's top, in points."""
    text: str
    left: float
    top: float
    size: float = 12.0
    invisible: bool = False  # text render mode 3, as a scan's hidden OCR layer


def embeddable_font() -> str:
    """The name under which ReportLab knows the embeddable CJK font (registered once)."""
    if "WenQuanYiZenHei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WenQuanYiZenHei", str(EMBEDDABLE_CJK_FONT), subfontIndex=0))
    return "WenQuanYiZenHei"


def printed_line(chunks: list[tuple[float, str]], left: float, top: float, size: float = 12.0) -> list[Printed]:
    """One printed line from (gap before it in points, text) chunks, each placed after the last."""
    items, x = [], left
    for gap, text in chunks:
        items.append(Printed(text, x + gap, top, size))
        x += gap + stringWidth(text, embeddable_font(), size)
    return items


def written_pdf(pages: list[list[Printed | np.ndarray]]) -> bytes:
    """An A4 PDF with a real text layer (ReportLab, WenQuanYi Zen Hei embedded): each page draws its
    items in order, `Printed` text or a BGR image stretched over the whole page (a scan)."""
    font = embeddable_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4_POINTS)
    for items in pages:
        for item in items:
            if isinstance(item, np.ndarray):
                image = ImageReader(Image.fromarray(cv2.cvtColor(item, cv2.COLOR_BGR2RGB)))
                pdf.drawImage(image, 0, 0, *A4_POINTS)
                continue
            text = pdf.beginText(item.left, A4_POINTS[1] - item.top)
            text.setFont(font, item.size)
            text.setTextRenderMode(3 if item.invisible else 0)
            text.textOut(item.text)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
