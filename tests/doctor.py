"""Which of the system packages in system-packages.txt are installed: one line each, exit 1 if any
is missing. `make test` runs it before the suite, so a missing package is one clear line, not a
traceback deep inside a test.

    python -m tests.doctor"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE_LIST = Path(__file__).resolve().parents[1] / "system-packages.txt"


def required_packages(path: Path = PACKAGE_LIST) -> dict[str, str]:
    """{package: what needs it}, from the list's non-comment lines."""
    packages = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, needed_by = line.partition(" ")
            packages[name] = needed_by.strip()
    return packages


def is_installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return status.returncode == 0 and status.stdout.endswith("ok installed")


def main() -> int:
    missing = 0
    for package, needed_by in required_packages().items():
        present = is_installed(package)
        missing += not present
        print(f"{'ok     ' if present else 'MISSING'} {package:18} {needed_by}")
    if missing:
        print(f"{missing} system package(s) missing: run `make setup` as root (it apt-installs them), "
              "or install them with apt-get", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
