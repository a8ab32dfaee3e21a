"""Does a model replica's memory keep growing with the input shapes it sees? In-process, no Ray.

    python -m loadtest.benchmarks.onnx_memory                     # every setting, 4 rounds
    python -m loadtest.benchmarks.onnx_memory --rounds 6 --settings default no_arena

A real service sees a new input shape for nearly every call: the detector gets pages scaled to a
short side of 736 px and a long side that varies; the recognizer gets batches of 1-16 lines padded
to the widest line. onnxruntime's CPU memory arena keeps what it grew to, and its memory-pattern
planner caches a plan per input shape. Each setting runs in a fresh process: the detector and
the recognizer of the default model set get rounds of calls, every round on new random shapes
(seeded, the same for every setting), and the process's RSS is read after each round. A leak
keeps growing round after round; warm-up stops. Speed is measured apart, in one process that holds
a session pair per setting and sends each input to every setting in turn, so a shared machine's
changing load falls on all settings alike: time per setting relative to the default's."""
from __future__ import annotations

import argparse
import json
import multiprocessing
import time

import numpy as np
import psutil

# OnnxModel options per setting: (detector's, recognizer's).
SETTINGS = {"onnxruntime_default": ({"mem_pattern": True}, {"mem_pattern": True}),
            "no_mem_pattern": ({}, {}),
            "no_mem_pattern_shrink_arena": ({"shrink_arena": True}, {"shrink_arena": True}),
            "service": ({}, {"shrink_arena": True})}  # what models.loading opens
BASE = "onnxruntime_default"


def shapes(round_index: int, det_calls: int, rec_calls: int) -> tuple[list, list]:
    rng = np.random.default_rng(1000 + round_index)
    det = [(1, 3, 736, int(w)) for w in rng.integers(736 // 32, 1600 // 32, det_calls) * 32]
    rec = [(int(b), 3, 48, int(w)) for b, w in zip(rng.integers(1, 17, rec_calls), rng.integers(80, 1600, rec_calls))]
    return det, rec


def run_setting(name: str, rounds: int, det_calls: int, rec_calls: int) -> dict:
    from models.registry import load_registry
    from ocr_ops.onnx_model import OnnxModel

    models = load_registry().model_set(None)
    det_options, rec_options = SETTINGS[name]
    detector = OnnxModel(models.detection.path, threads=1, **det_options)
    recognizer = OnnxModel(models.recognition.path, threads=1, **rec_options)
    process = psutil.Process()
    rss_mb, seconds = [process.memory_info().rss / 2**20], []
    for index in range(rounds):
        det_shapes, rec_shapes = shapes(index, det_calls, rec_calls)
        started = time.perf_counter()
        for shape in det_shapes:
            detector(np.random.default_rng(0).random(shape, np.float32))
        for shape in rec_shapes:
            recognizer(np.random.default_rng(0).random(shape, np.float32))
        seconds.append(time.perf_counter() - started)
        rss_mb.append(process.memory_info().rss / 2**20)
    return {"setting": name, "rss_mb": rss_mb, "seconds": seconds}


def speed_ratios(names: list[str], det_calls: int, rec_calls: int) -> dict[str, float]:
    """Seconds each setting took on the same inputs, interleaved call by call, over onnxruntime's
    defaults'."""
    from models.registry import load_registry
    from ocr_ops.onnx_model import OnnxModel

    models = load_registry().model_set(None)
    sessions = {name: (OnnxModel(models.detection.path, 1, **SETTINGS[name][0]),
                       OnnxModel(models.recognition.path, 1, **SETTINGS[name][1])) for name in names}
    det_shapes, rec_shapes = shapes(0, det_calls, rec_calls)
    calls = [(0, shape) for shape in det_shapes] + [(1, shape) for shape in rec_shapes]
    seconds = dict.fromkeys(names, 0.0)
    for name in names:  # one warm-up call per session and kind of input
        for which, shape in (calls[0], calls[-1]):
            sessions[name][which](np.zeros(shape, np.float32))
    for index, (which, shape) in enumerate(calls):
        tensor = np.random.default_rng(index).random(shape, np.float32)
        order = names[index % len(names):] + names[:index % len(names)]  # rotate who goes first
        for name in order:
            started = time.perf_counter()
            sessions[name][which](tensor)
            seconds[name] += time.perf_counter() - started
    return {name: seconds[name] / seconds[BASE] for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--det-calls", type=int, default=12)
    parser.add_argument("--rec-calls", type=int, default=60)
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    results = []
    for name in args.settings:  # one fresh process per setting: RSS and arenas are per process
        with context.Pool(1) as pool:
            results.append(pool.apply(run_setting, (name, args.rounds, args.det_calls, args.rec_calls)))
    names = [BASE, *(n for n in args.settings if n != BASE)]
    with context.Pool(1) as pool:
        ratios = pool.apply(speed_ratios, (names, args.det_calls, args.rec_calls))
    print("| setting | RSS after loading, then after each round (MB) | growth from round 2 to the last | time vs onnxruntime's defaults |")
    print("|---|---|---|---|")
    for r in results:
        rss = r["rss_mb"]
        growth = (rss[-1] - rss[2]) / rss[2]
        print(f"| {r['setting']} | {' → '.join(f'{v:.0f}' for v in rss)} | {growth:+.1%} | "
              f"{ratios.get(r['setting'], float('nan')):.2f}x |")
    print(json.dumps({"command": "python -m loadtest.benchmarks.onnx_memory", **vars(args), "results": results,
                      "speed_ratios": ratios}))


if __name__ == "__main__":
    main()
