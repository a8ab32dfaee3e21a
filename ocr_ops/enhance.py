"""Optional image enhancement, as named steps.

The PP-OCR models were trained on colour, unbinarised photos, so every step here can also hurt:
`auto` applies only what measured to help on the public eval set (see docs/BENCHMARKS.md).
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
LOW_CONTRAST_SPREAD = 60  # luminance spread (2nd..98th percentile) below which `auto` equalises


def auto_steps(image: np.ndarray) -> tuple[str, ...]:
    """The steps `auto` chooses for this image: equalisation for washed-out, low-contrast
    images only; everything else goes to the models untouched."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    low, high = np.percentile(gray, (2, 98))
    return ("equalize",) if high - low < LOW_CONTRAST_SPREAD else ()


def apply_steps(image: np.ndarray, steps: tuple[str, ...]) -> np.ndarray:
    for step in steps:
        image = STEPS[step](image)
    return image
