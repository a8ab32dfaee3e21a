"""A red company stamp over a rendered page (发票专用章), as every paper invoice carries."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from synthetic.fonts import document_font

STAMP_RED = (200, 30, 40)


def red_stamp(image: Image.Image, centre: tuple[int, int], text: str) -> None:
    """An oval company stamp multiplied over the page, as ink over print (text under it stays dark)."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    draw.ellipse((cx - 110, cy - 70, cx + 110, cy + 70), outline=STAMP_RED, width=5)
    draw.text((cx, cy - 30), text, font=document_font(20), fill=STAMP_RED, anchor="ma")
    draw.text((cx, cy + 10), "发票专用章", font=document_font(22), fill=STAMP_RED, anchor="ma")
    page = np.asarray(image).astype(np.float32) * np.asarray(layer).astype(np.float32) / 255.0
    image.paste(Image.fromarray(page.astype(np.uint8)))
