"""E-invoice QR codes: decoded with OpenCV's QRCodeDetector, payload parsed into field values.

The payload is comma separated, commonly `version, type, 发票代码, 发票号码, amount, YYYYMMDD, 校验码,
tail` (数电: empty code and check code). Variants drop or add elements, so the date is located
first and the other values are taken relative to it."""
from __future__ import annotations

import re

import cv2
import numpy as np

from ocr_ops.extract.text import iso_date


def decode_qr(image: np.ndarray) -> str | None:
    """The text of the first QR code on the page, or None."""
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    except cv2.error:
        return None
    return text or None


def parse_invoice_qr(payload: str) -> dict[str, str]:
    """Field values carried by an invoice QR payload (keys as in the response: invoice_code,
    invoice_number, date, check_code; `amount` is the QR's amount); {} when it is not one."""
    parts = [p.strip() for p in payload.split(",")]
    for i in range(3, len(parts)):
        part = parts[i]
        if not re.fullmatch(r"\d{8}", part):
            continue
        day = f"{part[:4]}-{part[4:6]}-{part[6:]}"
        if not "1990" <= part[:4] <= "2100" or iso_date(day) is None or not re.fullmatch(r"\d+\.\d{1,2}", parts[i - 1]):
            continue
        out = {"date": day, "amount": f"{float(parts[i - 1]):.2f}"}
        if re.fullmatch(r"\d{8}|\d{20}", parts[i - 2]):
            out["invoice_number"] = parts[i - 2]
        if i >= 3 and re.fullmatch(r"\d{10}|\d{12}", parts[i - 3]):
            out["invoice_code"] = parts[i - 3]
        if i + 1 < len(parts) and re.fullmatch(r"\d{20}", parts[i + 1]):
            out["check_code"] = parts[i + 1]
        return out
    return {}
