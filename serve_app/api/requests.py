"""Request bodies -> typed requests, by the contract's field table. Multipart forms and JSON
bodies go through the same field rules, so both inputs accept and refuse the same things."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile

from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import AUTO, NONE, OcrOptions
from serve_app.api.body import decode_json
from serve_app.api.contract import FieldSpec, ResponseOptions

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


@dataclass(frozen=True)
class OcrRequest:
    image: bytes
    options: OcrOptions
    response: ResponseOptions


@dataclass(frozen=True)
class RequestRules:
    """What one route on one deployment accepts: its fields, its `format` default and the
    languages of the model set it serves."""

    fields: tuple[FieldSpec, ...]
    languages: tuple[str, ...]
    defaults: tuple[tuple[str, Any], ...] = ()  # the route's own defaults, by field name
    max_json_depth: int = 32

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


async def parse_form(form: FormData, rules: RequestRules) -> OcrRequest:
    _check_field_names(form, rules)
    images = form.getlist("image")
    if len(images) != 1 or not isinstance(images[0], UploadFile):
        raise InvalidOptionError("image: exactly one file field named 'image' is required")
    return parse_fields(form, await images[0].read(), rules)


def parse_json(body: bytes, rules: RequestRules) -> OcrRequest:
    """`{"image": base64 (or a data: URL), ...the form's fields with JSON values}`."""
    document = decode_json(body, rules.max_json_depth)  # nesting is bounded before json.loads recurses
    if not isinstance(document, dict):
        raise InvalidOptionError(f"the JSON body must be an object, not {type(document).__name__}")
    fields = FormData([(name, _json_field_text(name, item)) for name, value in document.items()
                       if name != "image" and value is not None
                       for item in (value if isinstance(value, list) else [value])])
    _check_field_names(fields, rules)
    return parse_fields(fields, _base64_image(document.get("image")), rules)


def parse_fields(form: FormData, image: bytes, rules: RequestRules) -> OcrRequest:
    """The non-image fields, each parsed by its schema; absent fields keep their type's default."""
    values: dict[str, dict[str, Any]] = {"options": {}, "response": {}}
    route_defaults = dict(rules.defaults)
    for field in rules.fields:
        if field.target == "image":
            continue
        value = _enhance(form) if field.name == "enhance" else _scalar(form, field)
        if value is None:
            value = route_defaults.get(field.name)
        if value is not None:
            values[field.target][field.key] = value
    lang = values["response"].get("lang", ResponseOptions.lang)
    if lang not in rules.languages:
        raise InvalidOptionError(f"lang: {lang!r} is not served by this model set; use one of {list(rules.languages)}")
    return OcrRequest(image=image, options=OcrOptions(**values["options"]),
                      response=ResponseOptions(**values["response"]))


def _check_field_names(fields: FormData, rules: RequestRules) -> None:
    unknown = sorted(set(fields.keys()) - set(rules.names))
    if unknown:
        raise InvalidOptionError(f"unknown field(s) {unknown}; the fields are {list(rules.names)}")


def _single(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidOptionError(f"{name}: give it once, not {len(values)} times")
    if not isinstance(values[0], str):
        raise InvalidOptionError(f"{name}: expected a plain value, got a file")
    return values[0].strip() or None


def _scalar(form: FormData, field: FieldSpec) -> bool | int | str | None:
    raw = _single(form, field.name)
    if raw is None:
        return None
    kind = field.schema.get("type")
    if kind == "boolean":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise InvalidOptionError(f"{field.name}: expected true or false, got {raw!r}")
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            raise InvalidOptionError(f"{field.name}: expected an integer, got {raw!r}") from None
    allowed = field.schema.get("enum")
    if allowed is not None and raw not in allowed:
        raise InvalidOptionError(f"{field.name}: use one of {list(allowed)}, not {raw!r}")
    return raw


def _enhance(form: FormData) -> str | tuple[str, ...] | None:
    values = form.getlist("enhance")
    if any(not isinstance(v, str) for v in values):
        raise InvalidOptionError("enhance: expected step names, got a file")
    steps = [s.strip() for v in values for s in v.split(",") if s.strip()]
    if not steps:
        return None
    if steps in ([AUTO], [NONE]):
        return steps[0]
    if AUTO in steps or NONE in steps:
        raise InvalidOptionError("enhance: 'auto' and 'none' cannot be combined with named steps")
    return tuple(steps)


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
