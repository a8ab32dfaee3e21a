import cv2
import numpy as np

from ocr_ops.geometry import crop_quad, order_clockwise, reading_order


def test_order_clockwise_from_any_start():
    square = np.array([[10, 0], [10, 10], [0, 10], [0, 0]], np.float32)
    assert order_clockwise(square).tolist() == [[0, 0], [10, 0], [10, 10], [0, 10]]


def test_crop_quad_rectifies_a_rotated_region():
    image = np.full((200, 200, 3), 255, np.uint8)
    rect = ((100, 100), (120, 30), 20.0)
    box = order_clockwise(cv2.boxPoints(rect))
    cv2.fillPoly(image, [box.astype(np.int32)], (0, 0, 0))
    crop = crop_quad(image, box)
    assert abs(crop.shape[1] - 120) <= 2 and abs(crop.shape[0] - 30) <= 2
    assert crop[3:-3, 3:-3].mean() < 30  # the whole crop is the dark region, upright


def test_tall_crops_are_turned_to_read_horizontally():
    image = np.zeros((100, 100, 3), np.uint8)
    quad = np.array([[10, 10], [30, 10], [30, 90], [10, 90]], np.float32)
    crop = crop_quad(image, quad)
    assert crop.shape[1] > crop.shape[0]


def _box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_reading_order_rows_then_columns():
    quads = np.array([
        _box(300, 102, 400, 128),  # row 2, right (slightly lower)
        _box(10, 10, 100, 40),     # row 1, left
        _box(10, 100, 200, 125),   # row 2, left
        _box(150, 12, 300, 38),    # row 1, right
        _box(10, 200, 90, 230),    # row 3
    ], np.float32)
    assert reading_order(quads) == [1, 3, 2, 0, 4]
    assert reading_order(np.zeros((0, 4, 2), np.float32)) == []


def test_a_recognition_job_splits_into_ordered_parts():
    import numpy as np

    from ocr_ops.types import RecognitionJob

    quads = np.arange(7 * 8, dtype=np.float32).reshape(7, 4, 2)
    job = RecognitionJob(image=np.zeros((4, 4, 3), np.uint8), quads=quads, use_cls=True, field_steps=True)
    parts = job.split(3)
    assert [len(p.quads) for p in parts] == [3, 3, 1] and all(p.field_steps for p in parts)
    assert np.array_equal(np.concatenate([p.quads for p in parts]), quads)
    assert len(RecognitionJob(job.image, quads[:0], True).split(3)) == 1
