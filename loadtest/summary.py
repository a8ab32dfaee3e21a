"""Short summary of a Locust run: requests/s, pages/s, lines/s, latency percentiles, failures.

    python -m loadtest.summary loadtest-results/locust   # the --csv prefix Locust wrote"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def summarise(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    totals = json.loads(Path(f"{prefix}_totals.json").read_text())
    with open(f"{prefix}_stats_history.csv", newline="") as f:
        history = list(csv.DictReader(f))
    seconds = max(1.0, float(history[-1]["Timestamp"]) - float(history[0]["Timestamp"])) if history else 1.0
    return {
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "shed_503": totals.get("shed", 0), "seconds": seconds,
        "requests_per_s": float(total["Requests/s"]),
        "pages_per_s": totals.get("pages", 0) / seconds,
        "line_crops_per_s": totals.get("line_crops", 0) / seconds,
        "lines_per_s": totals.get("lines", 0) / seconds,
        "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]),
        "per_kind": {name: {"p50_ms": float(r["50%"]), "p95_ms": float(r["95%"]), "p99_ms": float(r["99%"]),
                            "requests": int(r["Request Count"]), "failures": int(r["Failure Count"])}
                     for name, r in rows.items() if name != "Aggregated"},
    }


def main() -> None:
    summary = summarise(Path(sys.argv[1]))
    print(json.dumps(summary, indent=1))
    print(f"\n{summary['requests_per_s']:.2f} req/s | {summary['pages_per_s']:.2f} pages/s | "
          f"{summary['lines_per_s']:.1f} lines/s | p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, "
          f"p99 {summary['p99_ms']:.0f} ms | {summary['failures']} failures ({summary['shed_503']} shed with 503)")


if __name__ == "__main__":
    main()
