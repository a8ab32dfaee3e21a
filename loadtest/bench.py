"""The throughput benchmark: the service against the in-process limit and the peer, one run.

    make bench                     # installs the peer into .venv-bench and runs this
    python -m loadtest.bench --duration 20 --concurrency 1 2 4 8 16

In turn, on the same pages and the same machine:
  1. the limit: this project's pipeline in-process (ocr_ops + the same onnxruntime sessions,
     onnxruntime using every core), pages/s and lines/s; and the raw recognizer on line crops;
  2. the peer: RapidOCR 1.4.4 in-process (same models), in its own venv;
  3. the service: Ray Serve over HTTP at several concurrencies (pages/s, latency percentiles,
     CPU-seconds of the Ray processes per 1,000 pages), then line crops with
     det=false;
  4. the peer again, so drift of the shared machine shows.
It prints the ratios, writes docs/bench_results.json and plots docs/bench_throughput.png."""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import psutil
import yaml

from loadtest.closed_loop import ClosedLoop, percentile
from loadtest.workload import Upload, line_uploads, page_uploads
from models.loading import load_pipeline
from models.registry import load_registry
from ocr_ops.decode import decode_image

ROOT = Path(__file__).resolve().parents[1]
SERVE_CONFIG = ROOT / "cluster" / "serve_local.yaml"  # the service is measured as `make serve` runs it
PEER_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
CLOUD_PRICE_CNY_PER_1000 = 30.0  # the second seed document's cloud OCR price


@dataclass
class Run:
    name: str
    items: int  # pages or lines
    seconds: float
    lines: int = 0
    cpu_seconds: float = 0.0
    concurrency: int = 0
    failures: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.items / self.seconds

    def percentile(self, q: float) -> float:
        return percentile(self.latencies, q)

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu_seconds / self.items * 1000


def ray_cpu_seconds() -> float:
    """CPU time of every Ray process this benchmark started (GCS, raylet, controller, proxy,
    replicas): they are all descendants of this process. Machine-wide CPU would also count the
    load generator and anything else running on a shared machine."""
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
    return total


def measure_limit(pages: list[Upload], rounds: int) -> Run:
    pipeline = load_pipeline(threads=os.cpu_count() or 1)
    pipeline.run(pages[0].data)
    count = lines = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for page in pages:
            lines += len(pipeline.run(page.data).lines)
            count += 1
    return Run("limit (in-process)", count, time.perf_counter() - wall, lines, time.process_time() - cpu)


def measure_raw_recognizer(crops: list[Upload], rounds: int) -> Run:
    """Direction classifier + recognizer on decoded line images: what det=false asks of the models."""
    pipeline = load_pipeline(threads=os.cpu_count() or 1)
    images = [decode_image(c.data, 10**9).pixels for c in crops]
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for image in images:
            oriented, _ = pipeline.classifier.orient([image])
            pipeline.recognizer.recognize(oriented)
            count += 1
    return Run("raw recognizer (in-process)", count, time.perf_counter() - wall, count, time.process_time() - cpu)


def measure_peer(pages: list[Upload], rounds: int, label: str) -> Run | None:
    if not PEER_PYTHON.exists():
        print(f"(skipping the peer: {PEER_PYTHON} is missing; `make bench` creates it)")
        return None
    with tempfile.TemporaryDirectory() as folder:
        for i, page in enumerate(pages):
            Path(folder, f"{i:03d}_{page.name}").write_bytes(page.data)
        out = subprocess.run([str(PEER_PYTHON), str(ROOT / "loadtest" / "peer_rapidocr.py"), folder,
                              "--rounds", str(rounds)], check=True, capture_output=True, text=True)
    raw = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(label, raw["pages"], raw["seconds"], raw["lines"], raw["cpu_seconds"])


def measure_service(url: str, uploads: list[Upload], concurrency: int, duration: float, label: str,
                    warmup_s: float = 3.0) -> Run:
    """Closed-loop HTTP load (loadtest.closed_loop) after a warm-up; CPU of the Ray processes
    counted over the measured window only."""
    load = ClosedLoop(url, uploads, concurrency).start()
    time.sleep(warmup_s)
    load.reset()
    cpu = ray_cpu_seconds()
    time.sleep(duration)
    result = load.stop()
    return Run(label, result.ok, result.seconds, result.lines, ray_cpu_seconds() - cpu, concurrency,
               result.failed, result.latencies)


