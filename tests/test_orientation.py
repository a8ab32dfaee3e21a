"""Page orientation (ocr_ops.orientation): exact geometry, and the real classifier on the public
eval pages turned by 90, 180 and 270 degrees, read like the upright pages."""
import cv2
import numpy as np
import pytest

from models.loading import load_orientation
from ocr_ops.decode import decode_image
from ocr_ops.orientation import ANGLES, rotate_upright, to_original
from tests.support import SUMMARY, eval_cases

# How the content of an upright page is turned clockwise by each angle.
TURN = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def turned(image: np.ndarray, angle: int) -> np.ndarray:
    return image if angle == 0 else cv2.rotate(image, TURN[angle])


def pixel_box(mask: np.ndarray) -> np.ndarray:
    """Corners of the marked pixels' box in continuous coordinates (a pixel spans [i, i + 1])."""
    ys, xs = np.nonzero(mask)
    x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


def corners(points: np.ndarray) -> set[tuple[float, float]]:
    return {tuple(p) for p in points.tolist()}


@pytest.mark.parametrize("angle", ANGLES)
def test_boxes_in_the_upright_page_map_back_onto_the_uploaded_pixels(angle):
    rng = np.random.default_rng(angle)
    for _ in range(20):
        uploaded = np.zeros((int(rng.integers(5, 60)), int(rng.integers(5, 60)), 3), np.uint8)
        h, w = uploaded.shape[:2]
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = int(rng.integers(x0, w)), int(rng.integers(y0, h))
        uploaded[y0:y1 + 1, x0:x1 + 1] = 255
        upright = rotate_upright(uploaded, angle)
        back = to_original(pixel_box(upright[..., 0] > 0), angle, (upright.shape[1], upright.shape[0]))
        assert corners(back) == corners(pixel_box(uploaded[..., 0] > 0))


def test_rotate_upright_undoes_a_turn():
    page = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    for angle in ANGLES:
        assert np.array_equal(rotate_upright(turned(page, angle), angle), page)


@pytest.fixture(scope="module")
def orientation():
    return load_orientation()


def upright_pages():
    return [(c.image.name, decode_image(c.data, 10**8).pixels) for c in eval_cases() if c.kind == "page"]


def test_the_classifier_finds_every_turn_of_the_public_pages(orientation):
    wrong = [(name, angle, orientation.predict(turned(page, angle)))
             for name, page in upright_pages() for angle in ANGLES
             if orientation.angle(turned(page, angle)) != angle]
    assert wrong == []


@pytest.mark.accuracy
def test_turned_pages_read_like_upright_ones(pipeline):
    """The pipeline turns each page upright itself; lines read and come in the same order as from
    the upright page, with boxes in the uploaded (turned) image's pixels."""
    differ, total = [], 0
    for name, page in upright_pages():
        upright = pipeline.run(page)
        for angle in (90, 180, 270):
            uploaded = turned(page, angle)
            result = pipeline.run(uploaded)
            total += 1
            assert result.orientation == angle and (result.width, result.height) == (uploaded.shape[1], uploaded.shape[0])
            if [line.text for line in result.lines] != [line.text for line in upright.lines]:
                differ.append((name, angle))
            expected = [to_original(line.polygon, angle, (page.shape[1], page.shape[0])) for line in upright.lines]
            for line, box in zip(result.lines, expected):  # the upright page's boxes, turned with the page
                assert np.abs(np.sort(np.asarray(line.polygon), axis=0) - np.sort(box, axis=0)).max() < 3
    SUMMARY.append(f"orientation: {total - len(differ)}/{total} turned pages read like upright")
    assert differ == []
