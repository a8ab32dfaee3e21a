"""The soak's own rules, without Ray: which processes are replicas (found among real processes by
their title, as Ray sets it), and the verdict on failures, restarts and memory growth."""
from __future__ import annotations

import subprocess

import pytest

from loadtest.soak import Sample, judge, replica_name, replica_rss_mb


def test_replicas_are_recognised_by_their_ray_process_title():
    assert replica_name(["ray::ServeReplica:ocr:Recognizer"], "ocr") == "Recognizer"
    assert replica_name(["ray::ServeReplica:ocr:Ingress.handle_request", ""], "ocr") == "Ingress"
    assert replica_name(["ray::ServeReplica:cold:Detector"], "ocr") is None
    assert replica_name(["ray::ServeController"], "ocr") is None
    assert replica_name(["python", "ray::ServeReplica:ocr:Recognizer"], "ocr") is None


def test_a_titled_process_is_sampled_with_its_rss():
    title = "ray::ServeReplica:soaktest:Recognizer"
    process = subprocess.Popen([title, "30"], executable="/bin/sleep")
    try:
        found = replica_rss_mb("soaktest")
    finally:
        process.kill()
        process.wait()
    assert list(found) == [f"Recognizer#{process.pid}"] and found[f"Recognizer#{process.pid}"] > 0


def _samples(totals: list[float], failed: int = 0, gone_at: int | None = None) -> list[Sample]:
    return [Sample(60.0 * i, {"Recognizer#1": total / 2,
                              **({"Detector#2": total / 2} if gone_at is None or i < gone_at else {})}, 10 * i, failed)
            for i, total in enumerate(totals)]


def test_growth_counts_only_after_the_warm_up():
    # 1000 -> 1300 during warm-up (3 min), then 1300 -> 1352: +4%.
    verdict = judge(_samples([1000, 1200, 1250, 1300, 1330, 1352]), warmup_s=180, max_growth=0.05)
    assert verdict.growth == pytest.approx(0.04) and verdict.passed
    assert not judge(_samples([1000, 1300, 1400]), warmup_s=60, max_growth=0.05).passed


def test_a_failed_request_or_a_replica_restart_fails_the_soak():
    assert not judge(_samples([1000] * 4, failed=1), warmup_s=60, max_growth=0.05).passed
    verdict = judge(_samples([1000] * 4, gone_at=2), warmup_s=60, max_growth=0.05)
    assert verdict.restarts == ["Detector#2"] and not verdict.passed


def test_a_run_shorter_than_the_warm_up_cannot_judge_growth():
    verdict = judge(_samples([1000, 2000]), warmup_s=300, max_growth=0.05)
    assert verdict.growth is None and verdict.passed
