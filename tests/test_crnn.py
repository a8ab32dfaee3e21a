"""The project's own CRNN (models/crnn), loaded through the registry exactly as the service does.

The held-out lines under tests/data/crnn_heldout were rendered by `python -m models.crnn.data`
from the held-out seed stream (never used in training), so machines without CJK fonts can run
these tests. The floors sit a little under the committed model's measured figures (MODEL_CARD.md);
they guard against a broken export, dictionary or preprocessing, not against noise."""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest

from models.crnn.metrics import line_accuracy
from models.fetch import is_cached
from models.loading import load_pipeline, load_recognizer
from models.registry import MODELS_DIR, load_registry
from ocr_ops.params import RecognitionParams
from tests.support import SUMMARY, encode, ocr, second_app

HELDOUT_DIR = Path(__file__).parent / "data" / "crnn_heldout"
CRNN_MODEL, CRNN_SET = "crnn-bilstm-rec", "crnn-bilstm"
MIN_HELDOUT_EXACT = 26  # of 40: the committed model reads 30, mean CER 0.077 (MODEL_CARD.md)
MAX_HELDOUT_CER = 0.12
MIN_PAGE_LINES_READ = 4  # of the 8 lines it reads as crops, pasted on a page: it reads 5


def heldout_lines() -> list[tuple[np.ndarray, str]]:
    labels = json.loads((HELDOUT_DIR / "labels.json").read_text(encoding="utf-8"))
    return [(cv2.imread(str(HELDOUT_DIR / name)), text) for name, text in labels.items()]


@pytest.fixture(scope="module")
def crnn():
    return load_recognizer(load_registry().models[CRNN_MODEL], RecognitionParams(batch_size=8))


def test_committed_crnn_is_registered_verified_and_opt_in():
    registry = load_registry()
    spec = registry.models[CRNN_MODEL]
    assert spec.committed and spec.path.parent == MODELS_DIR / "crnn"
    assert is_cached(spec), "the committed file must match its registry sha256"
    assert registry.model_set(CRNN_SET).recognition is spec
    assert registry.model_set().recognition.name != CRNN_MODEL  # the default stays PP-OCRv4


def test_crnn_reads_heldout_rendered_lines(crnn):
    lines = heldout_lines()
    predicted = [text for text, _ in crnn.recognize([image for image, _ in lines])]
    accuracy = line_accuracy(predicted, [text for _, text in lines])
    SUMMARY.append(f"CRNN on {len(lines)} held-out rendered lines: {accuracy.summary()}")
    assert accuracy.exact >= MIN_HELDOUT_EXACT and accuracy.mean_cer <= MAX_HELDOUT_CER, \
        list(zip(predicted, [t for _, t in lines]))


def page_of_lines(lines: list[tuple[np.ndarray, str]]) -> np.ndarray:
    """The lines pasted one under another on a white page, scaled up as a scan would hold them."""
    scaled = [cv2.resize(image, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC) for image, _ in lines]
    page = np.full((40 + 80 * len(scaled), 40 + max(s.shape[1] for s in scaled), 3), 255, np.uint8)
    for i, image in enumerate(scaled):
        page[30 + 80 * i:30 + 80 * i + image.shape[0], 20:20 + image.shape[1]] = image
    return page


def lines_the_crnn_reads(crnn, count: int) -> list[tuple[np.ndarray, str]]:
    lines = heldout_lines()
    read = [text for text, _ in crnn.recognize([image for image, _ in lines])]
    return [line for line, text in zip(lines, read) if text == line[1]][:count]


def test_full_pipeline_with_the_crnn_model_set(crnn):
    """Detection and direction classification from PP-OCRv4, recognition by the CRNN."""
    lines = lines_the_crnn_reads(crnn, 8)
    result = load_pipeline(CRNN_SET).run(encode(page_of_lines(lines)))
    found = {line.text for line in result.lines}
    read = [text for _, text in lines if text in found]
    assert len(read) >= MIN_PAGE_LINES_READ, (found, [t for _, t in lines])



def test_service_runs_with_the_crnn_model_set(service, crnn):
    """`model_set: crnn-bilstm` in the app's args serves the CRNN over HTTP."""
    image, text = lines_the_crnn_reads(crnn, 1)[0]
    with second_app(service, CRNN_SET, "/crnn") as url, httpx.Client(base_url=url, timeout=120) as client:
        response = ocr(client, encode(image), "line.png", det="false")
    assert response.status_code == 200, response.text
    assert [r["text"] for r in response.json()["results"]] == [text]
