"""Checks of what was read, one small named function each.

A check takes the field values (`str | bool` by key), the line items and today's date, and returns
a `Check`, or None when the fields it needs are not on the document (nothing to check)."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Callable

from stdnum.cn import uscc

from ocr_ops.extract.amount_words import parse_amount_in_words
from ocr_ops.extracted import Check, LineItem
from ocr_ops.extract.text import iso_date

Values = dict[str, "str | bool"]
CheckFn = Callable[[Values, list[LineItem], datetime.date], "Check | None"]
CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    """An amount field as a number; `***` (tax exempt) counts as zero."""
    if value == "***":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return None


def required(keys: tuple[str, ...]) -> CheckFn:
    def required_fields(values: Values, items, today) -> Check:
        missing = [k for k in keys if k not in values]
        return Check("required_fields", not missing,
                     f"missing: {', '.join(missing)}" if missing else "all required fields found")
    return required_fields


def tax_id_checksum(key: str) -> CheckFn:
    """GB 32100-2015 check character of an 18-character credit code; older 15-digit tax IDs have none."""
    def check(values: Values, items, today) -> Check | None:
        value = values.get(key)
        if not isinstance(value, str):
            return None
        if re.fullmatch(r"\d{15}", value):
            return Check(f"{key}_checksum", True, "15-digit tax ID (no check character)")
        ok = uscc.is_valid(value)
        return Check(f"{key}_checksum", ok, "check character matches" if ok else
                     f"{value!r} is not a valid unified social credit code")
    return check


def _digits_format(key: str, lengths: Callable[[Values], tuple[int, ...]]) -> CheckFn:
    def check(values: Values, items, today) -> Check | None:
        value = values.get(key)
        if not isinstance(value, str):
            return None
        allowed = lengths(values)
        ok = value.isdigit() and len(value) in allowed
        return Check(f"{key}_format", ok, f"{len(value)} digits" if ok else
                     f"expected {' or '.join(map(str, allowed))} digits, got {value!r}")
    return check


def _is_digital(values: Values) -> bool:
    """数电 invoices: no invoice code and a 20-digit number."""
    return "invoice_code" not in values and len(str(values.get("invoice_number", ""))) == 20


invoice_code_format = _digits_format("invoice_code", lambda v: (10, 12))
invoice_number_format = _digits_format("invoice_number", lambda v: (20,) if _is_digital(v) else (8,))
check_code_format = _digits_format("check_code", lambda v: (20,))
e_ticket_number_format = _digits_format("invoice_number", lambda v: (20,))  # 电子发票（铁路电子客票）


def date_valid(values: Values, items, today: datetime.date) -> Check | None:
    value = values.get("date")
    if not isinstance(value, str):
        return None
    day = iso_date(value)
    if day is None:
        return Check("date_valid", False, f"{value!r} is not a calendar date")
    if day > today:
        return Check("date_valid", False, f"{value} is in the future")
    return Check("date_valid", True, value)


def amounts_add_up(values: Values, items, today) -> Check | None:
    amount, tax, total = (_decimal(values.get(k)) for k in ("amount_without_tax", "tax_amount", "total_amount"))
    if None in (amount, tax, total):
        return None
    ok = amount + tax == total
    return Check("amounts_add_up", ok, f"{amount} + {tax} {'=' if ok else '!='} {total}")


def total_in_words_matches(values: Values, items, today) -> Check | None:
    words, total = values.get("total_in_words"), _decimal(values.get("total_amount"))
    if not isinstance(words, str) or total is None:
        return None
    spoken = parse_amount_in_words(words)
    if spoken is None:
        return Check("total_in_words_matches", False, f"{words!r} is not an amount in words")
    ok = spoken == total
    return Check("total_in_words_matches", ok, f"{words} = {spoken}" + ("" if ok else f" != {total}"))


def items_add_up(values: Values, items: list[LineItem], today) -> Check | None:
    expected = _decimal(values.get("amount_without_tax"))
    amounts = [_decimal(i.amount) for i in items]
    if not items or expected is None or None in amounts:
        return None
    total = sum(amounts, Decimal(0))
    ok = total == expected
    return Check("items_add_up", ok, f"items sum to {total}" + ("" if ok else f", not {expected}"))


def item_taxes(values: Values, items: list[LineItem], today) -> Check | None:
    """Each item's tax is its amount x rate, rounded per line (a cent of slack)."""
    wrong, seen = [], 0
    for n, item in enumerate(items, 1):
        amount, tax = _decimal(item.amount), _decimal(item.tax)
        rate = re.fullmatch(r"(\d+(?:\.\d+)?)%", item.tax_rate.strip())
        if amount is None or tax is None or rate is None:
            continue
        seen += 1
        if abs(amount * Decimal(rate.group(1)) / 100 - tax) > CENT:
            wrong.append(f"item {n}: {amount} x {rate.group(1)}% != {tax}")
    if not seen:
        return None
    return Check("item_taxes", not wrong, "; ".join(wrong) or f"{seen} items' taxes match their rates")


TRAIN_NUMBER = re.compile(r"[GDCZTKYSL]?\d{1,4}")


def train_number_format(values: Values, items, today) -> Check | None:
    value = values.get("train_number")
    if not isinstance(value, str):
        return None
    ok = TRAIN_NUMBER.fullmatch(value) is not None
    return Check("train_number_format", ok, value if ok else f"{value!r} is not a train number")


def departure_time_valid(values: Values, items, today) -> Check | None:
    value = values.get("departure_time")
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d{2}):(\d{2})", value)
    ok = match is not None and int(match.group(1)) < 24 and int(match.group(2)) < 60
    return Check("departure_time_valid", ok, value if ok else f"{value!r} is not a time of day")


def qr_matches(values: Values, qr: dict[str, str]) -> Check | None:
    """The QR code's values equal the printed ones (the QR's amount is 金额, or 价税合计 on some kinds)."""
    if not qr:
        return None
    wrong = []
    for key, value in qr.items():
        printed = values.get(key)
        if key == "amount":
            amounts = {_decimal(values.get(k)) for k in ("amount_without_tax", "total_amount")} - {None}
            if amounts and _decimal(value) not in amounts:
                wrong.append(f"amount {value}")
        elif printed is not None and printed != value:
            wrong.append(f"{key} {value} (printed {printed})")
    return Check("qr_matches", not wrong, "QR code agrees with the printed fields" if not wrong
                 else "QR code differs: " + ", ".join(wrong))
