"""Ingress deployment: the HTTP API and the handle API. It routes by the contract, admits,
parses and validates requests, hands the upload to the stages and shapes their typed results as
JSON. No image work happens here: page pixels never pass through this replica."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

import numpy as np
from ray import serve
from ray.exceptions import NodeDiedError, ObjectLostError, RayActorError, WorkerCrashedError
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError
from ray.serve.handle import DeploymentHandle, DeploymentResponse
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.registry import load_registry
from ocr_ops.errors import InvalidOptionError, OcrInputError
from ocr_ops.options import AUTO, OcrOptions
from ocr_ops.types import DocumentResult, PageResult
from serve_app.api.contract import ROUTES, ErrorCode, Route
from serve_app.api.errors import ApiError, error_body, from_input_error
from serve_app.api.openapi import openapi_spec
from serve_app.api.requests import OcrRequest, RequestRules, parse_form, parse_json
from serve_app.api.responses import extract_body, ocr_body
from serve_app.config import AppConfig
from serve_app.web import static_files

logger = logging.getLogger("ray.serve")
HEALTH_TIMEOUT_S = 2.0
# A stage's replica, worker or node died while it held the request. Serve replaces it, so the
# same request succeeds when retried: the client gets a 503 with Retry-After, not a 500.
STAGE_LOST = (RayActorError, WorkerCrashedError, NodeDiedError, ObjectLostError, DeploymentUnavailableError)
Handler = Callable[[Request, Route], Awaitable[Response]]


@serve.deployment
class Ingress:
    """The HTTP API, and the Python API for other Ray apps:

        handle = serve.get_app_handle("ocr")
        page = await handle.ocr.remote(image_bytes_or_bgr_array, OcrOptions(det=True))  # -> PageResult
        document = await handle.read.remote(pdf_or_image_bytes, OcrOptions())          # -> DocumentResult
        fields = await handle.extract.remote(pdf_or_image_bytes)   # -> DocumentResult, pages[i].document
    """

    def __init__(self, preprocess: DeploymentHandle, detector: DeploymentHandle,
                 recognizer: DeploymentHandle, config: AppConfig):
        self.preprocess, self.detector, self.recognizer = preprocess, detector, recognizer
        self.limits = config.limits
        self.in_flight = 0  # OCR requests admitted and not yet answered (admission control)
        models = load_registry().model_set(config.model_set)
        self.model_set, self.languages = models.name, models.recognition.languages
        self.spec = openapi_spec(self.languages, config)
        self.files = static_files()
        self.routes: dict[tuple[str, str], Route] = {(r.method, r.path): r for r in ROUTES if "{" not in r.path}
        self.routes.update({("GET", path): next(r for r in ROUTES if r.path == "/static/{file}")
                            for path in self.files if path.startswith("/static/")})

    async def __call__(self, request: Request) -> Response:
        path = _path(request)
        route = self.routes.get((request.method, path))
        known = [r for (_, p), r in self.routes.items() if p == path]
        dialect = (route or (known[0] if known else ROUTES[0])).dialect
        try:
            if route is None:
                if known:
                    raise ApiError(ErrorCode.METHOD_NOT_ALLOWED, f"{request.method} is not allowed on {path}")
                raise ApiError(ErrorCode.NOT_FOUND, f"no endpoint at {path}; see /openapi.json for the API")
            handler: Handler = getattr(self, route.handler)
            return await handler(request, route)
        except Exception as exc:  # every failure leaves as the contract's error shape
            error = self._api_error(exc, request)
            return JSONResponse(error_body(error, dialect), status_code=error.status, headers=error.headers)

    def _api_error(self, exc: Exception, request: Request) -> ApiError:
        if isinstance(exc, ApiError):
            return exc
        if isinstance(exc, OcrInputError):
            return from_input_error(exc)
        if isinstance(exc, BackPressureError):
            return self._overloaded()
        if isinstance(exc, STAGE_LOST):
            logger.warning("a stage was lost on %s %s: %r", request.method, request.url.path, exc)
            return ApiError(ErrorCode.STAGE_UNAVAILABLE, "a processing stage was lost and is being replaced; retry",
                            self.limits.retry_after_s)
        # A bug or a dead stage, never the client's input.
        logger.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return ApiError(ErrorCode.INTERNAL_ERROR, "the service failed on this request")

    # ---- the handle API -------------------------------------------------------------------

    async def ocr(self, image: bytes | np.ndarray, options: OcrOptions = OcrOptions()) -> PageResult:
        """OCR one image (file bytes, or an H x W x 3 BGR / H x W gray uint8 array); input errors
        raise `OcrInputError` subclasses. PDFs go through `read`."""
        document = await self.read(image, options)
        if document.is_pdf:
            raise InvalidOptionError("ocr() reads one image; call read() for a PDF's pages")
        return document.pages[0]

    async def read(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions(),
                   page_images: bool = False) -> DocumentResult:
        """OCR an image or every page of a PDF."""
        return _as_document(await self._submit(data, options, page_images))

    def _submit(self, data: bytes | np.ndarray, options: OcrOptions, page_images: bool = False) -> DeploymentResponse:
        """The stage call for an upload: a single line (det=false) goes straight to the Recognizer."""
        if not options.det:
            return self.recognizer.read_line.remote(data, options)
        return self.preprocess.read.remote(data, options, page_images)

    async def extract(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions(document_type=AUTO)
                      ) -> DocumentResult:
        """Document fields, page by page: each page's `document` is an
        `ocr_ops.extract.ExtractedDocument` (type, fields, items, checks, valid)."""
        if options.document_type is None:
            raise InvalidOptionError("extract() needs options.document_type ('auto' or a type)")
        return await self.preprocess.read.remote(data, options)

    # ---- HTTP routes ----------------------------------------------------------------------

    async def post_ocr(self, request: Request, route: Route) -> Response:
        parsed, document, seconds = await self._read_upload(request, route)
        return JSONResponse(ocr_body(document, seconds, parsed.response))

    async def post_extract(self, request: Request, route: Route) -> Response:
        _, document, seconds = await self._read_upload(request, route)
        return JSONResponse(extract_body(document, seconds))

    async def _read_upload(self, request: Request, route: Route) -> tuple[OcrRequest, DocumentResult, float]:
        """Admit, parse by the route's fields and read the upload through the stages, in time."""
        # Shed before reading the body: under overload a fast 503 beats an unbounded queue.
        if self.in_flight >= self.limits.max_in_flight:
            raise self._overloaded()
        self.in_flight += 1
        try:
            started = time.perf_counter()
            parsed = await self._parse_request(request, RequestRules(route.fields, self.languages, route.defaults))
            response = self._submit(parsed.image, parsed.options, parsed.response.page_images)
            try:
                result = await asyncio.wait_for(_awaited(response), self.limits.request_timeout_s)
            except asyncio.TimeoutError:
                # Serve does not cancel a call whose awaiting task was cancelled: say so, so the
                # stages drop the request (and the calls it made) instead of finishing it for no one.
                response.cancel()
                raise ApiError(ErrorCode.TIMEOUT, f"the request took longer than {self.limits.request_timeout_s} s",
                               self.limits.retry_after_s) from None
            return parsed, _as_document(result), time.perf_counter() - started
        finally:
            self.in_flight -= 1

    def _overloaded(self) -> ApiError:
        return ApiError(ErrorCode.OVERLOADED, "the service is at capacity; retry after the given seconds",
                        self.limits.retry_after_s)

    async def _parse_request(self, request: Request, rules: RequestRules) -> OcrRequest:
        """Read the body up to the configured limit, then parse it as a multipart form or JSON."""
        content_type = request.headers.get("content-type", "")
        media_type = content_type.partition(";")[0].strip().lower()
        if media_type not in ("multipart/form-data", "application/json"):
            raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                           "send multipart/form-data with an 'image' file field, or application/json with a "
                           f"base64 'image', not {content_type or 'no content type'!r}")
        body = await self._read_body(request)
        if media_type == "application/json":
            return parse_json(body, rules)

        async def replay() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=16)
        except (MultiPartException, HTTPException) as exc:
            raise ApiError(ErrorCode.MALFORMED_FORM,
                           f"the multipart body cannot be parsed: {getattr(exc, 'detail', exc)}") from None
        return await parse_form(form, rules)

    async def _read_body(self, request: Request) -> bytes:
        limit = self.limits.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(ErrorCode.BODY_TOO_LARGE, f"the body is {declared} bytes; the limit is {limit}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(ErrorCode.BODY_TOO_LARGE, f"the body is over the limit of {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def openapi(self, request: Request, route: Route) -> Response:
        return JSONResponse(self.spec)

    async def static(self, request: Request, route: Route) -> Response:
        return await self.files[_path(request)].respond(request)

    async def healthz(self, request: Request, route: Route) -> Response:
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


def _as_document(result: PageResult | DocumentResult) -> DocumentResult:
    return result if isinstance(result, DocumentResult) else DocumentResult(pages=[result], is_pdf=False)


def _path(request: Request) -> str:
    """Serve keeps an app's route prefix in the path (and in root_path): route on what follows it."""
    return request.scope["path"][len(request.scope.get("root_path", "")):] or "/"


async def _awaited(response):
    return await response
