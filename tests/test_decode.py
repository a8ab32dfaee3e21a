import numpy as np
import pytest
from PIL import Image

from ocr_ops.decode import composite_alpha, decode_image, load_image, sniff_format, stretch_to_uint8
from ocr_ops.errors import CorruptImageError, ImageTooLargeError, NotAnImageError, UnsupportedFormatError
from tests.support import eval_image, pil_bytes, png_claiming_size

LIMIT = 40_000_000


@pytest.mark.parametrize("fmt,expected", [("JPEG", "JPEG"), ("PNG", "PNG"), ("BMP", "BMP"),
                                          ("TIFF", "TIFF"), ("WEBP", "WEBP")])
def test_every_supported_format_decodes_to_bgr(fmt, expected):
    rgb = np.zeros((20, 30, 3), np.uint8)
    rgb[..., 0] = 255  # pure red in RGB
    data = pil_bytes(Image.fromarray(rgb), fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    decoded = decode_image(data, LIMIT)
    assert decoded.format == expected
    assert decoded.pixels.shape == (20, 30, 3) and decoded.pixels.dtype == np.uint8
    assert decoded.pixels[5, 5, 2] > 200 and decoded.pixels[5, 5, 0] < 50  # BGR order: red is last


def test_format_is_sniffed_from_bytes_not_names():
    assert sniff_format(eval_image("rapidocr_ch_en_num.jpg")) == "JPEG"
    with pytest.raises(NotAnImageError):
        sniff_format(b"hello, this is plain text")
    with pytest.raises(UnsupportedFormatError):
        sniff_format(b"%PDF-1.7\n...")
    with pytest.raises(UnsupportedFormatError):
        sniff_format(b"GIF89a....")


def test_empty_and_truncated_images_are_refused():
    with pytest.raises(NotAnImageError):
        decode_image(b"", LIMIT)
    jpeg = eval_image("rapidocr_ch_en_num.jpg")
    with pytest.raises(CorruptImageError):
        decode_image(jpeg[: len(jpeg) // 3], LIMIT)


def test_pixel_limit_is_checked_from_the_header_before_decoding():
    with pytest.raises(ImageTooLargeError, match="pixels"):
        decode_image(png_claiming_size(30_000, 30_000), LIMIT)
    with pytest.raises(ImageTooLargeError):
        decode_image(eval_image("rapidocr_ch_en_num.jpg"), max_pixels=1000)


def test_exif_orientation_is_applied():
    raw = Image.open(__import__("io").BytesIO(eval_image("rapidocr_img_exif_orientation.jpg")))
    assert raw.getexif().get(274) == 3  # stored upside down
    decoded = decode_image(eval_image("rapidocr_img_exif_orientation.jpg"), LIMIT).pixels
    stored = np.asarray(raw.convert("RGB"))[..., ::-1]
    assert np.abs(decoded.astype(int) - stored[::-1, ::-1].astype(int)).mean() < 1.0


@pytest.mark.parametrize("name,glyph_dark", [("rapidocr_black_font_color_transparent.png", True),
                                             ("rapidocr_white_font_color_transparent.png", False)])
def test_alpha_is_composited_onto_a_contrasting_background(name, glyph_dark):
    rgba = np.asarray(Image.open(__import__("io").BytesIO(eval_image(name))).convert("RGBA"))
    image = decode_image(eval_image(name), LIMIT).pixels.astype(int).mean(axis=2)
    opaque = rgba[..., 3] > 200
    glyph, background = image[opaque].mean(), image[~opaque].mean()
    assert abs(glyph - background) > 100
    assert (glyph < background) == glyph_dark


def test_composite_alpha_keeps_opaque_pixels():
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0] = (10, 20, 30, 255)
    out = composite_alpha(rgba)
    assert tuple(out[0, 0]) == (10, 20, 30)
    assert tuple(out[1, 1]) == (255, 255, 255)  # dark content -> white background


def test_one_bit_sixteen_bit_and_grayscale_images():
    one_bit = decode_image(eval_image("rapidocr_issue_170.png"), LIMIT)
    assert one_bit.source_mode == "1" and set(np.unique(one_bit.pixels)) <= {0, 255}
    gray = decode_image(eval_image("cnocr_helloworld.jpg"), LIMIT)
    assert gray.source_mode == "L" and gray.pixels.shape[2] == 3
    ramp = (np.arange(64, dtype=np.uint16).reshape(8, 8) * 64)  # 12-bit data in a 16-bit container
    sixteen = decode_image(pil_bytes(Image.fromarray(ramp), "PNG"), LIMIT)
    assert sixteen.source_mode.startswith("I") and sixteen.pixels.max() == 255 and sixteen.pixels.min() == 0


def test_stretch_handles_flat_images():
    assert stretch_to_uint8(np.full((3, 3), 7, np.uint16)).max() == 255
    assert stretch_to_uint8(np.zeros((3, 3), np.uint16)).max() == 0


def test_decoded_arrays_are_checked_like_uploads():
    bgr = np.zeros((20, 30, 3), np.uint8)
    assert load_image(bgr, LIMIT).pixels.shape == (20, 30, 3)
    assert load_image(np.zeros((20, 30), np.uint8), LIMIT).pixels.shape == (20, 30, 3)
    with pytest.raises(NotAnImageError, match="uint8"):
        load_image(np.zeros((20, 30, 4), np.uint8), LIMIT)
    with pytest.raises(NotAnImageError, match="uint8"):
        load_image(np.zeros((20, 30, 3), np.float32), LIMIT)
    with pytest.raises(ImageTooLargeError):
        load_image(bgr, max_pixels=100)
    with pytest.raises(CorruptImageError):
        load_image(np.zeros((0, 30, 3), np.uint8), LIMIT)
