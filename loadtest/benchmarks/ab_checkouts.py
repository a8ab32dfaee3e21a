"""A/B of two checkouts of this repository as services: the same requests against each, in one
run, alternating A, B, A, B, so drift of a shared machine hits both alike. For changes to the
service's architecture (how data moves between stages), where only a ratio means anything.

    python -m loadtest.benchmarks.ab_checkouts --a /path/to/old/checkout --b . --rounds 2

Each checkout's service runs in a child process started in that checkout (its own code wins on
sys.path), on a private local Ray cluster and a free port, with the default app config."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

from evaluation.eval_set import EVAL_DIR

FLYER = EVAL_DIR / "images" / "rapidocr_ch_en_num.jpg"
# Started in the checkout: whichever module holds start_local_service there (testbed/ since the
# split of loadtest/, loadtest/ before it, serve_app/ earlier still).
SERVE_CHILD = """
import importlib, sys
for module in ("testbed.local_service", "loadtest.local_service", "serve_app.local"):
    try:
        start_local_service = importlib.import_module(module).start_local_service
        break
    except ImportError:
        continue
print(start_local_service(), flush=True)
sys.stdin.read()
"""


def three_page_pdf() -> bytes:
    """The flyer and two text pages as a 3-page PDF (image pages, so every page is OCR'd)."""
    import cv2
    from PIL import Image

    flyer = cv2.cvtColor(cv2.imread(str(FLYER)), cv2.COLOR_BGR2RGB)
    text = np.full((300, 900, 3), 250, np.uint8)
    cv2.putText(text, "TOTAL 128.00 PAID IN FULL", (30, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 2)
    pages = [Image.fromarray(p) for p in (flyer, text, text)]
    path = Path(os.environ.get("TMPDIR", "/tmp")) / "ab_three_pages.pdf"
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=72)
    return path.read_bytes()


def measure(url: str, name: str, data: bytes, requests: int) -> float:
    """Median seconds of `requests` sequential POST /ocr of `data` (after one warm-up)."""
    times = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for i in range(requests + 1):
            started = time.perf_counter()
            response = client.post("/ocr", files={"image": (name, data)})
            response.raise_for_status()
            if i:
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_checkout(path: Path, cases: dict[str, bytes], requests: int) -> dict[str, float]:
    child = subprocess.Popen([sys.executable, "-c", SERVE_CHILD], cwd=path, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(path)})
    try:
        url = child.stdout.readline().strip()
        return {name: measure(url, name, data, requests) for name, data in cases.items()}
    finally:
        child.stdin.close()
        child.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="the baseline checkout")
    parser.add_argument("--b", type=Path, default=Path("."), help="the checkout under test")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=15, help="sequential requests per case and round")
    args = parser.parse_args()
    cases = {"flyer.jpg": FLYER.read_bytes(), "three-pages.pdf": three_page_pdf()}
    results: dict[str, dict[str, list[float]]] = {"a": {}, "b": {}}
    for round_ in range(args.rounds):
        for side in ("a", "b"):
            for name, seconds in run_checkout(getattr(args, side).resolve(), cases, args.requests).items():
                results[side].setdefault(name, []).append(seconds)
                print(f"round {round_ + 1} {side}: {name} median {seconds * 1000:.0f} ms", flush=True)
    print(f"{'case':18} {'A ms':>8} {'B ms':>8} {'A/B':>6}")
    for name in cases:
        a, b = statistics.mean(results["a"][name]), statistics.mean(results["b"][name])
        print(f"{name:18} {a * 1000:8.0f} {b * 1000:8.0f} {a / b:6.2f}")


if __name__ == "__main__":
    main()
