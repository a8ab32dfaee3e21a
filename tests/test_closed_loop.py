"""The shared load generator's own rules: one percentile convention, line counting on both response
shapes, and a shed client waiting the Retry-After it was told. The generator is exercised against
the real service by the benchmark, the scaling benchmark, the soak and tests/test_multinode.py;
here a local HTTP server that sheds on purpose checks its client behaviour in a second."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import numpy as np
import pytest

from loadtest.closed_loop import ClosedLoop, lines_in, percentile, retry_after_s
from loadtest.workload import Upload


def test_percentile_is_numpys_linear_interpolation():
    values = [0.1, 0.2, 0.3, 0.4, 1.0]
    assert percentile(values, 50) == 0.3
    assert percentile(values, 95) == pytest.approx(float(np.percentile(values, 95)))
    assert percentile(values, 95) == pytest.approx(0.88)
    assert np.isnan(percentile([], 50))


def test_retry_after_reads_seconds_and_falls_back_to_one():
    assert retry_after_s(httpx.Headers({"Retry-After": "3"})) == 3.0
    assert retry_after_s(httpx.Headers({})) == 1.0
    assert retry_after_s(httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 1.0


def test_lines_are_counted_in_image_and_pdf_responses():
    assert lines_in({"success": True, "results": [{"text": "a"}, {"text": "b"}], "image": {}}) == 2
    assert lines_in({"success": True, "pages": [{"results": [{"text": "a"}]}, {"results": []},
                                                 {"results": [{"text": "b"}, {"text": "c"}]}]}) == 3


class _ShedsFirst(BaseHTTPRequestHandler):
    """Answers the first request with 503 + Retry-After: 1, then 200 with one line."""

    arrivals: list[float] = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.arrivals.append(time.monotonic())
        shed = len(self.arrivals) == 1
        body = json.dumps({"success": False} if shed else {"success": True, "results": [{"text": "x"}]}).encode()
        self.send_response(503 if shed else 200)
        if shed:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_shed_client_waits_the_retry_after_and_latency_counts_only_answers():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ShedsFirst)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = ClosedLoop(url, [Upload("a.png", b"\x89PNG")], clients=1).run_for(1.5)
    finally:
        server.shutdown()
    arrivals = _ShedsFirst.arrivals
    assert result.statuses[503] == 1 and result.ok == len(arrivals) - 1 > 0
    assert arrivals[1] - arrivals[0] >= 1.0  # waited as told before the next request
    assert len(result.latencies) == result.ok and result.lines == result.ok
    assert result.failed == 1
