"""Optional image enhancement, as named steps.

The PP-OCR models were trained on colour, unbinarised photos, so every step here can also hurt:
`auto` applies only what measured to help on the public eval set (see `AUTO_STEPS`).
Each step keeps a 3-channel BGR uint8 image so the models' input shape never changes."""
from __future__ import annotations

import cv2
import numpy as np


def grayscale(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


def equalize(image: np.ndarray) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation on lightness only (keeps colours)."""
    lab = cv2.cvtColor(image, cv2.COLOR_BGR2LAB)
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    lab[..., 0] = clahe.apply(np.ascontiguousarray(lab[..., 0]))
    return cv2.cvtColor(lab, cv2.COLOR_LAB2BGR)


def threshold(image: np.ndarray) -> np.ndarray:
    """Adaptive (local Gaussian) binarisation: for unevenly lit scans."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    block = max(11, (min(gray.shape) // 20) | 1)
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 10)
    return cv2.cvtColor(binary, cv2.COLOR_GRAY2BGR)


def denoise(image: np.ndarray) -> np.ndarray:
    """Non-local means denoising: removes sensor and JPEG noise, keeps stroke edges. Slow
    (about 1 s per megapixel on one core), so never part of `auto`."""
    return cv2.fastNlMeansDenoisingColored(image, None, 5, 5, 7, 21)


STEPS = {"grayscale": grayscale, "equalize": equalize, "threshold": threshold, "denoise": denoise}

# What `auto` applies. Measured in docs/BENCHMARKS.md ("Enhancement steps"): on the
# public eval set no step gains an exact match and thresholding loses four; on washed-out copies
# (contrast x0.2) equalisation loses two. The PP-OCR models do best on the image as it is.
AUTO_STEPS: tuple[str, ...] = ()


def apply_steps(image: np.ndarray, steps: tuple[str, ...]) -> np.ndarray:
    for step in steps:
        image = STEPS[step](image)
    return image
