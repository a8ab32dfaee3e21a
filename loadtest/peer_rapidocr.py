"""The peer baseline: RapidOCR 1.4.4 (same PP-OCRv4 models) in-process over a folder of images.

Runs in the benchmark's own venv (.venv-bench), never the project's: RapidOCR pulls in the GUI
build of OpenCV. Prints one JSON line: pages, lines, seconds, cpu_seconds.

    .venv-bench/bin/python loadtest/peer_rapidocr.py DIR [--rounds N]"""
import argparse
import json
import sys
import time
from pathlib import Path

from rapidocr_onnxruntime import RapidOCR


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    engine = RapidOCR()
    files = sorted(p for p in args.folder.iterdir() if p.is_file())
    engine(str(files[0]))  # warm-up, as the other baselines get
    pages = lines = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for path in files:
            result, _ = engine(str(path))
            pages += 1
            lines += len(result or [])
    print(json.dumps({"pages": pages, "lines": lines, "seconds": time.perf_counter() - wall,
                      "cpu_seconds": time.process_time() - cpu}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
