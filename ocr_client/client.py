"""`OCRClient`: one file in, the service's JSON out; overload (503) is retried with backoff."""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

import httpx

DEFAULT_URL = "http://127.0.0.1:8000"


class OCRError(Exception):
    """The service refused or failed a request; `code` is its machine-readable error code."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class OCRClient:
    """A thread-safe client: share one across threads to OCR many files at once.

    `retries` 503 answers are retried per request, waiting the server's Retry-After or an
    exponential backoff (`backoff_s` doubling up to `max_backoff_s`, with jitter so that many
    clients shed at once do not come back at once), whichever is longer."""

    def __init__(self, base_url: str = DEFAULT_URL, *, timeout_s: float = 120.0, retries: int = 5,
                 backoff_s: float = 0.5, max_backoff_s: float = 10.0):
        self.retries, self.backoff_s, self.max_backoff_s = retries, backoff_s, max_backoff_s
        self._http = httpx.Client(base_url=base_url, timeout=timeout_s)
        self._lock = threading.Lock()
        self.retries_made = 0  # across all requests: how often overload was met and waited out

    def ocr(self, source: str | Path | bytes, **fields: Any) -> dict[str, Any]:
        """OCR an image or PDF (a path or its bytes). `fields` are the API's form fields, e.g.
        `det=False`, `enhance="grayscale"`, `page_images=True`."""
        return self._post("/ocr", source, fields)

    def extract(self, source: str | Path | bytes, **fields: Any) -> dict[str, Any]:
        """The checked fields of VAT invoices and train tickets in an image or PDF (one document per
        page). `fields` are /extract's form fields, e.g. `type="vat_invoice"`."""
        return self._post("/extract", source, fields)

    def _post(self, route: str, source: str | Path | bytes, fields: dict[str, Any]) -> dict[str, Any]:
        """One upload, with 503s retried: every route takes the same multipart `image`."""
        if isinstance(source, bytes):
            name, data = "upload", source
        else:
            name, data = Path(source).name, Path(source).read_bytes()
        form = {key: _form_text(value) for key, value in fields.items() if value is not None}
        for attempt in range(self.retries + 1):
            response = self._http.post(route, files={"image": (name, data)}, data=form)
            if response.status_code != 503 or attempt == self.retries:
                break
            with self._lock:
                self.retries_made += 1
            time.sleep(self._delay(attempt, response))
        return _result(response)

    def health(self) -> dict[str, Any]:
        return self._http.get("/healthz").json()

    def _delay(self, attempt: int, response: httpx.Response) -> float:
        backoff = min(self.max_backoff_s, self.backoff_s * 2 ** attempt) * random.uniform(0.5, 1.0)
        retry_after = response.headers.get("retry-after", "")
        return max(backoff, float(retry_after)) if retry_after.isdigit() else backoff

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "OCRClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _form_text(value: Any) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def _result(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and isinstance(body, dict):
        return body
    error = body.get("error", {}) if isinstance(body, dict) else {}
    raise OCRError(response.status_code, error.get("code", "http_error"),
                   error.get("message") or response.text[:200] or response.reason_phrase)
