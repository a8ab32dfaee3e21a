"""Every error a client can get, as one JSON shape: {"success": false, "error": {code, message}}."""
from __future__ import annotations

from starlette.responses import JSONResponse

from ocr_ops.errors import (CorruptImageError, EncryptedPdfError, ImageTooLargeError, InvalidOptionError,
                            NotAnImageError, OcrInputError, TooManyPagesError, UnsupportedFormatError)

_STATUS_OF_INPUT_ERROR = {
    NotAnImageError: 400,
    CorruptImageError: 400,  # corrupt_pdf too
    ImageTooLargeError: 413,
    TooManyPagesError: 413,
    EncryptedPdfError: 422,
    UnsupportedFormatError: 415,
    InvalidOptionError: 422,
}


class ApiError(Exception):
    """An error the ingress itself decides on (body too large, wrong content type, bad field)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def from_input_error(exc: OcrInputError) -> ApiError:
    """Map an op's input error (possibly wrapped by Ray as a RayTaskError) to its 4xx."""
    cause = getattr(exc, "cause", None) or exc
    status = next((s for cls, s in _STATUS_OF_INPUT_ERROR.items() if isinstance(cause, cls)), 400)
    message = getattr(cause, "message", None) or str(cause.args[0] if cause.args else cause)
    return ApiError(status, cause.code, message)


def error_response(error: ApiError, dialect: str = "default") -> JSONResponse:
    """The error in the route's dialect: ours, or `{code, msg, data: null}` for /compat/ocr, whose
    non-zero `code` is the HTTP status and whose `msg` starts with our error code."""
    if dialect == "compat":
        body = {"code": error.status, "msg": f"{error.code}: {error.message}", "data": None}
    else:
        body = {"success": False, "error": {"code": error.code, "message": error.message}}
    return JSONResponse(body, status_code=error.status, headers=error.headers)
