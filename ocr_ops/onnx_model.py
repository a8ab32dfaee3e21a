"""A thin onnxruntime session wrapper with the thread settings a CPU replica needs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort


class OnnxModel:
    """One single-input ONNX model on the CPU.

    `threads` pins onnxruntime's intra-op pool; a replica's threads should match its `num_cpus`
    so replicas side by side do not oversubscribe cores (measured: on these models one thread per
    worker beats two threads in one worker)."""

    def __init__(self, path: str | Path, threads: int = 1):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: batch})[0]

    @property
    def metadata(self) -> dict[str, str]:
        return dict(self.session.get_modelmeta().custom_metadata_map)


def normalise_batch(images: list[np.ndarray], width: int, mean, std) -> np.ndarray:
    """Stack same-height uint8 BGR images into an N x 3 x H x width float32 tensor, each
    normalised as (x/255 - mean)/std and right-padded with zeros (the models' training pad)."""
    height = images[0].shape[0]
    batch = np.zeros((len(images), 3, height, width), np.float32)
    scale = (1.0 / (255.0 * np.asarray(std, np.float32))).reshape(1, 1, 3)
    shift = (np.asarray(mean, np.float32) / np.asarray(std, np.float32)).reshape(1, 1, 3)
    for i, image in enumerate(images):
        w = image.shape[1]
        batch[i, :, :, :w] = (image.astype(np.float32) * scale - shift).transpose(2, 0, 1)
    return batch
