"""The CRNN training pipeline (models/crnn): rendered labels, resumable and repeatable training,
and an export that computes what the checkpoint computes.

These need the `train` extra (torch, onnx, jieba), which `make crnn` installs and serving never
does, so they are skipped where it is missing (CI installs only the serving and test
dependencies). Runs here with `.venv/bin/python -m pytest tests/test_crnn_training.py`."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="needs the train extra (make crnn installs it)")
pytest.importorskip("jieba", reason="needs the train extra (make crnn installs it)")

import torch  # noqa: E402

from models.crnn.charset import load_charset  # noqa: E402
from models.crnn.data import TIME_STEP_PX, TRAIN_STREAM, SyntheticLines  # noqa: E402
from models.crnn.export import export  # noqa: E402
from models.crnn.train import TrainConfig, train  # noqa: E402


@pytest.fixture(scope="module")
def lines() -> SyntheticLines:
    return SyntheticLines(load_charset())


def test_character_centres_lie_inside_the_line_in_reading_order(lines):
    for index in range(40):
        line = lines.line(TRAIN_STREAM, 0, index)
        assert len(line.centres) == len(line.text)
        assert np.all(line.centres >= 0) and np.all(line.centres < line.image.shape[1])
        assert np.all(np.diff(line.centres) > 0), (line.text, line.centres)


def test_frame_targets_put_each_character_under_its_centre(lines):
    samples = lines.lines(TRAIN_STREAM, 0, 0, 8)
    images, labels, frames = lines.batch(samples)
    assert frames.shape == (len(samples), images.shape[3] // TIME_STEP_PX)
    for row, line, label in zip(frames, samples, labels):
        own_steps = line.image.shape[1] // TIME_STEP_PX
        assert np.all(row[own_steps:] == -1)  # padding is ignored
        characters = row[:own_steps][row[:own_steps] > 0]
        # narrow characters squeezed into one time step may overwrite a neighbour, never more
        assert set(characters) <= set(label) and len(characters) >= len(label) - 2


def weights_digest(checkpoint: Path) -> str:
    state = torch.load(checkpoint, weights_only=False)["model"]
    return hashlib.sha256(b"".join(t.numpy().tobytes() for t in state.values())).hexdigest()


def run(tmp_path: Path, name: str, stop_at: int = 0) -> Path:
    config = TrainConfig(steps=6, batch_size=4, validation_lines=8)
    return train(config, tmp_path / name, max_minutes=float("inf"), stop_at=stop_at, log_every=2,
                 checkpoint_every=2, validate_every=6)


def test_training_is_repeatable_and_a_resumed_run_matches_an_uninterrupted_one(tmp_path):
    torch.manual_seed(0)
    uninterrupted = run(tmp_path, "whole")
    torch.manual_seed(0)
    again = run(tmp_path, "again")
    torch.manual_seed(0)
    run(tmp_path, "resumed", stop_at=3)
    resumed = run(tmp_path, "resumed")
    assert weights_digest(uninterrupted) == weights_digest(again) == weights_digest(resumed)
    log = (tmp_path / "resumed" / "train.log").read_text().splitlines()
    assert '"step": 6' in log[-1] and "validation" in log[-1]


def test_export_matches_the_checkpoint_and_carries_the_charset(tmp_path):
    checkpoint = run(tmp_path, "export")
    onnx_path = export(checkpoint, tmp_path / "crnn.onnx")  # raises if ONNX and torch differ
    import onnx

    metadata = {p.key: p.value for p in onnx.load(str(onnx_path)).metadata_props}
    assert metadata["character"].splitlines() == load_charset()
