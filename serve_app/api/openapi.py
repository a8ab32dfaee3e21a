"""The OpenAPI 3.1 document served at /openapi.json, generated from the contract (routes,
fields, error codes) and the deployment's limits, so it cannot drift from what the ingress does.
A test checks real responses against it."""
from __future__ import annotations

from typing import Any

from dataclasses import fields as dataclass_fields

from ocr_ops.enhance import STEPS
from ocr_ops.extracted import LineItem
from ocr_ops.options import DOCUMENT_TYPES, AUTO
from serve_app.api.contract import ROUTES, ErrorCode, FieldSpec, Route, codes_for_status
from serve_app.config import AppConfig


DOCUMENT_TYPE_NAMES = [name for name in DOCUMENT_TYPES if name != AUTO]
ITEM_KEYS = [f.name for f in dataclass_fields(LineItem)]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _field_schema(field: FieldSpec, route: Route, languages: tuple[str, ...], image: dict[str, Any]) -> dict[str, Any]:
    if field.target == "image":
        return {**image, "description": field.description}
    schema = {**field.schema, "description": field.description}
    if field.name == "lang":
        schema["enum"] = list(languages)
    default = dict(route.defaults).get(field.name, field.default)
    if default is not None:
        schema["default"] = default
    return schema


def _request_body(route: Route, languages: tuple[str, ...]) -> dict[str, Any]:
    def schema(image: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": ["image"], "additionalProperties": False,
                "properties": {f.name: _field_schema(f, route, languages, image) for f in route.fields}}

    multipart = {"type": "string", "format": "binary"}
    base64_image = {"type": "string", "contentEncoding": "base64"}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema(multipart)},
                                          "application/json": {"schema": schema(base64_image)}}}


def _error_response(status: int, dialect: str) -> dict[str, Any]:
    codes = codes_for_status(status)
    description = " ".join(f"`{e.code}`: {e.description}" for e in codes)
    if dialect == "compat":
        schema = _ref("CompatError")
    else:
        schema = {"allOf": [_ref("Error"), {"properties": {"error": {"properties": {
            "code": {"enum": [e.code for e in codes]}}}}}]}
    response = _json(description, schema)
    if any(e.retry for e in codes):
        response["headers"] = {"Retry-After": {"description": "Seconds to wait before retrying.",
                                               "schema": {"type": "integer"}}}
    return response


def _responses(route: Route) -> dict[str, Any]:
    if route.media_types:
        ok = {"description": route.summary, "content": {t: {"schema": {"type": "string"}} for t in route.media_types}}
    else:
        ok = _json(route.summary, _ref(route.response))
    out = {"200": ok}
    for status in route.errors:
        if route.response == "Health" and status == 503:  # an unhealthy stage: the Health shape, not an error
            out["503"] = _json("A stage does not answer.", _ref("Health"))
        else:
            out[str(status)] = _error_response(status, route.dialect)
    return out


def _operation(route: Route, languages: tuple[str, ...]) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": route.summary, "responses": _responses(route)}
    if route.description:
        operation["description"] = route.description
    if route.fields:
        operation["requestBody"] = _request_body(route, languages)
    if "{file}" in route.path:
        operation["parameters"] = [{"name": "file", "in": "path", "required": True, "schema": {"type": "string"}}]
    return operation


def _paths(languages: tuple[str, ...]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, languages)
    # Known paths answer other methods with 405, in the error shape of the path's dialect.
    for route in ROUTES:
        operation = paths[route.path][route.method.lower()]
        operation["responses"].setdefault("405", _error_response(405, route.dialect))
    return paths


