"""A Python client and command-line tool for the OCR service's HTTP API.

    from ocr_client import OCRClient
    with OCRClient("http://127.0.0.1:8000") as client:
        result = client.ocr("invoice.jpg")  # the service's JSON response, as a dict
        fields = client.extract("invoice.jpg")["documents"][0]["fields"]  # checked invoice fields
"""
from ocr_client.client import OCRClient, OCRError

__all__ = ["OCRClient", "OCRError"]
