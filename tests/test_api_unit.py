"""The HTTP API's pure layer, without Ray: the contract, request parsing and validation, error
mapping, response shaping and the generated OpenAPI document and README tables."""
import asyncio
import base64
import inspect
import io
import json
from pathlib import Path

import jsonschema
import pytest
from starlette.datastructures import FormData, UploadFile

import ocr_ops.errors as input_errors
from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import OcrOptions
from ocr_ops.types import DocumentResult, PageResult, TextLine
from serve_app.api import markdown
from serve_app.api.body import MalformedJson
from serve_app.api.contract import FIELD_NAMES, OCR_FIELDS, ROUTES, ErrorCode, ResponseOptions
from serve_app.api.errors import ApiError, error_body, from_coded_error
from serve_app.api.openapi import openapi_spec
from serve_app.api.requests import RequestRules, parse_fields, parse_form, parse_json
from serve_app.api.responses import ocr_body
from serve_app.config import AppConfig

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
RULES = RequestRules(OCR_FIELDS, ("zh", "en"))
IMAGE = b"\xff\xd8\xff fake jpeg bytes: parsing never decodes"


def form(**fields) -> FormData:
    return FormData([(name, str(value)) for name, value in fields.items()])


def test_absent_fields_take_the_defaults_of_the_typed_options():
    request = parse_fields(form(), IMAGE, RULES)
    assert request.options == OcrOptions() and request.response == ResponseOptions()
    assert request.image == IMAGE
    compat = parse_fields(form(), IMAGE, RequestRules(OCR_FIELDS, ("zh",), defaults=(("format", "compat"),)))
    assert compat.response.format == "compat"


def test_fields_are_parsed_by_their_schema():
    request = parse_fields(form(det="true", cls="0", enhance="grayscale,equalize", resize_height="640",
                                lang="en", format="compat", page_images="yes", return_confidence="off"), IMAGE, RULES)
    assert request.options.enhance == ("grayscale", "equalize")
    assert (request.options.det, request.options.cls, request.options.resize_height) == (True, False, 640)
    assert parse_fields(form(det="FALSE"), IMAGE, RULES).options.det is False
    assert request.response == ResponseOptions(return_confidence=False, format="compat", lang="en", page_images=True)


@pytest.mark.parametrize("fields,names", [
    ({"format": "xml"}, "format"), ({"det": "maybe"}, "det"), ({"resize_height": "tall"}, "resize_height"),
    ({"resize_height": "10"}, "resize_height"), ({"lang": "fr"}, "lang"), ({"enhance": "auto,grayscale"}, "enhance"),
    ({"enhance": "sharpen"}, "enhance"), ({"colour": "red"}, "unknown field"),
])
def test_bad_fields_are_422_naming_the_field(fields, names):
    with pytest.raises(InvalidOptionError, match=names):
        asyncio.run(parse_form(FormData([("image", UploadFile(file=io.BytesIO(IMAGE))), *fields.items()]), RULES))


def test_json_bodies_follow_the_same_rules():
    encoded = base64.b64encode(IMAGE).decode()
    request = parse_json(json.dumps({"image": "data:image/jpeg;base64," + encoded, "det": False,
                                     "enhance": ["grayscale"], "lang": None}).encode(), RULES)
    assert request.image == IMAGE and request.options.det is False and request.options.enhance == ("grayscale",)
    for body in (b"{", b"[" * 100_000 + b"]" * 100_000):  # broken, and nested past any parser's stack
        with pytest.raises(MalformedJson) as malformed:
            parse_json(body, RULES)
        assert from_coded_error(malformed.value).error is ErrorCode.MALFORMED_JSON
    for body, message in [({"image": "%%%"}, "base64"), ({"image": encoded, "det": {"x": 1}}, "det"),
                          ([1, 2], "object"), ({"image": encoded, "format": "xml"}, "format")]:
        with pytest.raises(InvalidOptionError, match=message):
            parse_json(json.dumps(body).encode(), RULES)


def test_a_multipart_upload_needs_exactly_one_image_file():
    with pytest.raises(InvalidOptionError, match="image"):
        asyncio.run(parse_form(form(det="true"), RULES))


