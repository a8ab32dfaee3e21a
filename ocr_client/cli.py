"""`ocr-client`: OCR files, folders or globs through the HTTP API, several at a time.

    ocr-client scans/ --format csv --output lines.csv
    ocr-client 'invoices/**/*.pdf' --format txt --output texts/ --concurrency 4
    ocr-client --extract invoices/ --format csv --output fields.csv   # a row per document, a column per field
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import httpx
from tqdm import tqdm

from ocr_client.client import DEFAULT_URL, OCRClient, OCRError
from ocr_client.outputs import CsvWriter, ExtractCsvWriter, JsonlWriter, TxtWriter

# What a folder is searched for; files named explicitly are sent whatever their name.
EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pdf"}


def find_inputs(patterns: list[str], recursive: bool) -> list[Path]:
    """Files, folders (their images and PDFs) and glob patterns -> sorted unique files."""
    found: set[Path] = set()
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            walk = path.rglob("*") if recursive else path.iterdir()
            found.update(p for p in walk if p.is_file() and p.suffix.lower() in EXTENSIONS)
        elif path.is_file():
            found.add(path)
        else:
            matches = [Path(m) for m in glob.glob(pattern, recursive=True)]
            if not matches:
                raise SystemExit(f"ocr-client: no such file, folder or match: {pattern}")
            found.update(m for m in matches if m.is_file())
    return sorted(found)


def _fields(args: argparse.Namespace) -> dict[str, object]:
    fields: dict[str, object] = {"enhance": args.enhance}
    if not args.extract:  # /extract reads each page its own way: it takes none of these
        fields.update(det=args.det, cls=args.cls, lang=args.lang)
    for item in args.field:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"ocr-client: --field wants key=value, not {item!r}")
        fields[key] = value
    return fields


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ocr-client", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="image or PDF files, folders, or glob patterns")
    parser.add_argument("--url", default=os.environ.get("OCR_URL", DEFAULT_URL), help="service URL (env OCR_URL)")
    parser.add_argument("--extract", action="store_true",
                        help="POST /extract: the checked fields of VAT invoices and train tickets "
                             "(csv: a row per document, a column per field; jsonl: the whole answer)")
    parser.add_argument("--format", choices=("jsonl", "txt", "csv"), default="jsonl")
    parser.add_argument("--output", type=Path,
                        help="jsonl/csv: a file (default stdout); txt: a folder (default ./ocr-output)")
    parser.add_argument("--concurrency", type=int, default=4, help="files in flight at once (default 4)")
    parser.add_argument("--retries", type=int, default=5, help="retries of a 503 per file (default 5)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--recursive", action="store_true", help="search folders recursively")
    parser.add_argument("--no-det", dest="det", action="store_false", help="OCR: each image is one text line")
    parser.add_argument("--no-cls", dest="cls", action="store_false", help="OCR: skip the 0/180 degree classifier")
    parser.add_argument("--lang", default=None, help="OCR: the recognizer's language")
    parser.add_argument("--enhance", default=None)
    parser.add_argument("--field", action="append", default=[], metavar="KEY=VALUE", help="any other API field")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if args.extract and args.format == "txt":
        parser.error("--extract writes csv or jsonl")
    if args.extract and not (args.det and args.cls and args.lang is None):
        parser.error("--no-det, --no-cls and --lang are OCR options; --extract does not take them")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    files = find_inputs(args.inputs, args.recursive)
    if not files:
        raise SystemExit("ocr-client: no images or PDFs found")
    root = Path(os.path.commonpath([f.resolve().parent for f in files]))
    writer = {"jsonl": lambda: JsonlWriter(args.output),
              "csv": lambda: (ExtractCsvWriter if args.extract else CsvWriter)(args.output),
              "txt": lambda: TxtWriter(args.output, root)}[args.format]()
    fields, failed = _fields(args), 0
    with OCRClient(args.url, timeout_s=args.timeout, retries=args.retries) as client, \
            ThreadPoolExecutor(args.concurrency) as pool, \
            tqdm(total=len(files), unit="file", disable=not args.progress, file=sys.stderr) as progress:
        call = client.extract if args.extract else client.ocr
        futures = {pool.submit(call, path, **fields): path for path in files}
        for future in as_completed(futures):
            path = futures[future]
            try:
                writer.write(str(path), future.result(), None)
            except (OCRError, OSError, httpx.HTTPError) as exc:  # one bad file does not stop the batch
                failed += 1
                error = {"status": exc.status, "code": exc.code, "message": exc.message} if isinstance(exc, OCRError) \
                    else {"code": type(exc).__name__, "message": str(exc)}
                writer.write(str(path), None, error)
                progress.write(f"ocr-client: {path}: {exc}", file=sys.stderr)
            progress.update()
    writer.close()
    print(f"ocr-client: {len(files) - failed} of {len(files)} files done, {client.retries_made} retries after 503",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
