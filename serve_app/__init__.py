"""Ray Serve wiring of the OCR pipeline: thin deployments over `ocr_ops`, one typed config."""
from serve_app.app import build_app

__all__ = ["build_app"]
