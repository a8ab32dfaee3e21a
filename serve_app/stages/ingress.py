"""Ingress deployment: the HTTP API and the handle API. It routes by the contract, checks the API
key, receives the body within its deadlines, admits, parses and validates the request, hands the
upload to the stages and shapes their typed results as JSON; every request gets one access-log
line and its metrics. No image work happens here: page pixels never pass through this replica."""
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
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from models.registry import load_registry
from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import AUTO, OcrOptions
from ocr_ops.types import DocumentResult, PageResult
from serve_app.api.auth import ApiKeys, KeyLimiter
from serve_app.api.body import BodyLimits, read_body
from serve_app.api.contract import ROUTES, ErrorCode, Route
from serve_app.api.errors import ApiError, error_body, from_coded_error
from serve_app.api.openapi import openapi_spec
from serve_app.api.request_log import REQUEST_ID_HEADER, AccessRecord, access_logger, request_id
from serve_app.api.requests import OcrRequest, RequestRules, parse_form, parse_json
from serve_app.api.responses import extract_body, ocr_body
from serve_app.config import AppConfig
from serve_app.metrics import UNMATCHED_ROUTE, keep_reporting, service_metrics
from serve_app.stages.rejection import raise_rejected
from serve_app.web import static_files

logger = logging.getLogger("ray.serve")
HEALTH_TIMEOUT_S = 2.0
# A stage's replica, worker or node died while it held the request. Serve replaces it, so the
# same request succeeds when retried: the client gets a 503 with Retry-After, not a 500.
STAGE_LOST = (RayActorError, WorkerCrashedError, NodeDiedError, ObjectLostError, DeploymentUnavailableError)
Handler = Callable[[Request, Route, AccessRecord], Awaitable[Response]]


