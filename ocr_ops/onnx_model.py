"""A thin onnxruntime session wrapper with the thread settings a CPU replica needs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort


class OnnxModel:
    """One single-input ONNX model on the CPU.

    `threads` pins onnxruntime's intra-op pool; a replica's threads should match its `num_cpus`
    so replicas side by side do not oversubscribe cores (measured: on these models one thread per
    worker beats two threads in one worker).

    Memory: a service sends a new input shape on nearly every call, and onnxruntime's defaults keep
    what each new shape made them allocate, so a replica's RSS ratchets up with every larger shape
    (docs/BENCHMARKS.md, "Replica memory"). Memory-pattern planning is off: it pre-plans per shape
    and gains nothing here (same speed, detector RSS 516 -> 328 MB). `shrink_arena` also hands the
    arena's free memory back after every call: worth it for the recognizer (587 -> ~200 MB, no
    ratchet, about 2-5% slower), not for the detector (its large activations make it 30-70% slower).
    `mem_pattern=True` restores onnxruntime's default, for comparison."""

    def __init__(self, path: str | Path, threads: int = 1, shrink_arena: bool = False, mem_pattern: bool = False):
        options = ort.SessionOptions()
        options.enable_mem_pattern = mem_pattern
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.run_options = ort.RunOptions()
        if shrink_arena:
            self.run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: batch}, self.run_options)[0]

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
