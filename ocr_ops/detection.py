"""DB (differentiable binarisation) text detection: input preparation and box extraction."""
from __future__ import annotations

import cv2
import numpy as np
import pyclipper

from ocr_ops.geometry import order_clockwise
from ocr_ops.onnx_model import OnnxModel, normalise_batch
from ocr_ops.params import DetectionParams
from ocr_ops.types import DetectionInput


def _border_colour(image: np.ndarray) -> tuple[int, int, int]:
    edges = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return tuple(int(v) for v in np.median(edges, axis=0))


def detection_size(width: int, height: int, params: DetectionParams) -> tuple[int, int]:
    """Detector input size: short side up to `limit_side_len`, long side at most
    `max_side_len`, both rounded to multiples of 32 (the network's stride)."""
    ratio = max(1.0, params.limit_side_len / min(width, height))
    ratio = min(ratio, params.max_side_len / max(width, height))
    return (max(32, int(round(width * ratio / 32)) * 32),
            max(32, int(round(height * ratio / 32)) * 32))


def prepare_detection_input(image: np.ndarray, params: DetectionParams) -> DetectionInput:
    """Pad the page with its own border colour (so lines touching an edge still get a full
    response) and resize to the detector's size."""
    height, width = image.shape[:2]
    pad = params.border_pad
    padded = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                                value=_border_colour(image)) if pad else image
    ph, pw = padded.shape[:2]
    det_w, det_h = detection_size(pw, ph, params)
    resized = cv2.resize(padded, (det_w, det_h), interpolation=cv2.INTER_LINEAR)
    return DetectionInput(image=resized, scale_x=pw / det_w, scale_y=ph / det_h, pad=pad,
                          work_width=width, work_height=height)


def boxes_from_probability(prob: np.ndarray, params: DetectionParams) -> np.ndarray:
    """DB post-processing on one H x W probability map -> K x 4 x 2 quads in map pixels."""
    mask = (prob > params.thresh).astype(np.uint8)
    if params.use_dilation:
        mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in contours[: params.max_candidates]:
        box, short_side = _min_area_box(contour)
        if short_side < params.min_size:
            continue
        if _mean_score(prob, box) < params.box_thresh:
            continue
        grown = _unclip(box, params.unclip_ratio)
        if grown is None:
            continue
        box, short_side = _min_area_box(grown)
        if short_side < params.min_size + 2:
            continue
        quads.append(box)
    return np.array(quads, np.float32).reshape(-1, 4, 2)


def _min_area_box(points: np.ndarray) -> tuple[np.ndarray, float]:
    rect = cv2.minAreaRect(points.reshape(-1, 1, 2).astype(np.float32))
    return order_clockwise(cv2.boxPoints(rect)), min(rect[1])


def _mean_score(prob: np.ndarray, box: np.ndarray) -> float:
    """Mean probability inside the box (the 'fast' DB score: the box, not the contour)."""
    h, w = prob.shape
    x0, x1 = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1)), int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    y0, y1 = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1)), int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    region = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
    cv2.fillPoly(region, [np.round(box - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0:y1 + 1, x0:x1 + 1], region)[0])


def _unclip(box: np.ndarray, ratio: float) -> np.ndarray | None:
    """Grow the shrunk text kernel back by area * ratio / perimeter (the DB paper's offset)."""
    perimeter = cv2.arcLength(box, True)
    if perimeter == 0:
        return None
    distance = cv2.contourArea(box) * ratio / perimeter
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(np.round(box).astype(np.int64).tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    grown = offset.Execute(distance)
    if len(grown) != 1:
        return None
    return np.array(grown[0], np.float32)


class TextDetector:
    """Runs the DB model over a batch of prepared pages and returns quads per page in
    work-image coordinates. Pages of equal input size share one onnxruntime call."""

    def __init__(self, model: OnnxModel, mean, std, params: DetectionParams):
        self.model, self.mean, self.std, self.params = model, mean, std, params

    def warm_up(self) -> None:
        """Run the largest page the params allow, once: onnxruntime keeps the memory each new,
        larger input shape needed (docs/BENCHMARKS.md, replica memory), so a long-running
        replica's memory would otherwise step up whenever a larger page first arrives."""
        side = self.params.max_side_len
        self.detect([prepare_detection_input(np.full((side, side, 3), 255, np.uint8), self.params)])

    def detect(self, inputs: list[DetectionInput]) -> list[np.ndarray]:
        results: list[np.ndarray | None] = [None] * len(inputs)
        by_shape: dict[tuple[int, int], list[int]] = {}
        for i, item in enumerate(inputs):
            by_shape.setdefault(item.image.shape[:2], []).append(i)
        for (_, width), indices in by_shape.items():
            batch = normalise_batch([inputs[i].image for i in indices], width, self.mean, self.std)
            probs = self.model(batch)[:, 0]
            for i, prob in zip(indices, probs):
                results[i] = self._to_work(inputs[i], boxes_from_probability(prob, self.params))
        return results

    @staticmethod
    def _to_work(item: DetectionInput, quads: np.ndarray) -> np.ndarray:
        """Map to work-image pixels and drop slivers of 3 px or less (clipped at the edge)."""
        quads = item.to_work(quads)
        widths = np.linalg.norm(quads[:, 0] - quads[:, 1], axis=1)
        heights = np.linalg.norm(quads[:, 0] - quads[:, 3], axis=1)
        return quads[(widths > 3) & (heights > 3)]
