"""Bytes -> BGR uint8 array, safely.

The format is sniffed from the leading bytes (never the file name), the pixel count is checked
from the header before anything is decompressed (decompression bombs are refused cheaply), EXIF
orientation is applied, and alpha is composited onto whichever background keeps the glyphs
visible: black text on transparency goes onto white, white text onto black.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from ocr_ops.errors import CorruptImageError, ImageTooLargeError, NotAnImageError, UnsupportedFormatError

# Pillow format names of the formats we decode, keyed by how their bytes start.
_SUPPORTED_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"WEBP", 8, "WEBP"),
)
# Recognisable files we deliberately do not decode here: a 415, not a 400.
_UNSUPPORTED_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF", 0, "PDF"),
    (b"GIF8", 0, "GIF"),
    (b"ftypheic", 4, "HEIC"),
    (b"ftypavif", 4, "AVIF"),
    (b"<svg", 0, "SVG"),
    (b"<?xml", 0, "XML/SVG"),
)
SUPPORTED_FORMATS = ("JPEG", "PNG", "BMP", "TIFF", "WEBP")


@dataclass(frozen=True)
class DecodedImage:
    pixels: np.ndarray  # H x W x 3, uint8, BGR (OpenCV order)
    format: str
    source_mode: str  # Pillow mode of the file, e.g. "RGBA", "1", "I;16"

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def sniff_format(data: bytes) -> str:
    """The image format named by the file's leading bytes; raises for anything else."""
    if data[:4] == b"RIFF" and data[8:12] != b"WEBP":
        raise UnsupportedFormatError("RIFF container that is not WebP")
    for signature, offset, name in _SUPPORTED_SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            return name
    for signature, offset, name in _UNSUPPORTED_SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            raise UnsupportedFormatError(
                f"{name} files are not supported; send one of {', '.join(SUPPORTED_FORMATS)}")
    raise NotAnImageError(
        f"the data is not an image (its first bytes match none of {', '.join(SUPPORTED_FORMATS)})")


def load_image(image: bytes | np.ndarray, max_pixels: int) -> DecodedImage:
    """An upload's bytes, or an image already decoded in memory (a rendered PDF page, a handle
    caller's array), as a checked BGR page: arrays are not encoded only to be decoded again."""
    if isinstance(image, np.ndarray):
        return image_from_array(image, max_pixels)
    return decode_image(image, max_pixels)


def image_from_array(array: np.ndarray, max_pixels: int) -> DecodedImage:
    """H x W (grayscale) or H x W x 3 (BGR) uint8, held to the same limits as an upload."""
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise NotAnImageError(
            f"an image array must be H x W or H x W x 3 uint8 (BGR), not {array.shape} {array.dtype}")
    height, width = array.shape[:2]
    if width == 0 or height == 0:
        raise CorruptImageError(f"the image array has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageTooLargeError(
            f"{width}x{height} = {width * height} pixels is over the limit of {max_pixels}")
    if array.ndim == 2:
        return DecodedImage(pixels=cv2.cvtColor(array, cv2.COLOR_GRAY2BGR), format="ARRAY", source_mode="L")
    return DecodedImage(pixels=np.ascontiguousarray(array), format="ARRAY", source_mode="BGR")


def decode_image(data: bytes, max_pixels: int) -> DecodedImage:
    """Decode `data` into a 3-channel BGR array, refusing images over `max_pixels`."""
    if not data:
        raise NotAnImageError("the image is empty (0 bytes)")
    fmt = sniff_format(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[fmt])
        except Image.DecompressionBombError as exc:
            raise ImageTooLargeError(str(exc)) from None
        except Exception as exc:  # Pillow raises many types for broken headers
            raise CorruptImageError(f"cannot read the {fmt} header: {exc}") from None
        width, height = image.size
        if width * height > max_pixels:
            raise ImageTooLargeError(
                f"{width}x{height} = {width * height} pixels is over the limit of {max_pixels}")
        if width == 0 or height == 0:
            raise CorruptImageError(f"the {fmt} image has no pixels ({width}x{height})")
        try:
            image.load()
            mode = image.mode
            image = ImageOps.exif_transpose(image)
        except Image.DecompressionBombError as exc:
            raise ImageTooLargeError(str(exc)) from None
        except Exception as exc:
            raise CorruptImageError(f"cannot decode the {fmt} image: {exc}") from None
    return DecodedImage(pixels=_to_bgr(image), format=fmt, source_mode=mode)


def _to_bgr(image: Image.Image) -> np.ndarray:
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = np.asarray(image.convert("RGBA"))
        return cv2.cvtColor(composite_alpha(rgba), cv2.COLOR_RGB2BGR)
    if mode == "1":
        image = image.convert("L")
        mode = "L"
    if mode.startswith("I") or mode == "F":
        return cv2.cvtColor(stretch_to_uint8(np.asarray(image)), cv2.COLOR_GRAY2BGR)
    if mode == "L":
        return cv2.cvtColor(np.asarray(image), cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)


def stretch_to_uint8(values: np.ndarray) -> np.ndarray:
    """Map a high-bit-depth single channel (16-bit, 32-bit, float) onto 0..255 by its own range,
    so 12-bit data stored in 16-bit containers is not left nearly black."""
    values = values.astype(np.float32)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.full(values.shape, 255 if low > 0 else 0, np.uint8)
    return np.round((values - low) * (255.0 / (high - low))).astype(np.uint8)


def composite_alpha(rgba: np.ndarray) -> np.ndarray:
    """Flatten RGBA onto white or black, whichever contrasts with the opaque content."""
    rgb = rgba[..., :3].astype(np.float32)
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    opaque = alpha[..., 0] > 0.5
    if opaque.any() and not opaque.all():
        luminance = rgb[opaque] @ np.array([0.299, 0.587, 0.114], np.float32)
        background = 255.0 if luminance.mean() < 128 else 0.0
    else:
        background = 255.0
    return np.round(rgb * alpha + background * (1.0 - alpha)).astype(np.uint8)