@serve.deployment
class Ingress:
    """The HTTP API, and the Python API for other Ray apps:

        handle = serve.get_app_handle("ocr")
        page = await handle.ocr.remote(image_bytes_or_bgr_array, OcrOptions(det=True))  # -> PageResult
        document = await handle.read.remote(pdf_or_image_bytes, OcrOptions())          # -> DocumentResult
        fields = await handle.extract.remote(pdf_or_image_bytes)   # -> DocumentResult, pages[i].documents
    """

    def __init__(self, page_reader: DeploymentHandle, detector: DeploymentHandle,
                 recognizer: DeploymentHandle, config: AppConfig):
        self.page_reader, self.detector, self.recognizer = page_reader, detector, recognizer
        self.limits = config.limits
        self.body_limits = BodyLimits.from_limits(config.limits)
        self.keys = ApiKeys.from_environ()  # off unless OCR_API_KEYS or OCR_API_KEYS_FILE name keys
        self.key_limiter = KeyLimiter(config.limits.max_in_flight_per_key, config.limits.retry_after_s)
        self.in_flight = 0  # requests admitted to the stages and not yet answered (admission control)
        self.uploads = 0  # bodies being received: bounded apart, so slow uploads cannot take OCR slots
        models = load_registry().model_set(config.model_set)
        self.model_set, self.languages = models.name, models.recognition.languages
        self.spec = openapi_spec(self.languages, config)
        self.files = static_files()
        self.routes: dict[tuple[str, str], Route] = {(r.method, r.path): r for r in ROUTES if "{" not in r.path}
        self.routes.update({("GET", path): next(r for r in ROUTES if r.path == "/static/{file}")
                            for path in self.files if path.startswith("/static/")})
        self.metrics = service_metrics()
        # Serve runs the constructor on the replica's event loop; the task lives as long as the replica.
        self.gauge_reporter = asyncio.get_running_loop().create_task(
            keep_reporting(lambda: self.metrics.set_in_flight(self.in_flight)))

    async def __call__(self, request: Request) -> Response:
        path = _path(request)
        route = self.routes.get((request.method, path))
        known = [r for (_, p), r in self.routes.items() if p == path]
        dialect = (route or (known[0] if known else ROUTES[0])).dialect
        rid, refused = request_id(request.headers.get(REQUEST_ID_HEADER))
        record = AccessRecord(rid, request.method, route.path if route else UNMATCHED_ROUTE,
                              client_id_refused=refused)
        try:
            if route is None:
                if known:
                    raise ApiError(ErrorCode.METHOD_NOT_ALLOWED, f"{request.method} is not allowed on {path}")
                raise ApiError(ErrorCode.NOT_FOUND, f"no endpoint at {path}; see /openapi.json for the API")
            if route.auth:
                record.key_id = self.keys.authenticate(request.headers.get("authorization"))
            handler: Handler = getattr(self, route.handler)
            response = await handler(request, route, record)
        except Exception as exc:  # every failure leaves as the contract's error shape
            error = self._api_error(exc, request)
            record.code = error.error.code
            response = JSONResponse(error_body(error, dialect), status_code=error.status, headers=error.headers)
        record.status = response.status_code
        self.metrics.record_request(record.route, record.status, record.code, time.perf_counter() - record.started)
        access_logger().info(record.line())
        return response

    def _api_error(self, exc: Exception, request: Request) -> ApiError:
        if isinstance(exc, ApiError):
            return exc
        coded = from_coded_error(exc, self.limits.retry_after_s)  # input, body, key and quota errors
        if coded is not None:
            return coded
        if isinstance(exc, BackPressureError):
            return self._overloaded()
        if isinstance(exc, ClientDisconnect):
            return ApiError(ErrorCode.BODY_TIMEOUT, "the client closed the connection before the body arrived")
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
        return _as_document(raise_rejected(await self._submit(data, options, page_images)))

    async def extract(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions(document_type=AUTO)
                      ) -> DocumentResult:
        """Document fields, page by page: each page's `documents` is a list of
        `ocr_ops.extracted.ExtractedDocument` (index and region on the page, type, fields, items,
        checks, valid), in reading order; one per page today, the whole page."""
        if options.document_type is None:
            raise InvalidOptionError("extract() needs options.document_type ('auto' or a type)")
        return await self.read(data, options)

    def _submit(self, data: bytes | np.ndarray, options: OcrOptions, page_images: bool = False) -> DeploymentResponse:
        """The stage call for an upload: a single line (det=false) goes straight to the Recognizer."""
        if not options.det:
            return self.recognizer.read_line.remote(data, options)
        return self.page_reader.read.remote(data, options, page_images)

    # ---- HTTP routes ----------------------------------------------------------------------

    async def post_ocr(self, request: Request, route: Route, record: AccessRecord) -> Response:
        parsed, document, seconds = await self._read_upload(request, route, record)
        return JSONResponse(ocr_body(document, seconds, parsed.response))

    async def post_extract(self, request: Request, route: Route, record: AccessRecord) -> Response:
        _, document, seconds = await self._read_upload(request, route, record)
        for page in document.pages:
            for extracted in page.documents:
                self.metrics.record_document(extracted.type)
        return JSONResponse(extract_body(document, seconds, route.dialect))

    async def _read_upload(self, request: Request, route: Route,
                           record: AccessRecord) -> tuple[OcrRequest, DocumentResult, float]:
        """Receive the body within its deadlines, admit, parse by the route's fields and read the
        upload through the stages, in time. Slots for OCR work are taken only once the body is in:
        a stalled upload holds an upload slot (bounded apart), never an OCR one."""
        async with self.key_limiter.slot(record.key_id):  # 429 past the key's own limit
            if self.in_flight >= self.limits.max_in_flight or self.uploads >= self.limits.max_uploads_in_flight:
                raise self._overloaded()  # shed before reading: under overload a fast 503 beats a queue
            media_type = _media_type(request)
            self.uploads += 1
            try:
                body = await read_body(request.receive, self.body_limits, request.headers.get("content-length"))
            finally:
                self.uploads -= 1
            record.bytes_in = len(body)
            if self.in_flight >= self.limits.max_in_flight:
                raise self._overloaded()
            self.in_flight += 1
            self.metrics.set_in_flight(self.in_flight)
            try:
                started = time.perf_counter()
                rules = RequestRules(route.fields, self.languages, route.defaults, self.limits.max_json_depth)
                parsed = await _parse(media_type, body, request, rules)
                response = self._submit(parsed.image, parsed.options, parsed.response.page_images)
                try:
                    result = raise_rejected(await asyncio.wait_for(_awaited(response), self.limits.request_timeout_s))
                except asyncio.TimeoutError:
                    # Serve does not cancel a call whose awaiting task was cancelled: say so, so the
                    # stages drop the request (and the calls it made) instead of finishing it for no one.
                    response.cancel()
                    raise ApiError(ErrorCode.TIMEOUT,
                                   f"the request took longer than {self.limits.request_timeout_s} s",
                                   self.limits.retry_after_s) from None
            finally:
                self.in_flight -= 1
                self.metrics.set_in_flight(self.in_flight)
        document = _as_document(result)
        self._record_pages(document, record)
        return parsed, document, time.perf_counter() - started

    def _record_pages(self, document: DocumentResult, record: AccessRecord) -> None:
        record.pages, record.lines = len(document.pages), sum(len(page.lines) for page in document.pages)
        for page in document.pages:
            self.metrics.record_page(len(page.lines))
            for stage, seconds in page.timings.items():
                record.add_stage(stage, seconds)
                self.metrics.record_stage(stage, seconds)

    def _overloaded(self) -> ApiError:
        return ApiError(ErrorCode.OVERLOADED, "the service is at capacity; retry after the given seconds",
                        self.limits.retry_after_s)

    async def openapi(self, request: Request, route: Route, record: AccessRecord) -> Response:
        return JSONResponse(self.spec)

    async def static(self, request: Request, route: Route, record: AccessRecord) -> Response:
        return await self.files[_path(request)].respond(request)

    async def healthz(self, request: Request, route: Route, record: AccessRecord) -> Response:
        async def ping(handle: DeploymentHandle) -> str:
            try:
                await asyncio.wait_for(_awaited(handle.ready.remote()), HEALTH_TIMEOUT_S)
                return "ok"
            except Exception as exc:
                return f"unavailable ({type(exc).__name__})"

        names = ("page_reader", "detector", "recognizer")
        states = await asyncio.gather(*(ping(getattr(self, n)) for n in names))
        healthy = all(s == "ok" for s in states)
        return JSONResponse({"status": "ok" if healthy else "unavailable", "model_set": self.model_set,
                             "stages": dict(zip(names, states))},
                            status_code=200 if healthy else 503)


def _media_type(request: Request) -> str:
    """The body's media type, refused (415) before any of the body is read unless we parse it."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type not in ("multipart/form-data", "application/json"):
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                       "send multipart/form-data with an 'image' file field, or application/json with a "
                       f"base64 'image', not {content_type or 'no content type'!r}")
    return media_type


async def _parse(media_type: str, body: bytes, request: Request, rules: RequestRules) -> OcrRequest:
    """The received body as a multipart form or JSON."""
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


def _as_document(result: PageResult | DocumentResult) -> DocumentResult:
    return result if isinstance(result, DocumentResult) else DocumentResult(pages=[result], is_pdf=False)


def _path(request: Request) -> str:
    """Serve keeps an app's route prefix in the path (and in root_path): route on what follows it."""
    return request.scope["path"][len(request.scope.get("root_path", "")):] or "/"


async def _awaited(response):
    return await response
