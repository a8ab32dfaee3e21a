"""Soak: closed-loop load on a running service for a long time, watching the replicas' memory.

    make serve                              # in another terminal
    make soak MINUTES=30                    # = python -m loadtest.soak --minutes 30
    python -m loadtest.soak --url http://127.0.0.1:8000 --minutes 10 --clients 4 --out loadtest-results/soak

Every `--sample-s` seconds it reads the RSS of each Ray Serve replica process on this machine
(Ray titles them `ray::ServeReplica:<app>:<Deployment>`) and the load's counts so far. It writes
`soak.json` (every sample), `soak.txt` (the summary) and `soak_rss.png` (RSS over time) to `--out`,
and exits 1 when a request failed, a replica process went away or appeared (a restart), or the
replicas' total RSS grew by more than `--max-rss-growth` from the first sample after
`--warmup-minutes` to the last one. It expects a fixed set of replicas (as `make serve` runs
them): under autoscaling, replicas come and go by design. Warm-up is excluded because the first minutes fill caches
and onnxruntime's arenas (docs/BENCHMARKS.md, "Replica memory")."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from loadtest.closed_loop import ClosedLoop, LoadResult
from loadtest.workload import page_uploads

_REPLICA_TITLE = re.compile(r"ray::ServeReplica:(?P<app>[^:\s]+):(?P<deployment>[A-Za-z0-9_]+)")


def replica_name(cmdline: list[str], app: str) -> str | None:
    """The deployment a process's title names, if it is a replica of `app`."""
    match = _REPLICA_TITLE.match(" ".join(cmdline))
    return match["deployment"] if match and match["app"] == app else None


def replica_rss_mb(app: str) -> dict[str, float]:
    """`Deployment#pid` -> RSS in MB, for every replica process of `app` on this machine."""
    out = {}
    for process in psutil.process_iter(["pid", "cmdline", "memory_info"]):
        deployment = replica_name(process.info["cmdline"] or [], app)
        if deployment and process.info["memory_info"]:
            out[f"{deployment}#{process.info['pid']}"] = process.info["memory_info"].rss / 2**20
    return out


@dataclass
class Sample:
    seconds: float
    rss_mb: dict[str, float]
    ok: int
    failed: int

    @property
    def total_rss_mb(self) -> float:
        return sum(self.rss_mb.values())


@dataclass
class Verdict:
    growth: float | None  # total RSS, first sample after warm-up -> last; None if too short
    failed: int
    restarts: list[str]  # replicas that appeared or went away during the run
    max_growth: float

    @property
    def passed(self) -> bool:
        return self.failed == 0 and not self.restarts and (self.growth is None or self.growth <= self.max_growth)


def judge(samples: list[Sample], warmup_s: float, max_growth: float) -> Verdict:
    after = [s for s in samples if s.seconds >= warmup_s]
    growth = (after[-1].total_rss_mb / after[0].total_rss_mb - 1) if len(after) >= 2 else None
    seen = set().union(*(s.rss_mb for s in samples))
    restarts = sorted(name for name in seen if not all(name in s.rss_mb for s in samples))
    return Verdict(growth, samples[-1].failed, restarts, max_growth)


def summary(samples: list[Sample], verdict: Verdict, load: LoadResult, warmup_s: float, args: dict) -> str:
    first, last = samples[0], samples[-1]
    after = next((s for s in samples if s.seconds >= warmup_s), last)
    lines = [f"soak: {load.seconds / 60:.1f} min, {args['clients']} clients, {args['url']}",
             f"requests: {load.ok} ok, {load.failed} failed {dict(load.statuses)}; {load.throughput:.2f} pages/s, "
             f"p50 {load.percentile(50):.2f} s, p95 {load.percentile(95):.2f} s, p99 {load.percentile(99):.2f} s",
             f"replicas' RSS (MB): start {first.total_rss_mb:,.0f}, at {after.seconds / 60:.1f} min "
             f"{after.total_rss_mb:,.0f}, end {last.total_rss_mb:,.0f}"
             + (f"; growth after warm-up {verdict.growth:+.1%} (limit {verdict.max_growth:.0%})"
                if verdict.growth is not None else "; too short to judge growth after warm-up")]
    for name in sorted(last.rss_mb):
        start = first.rss_mb.get(name)
        lines.append(f"  {name}: {start or float('nan'):,.0f} -> {last.rss_mb[name]:,.0f} MB")
    if verdict.restarts:
        lines.append(f"replica processes that came or went: {verdict.restarts}")
    lines.append("PASS" if verdict.passed else "FAIL")
    return "\n".join(lines)


def plot(samples: list[Sample], warmup_s: float, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(9, 4.5))
    minutes = [s.seconds / 60 for s in samples]
    for name in sorted(set().union(*(s.rss_mb for s in samples))):
        ax.plot(minutes, [s.rss_mb.get(name, float("nan")) for s in samples], label=name)
    ax.plot(minutes, [s.total_rss_mb for s in samples], "k--", label="all replicas")
    ax.axvline(warmup_s / 60, color="grey", linestyle=":", label="end of warm-up")
    ax.set(xlabel="minutes", ylabel="RSS (MB)", title="Serve replicas' memory under a closed-loop soak")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--app", default="ocr", help="the Serve application whose replicas are watched")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sample-s", type=float, default=30)
    parser.add_argument("--warmup-minutes", type=float, default=5)
    parser.add_argument("--max-rss-growth", type=float, default=0.05, help="0.05 = 5%%")
    parser.add_argument("--out", type=Path, default=Path("loadtest-results/soak"))
    args = parser.parse_args()
    if not replica_rss_mb(args.app):
        print(f"no replica processes of app {args.app!r} on this machine: start the service (`make serve`)")
        return 2

    warmup_s = args.warmup_minutes * 60
    load = ClosedLoop(args.url, page_uploads(), args.clients).start()
    samples: list[Sample] = []
    started = time.monotonic()
    while True:
        snapshot = load.snapshot()
        samples.append(Sample(time.monotonic() - started, replica_rss_mb(args.app), snapshot.ok, snapshot.failed))
        print(f"{samples[-1].seconds / 60:5.1f} min: replicas {samples[-1].total_rss_mb:,.0f} MB, "
              f"{snapshot.ok} ok, {snapshot.failed} failed", flush=True)
        remaining = args.minutes * 60 - (time.monotonic() - started)
        if remaining <= 0:
            break
        time.sleep(min(args.sample_s, remaining))
    result = load.stop()
    samples[-1].failed = result.failed  # requests that ended after the last sample count too

    verdict = judge(samples, warmup_s, args.max_rss_growth)
    text = summary(samples, verdict, result, warmup_s, vars(args))
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.txt").write_text(text + "\n")
    (args.out / "soak.json").write_text(json.dumps(
        {"command": " ".join(sys.argv), "args": {k: str(v) for k, v in vars(args).items()},
         "verdict": {**asdict(verdict), "passed": verdict.passed},
         "load": {"ok": result.ok, "failed": result.failed, "statuses": {str(k): v for k, v in result.statuses.items()},
                  "pages_per_s": result.throughput, "p50": result.percentile(50), "p95": result.percentile(95)},
         "samples": [asdict(s) for s in samples]}, indent=1))
    plot(samples, warmup_s, args.out / "soak_rss.png")
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
