"""Ingress deployment: the HTTP API. It parses and validates requests, calls the stages through
their deployment handles and shapes the JSON; all image work happens in the stages."""
from __future__ import annotations

import asyncio
import logging
import time

import numpy as np
from ray import serve
from ray.exceptions import NodeDiedError, ObjectLostError, RayActorError, WorkerCrashedError
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError
from ray.serve.handle import DeploymentHandle
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.registry import load_registry
from ocr_ops.errors import OcrInputError
from ocr_ops.lines import recognition_job
from ocr_ops.options import OcrOptions
from ocr_ops.pdf import is_pdf, render_pdf
from ocr_ops.pipeline import PageResult
from serve_app.config import AppConfig
from serve_app.errors import ApiError, error_response, from_input_error
from serve_app.openapi import openapi_spec
from serve_app.schemas import OcrRequest, ocr_response, parse_ocr_form, parse_ocr_json, pdf_response
from serve_app.web import static_files

logger = logging.getLogger("ray.serve")
HEALTH_TIMEOUT_S = 2.0
COMPAT_PATH = "/compat/ocr"
# A stage's replica, worker or node died while it held the request. Serve replaces it, so the
# same request succeeds when retried: the client gets a 503 with Retry-After, not a 500.
STAGE_LOST = (RayActorError, WorkerCrashedError, NodeDiedError, ObjectLostError, DeploymentUnavailableError)


