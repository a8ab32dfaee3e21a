"""Field-aware re-reading on real recognizer output: rendered tax-ID lines, small and blurred,
read by the default recognizer with per-step probabilities, then decoded again over the credit
code alphabet and corrected by the GB 32100 checksum."""
import random

import cv2
import numpy as np
from stdnum.cn import uscc

from loadtest.documents.canvas import Canvas
from loadtest.documents.values import tax_id
from ocr_ops.extract.rereading import DIGITS, USCC, correct_by_check, restricted_decode
from ocr_ops.extract.text import parse_digits, parse_tax_id
from ocr_ops.recognition import FIELD_ALPHABET
from tests.support import SUMMARY

LABEL = "纳税人识别号："


def rendered_line(text: str, size: int, blur: float, quality: int) -> np.ndarray:
    canvas = Canvas(40 + size * 20, size * 2 + 10)
    canvas.text((8, 4), text, size=size)
    image = cv2.GaussianBlur(canvas.pixels(), (0, 0), blur) if blur else canvas.pixels()
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def value_start(text: str) -> int:
    return max(text.find("："), text.find(":")) + 1


def test_steps_are_small_and_aligned_with_the_text(pipeline):
    crops = [rendered_line("发票号码：12345678", 22, 0, 95), rendered_line("货物名称", 22, 0, 95)]
    (text, _, steps), (_, _, no_steps) = pipeline.recognizer.recognize_with_steps(crops)
    assert no_steps is None  # too few characters of the field alphabet to be worth keeping
    assert steps.probs.dtype == np.float16 and steps.probs.shape[1] == 1 + len(FIELD_ALPHABET)
    assert len(steps.char_steps) == len(text)
    assert [t for t, _ in pipeline.recognizer.recognize(crops)][0] == text
    start = value_start(text)
    assert parse_digits(restricted_decode(steps, start, len(text), DIGITS).text) == "12345678"


def test_rereading_fixes_misread_tax_ids_and_breaks_none(pipeline):
    rng = random.Random(5)
    truth = [tax_id(rng) for _ in range(40)]
    read = pipeline.recognizer.recognize_with_steps([rendered_line(LABEL + v, 14, 1.0, 40) for v in truth])
    plain = reread = wrong_corrections = 0
    for (text, _, steps), value in zip(read, truth):
        start = value_start(text)
        first = parse_tax_id(text[start:])
        plain += first == value
        final = first
        if steps is not None and not (first and uscc.is_valid(first)):
            reading = restricted_decode(steps, start, len(text), USCC)
            final = parse_tax_id(reading.text)
            if not (final and uscc.is_valid(final)):
                final = correct_by_check(reading, uscc.is_valid, parse_tax_id) or final
            wrong_corrections += final != value and final is not None and uscc.is_valid(final)
        reread += final == value
        assert not (first == value and final != value)  # a right reading is never changed
    SUMMARY.append(f"re-reading tax IDs (14 px, blurred, JPEG 40): {plain}/40 exact as read, {reread}/40 after "
                   f"re-reading, {wrong_corrections} checksum-valid wrong corrections")
    assert reread >= plain + 2 and wrong_corrections <= 1
