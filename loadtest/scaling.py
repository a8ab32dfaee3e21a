"""Throughput of the OCR app on 1, 2, ... worker nodes of one CPU each, and the scaling
efficiency: pages/s on n workers / (n x pages/s on one worker).

    python -m loadtest.scaling                    # 1 and 2 workers, 40 s each
    python -m loadtest.scaling --workers 1 2 4 --seconds 60

Each worker node advertises 1 CPU and one `ocr_model` slot and holds one detector and one
recognizer replica (half a CPU each); the ingress and preprocessing run on the head. Every node is
a process tree on this machine (`ray.cluster_utils.Cluster`), so the figures are bounded by its
physical cores: on a 2-core box two workers already share the cores with the head, the proxy and
the load generator."""
from __future__ import annotations

import argparse
import time

from loadtest.closed_loop import ClosedLoop, Upload
from evaluation.eval_set import eval_cases
from loadtest.local_cluster import MODEL_RESOURCE, ON_HEAD, local_cluster

CLIENTS_PER_WORKER = 4


def app_args(workers: int) -> dict:
    model = {"num_cpus": 0.5, "resources": {MODEL_RESOURCE: 0.5}, "num_replicas": workers}
    return {"ingress": {"num_cpus": 0.1, "resources": ON_HEAD, "max_ongoing_requests": 64},
            "preprocess": {"num_cpus": 0.2, "resources": ON_HEAD, "max_ongoing_requests": 32},
            "detector": {**model, "max_ongoing_requests": 8, "batch": {"max_batch_size": 4, "batch_wait_timeout_s": 0.005}},
            "recognizer": {**model, "max_ongoing_requests": 16, "batch": {"max_batch_size": 16, "batch_wait_timeout_s": 0.01}}}


def pages() -> list[Upload]:
    return [Upload(c.image.name, c.data) for c in eval_cases() if c.kind == "page"]


def measure(workers: int, seconds: float, warmup_s: float) -> float:
    """Pages/s through HTTP with `workers` one-CPU model nodes, after a warm-up."""
    with local_cluster(workers=workers, worker_cpus=1, model_slots=1, head_cpus=1) as cluster:
        url = cluster.deploy(app_args(workers))
        clients = CLIENTS_PER_WORKER * workers
        ClosedLoop(url, pages(), clients).run_for(warmup_s)
        result = ClosedLoop(url, pages(), clients).run_for(seconds)
        print(f"{workers} worker(s), {clients} clients: {result.summary()}", flush=True)
        return result.throughput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--warmup", type=float, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    rates = {n: measure(n, args.seconds, args.warmup) for n in args.workers}
    base = rates[min(rates)] / min(rates)
    print(f"\n| worker nodes (1 CPU each) | pages/s | scaling efficiency |\n|---|---|---|")
    for n, rate in rates.items():
        print(f"| {n} | {rate:.2f} | {rate / (n * base):.0%} |")
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