def test_every_input_error_of_the_ops_has_a_contract_code():
    classes = [c for _, c in inspect.getmembers(input_errors, inspect.isclass)
               if issubclass(c, input_errors.OcrInputError) and c is not input_errors.OcrInputError]
    assert len(classes) >= 8
    for cls in classes:
        error = from_coded_error(cls("what went wrong"))
        assert error.error.code == cls.code and 400 <= error.status < 500 and error.message == "what went wrong"


def test_error_bodies_in_both_dialects_and_retry_after_only_where_the_contract_says():
    busy = ApiError(ErrorCode.OVERLOADED, "at capacity", retry_after_s=2)
    assert error_body(busy) == {"success": False, "error": {"code": "overloaded", "message": "at capacity"}}
    assert error_body(busy, "compat") == {"code": 503, "msg": "overloaded: at capacity", "data": None}
    assert busy.headers == {"Retry-After": "2"}
    assert ApiError(ErrorCode.INVALID_OPTION, "det: no", retry_after_s=2).headers is None
    assert {e.code for e in ErrorCode if e.retry} == {"overloaded", "stage_unavailable", "timeout", "quota_exceeded"}
    assert ApiError(ErrorCode.UNAUTHORIZED, "no key").headers == {"WWW-Authenticate": "Bearer"}


def _page(**extra) -> PageResult:
    line = TextLine("正品促销", 0.99, [[0, 0], [10, 0], [10, 5], [0, 5]])
    return PageResult([line], 323, 430, ("grayscale",), {"detect": 0.123456}, **extra)


def test_responses_for_an_image_a_pdf_and_the_compat_dialect_match_the_openapi_schemas():
    spec = openapi_spec(("zh", "en"), AppConfig())
    answer = {"$ref": "#/components/schemas/OcrAnswer", "components": spec["components"]}
    image = ocr_body(DocumentResult([_page()], is_pdf=False), 0.5, ResponseOptions())
    assert image["results"][0] == {"text": "正品促销", "confidence": 0.99, "bbox": [0, 0, 10, 5],
                                   "polygon": [[0, 0], [10, 0], [10, 5], [0, 5]]}
    assert image["timings"] == {"detect": 0.1235} and image["enhance"] == ["grayscale"]
    pdf = ocr_body(DocumentResult([_page(number=1, dpi=150.0, preview_jpeg=b"jpg")], is_pdf=True), 0.5,
                   ResponseOptions(return_confidence=False))
    assert pdf["pages"][0]["image"] == "data:image/jpeg;base64," + base64.b64encode(b"jpg").decode()
    assert "confidence" not in pdf["pages"][0]["results"][0]
    compat = ocr_body(DocumentResult([_page(), _page()], is_pdf=True), 0.5, ResponseOptions(format="compat"))
    assert compat == {"code": 0, "msg": "success", "data": [{"text": "正品促销", "confidence": 0.99}] * 2}
    for body in (image, pdf, compat):
        jsonschema.Draft202012Validator(answer).validate(body)


def test_openapi_is_generated_from_the_contract():
    spec = openapi_spec(("zh",), AppConfig())
    for route in ROUTES:
        operation = spec["paths"][route.path][route.method.lower()]
        for status in route.errors:
            assert str(status) in operation["responses"]
    documented = {code for path in spec["paths"].values() for op in path.values()
                  for response in op["responses"].values()
                  for code in json.dumps(response).split('"') if code in {e.code for e in ErrorCode}}
    assert documented | {"not_found"} == {e.code for e in ErrorCode}
    ocr = spec["paths"]["/ocr"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert tuple(ocr) == FIELD_NAMES and ocr["lang"]["enum"] == ["zh"] and ocr["det"]["default"] is True
    compat = spec["paths"]["/compat/ocr"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert compat["properties"]["format"]["default"] == "compat"
    assert "Retry-After" in spec["paths"]["/ocr"]["post"]["responses"]["503"]["headers"]


def test_the_readme_tables_are_the_contracts():
    assert markdown.field_table() in README, "README's /ocr field table differs: python -m serve_app.api.markdown"
    assert markdown.error_table() in README, "README's error table differs: python -m serve_app.api.markdown"