def plot(service: list[Run], limit: Run, peers: list[Run], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    xs = [r.concurrency for r in service]
    left.plot(xs, [r.per_second for r in service], "o-", label="service (HTTP, Ray Serve)")
    left.axhline(limit.per_second, color="green", linestyle="--", label="limit (in-process)")
    for peer in peers:
        left.axhline(peer.per_second, color="grey", linestyle=":", label=peer.name)
    left.set(xlabel="concurrent clients", ylabel="pages/s", title="Throughput", xscale="log", xticks=xs)
    left.set_xticklabels([str(x) for x in xs])
    left.legend(fontsize=8)
    right.plot(xs, [r.percentile(95) for r in service], "o-", color="tab:red", label="service p95")
    right.plot(xs, [r.percentile(50) for r in service], "o-", color="tab:orange", label="service p50")
    right.set(xlabel="concurrent clients", ylabel="seconds", title="Latency per page", xscale="log", xticks=xs)
    right.set_xticklabels([str(x) for x in xs])
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def report(runs: list[Run]) -> str:
    rows = ["| run | conc. | items/s | lines/s | p50 s | p95 s | p99 s | failures | CPU-s per 1000 |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        rows.append(f"| {r.name} | {r.concurrency or '-'} | {r.per_second:.2f} | {r.lines / r.seconds:.1f} | "
                    f"{r.percentile(50):.3f} | {r.percentile(95):.3f} | {r.percentile(99):.3f} | "
                    f"{r.failures} | {r.cpu_per_1000:.0f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per service concurrency level")
    # Throughput levels stay within the ingress's admission limit (limits.max_in_flight = 8);
    # beyond it is overload, which `make loadtest` exercises.
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--line-concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the pages in-process")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--model-sets", nargs="+", default=[load_registry().default_model_set, "ppocrv4-mobile"],
                        help="the service is measured with each, in turn (the first is the headline)")
    args = parser.parse_args()

    from testbed.local_service import start_local_service, stop_local_service

    # Ray starts its workers at nice 15, the baselines here run at nice 0: on a shared machine the
    # service alone would hand its CPU to any other job. Compare like with like.
    os.environ.setdefault("RAY_worker_niceness", "0")

    pages, crops = page_uploads(), line_uploads()
    print(f"{len(pages)} pages, {len(crops)} line crops, {os.cpu_count()} cores", flush=True)
    limit = measure_limit(pages, args.rounds)
    raw = measure_raw_recognizer(crops, args.rounds * 3)
    peers = [p for p in [measure_peer(pages, args.rounds, "peer RapidOCR (before)")] if p]
    print(report([limit, raw, *peers]), flush=True)

    local_args = yaml.safe_load(SERVE_CONFIG.read_text())["applications"][0]["args"]
    by_set: dict[str, tuple[list[Run], Run]] = {}
    for model_set in args.model_sets:  # each model set as a service, in turn, in this one run
        label = f"service {model_set}" if len(args.model_sets) > 1 else "service"
        url = start_local_service({**local_args, "model_set": model_set})
        try:
            pages_runs = [measure_service(url, pages, c, args.duration, f"{label} pages") for c in args.concurrency]
            lines_run = measure_service(url, [replace(c, fields=(("det", "false"),)) for c in crops],
                                        args.line_concurrency, args.duration, f"{label} lines (det=false)")
        finally:
            stop_local_service()
        by_set[model_set] = (pages_runs, lines_run)
    peers += [p for p in [measure_peer(pages, args.rounds, "peer RapidOCR (after)")] if p]

    service, lines = by_set[args.model_sets[0]]
    runs = [limit, raw, *peers, *(r for runs_, line in by_set.values() for r in (*runs_, line))]
    print(report(runs))
    best = max(service, key=lambda r: r.per_second)
    peer_rate = statistics.mean(p.per_second for p in peers) if peers else float("nan")
    ratios = {"service/limit": best.per_second / limit.per_second,
              "service/peer": best.per_second / peer_rate,
              "lines mode/raw recognizer": lines.per_second / raw.per_second}
    for model_set, (runs_, _) in list(by_set.items())[1:]:
        ratios[f"service {model_set}/peer"] = max(r.per_second for r in runs_) / peer_rate
    cost = {"cpu_s_per_1000_pages": best.cpu_per_1000, "cpu_s_per_1000_lines": lines.cpu_per_1000,
            "cloud_cny_per_1000_calls": CLOUD_PRICE_CNY_PER_1000}
    print(f"\nbest service run: {best.concurrency} clients, {best.per_second:.2f} pages/s")
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}x")
    print(f"CPU-seconds per 1000 pages: {cost['cpu_s_per_1000_pages']:.0f}; per 1000 line crops: "
          f"{cost['cpu_s_per_1000_lines']:.0f} (cloud price: {CLOUD_PRICE_CNY_PER_1000} CNY per 1000 calls)")
    args.out.mkdir(exist_ok=True)
    (args.out / "bench_results.json").write_text(json.dumps(
        {"runs": [{**asdict(r), "latencies": None, "per_second": r.per_second,
                   "p50": r.percentile(50), "p95": r.percentile(95), "p99": r.percentile(99)} for r in runs],
         "ratios": ratios, "cost": cost, "command": " ".join(sys.argv)}, indent=1, default=str))
    plot(service, limit, peers, args.out / "bench_throughput.png")


if __name__ == "__main__":
    main()
