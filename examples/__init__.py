"""Example applications that use the OCR service from inside a Ray cluster."""
