"""The HTTP API over a real Ray Serve app: results, options, formats and every error path."""
import pytest

from tests.conftest import TEST_MAX_BODY_BYTES
from tests.support import MIN_EXACT, encode, ocr, eval_cases, eval_image, png_claiming_size, render_text, score

FLYER = "rapidocr_ch_en_num.jpg"


def test_healthz_reports_every_stage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "model_set": "ppocrv4-det-v6-small-rec",
                               "stages": {"page_reader": "ok", "detector": "ok", "recognizer": "ok"}}


def test_flyer_lines_with_boxes_in_original_pixels(client):
    response = ocr(client, eval_image(FLYER))
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["image"] == {"width": 323, "height": 430}
    texts = [r["text"] for r in body["results"]]
    assert texts[0] == "正品促销" and "大桶装更划算" in texts
    assert len(texts) >= 15
    for r in body["results"]:
        x0, y0, x1, y1 = r["bbox"]
        assert 0 <= x0 < x1 <= 323 and 0 <= y0 < y1 <= 430
        assert len(r["polygon"]) == 4 and 0 < r["confidence"] <= 1
    assert set(body["timings"]) == {"preprocess", "orientation", "detect", "recognize"} and body["total_time"] > 0
    tops = [r["bbox"][1] for r in body["results"]]
    assert tops[0] == min(tops)  # reading order starts at the top


def test_public_eval_set_through_http(client):
    results = {}
    for case in eval_cases():
        response = ocr(client, case.data, case.image.name, det=str(case.kind == "page").lower())
        assert response.status_code == 200, response.text
        results[case.image.name] = [r["text"] for r in response.json()["results"]]
    result = score("public eval, over HTTP", results)
    assert result.exact >= MIN_EXACT, result.misses


def test_compat_format_and_confidence_switch(client):
    body = ocr(client, eval_image(FLYER), format="compat").json()
    assert body["code"] == 0 and body["msg"] == "success"
    assert body["data"][0]["text"] == "正品促销" and "confidence" in body["data"][0]
    plain = ocr(client, eval_image(FLYER), return_confidence="false").json()
    assert all("confidence" not in r for r in plain["results"])


def test_single_line_mode_and_direction_classifier(client):
    body = ocr(client, eval_image("rapidocr_text_cls.jpg"), det="false").json()
    assert [r["text"] for r in body["results"]] == ["怪我咯"]
    unflipped = ocr(client, eval_image("rapidocr_text_cls.jpg"), det="false", cls="false").json()
    assert unflipped["results"][0]["text"] != "怪我咯"


def test_resize_height_keeps_coordinates_in_original_pixels(client):
    full = ocr(client, eval_image(FLYER)).json()
    half = ocr(client, eval_image(FLYER), resize_height=860).json()
    assert half["image"] == full["image"]
    assert half["results"][0]["text"] == "正品促销"
    assert abs(half["results"][0]["bbox"][2] - full["results"][0]["bbox"][2]) < 15


def test_named_enhancement_steps_are_applied_and_reported(client):
    body = ocr(client, encode(render_text(["TOTAL 128.00"], size=(500, 120))), enhance="grayscale,equalize").json()
    assert body["enhance"] == ["grayscale", "equalize"]
    assert body["results"][0]["text"].replace(" ", "") == "TOTAL128.00"


@pytest.mark.parametrize("data,fields,status,code", [
    (b"just some text, not an image", {}, 400, "not_an_image"),
    (eval_image(FLYER)[:2000], {}, 400, "corrupt_image"),
    (b"GIF89a\x01\x00\x01\x00", {}, 415, "unsupported_format"),
    (png_claiming_size(30_000, 30_000), {}, 413, "image_too_large"),
    (eval_image(FLYER), {"det": "maybe"}, 422, "invalid_option"),
    (eval_image(FLYER), {"lang": "klingon"}, 422, "invalid_option"),
    (eval_image(FLYER), {"enhance": "sharpen"}, 422, "invalid_option"),
    (eval_image(FLYER), {"resize_height": "tall"}, 422, "invalid_option"),
    (eval_image(FLYER), {"resize_height": "10"}, 422, "invalid_option"),
    (eval_image(FLYER), {"resize_height": "64", "det": "false"}, 422, "invalid_option"),
    (eval_image(FLYER), {"resize_height": "8000"}, 422, "invalid_option"),
    (eval_image(FLYER), {"format": "xml"}, 422, "invalid_option"),
    (eval_image(FLYER), {"colour": "blue"}, 422, "invalid_option"),
])
def test_bad_input_gets_a_clear_4xx(client, data, fields, status, code):
    response = ocr(client, data, **fields)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]


def test_request_shape_errors(client):
    missing = client.post("/ocr", data={"det": "true"}, files={"other": ("x", b"x")})
    assert missing.status_code == 422 and "image" in missing.json()["error"]["message"]
    not_multipart = client.post("/ocr", content=eval_image(FLYER), headers={"content-type": "image/jpeg"})
    assert not_multipart.status_code == 415
    malformed = client.post("/ocr", content=b"--xx\r\nbroken", headers={"content-type": "multipart/form-data; boundary=yy"})
    assert malformed.status_code in (400, 422)
    assert client.get("/nowhere").status_code == 404
    assert client.get("/ocr").status_code == 405


def test_oversized_bodies_are_refused_before_processing(client):
    response = ocr(client, b"\xff\xd8\xff" + b"0" * (TEST_MAX_BODY_BYTES + 10))
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"

    def chunked():  # no Content-Length: the limit must hold while streaming too
        yield b"--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x\"\r\n\r\n"
        for _ in range(TEST_MAX_BODY_BYTES // 65536 + 2):
            yield b"0" * 65536
    streamed = client.post("/ocr", content=chunked(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413


def test_service_survives_bad_input(client):
    for _ in range(3):
        ocr(client, b"garbage")
        ocr(client, png_claiming_size(50_000, 50_000))
    assert client.get("/healthz").status_code == 200
    assert ocr(client, eval_image("rapidocr_text_rec.jpg"), det="false").json()["results"][0]["text"] == "韩国小馆"
