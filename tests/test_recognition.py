import cv2
import numpy as np

from models.loading import load_recognizer
from models.registry import load_registry
from ocr_ops.classification import line_tiles
from ocr_ops.decode import decode_image
from ocr_ops.recognition import ctc_greedy_decode, width_sorted_batches
from tests.support import eval_image, render_text


def test_ctc_greedy_decode_collapses_repeats_and_drops_blanks():
    charset = ["<blank>", "a", "b"]
    steps = [1, 1, 0, 1, 2, 2, 0]  # a a _ a b b _ -> "aab"
    probs = np.full((1, len(steps), 3), 0.05, np.float32)
    for t, k in enumerate(steps):
        probs[0, t, k] = 0.9 if t != 4 else 0.6
    text, confidence = ctc_greedy_decode(probs, charset)[0]
    assert text == "aab"
    assert abs(confidence - (0.9 + 0.9 + 0.6) / 3) < 1e-6  # kept steps only: t=0, 3, 4
    empty = np.zeros((1, 4, 3), np.float32)
    empty[0, :, 0] = 1
    assert ctc_greedy_decode(empty, charset)[0] == ("", 0.0)


def test_width_sorted_batches_group_similar_widths():
    assert width_sorted_batches([300, 20, 310, 25, 150], 2) == [[1, 3], [4, 0], [2]]


def test_dictionary_comes_from_model_metadata(pipeline):
    charset = pipeline.recognizer.charset
    assert len(charset) == 18710 and charset[0] == "<blank>" and charset[-1] == " "
    assert load_registry().model_set().recognition.input_height == pipeline.recognizer.height == 48


def test_recognizer_reads_a_real_line(pipeline):
    crop = decode_image(eval_image("rapidocr_text_rec.jpg"), 10**8).pixels
    text, confidence = pipeline.recognizer.recognize([crop])[0]
    assert text == "韩国小馆" and confidence > 0.9


def test_classifier_flips_an_upside_down_line_only(pipeline):
    upside_down = decode_image(eval_image("rapidocr_text_cls.jpg"), 10**8).pixels
    upright = cv2.rotate(upside_down, cv2.ROTATE_180)
    oriented, flipped = pipeline.classifier.orient([upside_down, upright])
    assert flipped == [True, False]
    assert pipeline.recognizer.recognize([oriented[0]])[0][0] == "怪我咯"


def test_long_lines_are_judged_on_undistorted_windows(pipeline):
    line = render_text(["transforms the image many times. First, the image goes through many layers"],
                       size=(1500, 50), scale=0.9, top=35, ink=(240, 240, 240), paper=(30, 30, 30))
    tiles = line_tiles(cv2.resize(line, (1440, 48)), 192)
    assert len(tiles) == 7 and all(t.shape[1] == 192 for t in tiles)
    _, flipped = pipeline.classifier.orient([line])
    assert flipped == [False]


def test_parallel_workers_read_the_same_as_one(pipeline):
    spec = load_registry().model_set().recognition
    parallel = load_recognizer(spec, pipeline.params.recognition, threads=3)
    crops = [decode_image(eval_image(name), 10**8).pixels for name in
             ("rapidocr_text_rec.jpg", "rapidocr_en_rec.jpg", "paddleocr_word_4.jpg", "cnocr_helloworld.jpg")]
    assert parallel.pool is not None
    assert parallel.recognize(crops) == pipeline.recognizer.recognize(crops)
