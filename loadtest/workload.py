"""The pages and line crops every benchmark and load test sends, so their figures compare."""
from __future__ import annotations

from dataclasses import dataclass

from synthetic.documents import render_invoice
from evaluation.eval_set import eval_cases

INVOICE_SEEDS = (1, 2, 3, 4)
# Pages the opt-in PP-OCRv4 recognizer reads no text on (docs/ACCURACY.md): a load test that
# checks every response for text would count them as failures on every request and hide real
# ones; the benchmark measures both model sets on the same pages.
UNREADABLE_PAGES = {"rapidocr_ch_doc_server.png"}


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    fields: tuple[tuple[str, str], ...] = ()  # form fields sent with it, e.g. (("det", "false"),)


def page_uploads() -> list[Upload]:
    """Full pages: the public eval pages (flyer, text pages, receipts-like crops) plus
    synthetic VAT invoices."""
    pages = [Upload(c.image.name, c.data) for c in eval_cases()
             if c.kind == "page" and c.image.name not in UNREADABLE_PAGES]
    pages += [Upload(p.name, p.data) for p in map(render_invoice, INVOICE_SEEDS)]
    return pages


def line_uploads() -> list[Upload]:
    """Single text-line crops, sent with det=false."""
    return [Upload(c.image.name, c.data) for c in eval_cases() if c.kind == "line"]