@serve.deployment
class Ingress:
    """The HTTP API, and the Python API for other Ray apps:

        handle = serve.get_app_handle("ocr")
        result = await handle.ocr.remote(image_bytes_or_bgr_array, OcrOptions(det=True))  # -> PageResult
    """

    def __init__(self, preprocess: DeploymentHandle, detector: DeploymentHandle,
                 recognizer: DeploymentHandle, config: AppConfig):
        self.preprocess, self.detector, self.recognizer = preprocess, detector, recognizer
        self.limits = config.limits
        self.in_flight = 0  # OCR requests admitted and not yet answered (admission control)
        self.pdf, self.max_pixels = config.pipeline.pdf, config.pipeline.decode.max_pixels
        models = load_registry().model_set(config.model_set)
        self.model_set, self.languages = models.name, models.recognition.languages
        self.spec = openapi_spec(self.languages, config)
        self.routes = {("POST", "/ocr"): self.post_ocr, ("POST", COMPAT_PATH): self.post_compat_ocr,
                       ("GET", "/healthz"): self.healthz,
                       ("GET", "/openapi.json"): self.openapi,
                       **{("GET", path): file.respond for path, file in static_files().items()}}

    async def __call__(self, request: Request) -> Response:
        # Serve keeps an app's route prefix in the path (and in root_path): route on what follows it.
        path = request.scope["path"][len(request.scope.get("root_path", "")):] or "/"
        handler = self.routes.get((request.method, path))
        dialect = "compat" if path == COMPAT_PATH else "default"
        try:
            if handler is None:
                if any(known == path for _, known in self.routes):
                    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {path}")
                raise ApiError(404, "not_found", f"no endpoint at {path}; see /openapi.json for the API")
            return await handler(request)
        except ApiError as error:
            return error_response(error, dialect)
        except OcrInputError as error:
            return error_response(from_input_error(error), dialect)
        except BackPressureError:
            return error_response(self._overloaded(), dialect)
        except STAGE_LOST as error:
            logger.warning("a stage was lost on %s %s: %r", request.method, request.url.path, error)
            return error_response(ApiError(503, "stage_unavailable",
                                           "a processing stage was lost and is being replaced; retry",
                                           self._retry_after()), dialect)
        except Exception:  # a bug or a dead stage, never the client's input
            logger.exception("internal error on %s %s", request.method, request.url.path)
            return error_response(ApiError(500, "internal_error", "the service failed on this request"), dialect)

    async def ocr(self, image: bytes | np.ndarray, options: OcrOptions = OcrOptions()) -> PageResult:
        """OCR one image (file bytes, or an H x W x 3 BGR uint8 array) through the stages; input
        errors raise `OcrInputError` subclasses."""
        if not options.det:
            return await self.recognizer.read_line.remote(image, options)
        t0 = time.perf_counter()
        page, steps = await self.preprocess.prepare.remote(image, options)
        t1 = time.perf_counter()
        quads = await self.detector.detect.remote(page.detection_input)
        t2 = time.perf_counter()
        lines = await self.recognizer.recognize.remote(recognition_job(page, quads, options.cls))
        t3 = time.perf_counter()
        return PageResult(lines=lines, width=page.original_width, height=page.original_height,
                          enhancements=steps,
                          timings={"preprocess": t1 - t0, "detect": t2 - t1, "recognize": t3 - t2})

    async def post_ocr(self, request: Request, default_format: str = "default") -> Response:
        # Shed before reading the body: under overload a fast 503 beats an unbounded queue.
        if self.in_flight >= self.limits.max_in_flight:
            raise self._overloaded()
        self.in_flight += 1
        try:
            started = time.perf_counter()
            parsed = await self._parse_request(request, default_format)
            try:
                body = await asyncio.wait_for(self._answer(parsed, started), self.limits.request_timeout_s)
            except asyncio.TimeoutError:
                raise ApiError(504, "timeout", f"OCR took longer than {self.limits.request_timeout_s} s",
                               self._retry_after()) from None
            return JSONResponse(body)
        finally:
            self.in_flight -= 1

    async def post_compat_ocr(self, request: Request) -> Response:
        """`/ocr` for clients written for the `{code, msg, data}` dialect: the same inputs, that
        shape by default, and errors in that shape too."""
        return await self.post_ocr(request, default_format="compat")

    def _retry_after(self) -> dict[str, str]:
        return {"Retry-After": str(self.limits.retry_after_s)}

    def _overloaded(self) -> ApiError:
        return ApiError(503, "overloaded", "the service is at capacity; retry after the given seconds",
                        self._retry_after())

    async def _answer(self, parsed: OcrRequest, started: float) -> dict:
        """An image goes through the stages once; a PDF once per page, all pages at once, so its
        pages share the stages' batches with each other and with other requests."""
        if not is_pdf(parsed.image):
            result = await self.ocr(parsed.image, parsed.options)
            return ocr_response(result, time.perf_counter() - started, parsed.response)
        # PDFium blocks: render in a worker thread so the ingress keeps answering meanwhile.
        pages = await asyncio.to_thread(render_pdf, parsed.image, self.pdf, self.max_pixels)
        results = await asyncio.gather(*(self.ocr(page.pixels, parsed.options) for page in pages))
        return pdf_response(list(zip(pages, results)), time.perf_counter() - started, parsed.response)

    async def _parse_request(self, request: Request, default_format: str) -> OcrRequest:
        """Read the body up to the configured limit, then parse it as a multipart form or JSON."""
        content_type = request.headers.get("content-type", "")
        media_type = content_type.partition(";")[0].strip().lower()
        if media_type not in ("multipart/form-data", "application/json"):
            raise ApiError(415, "unsupported_media_type",
                           "send multipart/form-data with an 'image' file field, or application/json with a "
                           f"base64 'image', not {content_type or 'no content type'!r}")
        body = await self._read_body(request)
        if media_type == "application/json":
            return parse_ocr_json(body, self.languages, default_format)

        async def replay() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=16)
        except (MultiPartException, HTTPException) as exc:
            raise ApiError(400, "malformed_form", f"the multipart body cannot be parsed: {getattr(exc, 'detail', exc)}") from None
        return await parse_ocr_form(form, self.languages, default_format)

    async def _read_body(self, request: Request) -> bytes:
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
        return b"".join(chunks)

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(self.spec)

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
        return JSONResponse({"status": "ok" if healthy else "unavailable", "model_set": self.model_set,
                             "stages": dict(zip(names, states))},
                            status_code=200 if healthy else 503)


async def _awaited(response):
    return await response
