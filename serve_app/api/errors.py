"""One error shape per dialect: `{"success": false, "error": {code, message}}`, or for the
`{code, msg, data}` dialect `{"code": <HTTP status>, "msg": "<error code>: <message>", "data": null}`."""
from __future__ import annotations

from typing import Any

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
        if self.error is ErrorCode.UNAUTHORIZED:
            return {"WWW-Authenticate": "Bearer"}
        return None


def from_coded_error(exc: Exception, retry_after_s: int | None = None) -> ApiError | None:
    """An exception that names its contract code in `code` (the ops' input errors, possibly
    wrapped by Ray as a RayTaskError; the body reader's and API keys' errors) as its ApiError;
    None for any other exception."""
    cause = getattr(exc, "cause", None) or exc
    try:
        error = ErrorCode(getattr(cause, "code", None))
    except ValueError:
        return None
    message = getattr(cause, "message", None) or str(cause.args[0] if cause.args else cause)
    return ApiError(error, message, retry_after_s)


def error_body(error: ApiError, dialect: str = "default") -> dict[str, Any]:
    if dialect == "compat":
        return {"code": error.status, "msg": f"{error.error.code}: {error.message}", "data": None}
    return {"success": False, "error": {"code": error.error.code, "message": error.message}}
