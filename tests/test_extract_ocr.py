"""Extraction over the degraded labelled set, read by the real in-process OCR (no Ray): fields
right, no check failing on a document without a planted flaw, every planted flaw caught."""
import pytest

from synthetic.documents import labelled_set
from evaluation.extraction import TODAY, Score
from ocr_ops.extract import extract_document
from ocr_ops.options import OcrOptions
from tests.support import SUMMARY

# Measured with the default model set (ppocrv4-mobile): 367/369 fields (99.5%), 0 false alarms.
MIN_FIELD_ACCURACY = 0.98


@pytest.mark.accuracy
def test_degraded_documents_read_by_ocr(pipeline):
    score = Score()
    for document in labelled_set(degraded=True):
        lines = pipeline.run(document.image, OcrOptions(field_steps=True)).lines
        extracted = extract_document(lines, document.image, today=TODAY)
        assert extracted.type == document.doc_type, document.name
        score.add(document, extracted)
    SUMMARY.append(f"extraction, degraded set, OCR: {sum(score.right.values())}/{sum(score.total.values())} fields "
                   f"({100 * score.accuracy:.1f}%), items {score.items_right}/{score.items}, "
                   f"{len(score.false_alarms)} false alarms, flaws caught {score.flaws_caught}/{score.flaws}")
    SUMMARY.extend(f"  miss {m}" for m in score.misses)
    assert score.accuracy >= MIN_FIELD_ACCURACY
    assert score.false_alarms == []
    assert score.flaws_caught == score.flaws
