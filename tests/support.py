"""Shared test material: the public eval set, its scoring, and images rendered on the fly."""
from __future__ import annotations

import io
import json
import os
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

# The public eval set lives in shared/ beside the checkout (CI clones it there too).
EVAL_DIR = Path(os.environ.get("OCR_EVAL_DIR") or Path(__file__).resolve().parents[2] / "shared" / "eval")
sys.path.insert(0, str(EVAL_DIR))
from scoring import best_cer  # noqa: E402  (the eval set's own scoring, so scores mean the same)

# PP-OCRv4 mobile rec reads 27 of the 32 strings exactly; see README "Accuracy" for the 5 misses.
MIN_EXACT = 27
# Lines the terminal summary prints (pytest captures plain prints of passing tests).
SUMMARY: list[str] = []


@dataclass(frozen=True)
class EvalCase:
    image: Path
    kind: str
    expected: list[str]
    note: str

    @property
    def data(self) -> bytes:
        return self.image.read_bytes()


def eval_cases() -> list[EvalCase]:
    cases = []
    for line in (EVAL_DIR / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        cases.append(EvalCase(EVAL_DIR / raw["image"], raw["kind"], raw["expected"], raw.get("note", "")))
    return cases


def eval_image(name: str) -> bytes:
    return (EVAL_DIR / "images" / name).read_bytes()


def score(label: str, results: dict[str, list[str]]) -> tuple[int, int, float, list[str]]:
    """Exact matches, total strings, mean CER and the misses over every eval case, given the
    recognised lines per image file name; the figures also go into the run's summary."""
    exact, cers, misses = 0, [], []
    for case in eval_cases():
        lines = results[case.image.name]
        for expected in case.expected:
            cer = best_cer(expected, lines)
            cers.append(cer)
            exact += cer == 0.0
            if cer > 0:
                misses.append(f"{case.image.name}: {expected[:30]!r} (CER {cer:.2f}) got {lines[:3]}")
    mean_cer = sum(cers) / len(cers)
    SUMMARY.append(f"{label}: {exact}/{len(cers)} exact, mean CER {mean_cer:.3f}")
    SUMMARY.extend(f"  miss {m}" for m in misses)
    return exact, len(cers), mean_cer, misses


def render_text(lines: list[str], size=(900, 300), scale=1.4, thickness=2, top=60, step=70,
                ink=(20, 20, 20), paper=(250, 250, 250)) -> np.ndarray:
    """A clean page with Latin text lines (OpenCV's Hershey font), BGR uint8."""
    image = np.full((size[1], size[0], 3), paper, np.uint8)
    for i, text in enumerate(lines):
        cv2.putText(image, text, (30, top + i * step), cv2.FONT_HERSHEY_SIMPLEX, scale, ink, thickness, cv2.LINE_AA)
    return image


def encode(image: np.ndarray, ext: str = ".png") -> bytes:
    ok, buf = cv2.imencode(ext, image)
    assert ok
    return buf.tobytes()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression-bomb probe."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def pil_bytes(image, fmt: str, **save_args) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **save_args)
    return buf.getvalue()
