"""Ingress deployment: the HTTP API. It parses and validates requests, calls the stages through
their deployment handles and shapes the JSON; all image work happens in the stages."""
from __future__ import annotations

import asyncio
import logging
import time

from ray import serve
from ray.serve.exceptions import BackPressureError
from ray.serve.handle import DeploymentHandle
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.registry import load_registry
from ocr_ops.errors import OcrInputError
from ocr_ops.lines import recognition_job
from ocr_ops.options import OcrOptions
from ocr_ops.pipeline import PageResult
from serve_app.config import AppConfig
from serve_app.errors import ApiError, error_response, from_input_error
from serve_app.schemas import ocr_response, parse_ocr_form

logger = logging.getLogger("ray.serve")
HEALTH_TIMEOUT_S = 2.0


@serve.deployment
class Ingress:
    """The HTTP API, and the Python API for other Ray apps:

        handle = serve.get_app_handle("ocr")
        result = await handle.ocr.remote(image_bytes, OcrOptions(det=True))  # -> PageResult
    """

    def __init__(self, preprocess: DeploymentHandle, detector: DeploymentHandle,
                 recognizer: DeploymentHandle, config: AppConfig):
        self.preprocess, self.detector, self.recognizer = preprocess, detector, recognizer
        self.limits = config.limits
        self.languages = load_registry().model_set(config.model_set).recognition.languages
        self.routes = {("POST", "/ocr"): self.post_ocr, ("GET", "/healthz"): self.healthz}

    async def __call__(self, request: Request) -> Response:
        # Routes are relative to the app's route_prefix (Serve puts it in root_path), so the app
        # also works mounted under a prefix beside other apps.
        route = request.url.path.removeprefix(request.scope.get("root_path", "")) or "/"
        handler = self.routes.get((request.method, route))
        try:
            if handler is None:
                if any(path == route for _, path in self.routes):
                    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {route}")
                raise ApiError(404, "not_found", f"no endpoint at {route}; see README for the API")
            return await handler(request)
        except ApiError as error:
            return error_response(error)
        except OcrInputError as error:
            return error_response(from_input_error(error))
        except BackPressureError:
            return error_response(ApiError(503, "overloaded", "the service is at capacity; retry shortly",
                                           {"Retry-After": str(self.limits.retry_after_s)}))
        except Exception:  # a bug or a dead stage, never the client's input
            logger.exception("internal error on %s %s", request.method, request.url.path)
            return error_response(ApiError(500, "internal_error", "the service failed on this request"))

    async def ocr(self, image: bytes, options: OcrOptions = OcrOptions()) -> PageResult:
        """OCR one image through the stages; input errors raise `OcrInputError` subclasses."""
        t0 = time.perf_counter()
        page, steps = await self.preprocess.prepare.remote(image, options)
        t1 = time.perf_counter()
        quads = await self.detector.detect.remote(page.detection_input) if options.det else None
        t2 = time.perf_counter()
        lines = await self.recognizer.recognize.remote(recognition_job(page, quads, options.cls))
        t3 = time.perf_counter()
        return PageResult(lines=lines, width=page.original_width, height=page.original_height,
                          enhancements=steps,
                          timings={"preprocess": t1 - t0, "detect": t2 - t1, "recognize": t3 - t2})

    async def post_ocr(self, request: Request) -> Response:
        started = time.perf_counter()
        parsed = await parse_ocr_form(await self._read_form(request), self.languages)
        try:
            result = await asyncio.wait_for(self.ocr(parsed.image, parsed.options), self.limits.request_timeout_s)
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"OCR took longer than {self.limits.request_timeout_s} s") from None
        return JSONResponse(ocr_response(result, time.perf_counter() - started, parsed.response))

    async def _read_form(self, request: Request):
        """Read the body up to the configured limit, then parse it as multipart form data."""
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            raise ApiError(415, "unsupported_media_type",
                           f"send multipart/form-data with an 'image' file field, not {content_type or 'no content type'!r}")
        limit = self.limits.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "body_too_large", f"the body is {declared} bytes; the limit is {limit}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, "body_too_large", f"the body is over the limit of {limit} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)

        async def replay() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            return await Request(request.scope, replay).form(max_files=1, max_fields=16)
        except (MultiPartException, HTTPException) as exc:
            raise ApiError(400, "malformed_form", f"the multipart body cannot be parsed: {getattr(exc, 'detail', exc)}") from None

    async def healthz(self, request: Request) -> Response:
        async def ping(handle: DeploymentHandle) -> str:
            try:
                await asyncio.wait_for(_awaited(handle.ready.remote()), HEALTH_TIMEOUT_S)
                return "ok"
            except Exception as exc:
                return f"unavailable ({type(exc).__name__})"

        names = ("preprocess", "detector", "recognizer")
        states = await asyncio.gather(*(ping(getattr(self, n)) for n in names))
        healthy = all(s == "ok" for s in states)
        return JSONResponse({"status": "ok" if healthy else "unavailable", "stages": dict(zip(names, states))},
                            status_code=200 if healthy else 503)


async def _awaited(response):
    return await response
