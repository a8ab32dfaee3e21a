"""The OpenAPI 3.1 description of the HTTP API, served at /openapi.json.

Written by hand (the ingress is a plain Starlette handler, nothing to generate it from) but built
from the same constants the parser uses (fields, formats, languages, limits), and a test checks
real responses against it, so it cannot silently drift from the service."""
from __future__ import annotations

from typing import Any

from ocr_ops.enhance import STEPS
from ocr_ops.options import AUTO, MAX_RESIZE_HEIGHT, MIN_RESIZE_HEIGHT, NONE
from serve_app.config import AppConfig
from serve_app.schemas import FORM_FIELDS, FORMATS

# status -> (error codes the service answers with, when)
ERROR_CODES: dict[int, tuple[tuple[str, ...], str]] = {
    400: (("not_an_image", "corrupt_image", "corrupt_pdf", "malformed_form", "malformed_json"),
          "The bytes are not an image or PDF, the file is broken, or the body cannot be parsed."),
    404: (("not_found",), "No endpoint at this path."),
    405: (("method_not_allowed",), "The path exists but not with this method."),
    413: (("body_too_large", "image_too_large", "too_many_pages"),
          "The body, the image's pixel count or the PDF's page count is over its limit."),
    415: (("unsupported_media_type", "unsupported_format"),
          "The body is neither multipart/form-data nor JSON, or the file is a recognised but unsupported type."),
    422: (("invalid_option", "encrypted_pdf"), "A bad or unknown field, or a password-protected PDF."),
    500: (("internal_error",), "A fault of the service, never of the input."),
    503: (("overloaded", "stage_unavailable"),
          "At capacity, or a stage's replica or node was lost mid-request; "
          "retry after the Retry-After header's seconds."),
    504: (("timeout",), "The request ran longer than the configured timeout; Retry-After says when to try again."),
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _field_schemas(languages: tuple[str, ...], image: dict[str, Any]) -> dict[str, Any]:
    step = {"type": "string", "enum": [AUTO, NONE, *sorted(STEPS)]}
    return {
        "image": image,
        "det": {"type": "boolean", "default": True,
                "description": "false: the image is one text line, recognised without detection."},
        "cls": {"type": "boolean", "default": True, "description": "Flip lines the 0/180 degree classifier finds upside down."},
        "return_confidence": {"type": "boolean", "default": True, "description": "false drops `confidence` from each line."},
        "enhance": {"oneOf": [step, {"type": "string", "description": "comma-separated steps"},
                              {"type": "array", "items": step}],
                    "default": AUTO, "description": "'auto', 'none' or named steps applied in order."},
        "resize_height": {"type": "integer", "minimum": MIN_RESIZE_HEIGHT, "maximum": MAX_RESIZE_HEIGHT,
                          "description": "Scale each page to this height before detection; boxes stay in original pixels."},
        "lang": {"type": "string", "enum": list(languages), "default": "zh"},
        "format": {"type": "string", "enum": list(FORMATS), "default": "default",
                   "description": "compat: {code, msg, data: [{text, confidence}]}."},
        "page_images": {"type": "boolean", "default": False,
                        "description": "PDFs: each page also carries `image`, a JPEG data URL of the rendered page."},
    }


def _request_body(languages: tuple[str, ...]) -> dict[str, Any]:
    def schema(image: dict[str, Any]) -> dict[str, Any]:
        fields = _field_schemas(languages, image)
        return {"type": "object", "required": ["image"], "additionalProperties": False,
                "properties": {name: fields[name] for name in FORM_FIELDS}}

    multipart = {"type": "string", "format": "binary",
                 "description": "JPEG, PNG, BMP, TIFF, WebP or PDF; the type is sniffed from the bytes."}
    base64_image = {"type": "string", "contentEncoding": "base64", "description": "The file as base64, or as a data: URL."}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema(multipart)},
                                          "application/json": {"schema": schema(base64_image)}}}


