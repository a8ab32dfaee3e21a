"""Image and quadrilateral geometry: resizing, point order, perspective crops and reading order."""
from __future__ import annotations

import math

import cv2
import numpy as np


def resize_to_height(image: np.ndarray, height: int, max_width: int) -> np.ndarray:
    """Scale to `height` keeping the aspect ratio, capping the width at `max_width`."""
    h, w = image.shape[:2]
    width = max(1, min(max_width, int(math.ceil(height * w / h))))
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)


def order_clockwise(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    by_x = pts[np.argsort(pts[:, 0], kind="stable")]
    left = by_x[:2][np.argsort(by_x[:2, 1], kind="stable")]
    right = by_x[2:][np.argsort(by_x[2:, 1], kind="stable")]
    return np.array([left[0], right[0], right[1], left[1]], np.float32)


def crop_quad(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Rectify the region inside `quad` (clockwise from top-left) into an upright crop.

    Tall crops (height >= 1.5 x width) are turned 90 degrees so vertical text lies along the
    recognizer's reading axis."""
    quad = np.asarray(quad, np.float32)
    width = max(1, int(round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2])))))
    height = max(1, int(round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    crop = cv2.warpPerspective(image, matrix, (width, height),
                               flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    if height >= 1.5 * width:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop


def full_image_quad(width: int, height: int) -> np.ndarray:
    return np.array([[[0, 0], [width, 0], [width, height], [0, height]]], np.float32)


def reading_order(quads: np.ndarray) -> list[int]:
    """Indices of `quads` top-to-bottom, and left-to-right within a row.

    A box joins the current row when its vertical extent overlaps the row's first box by more
    than half of the smaller height, so words of one line stay together and rows never chain."""
    if len(quads) == 0:
        return []
    tops = quads[:, :, 1].min(axis=1)
    bottoms = quads[:, :, 1].max(axis=1)
    lefts = quads[:, :, 0].min(axis=1)
    centres = (tops + bottoms) / 2
    rows: list[list[int]] = []
    row_extent: list[tuple[float, float]] = []
    for i in np.argsort(centres, kind="stable"):
        top, bottom = tops[i], bottoms[i]
        if rows:
            row_top, row_bottom = row_extent[-1]
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap > 0.5 * min(bottom - top, row_bottom - row_top):
                rows[-1].append(int(i))
                continue
        rows.append([int(i)])
        row_extent.append((top, bottom))
    return [i for row in rows for i in sorted(row, key=lambda j: lefts[j])]
