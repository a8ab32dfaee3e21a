"""One error shape per dialect: `{"success": false, "error": {code, message}}`, or for the
`{code, msg, data}` dialect `{"code": <HTTP status>, "msg": "<error code>: <message>", "data": null}`."""
from __future__ import annotations

from typing import Any

from ocr_ops.errors import OcrInputError
from serve_app.api.contract import ErrorCode


class ApiError(Exception):
    """An error answered to the client: an `ErrorCode` of the contract and a message that
    names the problem. Codes whose contract says so carry `Retry-After`."""

    def __init__(self, error: ErrorCode, message: str, retry_after_s: int | None = None):
        super().__init__(message)
        self.error, self.message, self.retry_after_s = error, message, retry_after_s

    @property
    def status(self) -> int:
        return self.error.status

    @property
    def headers(self) -> dict[str, str] | None:
        if self.error.retry and self.retry_after_s is not None:
            return {"Retry-After": str(self.retry_after_s)}
        return None


def from_input_error(exc: OcrInputError) -> ApiError:
    """An op's input error (possibly wrapped by Ray as a RayTaskError) as its contract error."""
    cause = getattr(exc, "cause", None) or exc
    message = getattr(cause, "message", None) or str(cause.args[0] if cause.args else cause)
    return ApiError(ErrorCode(cause.code), message)


def error_body(error: ApiError, dialect: str = "default") -> dict[str, Any]:
    if dialect == "compat":
        return {"code": error.status, "msg": f"{error.error.code}: {error.message}", "data": None}
    return {"success": False, "error": {"code": error.error.code, "message": error.message}}
