"""/openapi.json describes every endpoint, field and error, checked against real responses."""
import base64

import httpx
import jsonschema
import pytest

from synthetic.documents import make_document
from synthetic.documents.digital_pdf import digital_pdf
from serve_app.api.contract import FIELD_NAMES, ErrorCode
from tests.conftest import TEST_MAX_BODY_BYTES
from tests.support import encode, eval_image, ocr, png_claiming_size, three_page_pdf

FLYER = eval_image("rapidocr_ch_en_num.jpg")


@pytest.fixture(scope="module")
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def check(spec: dict, method: str, template: str, response: httpx.Response) -> None:
    """Validate a real response against what the spec says for its path, method and status."""
    documented = spec["paths"][template][method]["responses"]
    assert str(response.status_code) in documented, f"{method} {template} answered an undocumented {response.status_code}"
    media_type = response.headers["content-type"].partition(";")[0]
    content = documented[str(response.status_code)]["content"]
    assert media_type in content, f"{media_type} is not documented for {method} {template} {response.status_code}"
    if media_type == "application/json":
        schema = {**content[media_type]["schema"], "components": spec["components"]}
        jsonschema.Draft202012Validator(schema).validate(response.json())


def test_spec_is_valid_json_schema_and_covers_every_field(spec):
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    for media_type, body in spec["paths"]["/ocr"]["post"]["requestBody"]["content"].items():
        assert tuple(body["schema"]["properties"]) == FIELD_NAMES, media_type


def test_success_responses_match_the_spec(client, spec):
    check(spec, "get", "/healthz", client.get("/healthz"))
    check(spec, "get", "/openapi.json", client.get("/openapi.json"))
    check(spec, "get", "/", client.get("/"))
    check(spec, "get", "/static/{file}", client.get("/static/app.js"))
    check(spec, "get", "/static/{file}", client.get("/static/app.css"))
    check(spec, "post", "/ocr", ocr(client, FLYER, "flyer.jpg"))
    check(spec, "post", "/ocr", ocr(client, FLYER, "flyer.jpg", format="compat"))
    check(spec, "post", "/ocr", ocr(client, FLYER, "flyer.jpg", return_confidence="false"))
    check(spec, "post", "/ocr", ocr(client, three_page_pdf(), "doc.pdf", page_images="true"))
    check(spec, "post", "/ocr", client.post("/ocr", json={"image": base64.b64encode(FLYER).decode()}))
    check(spec, "post", "/compat/ocr", ocr(client, FLYER, "flyer.jpg", path="/compat/ocr"))
    invoice = make_document("digital", 401, degraded=False)
    check(spec, "post", "/extract", ocr(client, encode(invoice.image, ".png"), "invoice.png", path="/extract"))
    check(spec, "post", "/extract", ocr(client, digital_pdf(invoice), "e.pdf", path="/extract", page_images="true"))
    check(spec, "post", "/compat/extract", ocr(client, digital_pdf(invoice), "e.pdf", path="/compat/extract"))


@pytest.mark.parametrize("request_args,status,code", [
    ({"files": {"image": ("x", b"plain text")}}, 400, "not_an_image"),
    ({"files": {"image": ("x", three_page_pdf()[:300])}}, 400, "corrupt_pdf"),
    ({"content": b"{", "headers": {"content-type": "application/json"}}, 400, "malformed_json"),
    ({"files": {"image": ("x", png_claiming_size(30_000, 30_000))}}, 413, "image_too_large"),
    ({"files": {"image": ("x", b"0" * (TEST_MAX_BODY_BYTES + 1))}}, 413, "body_too_large"),
    ({"content": FLYER, "headers": {"content-type": "image/jpeg"}}, 415, "unsupported_media_type"),
    ({"files": {"image": ("x", b"GIF89a\x01\x00")}}, 415, "unsupported_format"),
    ({"files": {"image": ("x", FLYER)}, "data": {"det": "maybe"}}, 422, "invalid_option"),
])
def test_error_responses_match_the_spec(client, spec, request_args, status, code):
    response = client.post("/ocr", **request_args)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert ErrorCode(code).status == status
    check(spec, "post", "/ocr", response)
    compat = client.post("/compat/ocr", **request_args)
    assert (compat.status_code, compat.json()["msg"].partition(":")[0]) == (status, code)
    check(spec, "post", "/compat/ocr", compat)


def test_wrong_paths_and_methods_match_the_spec(client, spec):
    check(spec, "get", "/static/{file}", client.get("/static/missing.js"))
    wrong_method = client.get("/ocr")
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    check(spec, "post", "/ocr", wrong_method)  # the 405 is documented on the path it concerns
