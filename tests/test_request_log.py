"""Request IDs and the JSON access line, without Ray."""
from __future__ import annotations

import json
import logging

from serve_app.api.request_log import MAX_REQUEST_ID_LENGTH, AccessRecord, access_logger, request_id


def test_a_well_formed_client_id_is_kept_and_others_are_replaced():
    assert request_id("3f2a-9c:retry.2_b") == ("3f2a-9c:retry.2_b", False)
    fresh, refused = request_id(None)
    assert len(fresh) == 32 and not refused
    for bad in ("", "x" * (MAX_REQUEST_ID_LENGTH + 1), "id\nINFO forged line", 'id","status":200', "ид"):
        new, refused = request_id(bad)
        assert refused and new != bad and len(new) == 32
    assert request_id(None)[0] != request_id(None)[0]


def test_one_json_line_with_counts_and_times_only():
    record = AccessRecord("abc", "POST", "/ocr", bytes_in=123_456, started=10.0, key_id="key-0123456789ab")
    record.add_stage("detect", 0.25)
    record.add_stage("recognize", 0.5)
    record.add_stage("detect", 0.25)  # a second page
    record.status, record.pages, record.lines = 200, 2, 57
    line = record.line(now=11.5)
    assert "\n" not in line
    assert json.loads(line) == {"request_id": "abc", "method": "POST", "route": "/ocr", "status": 200, "code": None,
                                "bytes_in": 123_456, "pages": 2, "lines": 57, "seconds": 1.5,
                                "stages": {"detect": 0.5, "recognize": 0.5}, "key_id": "key-0123456789ab"}


def test_an_error_line_says_its_code_and_a_refused_client_id():
    record = AccessRecord("fresh", "POST", "/ocr", started=0.0, client_id_refused=True)
    record.status, record.code = 413, "body_too_large"
    entry = json.loads(record.line(now=0.01))
    assert (entry["status"], entry["code"], entry["pages"], entry["client_request_id_refused"]) == \
        (413, "body_too_large", None, True)
    assert "key_id" not in entry


def test_the_access_logger_writes_the_bare_line_whatever_serves_level(capsys):
    logging.getLogger("ray.serve").setLevel(logging.WARNING)
    logger = access_logger()
    assert access_logger() is logger and len(logger.handlers) == 1
    logger.info(AccessRecord("abc", "GET", "/healthz", started=0.0).line(now=0.002))
    assert json.loads(capsys.readouterr().err.strip())["route"] == "/healthz"
