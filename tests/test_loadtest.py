"""The load-test tooling runs for real: Locust against the test service, then the summary."""
import json
import os
import subprocess
import sys
from pathlib import Path

from loadtest.summary import summarise

LOCUST = Path(sys.executable).with_name("locust")
LOCUSTFILE = Path(__file__).resolve().parents[1] / "loadtest" / "locustfile.py"


def test_locust_run_and_summary(service, tmp_path):
    prefix = tmp_path / "locust"
    env = {**os.environ, "OCR_LOAD_SUMMARY": f"{prefix}_totals.json", "OCR_LOAD_MIX": "pages=1,lines=1"}
    subprocess.run([str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--host", service, "-u", "2", "-r", "2",
                    "-t", "8s", "--csv", str(prefix), "--csv-full-history", "--only-summary",
                    "--exit-code-on-error", "0"], check=True, env=env, capture_output=True, timeout=120)
    summary = summarise(prefix)
    assert summary["requests"] > 0 and summary["failures"] == 0, json.dumps(summary)
    assert summary["pages_per_s"] > 0 and summary["lines_per_s"] > 0
    assert {"/ocr pages", "/ocr line_crops"} <= set(summary["per_kind"])
