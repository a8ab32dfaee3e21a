"""The CRNN's character set: what invoices, receipts, addresses, company names and amounts need.

- the 3755 level-1 hanzi of GB2312 (the "commonly used" tier of the national standard, which
  covers the characters of ordinary business text: company names, addresses, amounts in
  capitals such as 壹贰叁, units, goods), enumerated from Python's own gb2312 codec so the list
  is reproducible without downloading anything;
- the printable ASCII range except the space (digits, Latin, half-width punctuation);
- full-width punctuation and symbols of Chinese documents (，。、；：？！（）《》【】“”‘’ ¥ ...).

The CTC class list is `<blank>`, then `charset.txt` line by line, then the space: the same
convention as the PP-OCR dictionaries, so the registry entry reads it with
`blank_first: true, space_last: true` from the ONNX metadata.
"""
from __future__ import annotations

from pathlib import Path

CHARSET_PATH = Path(__file__).with_name("charset.txt")
METADATA_KEY = "character"  # the ONNX metadata entry the exported model carries the list in

# Full-width forms of ASCII symbols that look the same in CJK fonts (％＋－／...) are left out:
# they would be classes the model cannot tell apart, and NFKC scoring folds them anyway.
CJK_PUNCTUATION = "，。、；：？！（）《》【】“”‘’—…·￥℃°×÷№"


def gb2312_level1() -> list[str]:
    """Rows 0xB0..0xD7 of GB2312 (level 1, 3755 hanzi; row 0xD7 ends at 0xF9)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            if row == 0xD7 and cell > 0xF9:
                break
            chars.append(bytes([row, cell]).decode("gb2312"))
    return chars


def build_charset() -> list[str]:
    ascii_printable = [chr(c) for c in range(0x21, 0x7F)]
    chars = ascii_printable + list(CJK_PUNCTUATION) + gb2312_level1()
    if len(set(chars)) != len(chars):
        raise ValueError("duplicate characters in the charset")
    return chars


def load_charset() -> list[str]:
    """The committed list (without blank and space)."""
    return CHARSET_PATH.read_text(encoding="utf-8").splitlines()


def ctc_classes(chars: list[str]) -> list[str]:
    """Class index -> character, as the decoder sees it: blank first, space last."""
    return ["<blank>"] + chars + [" "]


if __name__ == "__main__":
    CHARSET_PATH.write_text("\n".join(build_charset()) + "\n", encoding="utf-8")
    print(f"wrote {len(build_charset())} characters to {CHARSET_PATH}")
