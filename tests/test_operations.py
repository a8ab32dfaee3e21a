"""What an operator relies on, over the real service: metrics on Ray's own endpoint, request IDs
and the access log, slow and stalled uploads, hostile bodies, and API keys with quotas."""
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx

from testbed.local_service import running_service
from testbed.prometheus_scrape import discovery_targets, find, loopback, scrape
from testbed.prometheus_server import dashboard_queries, query, running_prometheus
from tests.conftest import API_KEY, METRICS_INTERVAL_S
from tests.support import SUMMARY, eval_image, ocr, printed_line, written_pdf

FLYER = eval_image("rapidocr_ch_en_num.jpg")


def test_every_answer_carries_a_request_id_and_one_access_log_line(client):
    mine = client.post("/ocr", files={"image": ("f.jpg", FLYER)}, headers={"X-Request-ID": "trace-42.a"})
    assert mine.status_code == 200 and mine.headers["x-request-id"] == "trace-42.a"
    for response in (client.get("/nowhere"), ocr(client, FLYER, det="maybe"), client.get("/healthz")):
        assert len(response.headers["x-request-id"]) >= 16
    logs = running_service().session_dir / "logs"
    deadline, entries = time.monotonic() + 20, []
    while time.monotonic() < deadline and not entries:
        entries = [json.loads(line) for path in logs.glob("worker-*.err") for line in path.read_text().splitlines()
                   if line.startswith("{") and '"trace-42.a"' in line]
        time.sleep(0.5)
    (entry,) = entries
    assert entry["route"] == "/ocr" and entry["status"] == 200 and entry["code"] is None
    assert entry["pages"] == 1 and entry["lines"] >= 15 and entry["bytes_in"] > len(FLYER)
    assert set(entry["stages"]) >= {"preprocess", "detect", "recognize"} and entry["seconds"] > 0
    assert "正品促销" not in json.dumps(entry, ensure_ascii=False)  # never the recognised text


def _missing_series(samples) -> list[str]:
    """What the traffic in the test below must have put on Ray's metrics endpoints, and is not there."""
    wanted = {
        "/ocr 200": find(samples, "ray_ocr_requests_total", route="/ocr", status="200", code="ok"),
        "/ocr 400": find(samples, "ray_ocr_requests_total", route="/ocr", status="400", code="not_an_image"),
        "latency": find(samples, "ray_ocr_request_latency_seconds_bucket", route="/ocr"),
        "pages": find(samples, "ray_ocr_pages_total"),
        "lines per page": find(samples, "ray_ocr_lines_per_page_count"),
        "documents": find(samples, "ray_ocr_documents_total", type="unknown"),
        "in flight": find(samples, "ray_ocr_in_flight_requests"),
    }
    for stage in ("preprocess", "orientation", "detect", "recognize", "text_layer", "extract"):
        wanted[f"{stage} latency"] = find(samples, "ray_ocr_stage_latency_seconds_count", stage=stage)
    for stage in ("detect", "recognize"):
        wanted[f"{stage} model batch"] = find(samples, "ray_ocr_model_batch_lines_count", stage=stage)
        wanted[f"{stage} serve batch"] = find(samples, "ray_ocr_serve_batch_requests_count", stage=stage)
    return [name for name, found in wanted.items() if not found]


def _scrape_service():
    return scrape([loopback(t) for t in discovery_targets(running_service().metrics_discovery_file)])


def _log_mentions(logs, text: str) -> int:
    """How often `text` appears in the session's worker and Serve logs."""
    return sum(path.read_text(errors="replace").count(text)
               for pattern in ("worker-*.err", "worker-*.out", "serve/*.log") for path in logs.glob(pattern))


def test_bad_uploads_get_an_access_log_line_and_no_traceback(client):
    logs = running_service().session_dir / "logs"
    before = _log_mentions(logs, "NotAnImageError")
    rid = "junk-upload-7"
    for path in ("/ocr", "/extract"):
        response = client.post(path, files={"image": ("x.jpg", b"plain text")}, headers={"X-Request-ID": rid})
        assert response.status_code == 400 and response.json()["error"]["code"] == "not_an_image"
    deadline = time.monotonic() + 20
    while _log_mentions(logs, f'"{rid}"') < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _log_mentions(logs, f'"{rid}"') >= 2  # the access lines are written ...
    time.sleep(2)
    assert _log_mentions(logs, "NotAnImageError") == before  # ... and no stage logged the error


def test_our_series_are_on_rays_metrics_endpoint_after_traffic(client):
    for _ in range(2):
        assert ocr(client, FLYER).status_code == 200
    assert ocr(client, b"plain text").status_code == 400
    assert client.post("/extract", files={"image": ("f.jpg", FLYER)}).status_code == 200
    digital = ocr(client, written_pdf([printed_line([(0, "发票号码：12345678")], 72, 100)]), "digital.pdf")
    assert digital.json()["pages"][0]["text_source"] == "text_layer"
    last_request = time.monotonic()
    deadline, samples = last_request + 60, _scrape_service()
    while _missing_series(samples) and time.monotonic() < deadline:
        time.sleep(1)  # replicas export every METRICS_INTERVAL_S, each on its own clock
        samples = _scrape_service()
    assert not _missing_series(samples), _missing_series(samples)
    ok = find(samples, "ray_ocr_requests_total", route="/ocr", status="200", code="ok")
    bad = find(samples, "ray_ocr_requests_total", route="/ocr", status="400", code="not_an_image")
    assert sum(s.value for s in ok) >= 2 and sum(s.value for s in bad) >= 1
    # Ray drops a gauge not set again within two export intervals: an idle ingress still reports 0.
    time.sleep(max(0.0, last_request + 4 * METRICS_INTERVAL_S - time.monotonic()))
    idle = find(_scrape_service(), "ray_ocr_in_flight_requests", deployment="Ingress")
    assert idle and all(s.value == 0 for s in idle)
    SUMMARY.append(f"metrics: {len({s.name for s in samples if s.name.startswith('ray_ocr_')})} ocr_* series "
                   f"names on {len(discovery_targets(running_service().metrics_discovery_file))} Ray metrics "
                   f"endpoints; the in-flight gauge still there after {4 * METRICS_INTERVAL_S:.0f} s idle")


