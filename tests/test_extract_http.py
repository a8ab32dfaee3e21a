"""POST /extract and the handle's extract(): documents in, checked fields out, over the real service."""
import cv2
import pytest
from ray import serve

from synthetic.documents import make_document
from synthetic.documents.digital_pdf import digital_pdf
from ocr_ops.extracted import ExtractedDocument, whole_page
from ocr_ops.extract.text import compact  # exact after normalisation: NFKC, whitespace dropped
from tests.support import SUMMARY, encode, eval_image, ocr

PERSONAL = ("name", "passenger", "id_number", "id_card")


def extract(client, data: bytes, filename="doc.png", **fields):
    return ocr(client, data, filename, path="/extract", **fields)


def field_values(document: dict) -> dict:
    return {key: field["value"] for key, field in document["fields"].items()}


def test_a_photographed_invoice_and_ticket_give_their_checked_fields(client):
    right = total = 0
    for layout, seed in (("paper_special", 101), ("e_ordinary", 301), ("train_paper", 501), ("train_e", 601)):
        truth = make_document(layout, seed)
        response = extract(client, encode(truth.image, ".jpg"))
        assert response.status_code == 200, response.text
        (document,) = response.json()["documents"]
        assert document["page"] == 1 and document["type"] == truth.doc_type and document["valid"] is True
        height, width = truth.image.shape[:2]
        assert document["index"] == 0 and document["region"] == whole_page(width, height)  # the page is the document
        got = field_values(document)
        right += sum(compact(str(got.get(key))) == compact(str(value)) for key, value in truth.fields.items())
        total += len(truth.fields)
        assert set(got) <= set(truth.fields) | {"check_code", "machine_number"}  # absent fields stay absent
        for field in document["fields"].values():
            if field["bbox"]:
                x0, y0, x1, y1 = field["bbox"]
                assert 0 <= x0 < x1 <= width + 1 and 0 <= y0 < y1 <= height + 1
        assert all(check["ok"] for check in document["checks"]) and document["checks"]
        if truth.doc_type == "train_ticket":
            assert not any(word in key for key in got for word in PERSONAL)
    SUMMARY.append(f"/extract over HTTP, 4 photographed documents: {right}/{total} fields right")
    assert right >= 0.95 * total


def test_a_digital_pdf_gives_one_document_per_page_from_its_text_layer(client):
    from pypdf import PdfReader, PdfWriter
    import io

    invoice, ticket = make_document("digital", 401, degraded=False), make_document("train_paper", 502, degraded=False)
    writer = PdfWriter()
    for document in (invoice, ticket):
        writer.add_page(PdfReader(io.BytesIO(digital_pdf(document))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    body = extract(client, buffer.getvalue(), "two.pdf").json()
    assert [d["page"] for d in body["documents"]] == [1, 2]
    assert not any("image" in d for d in body["documents"])
    # On request each document carries its rendered page, so a client draws the boxes without a second call.
    pictured = extract(client, buffer.getvalue(), "two.pdf", page_images="true").json()["documents"]
    assert all(d["image"].startswith("data:image/jpeg;base64,") for d in pictured)
    assert [field_values(d) for d in pictured] == [field_values(d) for d in body["documents"]]
    for document, truth in zip(body["documents"], (invoice, ticket)):
        assert document["type"] == truth.doc_type and field_values(document) == truth.fields
        assert {f["source"] for f in document["fields"].values()} == {"text_layer"}


def test_a_turned_invoice_is_read_upright(client):
    truth = make_document("paper_ordinary", 201)
    upright = extract(client, encode(truth.image, ".jpg")).json()["documents"][0]
    turned_image = cv2.rotate(truth.image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    turned = extract(client, encode(turned_image, ".jpg")).json()
    (document,) = turned["documents"]
    assert document["orientation"] == 270 and field_values(document) == field_values(upright)
    # Region and boxes are in the uploaded (turned) picture's pixels; the document's top-left is its bottom-left.
    height, width = turned_image.shape[:2]
    assert document["region"] == [[0, height], [0, 0], [width, 0], [width, height]]
    for field in document["fields"].values():
        if field["bbox"]:
            x0, y0, x1, y1 = field["bbox"]
            assert 0 <= x0 < x1 <= width + 1 and 0 <= y0 < y1 <= height + 1
    assert len(field_values(document)) >= len(truth.fields) - 1


def test_a_flawed_invoice_fails_the_check_that_names_the_flaw(client):
    truth = make_document("paper_special", 102, flaw="seller_tax_id")
    (document,) = extract(client, encode(truth.image, ".jpg")).json()["documents"]
    failed = {check["name"] for check in document["checks"] if not check["ok"]}
    assert document["valid"] is False and failed == set(truth.failing_checks)


def test_other_pages_are_unknown_and_bad_requests_are_4xx(client):
    flyer = extract(client, eval_image("rapidocr_ch_en_num.jpg"), "flyer.jpg").json()
    assert flyer["documents"] == [{"page": 1, "orientation": 0, "index": 0, "region": whole_page(323, 430),
                                   "type": "unknown", "fields": {}, "items": [], "checks": [], "valid": False}]
    bad_type = extract(client, eval_image("rapidocr_ch_en_num.jpg"), type="receipt")
    assert bad_type.status_code == 422 and "type" in bad_type.json()["error"]["message"]
    assert extract(client, b"plain text").json()["error"]["code"] == "not_an_image"
    assert extract(client, eval_image("rapidocr_ch_en_num.jpg"), det="false").status_code == 422  # not a field here


def test_the_handle_extracts_typed_documents(service):
    truth = make_document("train_paper", 503)
    result = serve.get_app_handle("ocr").extract.remote(encode(truth.image, ".jpg")).result()
    (document,) = result.pages[0].documents
    assert isinstance(document, ExtractedDocument) and document.type == "train_ticket" and document.valid
    assert {k: f.value for k, f in document.fields.items()} == truth.fields


def test_the_compat_route_wraps_the_same_documents_in_its_dialect(client):
    pdf = digital_pdf(make_document("digital", 402, degraded=False))
    ours = extract(client, pdf, "invoice.pdf").json()
    theirs = client.post("/compat/extract", files={"image": ("invoice.pdf", pdf)})
    assert theirs.status_code == 200
    assert theirs.json() == {"code": 0, "msg": "success", "data": ours["documents"]}
    refused = client.post("/compat/extract", files={"image": ("x.txt", b"plain text")})
    assert refused.status_code == 400 and refused.json()["code"] == 400
    assert refused.json()["msg"].startswith("not_an_image: ") and refused.json()["data"] is None