def _components() -> dict[str, Any]:
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
    angle = {"enum": [0, 90, 180, 270], "description": "The clockwise turn undone before reading."}
    page_image = {"type": "string", "description": "PDFs with page_images=true: the rendered page, a JPEG data URL"}
    page = {"type": "object", "required": ["page", "width", "height", "dpi", "text_source", "orientation", "results"],
            "additionalProperties": False,
            "properties": {"page": {"type": "integer", "minimum": 1}, "width": {"type": "integer"},
                           "height": {"type": "integer"}, "dpi": {"type": "number"},
                           "text_source": {"enum": ["ocr", "text_layer"],
                                           "description": "text_layer: read from the PDF's own text, exactly"},
                           "orientation": angle, "results": lines,
                           "image": page_image}}
    return {
        "Line": line,
        "OcrResult": {"type": "object", "additionalProperties": False,
                      "required": ["success", "results", "total_time", "timings", "image", "orientation", "enhance"],
                      "properties": {"success": {"const": True}, "results": lines, "total_time": number,
                                     "timings": {"type": "object", "additionalProperties": number},
                                     "image": {"type": "object", "required": ["width", "height"],
                                               "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}}},
                                     "orientation": angle, "enhance": enhance}},
        "PdfResult": {"type": "object", "additionalProperties": False,
                      "required": ["success", "pages", "total_time", "enhance"],
                      "properties": {"success": {"const": True}, "pages": {"type": "array", "items": page},
                                     "total_time": number, "enhance": enhance}},
        "CompatResult": {"type": "object", "additionalProperties": False, "required": ["code", "msg", "data"],
                         "properties": {"code": {"const": 0}, "msg": {"type": "string"},
                                        "data": {"type": "array", "items": {
                                            "type": "object", "required": ["text"], "additionalProperties": False,
                                            "properties": {"text": {"type": "string"}, "confidence": number}}}}},
        "OcrAnswer": {"oneOf": [_ref("OcrResult"), _ref("PdfResult"), _ref("CompatResult")],
                      "description": "One page for an image, `pages` for a PDF, or the compat shape."},
        "ExtractAnswer": {"type": "object", "additionalProperties": False,
                          "required": ["success", "total_time", "documents"],
                          "properties": {"success": {"const": True}, "total_time": number,
                                         "documents": {"type": "array", "items": _ref("Document")}}},
        "CompatExtractResult": {"type": "object", "additionalProperties": False, "required": ["code", "msg", "data"],
                                "properties": {"code": {"const": 0}, "msg": {"type": "string"},
                                               "data": {"type": "array", "items": _ref("Document")}}},
        "Document": {"type": "object", "additionalProperties": False,
                     "required": ["page", "orientation", "index", "region", "type", "fields", "items", "checks",
                                  "valid"],
                     "properties": {
                         "page": {"type": "integer", "minimum": 1}, "orientation": angle,
                         "index": {"type": "integer", "minimum": 0,
                                   "description": "The document's place among its page's documents, in reading order."},
                         "region": {"type": "array", "items": point,
                                    "description": "The document's polygon in page pixels, clockwise from its "
                                                   "top-left (today the whole page)."},
                         "type": {"enum": [*DOCUMENT_TYPE_NAMES, "unknown"]},
                         "fields": {"type": "object", "additionalProperties": _ref("Field"),
                                    "description": "By key (docs: README); a field not on the document is absent."},
                         "items": {"type": "array", "items": {
                             "type": "object", "additionalProperties": False,
                             "properties": {key: {"type": "string"} for key in ITEM_KEYS}}},
                         "checks": {"type": "array", "items": {
                             "type": "object", "required": ["name", "ok", "message"], "additionalProperties": False,
                             "properties": {"name": {"type": "string"}, "ok": {"type": "boolean"},
                                            "message": {"type": "string"}}}},
                         "valid": {"type": "boolean", "description": "Every check passed."},
                         "image": page_image}},
        "Field": {"type": "object", "additionalProperties": False, "required": ["value", "confidence", "bbox", "source"],
                  "properties": {"value": {"type": ["string", "boolean"]},
                                 "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                                 "bbox": {"type": "array", "items": number,
                                          "description": "[x0, y0, x1, y1]; empty for a value only the QR code gave"},
                                 "source": {"enum": ["ocr", "text_layer", "qr"]},
                                 "corrected_from": {"type": "string",
                                                    "description": "what OCR read before a checksum-guided re-reading"}}},
        "Error": {"type": "object", "additionalProperties": False, "required": ["success", "error"],
                  "properties": {"success": {"const": False},
                                 "error": {"type": "object", "required": ["code", "message"], "additionalProperties": False,
                                           "properties": {"code": {"enum": [e.code for e in ErrorCode]},
                                                          "message": {"type": "string"}}}}},
        "CompatError": {"type": "object", "additionalProperties": False, "required": ["code", "msg", "data"],
                        "properties": {"code": {"type": "integer", "minimum": 400}, "msg": {"type": "string"},
                                       "data": {"type": "null"}}},
        "Health": {"type": "object", "additionalProperties": False, "required": ["status", "model_set", "stages"],
                   "properties": {"status": {"enum": ["ok", "unavailable"]},
                                  "model_set": {"type": "string", "description": "The model set this app serves."},
                                  "stages": {"type": "object", "additionalProperties": {"type": "string"}}}},
        "OpenApi": {"type": "object", "description": "OpenAPI 3.1"},
    }


def openapi_spec(languages: tuple[str, ...], config: AppConfig) -> dict[str, Any]:
    limits, pdf = config.limits, config.pipeline.pdf
    return {
        "openapi": "3.1.0",
        "info": {"title": "OCR service", "version": "0.2.0", "description": (
            "Text lines with boxes and confidences from photos, scans and PDFs of Chinese and English documents. "
            f"Limits of this deployment: bodies up to {limits.max_body_bytes} bytes, "
            f"{config.pipeline.decode.max_pixels} pixels per page, PDFs up to {pdf.max_pages} pages "
            f"rendered at {pdf.dpi:g} DPI, {limits.request_timeout_s:g} s per request. "
            "Unknown paths answer 404 and known paths with another method 405, both with the Error shape.")},
        "paths": _paths(languages),
        "components": {"schemas": _components()},
    }
