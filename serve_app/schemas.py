"""The HTTP API's request fields and response bodies (one place, so the README table and the
code cannot drift apart)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile

from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import AUTO, NONE, OcrOptions
from ocr_ops.pipeline import PageResult
from ocr_ops.types import TextLine

FORM_FIELDS = ("image", "det", "cls", "return_confidence", "enhance", "resize_height", "lang", "format")
FORMATS = ("default", "compat")
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


@dataclass(frozen=True)
class ResponseOptions:
    return_confidence: bool = True
    format: str = "default"
    lang: str = "zh"


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


async def parse_ocr_form(form: FormData, languages: tuple[str, ...]) -> OcrRequest:
    unknown = sorted(set(form.keys()) - set(FORM_FIELDS))
    if unknown:
        raise InvalidOptionError(f"unknown field(s) {unknown}; the fields are {list(FORM_FIELDS)}")
    images = form.getlist("image")
    if len(images) != 1 or not isinstance(images[0], UploadFile):
        raise InvalidOptionError("image: exactly one file field named 'image' is required")
    lang = _single(form, "lang") or "zh"
    if lang not in languages:
        raise InvalidOptionError(f"lang: {lang!r} is not served by this model set; use one of {list(languages)}")
    fmt = _single(form, "format") or "default"
    if fmt not in FORMATS:
        raise InvalidOptionError(f"format: use one of {list(FORMATS)}, not {fmt!r}")
    options = OcrOptions(det=_bool(form, "det", True), cls=_bool(form, "cls", True),
                         enhance=_enhance(form), resize_height=_resize_height(form))
    response = ResponseOptions(return_confidence=_bool(form, "return_confidence", True), format=fmt, lang=lang)
    return OcrRequest(image=await images[0].read(), options=options, response=response)


def line_json(line: TextLine, with_confidence: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"text": line.text}
    if with_confidence:
        out["confidence"] = line.confidence
    out["bbox"] = [round(v, 1) for v in line.bbox]
    out["polygon"] = line.polygon
    return out


def ocr_response(result: PageResult, total: float, opts: ResponseOptions) -> dict[str, Any]:
    if opts.format == "compat":
        data = [{"text": line.text, **({"confidence": line.confidence} if opts.return_confidence else {})}
                for line in result.lines]
        return {"code": 0, "msg": "success", "data": data}
    return {"success": True,
            "results": [line_json(line, opts.return_confidence) for line in result.lines],
            "total_time": round(total, 4),
            "timings": {k: round(v, 4) for k, v in result.timings.items()},
            "image": {"width": result.width, "height": result.height},
            "enhance": list(result.enhancements)}
