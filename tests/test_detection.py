import numpy as np

from ocr_ops.detection import boxes_from_probability, detection_size, prepare_detection_input
from ocr_ops.params import DetectionParams
from tests.support import render_text


def test_detection_size_is_stride_aligned_and_bounded():
    params = DetectionParams()
    for w, h in [(323, 430), (28, 17), (4000, 300), (1890, 503)]:
        dw, dh = detection_size(w, h, params)
        assert dw % 32 == 0 and dh % 32 == 0
        assert max(dw, dh) <= params.max_side_len + 16
    assert min(detection_size(400, 300, params)) >= params.limit_side_len - 16


def test_db_boxes_from_a_synthetic_probability_map():
    prob = np.zeros((100, 200), np.float32)
    prob[20:30, 20:120] = 0.9
    prob[60:70, 50:180] = 0.8
    quads = boxes_from_probability(prob, DetectionParams())
    assert len(quads) == 2
    tops = sorted(q[:, 1].min() for q in quads)
    assert tops[0] < 20 and tops[1] < 60  # unclip grew the kernels back past their edges


def test_detector_maps_boxes_back_to_page_pixels(pipeline):
    page = render_text(["Invoice number 0042", "Amount due 318.50"], size=(900, 300))
    quads = pipeline.detector.detect([prepare_detection_input(page, pipeline.params.detection)])[0]
    assert len(quads) == 2
    for quad in quads:
        assert quad[:, 0].min() >= 0 and quad[:, 0].max() < 900 and quad[:, 1].max() < 300
        assert 20 <= quad[:, 0].min() <= 40  # the text starts at x=30


def test_a_line_touching_the_top_border_is_found(pipeline):
    page = render_text(["EDGE OF THE PAGE"], size=(700, 120), top=28)
    page = page[6:]  # cut the margin so the glyphs touch the top edge
    quads = pipeline.detector.detect([prepare_detection_input(page, pipeline.params.detection)])[0]
    assert len(quads) == 1 and quads[0][:, 1].min() <= 2
