"""Shared test material: the public eval set, its scoring, and images rendered on the fly."""
from __future__ import annotations

import io
import struct
import zlib
from contextlib import contextmanager

import cv2
import numpy as np

from evaluation.eval_set import EVAL_DIR, EvalScore, eval_cases  # noqa: F401  (re-exported for tests)
from evaluation.eval_set import score as score_results
from synthetic.pdf import Printed, printed_line, written_pdf  # noqa: F401  (re-exported for tests)

# The default set (PP-OCRv4 det + PP-OCRv6 small rec) reads 28 of the 32 strings exactly and keeps
# 67 of their 70 English words apart (docs/BENCHMARKS.md, "Default recognizer"); see README "Accuracy".
MIN_EXACT = 28
MIN_WORDS_KEPT = 67
# Lines the terminal summary prints (pytest captures plain prints of passing tests).
SUMMARY: list[str] = []


def ocr(client, data: bytes, filename: str = "upload.bin", path: str = "/ocr", **fields):
    """POST one file as multipart with form fields: how every HTTP test sends an upload."""
    return client.post(path, files={"image": (filename, data)}, data={k: str(v) for k, v in fields.items()})


def eval_image(name: str) -> bytes:
    return (EVAL_DIR / "images" / name).read_bytes()


def score(label: str, results: dict[str, list[str]]) -> EvalScore:
    """Score the eval set and put the figures into the run's summary."""
    result = score_results(results)
    SUMMARY.append(f"{label}: {result.summary()}")
    SUMMARY.extend(f"  miss {m}" for m in result.misses)
    return result


def render_with_font(lines: list[str], font_path: str, size: int, paper=(250, 250, 250)) -> np.ndarray:
    """A clean page with `lines` drawn in a TrueType font (Debian's CJK fonts cover Latin too), BGR uint8."""
    from PIL import Image, ImageDraw, ImageFont

    font, step = ImageFont.truetype(font_path, size), int(size * 2.2)
    image = Image.new("RGB", (size * 26, step * len(lines) + 2 * size), paper)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((size, size + i * step), text, font=font, fill=(20, 20, 20))
    return cv2.cvtColor(np.array(image), cv2.COLOR_RGB2BGR)


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


def pdf_bytes(pages: list[np.ndarray], dpi: float = 100) -> bytes:
    """A PDF with one BGR image per page, each page sized so the image fills it at `dpi`."""
    from PIL import Image

    images = [Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB)) for page in pages]
    return pil_bytes(images[0], "PDF", save_all=True, append_images=images[1:], resolution=dpi)


def three_page_pdf() -> bytes:
    """The flyer, then two pages of rendered English text: the PDF the tests and README use."""
    flyer = cv2.imdecode(np.frombuffer(eval_image("rapidocr_ch_en_num.jpg"), np.uint8), cv2.IMREAD_COLOR)
    return pdf_bytes([flyer, render_text(["SALES TAX 12.5"]), render_text(["TOTAL 128.00", "PAID IN FULL"])], dpi=72)


def encrypted_pdf(data: bytes, password: str = "secret") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# An opt-in model set runs beside the session's app on slivers of CPU (the session's cluster has
# 2 logical CPUs and the main app takes 1.8 of them).
SLIVER = {"num_cpus": 0.05}


@contextmanager
def second_app(base_url: str, model_set: str | None, prefix: str, **args):
    """Deploy the app with another model set (None: the default) and any other config `args`
    under `prefix` in the session's cluster."""
    from ray import serve

    from serve_app import build_app

    name = prefix.strip("/")
    serve.run(build_app({**args, "model_set": model_set, "ingress": SLIVER, "page_reader": SLIVER,
                         "detector": SLIVER, "recognizer": SLIVER}), name=name, route_prefix=prefix)
    try:
        yield f"{base_url}{prefix}"
    finally:
        serve.delete(name)
