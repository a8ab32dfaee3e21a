"""Photo damage: what a phone, a scanner or a copier does to printed text, one operation per function
at an explicit strength. The random draws (which damage, how strong) stay with each generator
(the documents' `make_document`, the CRNN's `LineRenderer`), so their seeded streams, and so the
images they make, do not change when the operations are shared."""
from __future__ import annotations

import random

import cv2
import numpy as np

BACKGROUND = (90, 95, 100)  # the table a page is photographed on (BGR)


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Out of focus, or a soft scan."""
    return cv2.GaussianBlur(image, (0, 0), sigma)


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    """A JPEG round trip at `quality` (1-100): block artefacts around strokes."""
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return cv2.imdecode(buffer, cv2.IMREAD_COLOR)


def lower_resolution(image: np.ndarray, factor: float) -> np.ndarray:
    """A small photo scaled back up: detail lost at `factor` of the size (0..1)."""
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def binarise(image: np.ndarray) -> np.ndarray:
    """Black and white at Otsu's threshold, as a fax or a copier makes it (BGR in, BGR out)."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.cvtColor(binary, cv2.COLOR_GRAY2BGR)


def sensor_noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian noise of standard deviation `sigma` grey levels."""
    return np.clip(image + rng.normal(0, sigma, image.shape), 0, 255).astype(np.uint8)


def photograph(page: np.ndarray, rng: random.Random, max_angle: float = 3.0) -> np.ndarray:
    """A whole page photographed: tilted by up to `max_angle` degrees, a mild perspective, on a
    darker background."""
    h, w = page.shape[:2]
    margin = int(0.04 * max(w, h))
    canvas = cv2.copyMakeBorder(page, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=BACKGROUND)
    ch, cw = canvas.shape[:2]
    corners = np.float32([[margin, margin], [margin + w, margin], [margin + w, margin + h], [margin, margin + h]])
    jitter = np.float32([[rng.uniform(-1, 1) * 0.02 * w, rng.uniform(-1, 1) * 0.02 * h] for _ in range(4)])
    warp = cv2.getPerspectiveTransform(corners, corners + jitter)
    rotation = np.vstack([cv2.getRotationMatrix2D((cw / 2, ch / 2), rng.uniform(-max_angle, max_angle), 1.0),
                          [0, 0, 1]])
    return cv2.warpPerspective(canvas, rotation @ warp, (cw, ch), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=BACKGROUND)
