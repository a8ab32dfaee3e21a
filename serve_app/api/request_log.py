"""Request IDs and one structured (JSON) access-log line per request.

Behind Ray Serve's HTTP proxy every request already carries `x-request-id`: the proxy keeps the
client's header or makes one, passes it to the replica and appends it to the response (Serve 2.60,
`RequestIdMiddleware`), errors included. The proxy does not validate it, so `request_id()` does:
an ID longer than `MAX_REQUEST_ID_LENGTH` or with other characters than `[A-Za-z0-9._:-]` is not
written to the logs; a fresh one is (and the log line says the client's was refused).

An access line holds counts and times only: never image bytes, never recognised text, never an
API key (only its `KeyId`). The record's fields are typed so that nothing else fits in."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from dataclasses import dataclass, field

REQUEST_ID_HEADER = "x-request-id"
MAX_REQUEST_ID_LENGTH = 128
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,%d}" % MAX_REQUEST_ID_LENGTH)
ACCESS_LOGGER = "ocr.access"


def request_id(header: str | None) -> tuple[str, bool]:
    """(the ID to log, whether the client sent one that was refused)."""
    if header is not None and _REQUEST_ID.fullmatch(header):
        return header, False
    return uuid.uuid4().hex, header is not None


@dataclass
class AccessRecord:
    """Filled in while a request is handled; `line()` at the end."""

    request_id: str
    method: str
    route: str  # the route template (`/ocr`), not the raw path
    bytes_in: int = 0
    status: int = 0
    code: str | None = None  # the error code, None on success
    pages: int | None = None
    lines: int | None = None
    key_id: str | None = None  # serve_app.api.auth.KeyId, when API keys are on
    client_id_refused: bool = False  # the client sent an X-Request-ID that request_id() refused
    stage_seconds: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def add_stage(self, stage: str, seconds: float) -> None:
        """Time in a stage; a PDF's pages add up per stage."""
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + float(seconds)

    def line(self, now: float | None = None) -> str:
        total = (time.perf_counter() if now is None else now) - self.started
        record = {"request_id": self.request_id, "method": self.method, "route": self.route,
                  "status": int(self.status), "code": self.code, "bytes_in": int(self.bytes_in),
                  "pages": self.pages, "lines": self.lines, "seconds": round(total, 4),
                  "stages": {stage: round(s, 4) for stage, s in sorted(self.stage_seconds.items())}}
        if self.key_id is not None:
            record["key_id"] = self.key_id
        if self.client_id_refused:
            record["client_request_id_refused"] = True
        return json.dumps(record, separators=(",", ":"))


def access_logger() -> logging.Logger:
    """`ocr.access`: INFO, each record's message alone on a line of stderr (the replica's log file
    under Ray), independent of Serve's own logger and its level (WARNING in cluster/ configs)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
