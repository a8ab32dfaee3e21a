"""Throughput of the OCR app on 1, 2, ... worker nodes of one CPU each, and the scaling
efficiency: pages/s on n workers / (n x pages/s on one worker).

    python -m loadtest.benchmarks.scaling                    # 1 and 2 workers, 40 s each
    python -m loadtest.benchmarks.scaling --workers 1 2 4 --seconds 60

Each worker node advertises 1 CPU and two `ocr_model` slots and holds one detector and one
recognizer replica (half a CPU and one slot each); the ingress and the page reader run on the head
(`testbed.local_cluster.stage_profile`, the multi-node tests' profile too). The pages are
`loadtest.workload.page_uploads()`, as in every other benchmark. Every node is
a process tree on this machine (`ray.cluster_utils.Cluster`), so the figures are bounded by its
physical cores: on a 2-core box two workers already share the cores with the head, the proxy and
the load generator."""
from __future__ import annotations

import argparse
import time

from loadtest.closed_loop import ClosedLoop
from testbed.local_cluster import local_cluster, stage_profile
from loadtest.workload import page_uploads

CLIENTS_PER_WORKER = 4


def measure(workers: int, seconds: float, warmup_s: float) -> float:
    """Pages/s through HTTP with `workers` one-CPU model nodes, after a warm-up."""
    # Two model slots a worker: its one detector and one recognizer replica.
    with local_cluster(workers=workers, worker_cpus=1, model_slots=2, head_cpus=1) as cluster:
        url = cluster.deploy(stage_profile(model_replicas=workers))
        clients = CLIENTS_PER_WORKER * workers
        result = ClosedLoop(url, page_uploads(), clients).run_for(seconds, warmup_s=warmup_s)
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
