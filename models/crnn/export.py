"""Export a training checkpoint to ONNX: softmax outputs (N x T x C), dynamic batch and width,
and the character list in the metadata (`character`), so the file alone is a usable recognizer.

    python -m models.crnn.export [--checkpoint models/crnn/run/checkpoint.pt] [--out models/crnn/run/crnn-fp32.onnx]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from models.crnn.charset import METADATA_KEY, ctc_classes, load_charset
from models.crnn.data import INPUT_HEIGHT
from models.crnn.model import CRNN, SoftmaxOutput
from models.crnn.train import DEFAULT_RUN_DIR

OPSET = 17


def set_metadata(path: Path, entries: dict[str, str]) -> None:
    """Add or replace metadata entries (also used after quantisation, which drops them)."""
    model = onnx.load(str(path))
    kept = [p for p in model.metadata_props if p.key not in entries]
    del model.metadata_props[:]
    model.metadata_props.extend(kept)
    for key, value in entries.items():
        model.metadata_props.add(key=key, value=value)
    onnx.save(model, str(path))


def metadata_of(path: Path) -> dict[str, str]:
    return {p.key: p.value for p in onnx.load(str(path)).metadata_props}


def export(checkpoint: Path, out: Path) -> Path:
    state = torch.load(checkpoint, weights_only=False)
    chars = load_charset()
    if state["charset_size"] != len(chars):
        raise SystemExit(f"{checkpoint} was trained on {state['charset_size']} characters, charset.txt has {len(chars)}")
    crnn = CRNN(len(ctc_classes(chars)), hidden=state["config"]["hidden"])
    crnn.load_state_dict(state["model"])
    model = SoftmaxOutput(crnn).eval()
    example = torch.zeros(1, 3, INPUT_HEIGHT, 160)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, (example,), str(out), dynamo=False, opset_version=OPSET,
                      input_names=["x"], output_names=["probs"],
                      dynamic_axes={"x": {0: "batch", 3: "width"}, "probs": {0: "batch", 1: "steps"}})
    training = {"step": state["step"], "trained_minutes": round(state["trained_seconds"] / 60, 1), **state["config"]}
    set_metadata(out, {METADATA_KEY: "\n".join(chars), "training": json.dumps(training)})
    check_matches_torch(model, out)
    return out


def check_matches_torch(model: torch.nn.Module, path: Path) -> None:
    """The ONNX file must compute what the checkpoint computes, at a width it was not traced at."""
    probe = torch.from_numpy(np.random.default_rng(0).uniform(-1, 1, (2, 3, INPUT_HEIGHT, 236)).astype(np.float32))
    with torch.no_grad():
        expected = model(probe).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    actual = session.run(None, {"x": probe.numpy()})[0]
    difference = float(np.abs(actual - expected).max())
    if difference > 1e-4:
        raise SystemExit(f"ONNX output differs from torch by {difference}")
    print(f"exported {path} ({path.stat().st_size / 1e6:.1f} MB); max |onnx - torch| = {difference:.1e}")


def file_step_main(argv: list[str] | None, doc: str, step, source_flag: str, source: Path, out: Path) -> int:
    """The command line of a file -> file step (export, quantise): two paths with defaults."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(f"--{source_flag}", type=Path, default=source)
    parser.add_argument("--out", type=Path, default=out)
    args = parser.parse_args(argv)
    step(getattr(args, source_flag), args.out)
    return 0


def main(argv: list[str] | None = None) -> int:
    return file_step_main(argv, __doc__, export, "checkpoint", DEFAULT_RUN_DIR / "checkpoint.pt",
                          DEFAULT_RUN_DIR / "crnn-fp32.onnx")


if __name__ == "__main__":
    raise SystemExit(main())
