"""The API contract in one table: every route, request field and error code. The ingress
routes and raises from it, the parser validates by it, `/openapi.json` is generated from it, and
a test holds the README's tables to it. A new route, field or error code is one edit here."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ocr_ops.enhance import STEPS
from ocr_ops.options import (AUTO, DOCUMENT_TYPES, MAX_RESIZE_HEIGHT, MIN_RESIZE_HEIGHT, NONE, ORIENTATIONS,
                             PDF_TEXT, OcrOptions)


class ErrorCode(Enum):
    """Every error a client can get: its code, HTTP status, whether it carries Retry-After, and
    when it happens. Input errors from `ocr_ops.errors` map here by their `code`."""

    NOT_AN_IMAGE = ("not_an_image", 400, False, "The bytes are neither an image nor a PDF.")
    CORRUPT_IMAGE = ("corrupt_image", 400, False, "The image is truncated or broken.")
    CORRUPT_PDF = ("corrupt_pdf", 400, False, "The PDF cannot be read or rendered.")
    MALFORMED_FORM = ("malformed_form", 400, False, "The multipart body cannot be parsed.")
    MALFORMED_JSON = ("malformed_json", 400, False,
                      "The JSON body cannot be parsed, or nests deeper than `limits.max_json_depth`.")
    UNAUTHORIZED = ("unauthorized", 401, False,
                    "API keys are configured and the request has no valid `Authorization: Bearer <key>`.")
    NOT_FOUND = ("not_found", 404, False, "No endpoint at this path.")
    METHOD_NOT_ALLOWED = ("method_not_allowed", 405, False, "The path exists, but not with this method.")
    BODY_TIMEOUT = ("body_timeout", 408, False,
                    "The body did not arrive within `limits.body_timeout_s`, or slower than "
                    "`limits.body_min_rate_bytes_s` after the first `limits.body_rate_grace_s`.")
    BODY_TOO_LARGE = ("body_too_large", 413, False,
                      "The body is over `limits.max_body_bytes` (checked while streaming).")
    IMAGE_TOO_LARGE = ("image_too_large", 413, False,
                       "The image header declares more than `pipeline.decode.max_pixels`, "
                       "or `resize_height` would exceed it.")
    TOO_MANY_PAGES = ("too_many_pages", 413, False, "The PDF has more than `pipeline.pdf.max_pages` pages.")
    UNSUPPORTED_MEDIA_TYPE = ("unsupported_media_type", 415, False,
                              "The body is neither multipart/form-data nor application/json.")
    UNSUPPORTED_FORMAT = ("unsupported_format", 415, False,
                          "The file is a recognised but unsupported type (GIF, HEIC, SVG).")
    INVALID_OPTION = ("invalid_option", 422, False,
                      "A bad field value or an unknown field; the message names the field.")
    ENCRYPTED_PDF = ("encrypted_pdf", 422, False, "The PDF is protected by a password.")
    QUOTA_EXCEEDED = ("quota_exceeded", 429, True,
                      "The API key already has `limits.max_in_flight_per_key` requests in progress.")
    INTERNAL_ERROR = ("internal_error", 500, False, "A fault of the service, never of the input.")
    OVERLOADED = ("overloaded", 503, True,
                  "`limits.max_in_flight` requests are already in flight on the ingress replica, or "
                  "`limits.max_uploads_in_flight` uploads are arriving, or a stage's queue is full.")
    STAGE_UNAVAILABLE = ("stage_unavailable", 503, True,
                         "A stage's replica, worker or node died while it held the request; Serve "
                         "replaces it and a retry succeeds.")
    TIMEOUT = ("timeout", 504, True, "The request ran longer than `limits.request_timeout_s`.")

    def __new__(cls, code: str, status: int, retry: bool, description: str):
        member = object.__new__(cls)
        member._value_ = code
        member.status, member.retry, member.description = status, retry, description
        return member

    @property
    def code(self) -> str:
        return self.value


def codes_for_status(status: int) -> list[ErrorCode]:
    return [error for error in ErrorCode if error.status == status]


FORMATS = ("default", "compat")


@dataclass(frozen=True)
class ResponseOptions:
    """The request fields that shape the answer (the pipeline's own are `OcrOptions`)."""

    return_confidence: bool = True
    format: str = "default"
    lang: str = "zh"
    page_images: bool = False  # PDFs: also return each rendered page, so clients can draw the boxes


@dataclass(frozen=True)
class FieldSpec:
    """One request field: its JSON schema, what it means, and the type that holds it and its
    default (`options`: the pipeline's `OcrOptions`; `response`: `ResponseOptions`), under the
    attribute `attribute` (default: the field's name)."""

    name: str
    schema: dict
    description: str
    target: str  # "image", "options" or "response"
    attribute: str = ""

    @property
    def key(self) -> str:
        return self.attribute or self.name

    @property
    def default(self):
        holder = {"options": OcrOptions, "response": ResponseOptions}.get(self.target)
        return None if holder is None else holder.__dataclass_fields__[self.key].default


_BOOLEAN = {"type": "boolean"}
_STEP = {"type": "string", "enum": [AUTO, NONE, *sorted(STEPS)]}

# The fields of POST /ocr and /compat/ocr, in the order the README and OpenAPI list them. `lang`
# takes the languages of the served model set; its enum is filled in per deployment.
OCR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("image", {"type": "string"}, "The file: JPEG, PNG, BMP, TIFF, WebP or PDF, its type sniffed from the "
              "bytes, not the name (multipart: a file field; JSON: base64 or a data: URL). EXIF orientation is "
              "applied; alpha is composited onto white or black, whichever contrasts with the glyphs; 1-bit, "
              "16-bit and grayscale images are accepted.", "image"),
    FieldSpec("det", _BOOLEAN, "false: the image is a single text line, recognised without detection "
              "and returned even at low confidence.", "options"),
    FieldSpec("cls", _BOOLEAN, "Run the 0/180 degree direction classifier on each line and flip lines "
              "it is confident are upside down.", "options"),
    FieldSpec("return_confidence", _BOOLEAN, "false drops `confidence` from each line.", "response"),
    FieldSpec("enhance", {"oneOf": [_STEP, {"type": "string", "description": "comma-separated steps"},
                                    {"type": "array", "items": _STEP}]},
              "`auto`, `none`, or named steps applied in order (comma-separated or repeated): "
              f"{', '.join(sorted(STEPS))}. `auto` applies the steps measured to help these models (today none; "
              "docs/BENCHMARKS.md); `denoise` costs about 1 s per megapixel.", "options"),
    FieldSpec("resize_height", {"type": "integer", "minimum": MIN_RESIZE_HEIGHT, "maximum": MAX_RESIZE_HEIGHT},
              "Before detection, scale each page to exactly this height in pixels, keeping the aspect ratio (to "
              "enlarge small text or shrink huge scans); boxes stay in the uploaded image's pixels. Refused with "
              "det=false (a line is always scaled to the recognizer's input) and when the page would exceed the "
              "pixel limit.", "options"),
    FieldSpec("orientation", {"type": "string", "enum": list(ORIENTATIONS)},
              "`auto`: classify each page's orientation (0/90/180/270) and turn it upright before detection "
              "(boxes stay in the uploaded image's pixels; the answer says the angle undone); `none`: as sent.",
              "options"),
    FieldSpec("pdf_text", {"type": "string", "enum": list(PDF_TEXT)},
              "`auto`: a PDF page with a usable text layer is read from it (exact text, confidence 1.0, "
              "`text_source: text_layer`), other pages are OCR'd; `ocr`: OCR every page.", "options"),
    FieldSpec("lang", {"type": "string"},
              "A language of the served recognizer (`zh`: Chinese + English, or `en`); anything else is a 422.",
              "response"),
    FieldSpec("format", {"type": "string", "enum": list(FORMATS)},
              "`default`, or `compat`: `{code: 0, msg: 'success', data: [{text, confidence}]}`.", "response"),
    FieldSpec("page_images", _BOOLEAN, "PDFs only: each page (on /extract: each document) also carries "
              "`image`, a JPEG data URL of the rendered page (the web page draws the boxes on it).", "response"),
)
FIELD_NAMES = tuple(field.name for field in OCR_FIELDS)
EXTRACT_FIELDS: tuple[FieldSpec, ...] = (
    *(field for field in OCR_FIELDS if field.name in ("image", "orientation", "pdf_text", "enhance", "resize_height",
                                                  "page_images")),
    FieldSpec("type", {"type": "string", "enum": list(DOCUMENT_TYPES)},
              "The document type: `auto` decides per page (a page that is neither gets `type: unknown` and no "
              "fields), or `vat_invoice` / `train_ticket`.", "options", attribute="document_type"),
)


