"""Bytes in, a page ready for detection out: decode, optional resize and enhancement."""
from __future__ import annotations

from ocr_ops.classification import resize_to_height
from ocr_ops.decode import decode_image
from ocr_ops.detection import prepare_detection_input
from ocr_ops.enhance import apply_steps
from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import OcrOptions
from ocr_ops.params import PipelineParams
from ocr_ops.types import PreparedPage


def prepare_page(data: bytes, options: OcrOptions, params: PipelineParams) -> tuple[PreparedPage, tuple[str, ...]]:
    """Decode and enhance one upload; also return the enhancement steps actually applied."""
    decoded = decode_image(data, params.decode.max_pixels)
    image = decoded.pixels
    if options.resize_height is not None:
        width = round(decoded.width * options.resize_height / decoded.height)
        if width * options.resize_height > params.decode.max_pixels:
            raise InvalidOptionError(
                f"resize_height={options.resize_height} would make the page {width}x"
                f"{options.resize_height}, over the limit of {params.decode.max_pixels} pixels")
        image = resize_to_height(image, options.resize_height, max_width=width)
    steps = options.enhance_steps
    image = apply_steps(image, steps)
    detection_input = prepare_detection_input(image, params.detection) if options.det else None
    page = PreparedPage(image=image, original_width=decoded.width, original_height=decoded.height,
                        detection_input=detection_input)
    return page, steps