# Panels whose series exist only after such an event: their queries must run, not answer.
EVENT_PANELS = {"Shed (503) and timed out (504) per second"}


def test_every_dashboard_query_answers_on_a_real_prometheus(client, tmp_path):
    """cluster/prometheus.yml scrapes the service; each Grafana panel's query runs on what it got."""
    assert ocr(client, FLYER).status_code == 200 and ocr(client, b"plain text").status_code == 400
    assert client.post("/extract", files={"image": ("f.jpg", FLYER)}).status_code == 200
    queries = dashboard_queries()
    with running_prometheus(running_service().metrics_discovery_file, tmp_path) as prometheus:
        deadline = time.monotonic() + 60
        while True:
            empty = [title for title, expr in queries if not query(prometheus, expr) and title not in EVENT_PANELS]
            if not empty or time.monotonic() > deadline:
                break
            time.sleep(1)  # rate() needs two scrapes in its window
        targets = query(prometheus, 'up{job="ray"}')
    assert targets and all(t["value"][1] == "1" for t in targets)
    assert not empty, empty
    SUMMARY.append(f"dashboard: {len(queries)} panel queries answered by Prometheus scraping "
                   f"{len(targets)} Ray metrics targets with cluster/prometheus.yml")


def test_hostile_bodies_get_4xx(client):
    deep = b'{"image": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/ocr", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    repeated = ocr(client, FLYER, enhance=",".join(["denoise"] * 30))
    assert repeated.status_code == 422 and "at most once" in repeated.json()["error"]["message"]
    for path in ("/compat/ocr", "/extract"):
        assert client.post(path, content=deep, headers={"content-type": "application/json"}).status_code == 400


def _stalled_upload(host: str, port: int) -> socket.socket:
    """Headers and the first multipart line of a 100 kB upload, then nothing."""
    sock = socket.create_connection((host, port), timeout=30)
    sock.sendall(b"POST /ocr HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                 b"Content-Length: 100000\r\n\r\n--b\r\n")
    return sock


def _response_text(sock: socket.socket) -> str:
    """The status line, headers and JSON body of the answer on `sock`."""
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def _has_data(sock: socket.socket) -> bool:
    """Whether the server has answered (or closed) `sock` yet, without waiting."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)  # bytes of an answer, or b"" for a closed connection
        return True
    except BlockingIOError:
        return False
    finally:
        sock.setblocking(True)
        sock.settimeout(30)


def test_stalled_uploads_cannot_deny_service(service, client):
    url = urlparse(service)
    stalled = [_stalled_upload(url.hostname, url.port) for _ in range(12)]  # more than max_in_flight (8)
    try:
        time.sleep(1)
        started = time.perf_counter()
        response = ocr(client, FLYER)
        served_in = time.perf_counter() - started
        assert response.status_code == 200
        # Served while every stalled upload still held its connection, none of them cut off yet.
        assert not any(_has_data(sock) for sock in stalled), f"served only after {served_in:.2f} s"
        answers = []
        for sock in stalled:  # each is cut off after the grace period at the minimum rate: 408
            answers.append(_response_text(sock))
    finally:
        for sock in stalled:
            sock.close()
    assert all(a.startswith("HTTP/1.1 408") and "body_timeout" in a for a in answers), answers[0][:200]
    SUMMARY.append(f"slow clients: with 12 stalled uploads open a page was served in {served_in:.2f} s; "
                   f"all 12 got 408 body_timeout")


def test_api_keys_and_per_key_quotas(keyed_service):
    alpha = {"Authorization": f"Bearer {API_KEY}"}
    with httpx.Client(base_url=keyed_service, timeout=120) as client:
        assert client.get("/healthz").status_code == 200 and client.get("/").status_code == 200
        missing = ocr(client, FLYER)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert missing.json()["error"]["code"] == "unauthorized"
        wrong = client.post("/ocr", files={"image": ("f.jpg", FLYER)}, headers={"Authorization": "Bearer guessed-0123456789abcdef"})
        assert wrong.status_code == 401 and "guessed" not in wrong.text
        assert client.get("/openapi.json").status_code == 401
        assert client.post("/ocr", files={"image": ("f.jpg", FLYER)}, headers=alpha).status_code == 200

    def call(headers):
        with httpx.Client(base_url=keyed_service, timeout=120) as c:
            return c.post("/ocr", files={"image": ("f.jpg", FLYER)}, headers=headers)

    with ThreadPoolExecutor(4) as pool:
        burst = list(pool.map(call, [alpha] * 4))
    statuses = sorted(r.status_code for r in burst)
    assert 200 in statuses and 429 in statuses, statuses
    limited = next(r for r in burst if r.status_code == 429)
    assert limited.json()["error"]["code"] == "quota_exceeded" and limited.headers["retry-after"]
    SUMMARY.append(f"API keys: 4 concurrent requests on a key limited to 1 in flight -> {statuses}")