@dataclass(frozen=True)
class Route:
    """One endpoint. `dialect` shapes its errors; `fields` are its request fields (POST only);
    `errors` are the statuses it can answer besides 200; `defaults` are its own field defaults."""

    method: str
    path: str
    handler: str  # the Ingress method that serves it
    summary: str
    description: str = ""
    dialect: str = "default"
    fields: tuple[FieldSpec, ...] = ()
    defaults: tuple[tuple[str, Any], ...] = ()  # (field name, default) where it differs from the type's
    errors: tuple[int, ...] = ()
    response: str = ""  # the components/schemas entry of its JSON 200 answer ...
    media_types: tuple[str, ...] = ()  # ... or the media types of a non-JSON one
    auth: bool = True  # with API keys configured: needs `Authorization: Bearer <key>`


_OCR_ERRORS = (400, 401, 405, 408, 413, 415, 422, 429, 500, 503, 504)
ROUTES: tuple[Route, ...] = (
    Route("POST", "/ocr", "post_ocr", "Recognise the text of one image or PDF",
          fields=OCR_FIELDS, errors=_OCR_ERRORS, response="OcrAnswer"),
    Route("POST", "/compat/ocr", "post_ocr", "/ocr for clients of the {code, msg, data} dialect",
          "The same inputs as /ocr; `format` defaults to `compat`. Errors keep their HTTP status and answer "
          "`{code: <the status>, msg: '<error code>: <message>', data: null}`.",
          dialect="compat", fields=OCR_FIELDS, defaults=(("format", "compat"),), errors=_OCR_ERRORS,
          response="OcrAnswer"),
    Route("POST", "/extract", "post_extract", "Fields of VAT invoices and train tickets, checked",
          "The same inputs as /ocr (an image, or a PDF: one document per page). Each page's text comes from "
          "its PDF text layer or from OCR of the page turned upright; fields are found by their printed labels "
          "and the layout, then checked (tax-ID checksums, code lengths, dates, amounts that add up, "
          "大写 = 小写, items, QR = printed values).",
          fields=EXTRACT_FIELDS, defaults=(("type", "auto"),), errors=_OCR_ERRORS, response="ExtractAnswer"),
    Route("POST", "/compat/extract", "post_extract", "/extract for clients of the {code, msg, data} dialect",
          "The same inputs as /extract; answers `{code: 0, msg: 'success', data: [<document>, ...]}` with the "
          "documents of /extract, and errors as /compat/ocr does.",
          dialect="compat", fields=EXTRACT_FIELDS, defaults=(("type", "auto"),), errors=_OCR_ERRORS,
          response="CompatExtractResult"),
    Route("GET", "/healthz", "healthz", "Whether every stage has a live replica with its models loaded",
          errors=(503,), response="Health", auth=False),
    Route("GET", "/openapi.json", "openapi", "This document", errors=(401,), response="OpenApi"),
    # The web page loads without a key and asks for one when the API answers 401.
    Route("GET", "/", "static", "The web page", media_types=("text/html",), auth=False),
    Route("GET", "/static/{file}", "static", "The web page's script and style sheet", errors=(404,),
          media_types=("text/javascript", "text/css"), auth=False),
)
