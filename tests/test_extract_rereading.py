"""Field-aware re-reading on real recognizer output: rendered tax-ID lines, small and blurred,
read by the default recognizer with per-step probabilities, then decoded again over the credit
code alphabet and corrected by the GB 32100 checksum."""
import random

import cv2
import numpy as np
import pytest
from stdnum.cn import uscc

from synthetic.documents.canvas import Canvas
from synthetic.documents.values import tax_id
from ocr_ops.extract.rereading import DIGITS, USCC, restricted_decode, reread_value
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


def read_tax_ids(recognizer, truth: list[str]) -> list[tuple[str | None, str | None]]:
    """(as read, after re-reading) for each rendered `纳税人识别号：<id>` line."""
    out = []
    for text, _, steps in recognizer.recognize_with_steps([rendered_line(LABEL + v, 14, 1.0, 40) for v in truth]):
        start = max(text.find("："), text.find(":")) + 1
        first = parse_tax_id(text[start:])
        final = first
        if steps is not None and first is not None:
            final = reread_value(steps, start, len(text), first, USCC, parse_tax_id, (18, 15), uscc.is_valid)
        out.append((first, final))
    return out


def test_steps_are_small_and_aligned_with_the_text(pipeline):
    crops = [rendered_line("发票号码：12345678", 22, 0, 95), rendered_line("货物名称", 22, 0, 95)]
    (text, _, steps), (_, _, no_steps) = pipeline.recognizer.recognize_with_steps(crops)
    assert no_steps is None  # too few characters of the field alphabet to be worth keeping
    assert steps.probs.dtype == np.float16 and steps.probs.shape[1] == 1 + len(FIELD_ALPHABET)
    assert len(steps.char_steps) == len(text)
    assert [t for t, _ in pipeline.recognizer.recognize(crops)][0] == text
    start = text.index("：") + 1
    assert parse_digits(restricted_decode(steps, start, len(text), DIGITS).text) == "12345678"


@pytest.mark.accuracy
def test_rereading_fixes_misread_tax_ids_and_breaks_none(pipeline):
    rng = random.Random(5)
    truth = [tax_id(rng) for _ in range(80)]
    results = read_tax_ids(pipeline.recognizer, truth)
    plain = sum(first == value for (first, _), value in zip(results, truth))
    reread = sum(final == value for (_, final), value in zip(results, truth))
    wrong = sum(final != value and final is not None and uscc.is_valid(final) for (_, final), value in zip(results, truth))
    assert not any(first == value != final for (first, final), value in zip(results, truth))
    SUMMARY.append(f"re-reading tax IDs (14 px, blurred, JPEG 40): {plain}/80 exact as read, {reread}/80 after "
                   f"re-reading, {wrong} checksum-valid wrong corrections")
    assert reread >= plain + 1 and wrong == 0


@pytest.mark.accuracy
def test_rereading_leaves_invalid_tax_ids_invalid(pipeline):
    """A code printed with a wrong check character must not be 'corrected' into a valid one."""
    rng = random.Random(6)
    truth = [tax_id(rng, valid=False) for _ in range(80)]
    results = read_tax_ids(pipeline.recognizer, truth)
    made_valid = sum(final is not None and uscc.is_valid(final) for _, final in results)
    SUMMARY.append(f"re-reading invalid tax IDs: {made_valid}/80 turned valid")
    assert made_valid == 0
