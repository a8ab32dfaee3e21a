"""Amounts in capital Chinese numerals (大写) as printed on invoices: `壹仟叁佰圆整`,
`贰仟零伍拾圆零捌分`, `柒角`. cn2an 0.5.24 refuses the 角/分 forms after 元 (`叁佰零伍元零陆分`),
so this small parser reads them."""
from __future__ import annotations

from decimal import Decimal

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}


def parse_amount_in_words(text: str) -> Decimal | None:
    """The value of a 大写 amount, or None when `text` is not one."""
    text = text.strip().lstrip("⊗").replace("元", "圆").removesuffix("整").removesuffix("正")
    if not text:
        return None
    yuan_part, _, fraction = text.partition("圆")
    if "圆" not in text:
        yuan_part, fraction = "", text
    whole = _integer(yuan_part)
    cents = _fraction(fraction)
    if whole is None or cents is None:
        return None
    return Decimal(whole) + Decimal(cents) / 100


def _integer(text: str) -> int | None:
    total = section = digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (digit or (1 if char == "拾" else 0)) * SMALL_UNITS[char]
            digit = 0
        elif char in BIG_UNITS:
            total = (total + section + digit) * BIG_UNITS[char] if char == "亿" else total + (section + digit) * BIG_UNITS[char]
            section = digit = 0
        else:
            return None
    return total + section + digit


def _fraction(text: str) -> int | None:
    """角 and 分 -> cents; a leading 零 (`零捌分`) is only a placeholder."""
    cents, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in ("角", "分") and digit is not None:
            cents += digit * (10 if char == "角" else 1)
            digit = None
        else:
            return None
    return cents if digit in (None, 0) else None
