"""The HTTP API's request fields and response bodies (one place, so the README table and the
code cannot drift apart). Multipart forms and JSON bodies are parsed by the same field rules."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from starlette.datastructures import FormData, UploadFile

from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import AUTO, NONE, OcrOptions
from ocr_ops.pdf import RenderedPage
from ocr_ops.pipeline import PageResult
from ocr_ops.types import TextLine
from serve_app.errors import ApiError

FORM_FIELDS = ("image", "det", "cls", "return_confidence", "enhance", "resize_height", "lang", "format",
               "page_images")
FORMATS = ("default", "compat")
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


@dataclass(frozen=True)
class ResponseOptions:
    return_confidence: bool = True
    format: str = "default"
    lang: str = "zh"
    page_images: bool = False  # PDFs: also return each rendered page, so clients can draw the boxes


@dataclass(frozen=True)
class OcrRequest:
    image: bytes
    options: OcrOptions
    response: ResponseOptions


def _single(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidOptionError(f"{name}: give it once, not {len(values)} times")
    if not isinstance(values[0], str):
        raise InvalidOptionError(f"{name}: expected a plain value, got a file")
    return values[0].strip()


def _bool(form: FormData, name: str, default: bool) -> bool:
    raw = _single(form, name)
    if raw is None or raw == "":
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise InvalidOptionError(f"{name}: expected true or false, got {raw!r}")


def _enhance(form: FormData) -> str | tuple[str, ...]:
    values = form.getlist("enhance")
    if any(not isinstance(v, str) for v in values):
        raise InvalidOptionError("enhance: expected step names, got a file")
    steps = [s.strip() for v in values for s in v.split(",") if s.strip()]
    if not steps:
        return AUTO
    if steps in ([AUTO], [NONE]):
        return steps[0]
    if AUTO in steps or NONE in steps:
        raise InvalidOptionError("enhance: 'auto' and 'none' cannot be combined with named steps")
    return tuple(steps)


def _resize_height(form: FormData) -> int | None:
    raw = _single(form, "resize_height")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidOptionError(f"resize_height: expected an integer number of pixels, got {raw!r}") from None


async def parse_ocr_form(form: FormData, languages: tuple[str, ...], default_format: str = "default") -> OcrRequest:
    _check_field_names(form)
    images = form.getlist("image")
    if len(images) != 1 or not isinstance(images[0], UploadFile):
        raise InvalidOptionError("image: exactly one file field named 'image' is required")
    return parse_fields(form, await images[0].read(), languages, default_format)


def parse_ocr_json(body: bytes, languages: tuple[str, ...], default_format: str = "default") -> OcrRequest:
    """`{"image": base64 (or a data: URL), ...the form's fields with JSON values}`."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"the body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise InvalidOptionError(f"the JSON body must be an object, not {type(document).__name__}")
    fields = FormData([(name, _json_field_text(name, item)) for name, value in document.items()
                       if name != "image" and value is not None
                       for item in (value if isinstance(value, list) else [value])])
    _check_field_names(fields)
    return parse_fields(fields, _base64_image(document.get("image")), languages, default_format)


def _check_field_names(fields: FormData) -> None:
    unknown = sorted(set(fields.keys()) - set(FORM_FIELDS))
    if unknown:
        raise InvalidOptionError(f"unknown field(s) {unknown}; the fields are {list(FORM_FIELDS)}")


def _json_field_text(name: str, value: Any) -> str:
    """JSON values as the form's text, so one set of rules validates both."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    raise InvalidOptionError(f"{name}: expected a string, number or boolean, got {json.dumps(value)[:40]}")


def _base64_image(value: Any) -> bytes:
    if not isinstance(value, str) or not value:
        raise InvalidOptionError("image: a base64 string (or a data: URL) is required")
    if value.startswith("data:"):
        value = value.partition(",")[2]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidOptionError("image: not valid base64") from None


def parse_fields(form: FormData, image: bytes, languages: tuple[str, ...], default_format: str = "default") -> OcrRequest:
    lang = _single(form, "lang") or "zh"
    if lang not in languages:
        raise InvalidOptionError(f"lang: {lang!r} is not served by this model set; use one of {list(languages)}")
    fmt = _single(form, "format") or default_format
    if fmt not in FORMATS:
        raise InvalidOptionError(f"format: use one of {list(FORMATS)}, not {fmt!r}")
    options = OcrOptions(det=_bool(form, "det", True), cls=_bool(form, "cls", True),
                         enhance=_enhance(form), resize_height=_resize_height(form))
    response = ResponseOptions(return_confidence=_bool(form, "return_confidence", True), format=fmt, lang=lang,
                               page_images=_bool(form, "page_images", False))
    return OcrRequest(image=image, options=options, response=response)


def line_json(line: TextLine, with_confidence: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"text": line.text}
    if with_confidence:
        out["confidence"] = line.confidence
    out["bbox"] = [round(v, 1) for v in line.bbox]
    out["polygon"] = line.polygon
    return out


def compat_response(lines: list[TextLine], opts: ResponseOptions) -> dict[str, Any]:
    data = [{"text": line.text, **({"confidence": line.confidence} if opts.return_confidence else {})}
            for line in lines]
    return {"code": 0, "msg": "success", "data": data}


def ocr_response(result: PageResult, total: float, opts: ResponseOptions) -> dict[str, Any]:
    if opts.format == "compat":
        return compat_response(result.lines, opts)
    return {"success": True,
            "results": [line_json(line, opts.return_confidence) for line in result.lines],
            "total_time": round(total, 4),
            "timings": {k: round(v, 4) for k, v in result.timings.items()},
            "image": {"width": result.width, "height": result.height},
            "enhance": list(result.enhancements)}


def pdf_response(pages: list[tuple[RenderedPage, PageResult]], total: float, opts: ResponseOptions) -> dict[str, Any]:
    """A PDF's results page by page; `compat` lists every page's lines in page order."""
    if opts.format == "compat":
        return compat_response([line for _, result in pages for line in result.lines], opts)
    return {"success": True,
            "pages": [_page_json(page, result, opts) for page, result in pages],
            "total_time": round(total, 4),
            "enhance": list(pages[0][1].enhancements)}


def _page_json(page: RenderedPage, result: PageResult, opts: ResponseOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"page": page.number, "width": result.width, "height": result.height,
                           "dpi": round(page.dpi, 1),
                           "results": [line_json(line, opts.return_confidence) for line in result.lines]}
    if opts.page_images:
        out["image"] = jpeg_data_url(page.pixels)
    return out


def jpeg_data_url(pixels: np.ndarray, quality: int = 80) -> str:
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a rendered page as JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")
