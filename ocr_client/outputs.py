"""The CLI's output formats. Every /ocr response (image or PDF) is read as pages of lines, so each
writer handles both shapes the same way; an /extract response is read as its documents."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Iterator, TextIO

CSV_COLUMNS = ("file", "page", "line", "text", "confidence", "x_min", "y_min", "x_max", "y_max")
# /extract's field keys in the README's fixed order: spreadsheets that load the CSV rely on it.
VAT_INVOICE_KEYS = ("title", "invoice_kind", "electronic", "invoice_code", "invoice_number", "date", "check_code",
                    "machine_number", "buyer_name", "buyer_tax_id", "buyer_address_phone", "buyer_bank_account",
                    "seller_name", "seller_tax_id", "seller_address_phone", "seller_bank_account",
                    "amount_without_tax", "tax_amount", "total_amount", "total_in_words", "payee", "reviewer",
                    "drawer", "remarks")
TRAIN_TICKET_KEYS = ("ticket_number", "train_number", "departure_station", "arrival_station", "date",
                     "departure_time", "seat", "seat_class", "total_amount", "gate", "invoice_number")
# One header for every document type: the union, in that order (`date`, `total_amount` are shared).
FIELD_KEYS = tuple(dict.fromkeys(VAT_INVOICE_KEYS + TRAIN_TICKET_KEYS))
EXTRACT_CSV_COLUMNS = ("file", "page", "index", "type", "valid", "failed_checks", *FIELD_KEYS)


def pages_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """`pages` of a PDF response; an image's response as its one page."""
    if "pages" in result:
        return result["pages"]
    return [{"page": 1, **result.get("image", {}), "results": result["results"]}]


def text_of(result: dict[str, Any]) -> str:
    """The lines of each page in reading order; pages separated by a form feed."""
    return "\n\f".join("\n".join(line["text"] for line in page["results"]) for page in pages_of(result))


def rows_of(name: str, result: dict[str, Any]) -> Iterator[tuple]:
    for page in pages_of(result):
        for index, line in enumerate(page["results"], 1):
            yield (name, page["page"], index, line["text"], line.get("confidence", ""), *line["bbox"])


def _cell(value: Any) -> Any:
    """Booleans as the JSON spells them (`true`/`false`), everything else as it is."""
    return str(value).lower() if isinstance(value, bool) else value


def document_rows(name: str, result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per document (its page, and its place on the page: several documents may share one):
    its type, validity, failed checks, and field values."""
    for document in result["documents"]:
        failed = ";".join(check["name"] for check in document["checks"] if not check["ok"])
        yield {"file": name, "page": document["page"], "index": document["index"], "type": document["type"],
               "valid": _cell(document["valid"]), "failed_checks": failed,
               **{key: _cell(field["value"]) for key, field in document["fields"].items()}}


def _open_or_stdout(path: Path | None) -> TextIO:
    if path is None:
        return sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8", newline="")


class JsonlWriter:
    """One JSON object per input: {"file", "ok": true, "result"} or {"file", "ok": false, "error"}."""

    def __init__(self, output: Path | None):
        self.stream = _open_or_stdout(output)

    def write(self, name: str, result: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
        record = {"file": name, "ok": True, "result": result} if error is None else {"file": name, "ok": False, "error": error}
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.stream is not sys.stdout:
            self.stream.close()


class CsvWriter:
    """One row per line of text; failed files are reported on stderr only."""

    def __init__(self, output: Path | None):
        self.stream = _open_or_stdout(output)
        self.csv = csv.writer(self.stream)
        self.csv.writerow(CSV_COLUMNS)

    def write(self, name: str, result: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
        if result is not None:
            self.csv.writerows(rows_of(name, result))

    close = JsonlWriter.close


class ExtractCsvWriter:
    """One row per document of an /extract answer, one column per field key: what a finance team
    loads into a spreadsheet. Boxes, confidences and items are in the JSONL only."""

    def __init__(self, output: Path | None):
        self.stream = _open_or_stdout(output)
        # a key outside the fixed list (a document type added later) is left to the JSONL
        self.csv = csv.DictWriter(self.stream, EXTRACT_CSV_COLUMNS, extrasaction="ignore")
        self.csv.writeheader()

    def write(self, name: str, result: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
        if result is not None:
            self.csv.writerows(document_rows(name, result))

    close = JsonlWriter.close


class TxtWriter:
    """A `<input name>.txt` per input under the output folder, mirroring the inputs' sub-folders."""

    def __init__(self, output: Path | None, root: Path):
        self.folder, self.root = output or Path("ocr-output"), root

    def write(self, name: str, result: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
        if result is None:
            return
        target = self.folder / Path(name).resolve().relative_to(self.root).with_suffix(Path(name).suffix + ".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text_of(result) + "\n", encoding="utf-8")

    def close(self) -> None:
        pass
