"""Which recognizer batch size (in lines: `args.recognizer.batch.max_batch_size`) serves pages
fastest: the app as `make serve` runs it, redeployed with each size in turn on one local cluster,
each measured over HTTP with the closed-loop generator at each client count. The sizes are
visited forwards then backwards (A B C, C B A, ...), so a drift of a shared machine's load falls
on every size alike; a size's figure is the mean of its rounds.

    python -m loadtest.batch_sizes --sizes 8 16 32 64 128 --clients 4 8 --duration 25 --rounds 2
"""
from __future__ import annotations

import argparse
import os
import statistics

import yaml

from loadtest.bench import SERVE_CONFIG, measure_service
from testbed.local_service import redeploy_local_service, start_local_service, stop_local_service
from loadtest.workload import page_uploads


def with_batch_size(args: dict, size: int) -> dict:
    recognizer = args.get("recognizer", {})
    return {**args, "recognizer": {**recognizer, "batch": {**recognizer.get("batch", {}), "max_batch_size": size}}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 16, 32, 64, 128])
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--duration", type=float, default=25, help="seconds per size and client count")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("RAY_worker_niceness", "0")  # as make bench: the service competes fairly

    base = yaml.safe_load(SERVE_CONFIG.read_text())["applications"][0]["args"]
    pages = page_uploads()
    rates: dict[tuple[int, int], list[float]] = {}
    p50s: dict[tuple[int, int], list[float]] = {}
    url = start_local_service(with_batch_size(base, args.sizes[0]))
    try:
        for round_ in range(args.rounds):
            order = args.sizes if round_ % 2 == 0 else list(reversed(args.sizes))
            for size in order:
                redeploy_local_service(url, with_batch_size(base, size))
                for clients in args.clients:
                    run = measure_service(url, pages, clients, args.duration, f"batch {size}")
                    rates.setdefault((size, clients), []).append(run.per_second)
                    p50s.setdefault((size, clients), []).append(run.percentile(50))
                    print(f"round {round_ + 1}: {size:4d} lines, {clients} clients: {run.per_second:.2f} pages/s, "
                          f"p50 {run.percentile(50):.2f} s, {run.failures} failed", flush=True)
    finally:
        stop_local_service()

    header = " | ".join(f"{c} clients: pages/s (rounds), p50 s" for c in args.clients)
    print(f"\n| max_batch_size (lines) | {header} |\n|---|" + "---|" * len(args.clients))
    for size in args.sizes:
        cells = [f"{statistics.mean(rates[size, c]):.2f} ({', '.join(f'{r:.2f}' for r in rates[size, c])}), "
                 f"{statistics.mean(p50s[size, c]):.2f}" for c in args.clients]
        print(f"| {size} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
