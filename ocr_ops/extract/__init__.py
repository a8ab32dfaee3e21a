"""Fields of VAT invoices and train tickets from a page's text lines, checked (issue 13).

Pure: no Ray, no HTTP. `extract_document(lines, image, doc_type, today, source)` is the entry point."""
from ocr_ops.extract.document import extract_document  # noqa: F401
from ocr_ops.extracted import Check, ExtractedDocument, ExtractedField, LineItem  # noqa: F401
