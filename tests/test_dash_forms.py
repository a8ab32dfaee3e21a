"""Dashes between digits and Latin letters come back as dashes, not as 一 (U+4E00), on lines the
tests draw with Debian's CJK fonts. This is why no text rule rewrites 一 into dashes: the default
recognizer does not make that mistake there, and between Chinese characters no rule can tell
`一一` (一一对应, "one to one") from a dash: it reads 一一对应 as ——对应 (docs/BENCHMARKS.md)."""
import pytest

from ocr_ops.options import OcrOptions
from synthetic.fonts import NOTO_SANS_CJK, WQY_ZENHEI
from tests.support import encode, render_with_font

LINES = ["日期 2026-01-15 电话 010-88886666", "标准 ISO-9001 型号 HP-M404", "A-B-C 2020—2021"]
FONTS = [str(NOTO_SANS_CJK), str(WQY_ZENHEI)]


@pytest.mark.parametrize("font", FONTS)
def test_dashes_between_digits_and_letters_are_read_as_dashes(pipeline, font):
    found = [line.text.replace(" ", "") for line in pipeline.run(encode(render_with_font(LINES, font, 16)),
                                                                 OcrOptions()).lines]
    assert found == [line.replace(" ", "") for line in LINES]
