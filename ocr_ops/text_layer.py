"""A PDF page's own text layer -> `TextLine`s in the rendered page's pixels, when it can be trusted.

Digital PDFs (e-invoices, office documents) carry their text: reading it is exact and far faster
than rendering and OCR. PDFium's text page gives every character with its box. A page's layer is
used only when it is readable: it has characters, almost none of them are garbage (U+FFFD, private
use, control or unassigned code points, or characters PDFium could not map to Unicode: fonts without
a ToUnicode table), and almost none are invisible (render mode 3: a scan's hidden OCR layer) or
drawn under a page-covering image. Otherwise `page_text_lines` returns None and the page is OCR'd.

Characters are grouped into lines like the OCR's boxes: rows in reading order (`reading_order`),
split where a gap is wide enough to start another box. Printed spacing is kept: a space that is in
the text stays, and a gap of a fifth of the line height between two characters becomes a space
(e-invoices print labels like `名 称：` with spaced characters). Callers hold the PDFium lock."""
from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from ocr_ops.geometry import reading_order
from ocr_ops.types import TextLine

# A page whose characters are more than this share garbage, or invisible/hidden, is OCR'd.
MAX_UNREADABLE_SHARE = 0.02
MAX_HIDDEN_SHARE = 0.1
# Gaps between characters' advance boxes, in line heights: a space, or the start of another line
# (table columns and label/value pairs far apart are separate boxes for the OCR too).
SPACE_GAP = 0.2
SPLIT_GAP = 2.5
MAX_SIZE_RATIO = 1.4  # characters this much larger or smaller than the line's first start another line
# An image covering this share of the page hides the text drawn before it.
COVERING_IMAGE_SHARE = 0.9
# PDFium maps page points to whole device pixels; mapping onto a K-times larger device keeps
# 1/K-pixel precision.
_SUBPIXEL = 64
_GARBAGE_CATEGORIES = {"Co", "Cc", "Cn", "Cs"}


@dataclass
class _Char:
    text: str
    # x0, y0, x1, y1 in page points with y downwards (-PDF y): the advance box, font ascent to
    # descent. Lines are found in the page's own frame, so a page shown turned (/Rotate) still
    # reads along its text; only the finished lines are mapped to pixels.
    box: np.ndarray
    space_after: bool = False  # the text has a space right after this character


def page_text_lines(page: pdfium.PdfPage, width: int, height: int) -> list[TextLine] | None:
    """The page's text lines in the pixels of its rendering at `width` x `height` (the bitmap
    `page.render` makes), in reading order; None when the text layer is missing or not usable."""
    textpage = page.get_textpage()
    try:
        chars = _readable_chars(page, textpage)
    finally:
        textpage.close()
    if not chars:
        return None
    to_pixels = _page_to_pixels(page, width, height)
    return [_text_line(line, to_pixels) for line in _lines(chars)]


def _readable_chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[_Char] | None:
    chars: list[_Char] = []
    garbage = hidden = 0
    hidden_objects = _objects_under_covering_image(page)
    for index in range(textpage.count_chars()):
        if pdfium_raw.FPDFText_IsGenerated(textpage, index):
            continue  # spaces and line breaks PDFium inferred; spacing is judged from the boxes
        text = chr(pdfium_raw.FPDFText_GetUnicode(textpage, index))
        if text.isspace():
            if chars:
                chars[-1].space_after = True
            continue
        text_object = pdfium_raw.FPDFText_GetTextObject(textpage, index)
        if (pdfium_raw.FPDFTextObj_GetTextRenderMode(text_object) == pdfium_raw.FPDF_TEXTRENDERMODE_INVISIBLE
                or _address(text_object) in hidden_objects):
            hidden += 1
        if text == "\ufffd" or unicodedata.category(text) in _GARBAGE_CATEGORIES or \
                pdfium_raw.FPDFText_HasUnicodeMapError(textpage, index) == 1:
            garbage += 1
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        chars.append(_Char(text, np.array([left, -top, right, -bottom], np.float64)))
    if not chars or garbage > MAX_UNREADABLE_SHARE * len(chars) or hidden > MAX_HIDDEN_SHARE * len(chars):
        return None
    return chars


def _address(pointer) -> int | None:
    return ctypes.cast(pointer, ctypes.c_void_p).value


