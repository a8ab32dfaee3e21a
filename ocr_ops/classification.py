"""0/180 degree direction classification of line crops."""
from __future__ import annotations

import cv2
import numpy as np

from ocr_ops.geometry import resize_to_height
from ocr_ops.onnx_model import OnnxModel, normalise_batch
from ocr_ops.params import ClassifierParams


MAX_TILES = 8  # a long line votes with at most this many windows


def line_tiles(line: np.ndarray, tile_width: int) -> list[np.ndarray]:
    """Cut a height-normalised line into undistorted windows of the classifier's width.

    Squeezing a long line into one 192 px input destroys its glyphs (measured: long English
    lines were flipped by mistake), so long lines are judged window by window instead."""
    width = line.shape[1]
    count = max(1, min(MAX_TILES, width // tile_width))
    starts = np.linspace(0, max(0, width - tile_width), count).round().astype(int)
    return [line[:, x:x + tile_width] for x in starts]


class DirectionClassifier:
    """Flips crops whose text reads upside down (class '180' above the threshold, averaged
    over the line's windows)."""

    def __init__(self, model: OnnxModel, labels, input_height: int, input_width: int,
                 mean, std, params: ClassifierParams):
        self.model, self.mean, self.std, self.params = model, mean, std, params
        self.flip_class = list(labels).index("180")
        self.height, self.width = input_height, input_width

    def orient(self, crops: list[np.ndarray]) -> tuple[list[np.ndarray], list[bool]]:
        tiles, owners = [], []
        for i, crop in enumerate(crops):
            for tile in line_tiles(resize_to_height(crop, self.height, MAX_TILES * 4 * self.width), self.width):
                tiles.append(tile)
                owners.append(i)
        votes = np.zeros((len(crops), 2), np.float64)
        size = self.params.batch_size
        for start in range(0, len(tiles), size):
            probs = self.model(normalise_batch(tiles[start:start + size], self.width, self.mean, self.std))
            np.add.at(votes, np.asarray(owners[start:start + size]), probs)
        share = votes[:, self.flip_class] / np.maximum(votes.sum(axis=1), 1e-9)
        flipped = [bool(s > self.params.threshold) for s in share]
        oriented = [cv2.rotate(c, cv2.ROTATE_180) if f else c for c, f in zip(crops, flipped)]
        return oriented, flipped
