"""Text normalisation for matching, and parsers that turn printed values into the response formats.

Matching works on a *key* form of a line: NFKC (full-width colons, brackets and digits become
half-width), whitespace and punctuation removed, so `名 称：`, `名称:` and `名称` are one label.
The key keeps a map back to the printed text, so values are cut from what was printed."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

PUNCTUATION = set(" \t\u3000:;,.、，：；()（）[]【】<>《》/／\\_-—'\"“”‘’·")


@dataclass(frozen=True)
class KeyText:
    key: str
    origin: tuple[int, ...]  # index in the printed text of each key character


def key_text(text: str) -> KeyText:
    chars, origin = [], []
    for i, c in enumerate(text):
        for n in unicodedata.normalize("NFKC", c):
            if n not in PUNCTUATION and not n.isspace():
                chars.append(n)
                origin.append(i)
    return KeyText("".join(chars), tuple(origin))


def label_key(label: str) -> str:
    return key_text(label).key


def strip_value(text: str) -> str:
    """A value as printed, without the colons, brackets and spaces around it."""
    return text.strip(" \t\u3000:：;；,，、()（）")


def compact(text: str) -> str:
    """NFKC without whitespace: the form values are compared and parsed in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


AMOUNT = re.compile(r"\d[\d,]*\.\d{1,2}|\d+")


def parse_amount(text: str) -> str | None:
    """`¥1,150.44`, `Y1150.44`, `¥63.5元` -> `1150.44`, `63.50`; `***` (tax exempt) stays."""
    text = compact(text)
    if "***" in text or text in ("*", "**"):
        return "***"
    match = AMOUNT.search(text)
    if not match:
        return None
    try:
        return f"{Decimal(match.group().replace(',', '')):.2f}"
    except InvalidOperation:
        return None


DATE = re.compile(r"(\d{4})\D{0,2}?(\d{1,2})\D{0,2}?(\d{1,2})")


def parse_date(text: str) -> str | None:
    """`2024年06月18日` (or `2024-06-18`, spaced digits) -> `2024-06-18`; impossible dates are kept
    in ISO form so the date check can say what is wrong."""
    match = DATE.search(compact(text))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_digits(text: str, lengths: tuple[int, ...] = ()) -> str | None:
    """The longest digit run (spaces inside removed: `12345 67890` is one run); None when it has
    none of the allowed lengths (when given)."""
    runs = re.findall(r"\d+", compact(text))
    if not runs:
        return None
    best = max(runs, key=len)
    if lengths and len(best) not in lengths and len(best) < min(lengths):
        return None
    return best


TAX_ID = re.compile(r"[0-9A-Z]{15,20}")


def parse_tax_id(text: str) -> str | None:
    """A 15-20 character code (18 for a credit code); letters upper-cased, O read as 0."""
    text = compact(text).upper()
    match = TAX_ID.search(text.replace("O", "0").replace("I", "1"))
    return match.group() if match else None


def parse_text(text: str) -> str | None:
    """Free text (a name, an address): anything with a letter, digit or CJK character in it."""
    value = strip_value(text)
    return value if any(c.isalnum() for c in value) else None
