"""Slow and hostile bodies, without Ray: `read_body` behind a real uvicorn server fed by raw
sockets that stall or trickle, and the JSON depth guard on a 100,000-deep body."""
from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from serve_app.api.body import (BodyLimits, BodyTimeout, BodyTooLarge, MalformedJson, json_depth, decode_json,
                            read_body)
from serve_app.config import LimitsConfig

LIMITS = BodyLimits(max_bytes=64_000, timeout_s=3.0, min_rate_bytes_s=2_000, rate_grace_s=0.5)
SLOTS = 3  # as the ingress's admission limit: stalled uploads hold these while they last


def test_the_allowed_wait_follows_the_deadline_and_the_rate():
    assert LIMITS.wait_allowed(0.0, 0) == 0.5  # the grace period
    assert LIMITS.wait_allowed(0.4, 2_000) == pytest.approx(1.1)  # 2 kB buy one more second
    assert LIMITS.wait_allowed(2.9, 60_000) == pytest.approx(0.1)  # the deadline comes first
    assert BodyLimits.from_limits(LimitsConfig()).timeout_s == LimitsConfig().body_timeout_s


def _app() -> Starlette:
    slots = asyncio.Semaphore(SLOTS)

    async def upload(request: Request):
        async with slots:
            try:
                body = await read_body(request.receive, LIMITS, request.headers.get("content-length"))
            except BodyTimeout as exc:
                return JSONResponse({"code": exc.code}, 408)
            except BodyTooLarge as exc:
                return JSONResponse({"code": exc.code}, 413)
            return JSONResponse({"bytes": len(body)})

    return Starlette(routes=[Route("/upload", upload, methods=["POST"])])


@pytest.fixture(scope="module")
def url():
    server = uvicorn.Server(uvicorn.Config(_app(), host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(5)


def _start_upload(url: str, declared: int, first: bytes) -> socket.socket:
    port = int(url.rpartition(":")[2])
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                 + f"Content-Length: {declared}\r\n\r\n".encode() + first)
    return sock


def _status(sock: socket.socket, timeout_s: float) -> int:
    sock.settimeout(timeout_s)
    return int(sock.recv(4096).split(b" ", 2)[1])


def test_stalled_uploads_are_cut_off_and_a_good_client_is_served_within_the_deadline(url):
    stalled = [_start_upload(url, 50_000, b"x" * 100) for _ in range(SLOTS)]  # hold every slot
    trickle = _start_upload(url, 50_000, b"x")
    time.sleep(0.1)
    started = time.monotonic()
    good = httpx.post(f"{url}/upload", content=b"y" * 40_000, timeout=10)
    served_s = time.monotonic() - started
    for _ in range(10):  # a trickle of 10 bytes/s, far under the 2,000 bytes/s minimum
        try:
            trickle.sendall(b"x")
        except OSError:
            break
        time.sleep(0.1)
    assert good.status_code == 200 and good.json() == {"bytes": 40_000}
    # Stalled bodies are cut once the rate falls short (0.5 s grace + 100 bytes' worth), not at 3 s.
    assert served_s < LIMITS.timeout_s, served_s
    assert [_status(s, LIMITS.timeout_s) for s in stalled] == [408] * SLOTS
    assert _status(trickle, LIMITS.timeout_s) == 408
    for s in (*stalled, trickle):
        s.close()


def test_a_steady_upload_within_the_rate_is_read_whole_and_an_oversize_one_is_refused(url):
    sock = _start_upload(url, 6_000, b"")
    for _ in range(3):  # 2,000 bytes every 0.3 s: above the minimum rate
        sock.sendall(b"z" * 2_000)
        time.sleep(0.3)
    assert _status(sock, 5) == 200
    sock.close()
    assert httpx.post(f"{url}/upload", content=b"x" * 70_000).status_code == 413  # declared length
    chunks = (b"x" * 16_000 for _ in range(5))  # chunked: no length declared, 80 kB in all
    assert httpx.post(f"{url}/upload", content=chunks).status_code == 413


def test_deep_json_is_refused_cheaply_and_ordinary_json_parses():
    deep = b"[" * 100_000 + b"]" * 100_000
    started = time.perf_counter()
    with pytest.raises(MalformedJson, match="nested 100000 levels"):
        decode_json(deep, max_depth=32)
    print(f"100,000-deep JSON refused in {1000 * (time.perf_counter() - started):.1f} ms")
    image = base64.b64encode(bytes(range(256)) * 16_000).decode()  # ~5.5 MB of base64
    body = json.dumps({"image": image, "lang": "[[[[ not structure ]]]]", "enhance": ["deskew"]}).encode()
    assert json_depth(body) == 2
    started = time.perf_counter()
    assert decode_json(body, max_depth=32)["enhance"] == ["deskew"]
    print(f"a {len(body) / 1e6:.1f} MB JSON body measured and parsed in {1000 * (time.perf_counter() - started):.1f} ms")
    assert json_depth(rb'{"a": "\"[[[[", "b": [[1]]}') == 3  # an escaped quote does not end the string
    with pytest.raises(MalformedJson, match="not valid JSON"):
        decode_json(b'{"image": ', max_depth=32)
