"""The fonts everything synthetic is drawn with: files of Debian's font packages
(system-packages.txt), named once here for the documents, their PDFs, the CRNN's training lines
and the tests that draw text."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path("/usr/share/fonts")
NOTO_SANS_CJK = FONT_DIR / "opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_CJK_BOLD = FONT_DIR / "opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SERIF_CJK = FONT_DIR / "opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SERIF_CJK_BOLD = FONT_DIR / "opentype/noto/NotoSerifCJK-Bold.ttc"
WQY_ZENHEI = FONT_DIR / "truetype/wqy/wqy-zenhei.ttc"
WQY_MICROHEI = FONT_DIR / "truetype/wqy/wqy-microhei.ttc"
AR_PL_UMING = FONT_DIR / "truetype/arphic/uming.ttc"
DEJAVU_SANS = FONT_DIR / "truetype/dejavu/DejaVuSans.ttf"
DEJAVU_SERIF = FONT_DIR / "truetype/dejavu/DejaVuSerif.ttf"
DEJAVU_SANS_MONO = FONT_DIR / "truetype/dejavu/DejaVuSansMono.ttf"

# A TrueType CJK font that PDF writers can embed (Noto CJK's outlines are CFF, which they cannot).
EMBEDDABLE_CJK_FONT = WQY_ZENHEI
# The documents use the first of these present, face 0 of the collection.
DOCUMENT_FONTS = (NOTO_SANS_CJK, NOTO_SERIF_CJK, WQY_ZENHEI)
MISSING_CJK = ("no CJK font found; install Debian's fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei "
               "fonts-arphic-uming fonts-dejavu-core")


@dataclass(frozen=True)
class Font:
    path: Path
    index: int  # the face in a collection (.ttc)
    cjk: bool  # covers Chinese; a Latin-only font draws only ASCII lines


# The CRNN's training lines draw with every one of these that is installed.
LINE_FONTS = (
    Font(NOTO_SANS_CJK, 2, True),  # index 2: the Simplified Chinese face
    Font(NOTO_SANS_CJK_BOLD, 2, True),
    Font(NOTO_SERIF_CJK, 2, True),
    Font(NOTO_SERIF_CJK_BOLD, 2, True),
    Font(WQY_ZENHEI, 0, True),
    Font(WQY_MICROHEI, 0, True),
    Font(AR_PL_UMING, 0, True),
    Font(DEJAVU_SANS, 0, False),
    Font(DEJAVU_SERIF, 0, False),
    Font(DEJAVU_SANS_MONO, 0, False),
)


def line_fonts() -> list[Font]:
    """The installed LINE_FONTS; at least one must cover Chinese."""
    fonts = [font for font in LINE_FONTS if font.path.is_file()]
    if not any(font.cjk for font in fonts):
        raise FileNotFoundError(MISSING_CJK)
    return fonts


def document_font_file() -> Path:
    for candidate in DOCUMENT_FONTS:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(MISSING_CJK)


@lru_cache(maxsize=64)
def document_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(document_font_file()), size)