def _components(languages: tuple[str, ...]) -> dict[str, Any]:
    number = {"type": "number"}
    point = {"type": "array", "items": number, "minItems": 2, "maxItems": 2}
    line = {"type": "object", "required": ["text", "bbox", "polygon"], "additionalProperties": False,
            "properties": {"text": {"type": "string"},
                           "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                           "bbox": {"type": "array", "items": number, "minItems": 4, "maxItems": 4,
                                    "description": "[x_min, y_min, x_max, y_max] in original pixels"},
                           "polygon": {"type": "array", "items": point, "minItems": 4, "maxItems": 4,
                                       "description": "4 points, clockwise from top-left"}}}
    lines = {"type": "array", "items": _ref("Line"), "description": "In reading order."}
    enhance = {"type": "array", "items": {"type": "string", "enum": sorted(STEPS)}}
    page = {"type": "object", "required": ["page", "width", "height", "dpi", "results"], "additionalProperties": False,
            "properties": {"page": {"type": "integer", "minimum": 1}, "width": {"type": "integer"},
                           "height": {"type": "integer"}, "dpi": {"type": "number"}, "results": lines,
                           "image": {"type": "string", "description": "with page_images=true: a JPEG data URL"}}}
    return {
        "Line": line,
        "OcrResult": {"type": "object", "additionalProperties": False,
                      "required": ["success", "results", "total_time", "timings", "image", "enhance"],
                      "properties": {"success": {"const": True}, "results": lines, "total_time": number,
                                     "timings": {"type": "object", "additionalProperties": number},
                                     "image": {"type": "object", "required": ["width", "height"],
                                               "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}}},
                                     "enhance": enhance}},
        "PdfResult": {"type": "object", "additionalProperties": False,
                      "required": ["success", "pages", "total_time", "enhance"],
                      "properties": {"success": {"const": True}, "pages": {"type": "array", "items": page},
                                     "total_time": number, "enhance": enhance}},
        "CompatResult": {"type": "object", "additionalProperties": False, "required": ["code", "msg", "data"],
                         "properties": {"code": {"const": 0}, "msg": {"type": "string"},
                                        "data": {"type": "array", "items": {
                                            "type": "object", "required": ["text"], "additionalProperties": False,
                                            "properties": {"text": {"type": "string"}, "confidence": number}}}}},
        "CompatError": {"type": "object", "additionalProperties": False, "required": ["code", "msg", "data"],
                        "properties": {"code": {"type": "integer", "minimum": 400}, "msg": {"type": "string"},
                                       "data": {"type": "null"}}},
        "Error": {"type": "object", "additionalProperties": False, "required": ["success", "error"],
                  "properties": {"success": {"const": False},
                                 "error": {"type": "object", "required": ["code", "message"], "additionalProperties": False,
                                           "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "Health": {"type": "object", "additionalProperties": False, "required": ["status", "model_set", "stages"],
                   "properties": {"status": {"enum": ["ok", "unavailable"]},
                                  "model_set": {"type": "string", "description": "The model set this app serves."},
                                  "stages": {"type": "object", "additionalProperties": {"type": "string"}}}},
    }


def error_responses(*statuses: int) -> dict[str, Any]:
    out = {}
    for status in statuses:
        codes, when = ERROR_CODES[status]
        out[str(status)] = {"description": when, "content": {"application/json": {"schema": {
            "allOf": [_ref("Error"), {"properties": {"error": {"properties": {"code": {"enum": list(codes)}}}}}]}}}}
    return out


def compat_error_responses(*statuses: int) -> dict[str, Any]:
    return {str(status): _json(ERROR_CODES[status][1], _ref("CompatError")) for status in statuses}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(description: str, *media_types: str) -> dict[str, Any]:
    return {"description": description, "content": {t: {"schema": {"type": "string"}} for t in media_types}}


def openapi_spec(languages: tuple[str, ...], config: AppConfig) -> dict[str, Any]:
    limits, pdf = config.limits, config.pipeline.pdf
    ocr_ok = _json("Lines with boxes: one page for an image, `pages` for a PDF, or the compat shape.",
                   {"oneOf": [_ref("OcrResult"), _ref("PdfResult"), _ref("CompatResult")]})
    return {
        "openapi": "3.1.0",
        "info": {"title": "OCR service", "version": "0.1.0", "description": (
            "Text lines with boxes and confidences from photos, scans and PDFs of Chinese and English documents. "
            f"Limits of this deployment: bodies up to {limits.max_body_bytes} bytes, "
            f"{config.pipeline.decode.max_pixels} pixels per page, PDFs up to {pdf.max_pages} pages "
            f"rendered at {pdf.dpi:g} DPI, {limits.request_timeout_s:g} s per request. "
            "Unknown paths answer 404 and known paths with another method 405, both with the Error shape.")},
        "paths": {
            "/ocr": {"post": {
                "summary": "Recognise the text of one image or PDF",
                "requestBody": _request_body(languages),
                "responses": {"200": ocr_ok, **error_responses(400, 405, 413, 415, 422, 500, 503, 504)}}},
            "/compat/ocr": {"post": {
                "summary": "/ocr for clients of the {code, msg, data} dialect",
                "description": "The same inputs as /ocr; `format` defaults to `compat`. Errors keep the HTTP "
                               "status and answer `{code: <the status>, msg: '<error code>: <message>', data: null}`.",
                "requestBody": _request_body(languages),
                "responses": {"200": ocr_ok, **compat_error_responses(400, 405, 413, 415, 422, 500, 503, 504)}}},
            "/healthz": {"get": {
                "summary": "Whether every stage has a live replica with its models loaded",
                "responses": {"200": _json("Every stage answers.", _ref("Health")),
                              "503": _json("A stage does not answer.", _ref("Health"))}}},
            "/openapi.json": {"get": {"summary": "This document",
                                      "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})}}},
            "/": {"get": {"summary": "The web page", "responses": {"200": _text("HTML", "text/html")}}},
            "/static/{file}": {"get": {
                "summary": "The web page's script and style sheet",
                "parameters": [{"name": "file", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _text("JavaScript or CSS", "text/javascript", "text/css"), **error_responses(404)}}},
        },
        "components": {"schemas": _components(languages)},
    }