def _objects_under_covering_image(page: pdfium.PdfPage) -> set[int]:
    """Addresses of the page's top-level text objects drawn before an image that covers the page."""
    left, bottom, right, top = page.get_bbox()
    page_area = (right - left) * (top - bottom)
    objects = [pdfium_raw.FPDFPage_GetObject(page, i) for i in range(pdfium_raw.FPDFPage_CountObjects(page))]
    kinds = [pdfium_raw.FPDFPageObj_GetType(obj) for obj in objects]
    last_cover = -1
    for i, (obj, kind) in enumerate(zip(objects, kinds)):
        if kind == pdfium_raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
            if pdfium_raw.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
                covered = max(0.0, min(x1.value, right) - max(x0.value, left)) * \
                    max(0.0, min(y1.value, top) - max(y0.value, bottom))
                if covered >= COVERING_IMAGE_SHARE * page_area:
                    last_cover = i
    return {_address(obj) for obj, kind in zip(objects[:max(0, last_cover)], kinds)
            if kind == pdfium_raw.FPDF_PAGEOBJ_TEXT}


def _page_to_pixels(page: pdfium.PdfPage, width: int, height: int):
    """A function: page points (N x 2, PDF's y upwards) -> rendered pixels, /Rotate and crop box included."""
    def device(x: float, y: float) -> np.ndarray:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_raw.FPDF_PageToDevice(page, 0, 0, width * _SUBPIXEL, height * _SUBPIXEL, 0, x, y, dx, dy)
        return np.array([dx.value, dy.value], np.float64) / _SUBPIXEL

    origin = device(0.0, 0.0)
    matrix = np.column_stack([device(1000.0, 0.0) - origin, device(0.0, 1000.0) - origin]) / 1000.0
    return lambda points: points @ matrix.T + origin


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters -> lines, in reading order. Runs follow the content order first (a printed
    string's characters come one after another, whatever their glyphs' heights), then runs that
    carry on each other along a row are joined (text written out of order, or a label and its
    value written apart), and the lines are put in the reading order OCR'd lines get, so layout
    rules read both alike (a label printed vertically, 备/注, stays beside the value it labels)."""
    boxes = np.array([char.box for char in chars])
    runs: list[list[int]] = []
    for i in range(len(chars)):
        if runs and _continues(boxes[runs[-1][0]], boxes[runs[-1][-1]], boxes[i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    joined: list[list[int]] = []
    for k in reading_order(_span_quads(boxes, runs)):
        run = runs[k]
        if joined and _continues(boxes[joined[-1][0]], boxes[joined[-1][-1]], boxes[run[0]]):
            joined[-1].extend(run)
        else:
            joined.append(list(run))
    return [[chars[i] for i in joined[k]] for k in reading_order(_span_quads(boxes, joined))]


def _span_quads(boxes: np.ndarray, runs: list[list[int]]) -> np.ndarray:
    spans = np.array([[*boxes[run, :2].min(axis=0), *boxes[run, 2:].max(axis=0)] for run in runs])
    return spans[:, [0, 1, 2, 1, 2, 3, 0, 3]].reshape(-1, 4, 2)


def _continues(first: np.ndarray, last: np.ndarray, box: np.ndarray) -> bool:
    """Whether `box` carries on the line that starts at `first` and so far ends at `last`."""
    line_height = first[3] - first[1]
    overlap = min(first[3], box[3]) - max(first[1], box[1])
    same_row = overlap > 0.5 * min(line_height, box[3] - box[1])
    same_size = 1 / MAX_SIZE_RATIO < (box[3] - box[1]) / line_height < MAX_SIZE_RATIO  # a title is its own line
    gap = box[0] - last[2]
    return same_row and same_size and -0.5 * line_height < gap < SPLIT_GAP * line_height


def _text_line(chars: list[_Char], to_pixels) -> TextLine:
    boxes = np.array([char.box for char in chars])
    line_height = float(np.median(boxes[:, 3] - boxes[:, 1]))
    parts = [chars[0].text]
    for previous, char in zip(chars, chars[1:]):
        if previous.space_after or char.box[0] - previous.box[2] > SPACE_GAP * line_height:
            parts.append(" ")
        parts.append(char.text)
    x0, y0 = boxes[:, :2].min(axis=0)
    x1, y1 = boxes[:, 2:].max(axis=0)
    # The text's top-left, top-right, bottom-right, bottom-left (back to PDF's y upwards).
    corners = np.array([[x0, -y0], [x1, -y0], [x1, -y1], [x0, -y1]])
    return TextLine(text="".join(parts), confidence=1.0, polygon=to_pixels(corners).round(1).tolist())
