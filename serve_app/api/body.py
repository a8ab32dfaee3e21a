"""Reading a request body so that a slow or hostile client cannot hold the service, and parsing a
JSON body so that nesting cannot exhaust the parser.

A client that sends its headers and then trickles or stalls the body would otherwise hold its
ingress slot for as long as the connection lives (measured: 12 such connections shed every other
client for 100 s). `read_body` gives the whole body a deadline and a minimum average rate: at any
moment `t` after the first `rate_grace_s`, at least `(t - rate_grace_s) * min_rate_bytes_s`
bytes must have arrived. One wait per ASGI message enforces both, so a stall is cut off as soon
as the rate falls short, not only at the deadline.

`json.loads` recurses once per nesting level: 100,000 nested arrays raise RecursionError deep in
the parser. `decode_json` measures the nesting first, outside strings, with one regex pass and a
numpy cumulative sum (about 10 ms for a 4 MB body), and refuses deep bodies as malformed."""
from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import numpy as np
from starlette.requests import ClientDisconnect

Receive = Callable[[], Awaitable[dict]]


class BodyTooLarge(Exception):
    """413 `body_too_large`."""

    code = "body_too_large"


class BodyTimeout(Exception):
    """408 `body_timeout`: the body did not arrive within the deadline or at the minimum rate."""

    code = "body_timeout"


class MalformedJson(Exception):
    """400 `malformed_json`: not JSON, or nested deeper than allowed."""

    code = "malformed_json"


@dataclass(frozen=True)
class BodyLimits:
    max_bytes: int
    timeout_s: float
    min_rate_bytes_s: float
    rate_grace_s: float

    @classmethod
    def from_limits(cls, limits) -> "BodyLimits":
        """From `serve_app.config.LimitsConfig`."""
        return cls(limits.max_body_bytes, limits.body_timeout_s, limits.body_min_rate_bytes_s,
                   limits.body_rate_grace_s)

    def wait_allowed(self, elapsed_s: float, received: int) -> float:
        """Seconds the next chunk may take: until the deadline, or until the bytes received so far
        fall below the minimum rate, whichever comes first."""
        rate_bound = self.rate_grace_s + received / self.min_rate_bytes_s
        return min(self.timeout_s, rate_bound) - elapsed_s


async def read_body(receive: Receive, limits: BodyLimits, content_length: str | None = None,
                    clock: Callable[[], float] = time.monotonic) -> bytes:
    """The whole body from an ASGI `receive` callable (Starlette: `request.receive`). Raises
    `BodyTooLarge`, `BodyTimeout`, or Starlette's `ClientDisconnect` when the client goes away."""
    if content_length is not None and content_length.isdigit() and int(content_length) > limits.max_bytes:
        raise BodyTooLarge(f"the body is {content_length} bytes; the limit is {limits.max_bytes}")
    chunks: list[bytes] = []
    received, started = 0, clock()
    while True:
        wait_s = limits.wait_allowed(clock() - started, received)
        try:
            if wait_s <= 0:
                raise asyncio.TimeoutError
            message = await asyncio.wait_for(receive(), wait_s)
        except asyncio.TimeoutError:
            raise BodyTimeout(f"the body did not arrive in time: {received} bytes in {clock() - started:.1f} s "
                              f"(the limits are {limits.timeout_s:g} s in all and {limits.min_rate_bytes_s:g} "
                              f"bytes/s after the first {limits.rate_grace_s:g} s)") from None
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limits.max_bytes:
            raise BodyTooLarge(f"the body is over the limit of {limits.max_bytes} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_OPENERS, _CLOSERS = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, brackets inside strings ignored.
    An unterminated string leaves its brackets counted, which can only overstate the depth."""
    structure = np.frombuffer(_JSON_STRING.sub(b'""', body), np.uint8)
    steps = np.isin(structure, _OPENERS).astype(np.int32) - np.isin(structure, _CLOSERS)
    return int(np.cumsum(steps).max(initial=0))


def decode_json(body: bytes, max_depth: int) -> Any:
    depth = json_depth(body)
    if depth > max_depth:
        raise MalformedJson(f"the JSON is nested {depth} levels deep; the limit is {max_depth}")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedJson(f"the body is not valid JSON: {exc}") from None
