"""English words come back as separate words: lines the tests draw with Debian's fonts (Latin and
mixed Chinese/English, as invoices print them) through the default in-process pipeline.

Whitespace-free CER calls `Thisisonesentence.` perfect; PP-OCRv4 mobile rec returns exactly that
for these pages (0-1 of 29 words kept apart), the default PP-OCRv6 small rec keeps all 29."""
import pytest

from evaluation.scoring import WordsKept, words_kept
from ocr_ops.options import OcrOptions
from synthetic.fonts import NOTO_SANS_CJK, WQY_ZENHEI
from tests.support import SUMMARY, encode, render_text, render_with_font

LINES = ["This is one sentence without any tricks.", "Please send the invoice to our office by Friday.",
         "Hello world 你好世界 price list", "Invoice No. 12345 发票号码 Total due",
         "Bank of China 中国银行 account name"]
LATIN_LINES = LINES[:2]
FONTS = {"noto-sans-cjk": str(NOTO_SANS_CJK), "wqy-zenhei": str(WQY_ZENHEI)}


def kept(pipeline, image, lines) -> WordsKept:
    found = [line.text for line in pipeline.run(encode(image), OcrOptions()).lines]
    return sum((words_kept(expected, found) for expected in lines), WordsKept(0, 0))


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("size", [14, 24])
def test_rendered_words_kept_apart(pipeline, font, size):
    result = kept(pipeline, render_with_font(LINES, FONTS[font], size), LINES)
    SUMMARY.append(f"words, {font} {size} px: {result.summary()}")
    assert result == WordsKept(29, 29)


def test_hershey_words_kept_apart(pipeline):
    result = kept(pipeline, render_text(LATIN_LINES, size=(1300, 200), scale=1.2), LATIN_LINES)
    assert result == WordsKept(16, 16)
