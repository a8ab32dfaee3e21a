"""Photo-like damage for rendered pages: a red stamp over text, a phone's small tilt and perspective,
blur and JPEG. Seeded by the caller's random generator."""
from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synthetic.documents.canvas import cjk_font

STAMP_RED = (200, 30, 40)


def red_stamp(image: Image.Image, centre: tuple[int, int], text: str) -> None:
    """An oval company stamp multiplied over the page, as ink over print (text under it stays dark)."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    draw.ellipse((cx - 110, cy - 70, cx + 110, cy + 70), outline=STAMP_RED, width=5)
    draw.text((cx, cy - 30), text, font=cjk_font(20), fill=STAMP_RED, anchor="ma")
    draw.text((cx, cy + 10), "发票专用章", font=cjk_font(22), fill=STAMP_RED, anchor="ma")
    page = np.asarray(image).astype(np.float32) * np.asarray(layer).astype(np.float32) / 255.0
    image.paste(Image.fromarray(page.astype(np.uint8)))


def photograph(page: np.ndarray, rng: random.Random, max_angle: float = 3.0) -> np.ndarray:
    """Tilt by up to `max_angle` degrees, a mild perspective, on a darker background."""
    h, w = page.shape[:2]
    margin = int(0.04 * max(w, h))
    canvas = cv2.copyMakeBorder(page, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(90, 95, 100))
    ch, cw = canvas.shape[:2]
    corners = np.float32([[margin, margin], [margin + w, margin], [margin + w, margin + h], [margin, margin + h]])
    jitter = np.float32([[rng.uniform(-1, 1) * 0.02 * w, rng.uniform(-1, 1) * 0.02 * h] for _ in range(4)])
    warp = cv2.getPerspectiveTransform(corners, corners + jitter)
    rotation = np.vstack([cv2.getRotationMatrix2D((cw / 2, ch / 2), rng.uniform(-max_angle, max_angle), 1.0),
                          [0, 0, 1]])
    return cv2.warpPerspective(canvas, rotation @ warp, (cw, ch), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=(90, 95, 100))


def blur_and_compress(page: np.ndarray, rng: random.Random) -> np.ndarray:
    page = cv2.GaussianBlur(page, (0, 0), rng.uniform(0.6, 1.1))
    ok, buffer = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(45, 75)])
    assert ok
    return cv2.imdecode(buffer, cv2.IMREAD_COLOR)


def rotate_quarter(page: np.ndarray, quarter_turns: int) -> np.ndarray:
    """90/180/270 degree variants (page orientation is handled before extraction)."""
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(page, codes[quarter_turns % 4]) if quarter_turns % 4 else page
