"""Which kind of document a page is. Each document type is one module (labels, fields, checks);
adding a type is adding its module to DOCUMENT_TYPES."""
from __future__ import annotations

from types import ModuleType

from ocr_ops.extract import train_ticket, vat_invoice
from ocr_ops.extract.layout import Page

DOCUMENT_TYPES: tuple[ModuleType, ...] = (vat_invoice, train_ticket)
MIN_SCORE = 4  # evidence below this is a page of something else ("unknown")


def document_type(name: str) -> ModuleType:
    for module in DOCUMENT_TYPES:
        if module.NAME == name:
            return module
    raise ValueError(f"unknown document type {name!r}; use auto or one of "
                     f"{', '.join(m.NAME for m in DOCUMENT_TYPES)}")


def classify(page: Page) -> ModuleType | None:
    """The type with the most evidence on the page, or None when none has enough."""
    scored = max(DOCUMENT_TYPES, key=lambda m: m.score(page))
    return scored if scored.score(page) >= MIN_SCORE else None
