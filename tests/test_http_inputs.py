"""PDF and JSON input over the real HTTP API: pages through the same stages, the same options,
and the documented 4xx for PDFs and JSON bodies the service refuses."""
import base64
import time

import cv2
import numpy as np
import pytest

from ocr_ops.params import PdfParams
from ocr_ops.pdf import render_pdf
from tests.support import SUMMARY, encode, encrypted_pdf, eval_image, pdf_bytes, render_text, three_page_pdf, ocr, written_pdf

FLYER = "rapidocr_ch_en_num.jpg"


def compact(text: str) -> str:
    return text.replace(" ", "")  # spaces between Latin words come and go with scale


def test_three_page_pdf_gets_results_per_page(client):
    response = ocr(client, three_page_pdf())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and "results" not in body
    pages = body["pages"]
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert (pages[0]["width"], pages[0]["height"], pages[0]["dpi"]) == (673, 896, 150.0)  # 323x430 pt at 150 DPI
    flyer_texts = [r["text"] for r in pages[0]["results"]]
    assert flyer_texts[0] == "正品促销" and "大桶装更划算" in flyer_texts
    assert [compact(r["text"]) for r in pages[1]["results"]] == ["SALESTAX12.5"]
    assert [compact(r["text"]) for r in pages[2]["results"]] == ["TOTAL128.00", "PAIDINFULL"]
    for page in pages:
        for line in page["results"]:
            x0, y0, x1, y1 = line["bbox"]
            assert 0 <= x0 < x1 <= page["width"] and 0 <= y0 < y1 <= page["height"]
    assert all("image" not in p for p in pages)


def test_pdf_page_images_and_compat_format(client):
    body = ocr(client, three_page_pdf(), page_images="true", return_confidence="false").json()
    for page in body["pages"]:
        header, _, payload = page["image"].partition(",")
        assert header == "data:image/jpeg;base64"
        image = cv2.imdecode(np.frombuffer(base64.b64decode(payload), np.uint8), cv2.IMREAD_COLOR)
        assert image.shape[:2] == (page["height"], page["width"])
        assert all("confidence" not in line for line in page["results"])
    compat = ocr(client, three_page_pdf(), format="compat").json()
    texts = [compact(item["text"]) for item in compat["data"]]
    assert compat["code"] == 0 and texts[0] == "正品促销" and texts[-2:] == ["TOTAL128.00", "PAIDINFULL"]


@pytest.mark.parametrize("data,status,code", [
    (encrypted_pdf(pdf_bytes([render_text(["SECRET"])])), 422, "encrypted_pdf"),
    (pdf_bytes([render_text(["CUT SHORT"])])[:300], 400, "corrupt_pdf"),
    (pdf_bytes([render_text([f"PAGE {i}"], size=(200, 60), top=40) for i in range(21)]), 413, "too_many_pages"),
])
def test_refused_pdfs_get_their_documented_4xx(client, data, status, code):
    response = ocr(client, data)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_json_input_gives_the_same_response_as_a_form(client):
    image = eval_image(FLYER)
    form = ocr(client, image, enhance="none").json()
    as_json = client.post("/ocr", json={"image": base64.b64encode(image).decode(), "enhance": ["none"]}).json()
    as_data_url = client.post("/ocr", json={"image": "data:image/jpeg;base64," + base64.b64encode(image).decode()}).json()
    assert as_json["results"] == form["results"] == as_data_url["results"]
    assert as_json["image"] == {"width": 323, "height": 430}


def test_json_input_takes_typed_options_and_pdfs(client):
    line = client.post("/ocr", json={"image": base64.b64encode(eval_image("rapidocr_text_cls.jpg")).decode(),
                                     "det": False, "cls": True, "return_confidence": False, "resize_height": None})
    assert line.json()["results"] == [{"text": "怪我咯", "bbox": line.json()["results"][0]["bbox"],
                                       "polygon": line.json()["results"][0]["polygon"]}]
    pdf = client.post("/ocr", json={"image": base64.b64encode(three_page_pdf()).decode(), "format": "compat"})
    assert pdf.json()["data"][0]["text"] == "正品促销"


@pytest.mark.parametrize("body,status,code", [
    (b"{not json", 400, "malformed_json"),
    (b"[1, 2]", 422, "invalid_option"),
    (b'{"det": true}', 422, "invalid_option"),
    (b'{"image": "***not base64***"}', 422, "invalid_option"),
    (b'{"image": "aGVsbG8=", "colour": "blue"}', 422, "invalid_option"),
    (b'{"image": "aGVsbG8=", "det": {"nested": 1}}', 422, "invalid_option"),
    (b'{"image": "aGVsbG8="}', 400, "not_an_image"),
])
def test_bad_json_bodies_get_a_clear_4xx(client, body, status, code):
    response = client.post("/ocr", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


def test_pdf_pages_against_the_same_pages_sent_one_by_one(client):
    """Figures, not a timed assert: a PDF's pages go through the stages at once, so the whole PDF
    should take less than its pages sent one after another (the baseline, same run)."""
    pdf = three_page_pdf()
    pages = [encode(page.pixels) for page in render_pdf(pdf, PdfParams(), 40_000_000)]  # PNG: under the body limit
    started = time.perf_counter()
    one_by_one = [ocr(client, page).json()["results"] for page in pages]
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    body = ocr(client, pdf).json()
    whole = time.perf_counter() - started
    assert [page["results"] for page in body["pages"]] == one_by_one
    SUMMARY.append(f"3-page PDF: {whole:.2f} s as one PDF, {sequential:.2f} s as 3 page images one by one "
                   f"(ratio {sequential / whole:.2f})")


def test_a_turned_page_is_read_upright_with_boxes_in_the_uploaded_pixels(client):
    flyer = cv2.imdecode(np.frombuffer(eval_image("rapidocr_ch_en_num.jpg"), np.uint8), cv2.IMREAD_COLOR)
    upright = ocr(client, encode(flyer)).json()
    turned = ocr(client, encode(cv2.rotate(flyer, cv2.ROTATE_90_CLOCKWISE))).json()
    assert turned["orientation"] == 90 and turned["image"] == {"width": 430, "height": 323}
    assert [r["text"] for r in turned["results"]] == [r["text"] for r in upright["results"]]
    for line in turned["results"]:
        x0, y0, x1, y1 = line["bbox"]
        assert 0 <= x0 < x1 <= 430 and 0 <= y0 < y1 <= 323
    as_sent = ocr(client, encode(cv2.rotate(flyer, cv2.ROTATE_90_CLOCKWISE)), orientation="none").json()
    assert as_sent["orientation"] == 0


def test_digital_pdf_pages_come_from_their_text_layer_exactly(client):
    from tests.test_text_layer import INVOICE, invoice_page, scanned_page

    written = [text for *_, lines in INVOICE for text in lines]
    mixed = written_pdf([invoice_page(), [scanned_page()]])
    body = ocr(client, mixed, "mixed.pdf").json()
    assert [p["text_source"] for p in body["pages"]] == ["text_layer", "ocr"]
    assert [r["text"] for r in body["pages"][0]["results"]] == written
    assert all(r["confidence"] == 1.0 for r in body["pages"][0]["results"])
    assert [compact(r["text"]) for r in body["pages"][1]["results"]] == ["TOTAL128.00"]
    forced = ocr(client, mixed, "mixed.pdf", pdf_text="ocr").json()
    assert [p["text_source"] for p in forced["pages"]] == ["ocr", "ocr"]
    previews = ocr(client, mixed, "mixed.pdf", page_images="true").json()
    assert all(p["image"].startswith("data:image/jpeg;base64,") for p in previews["pages"])
