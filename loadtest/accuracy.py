"""Public-eval accuracy and in-process speed of the pipeline for each enhancement setting.

    python -m loadtest.accuracy                       # auto, none and every single step
    python -m loadtest.accuracy --enhance none auto   # just these
    python -m loadtest.accuracy --contrast 0.3        # on washed-out copies of the images
    python -m loadtest.accuracy --model-set ppocrv4-det-v6-small-rec ppocrv4-mobile --enhance auto

This is how the `auto` policy was chosen (docs/BENCHMARKS.md): a step becomes part of `auto`
only where it does not lose accuracy on these images."""
from __future__ import annotations

import argparse
import time

import cv2
import numpy as np

from evaluation.eval_set import EvalCase, eval_cases, score
from ocr_ops.decode import decode_image
from models.loading import load_pipeline
from ocr_ops.enhance import STEPS
from ocr_ops.options import OcrOptions


def washed_out(case: EvalCase, contrast: float) -> bytes:
    """The case's image with its contrast scaled towards light grey, as a faded scan looks."""
    pixels = decode_image(case.data, max_pixels=10**9).pixels.astype(np.float32)
    faded = 200.0 + (pixels - 200.0) * contrast
    return cv2.imencode(".png", np.clip(faded, 0, 255).astype(np.uint8))[1].tobytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enhance", nargs="*", default=["auto", "none", *sorted(STEPS)])
    parser.add_argument("--contrast", type=float, default=1.0, help="scale image contrast first (1 = as is)")
    parser.add_argument("--model-set", nargs="*", default=[None],
                        help="model sets from models/registry.json, compared in one run (default: its default)")
    parser.add_argument("--misses", action="store_true", help="list every miss (image file and expected string)")
    args = parser.parse_args()
    cases = eval_cases()
    images = {c.image.name: c.data if args.contrast == 1.0 else washed_out(c, args.contrast) for c in cases}
    print(f"{'model set':26} {'enhance':12} {'exact':>7} {'mean CER':>9} {'words kept':>11} {'seconds':>8}")
    for model_set in args.model_set:
        pipeline = load_pipeline(model_set)
        for setting in args.enhance:
            results, started = {}, time.perf_counter()
            for case in cases:
                options = OcrOptions(det=case.kind == "page", enhance=setting)
                results[case.image.name] = [line.text for line in pipeline.run(images[case.image.name], options).lines]
            elapsed = time.perf_counter() - started
            s = score(results)
            words = f"{s.words.kept}/{s.words.total}"
            print(f"{model_set or 'default':26} {setting:12} {s.exact:>4}/{s.total:<2} {s.mean_cer:>9.3f} "
                  f"{words:>11} {elapsed:>8.2f}")
            if args.misses:
                print("\n".join(f"    miss {miss}" for miss in s.misses))


if __name__ == "__main__":
    main()
