"""An image in (bytes or a decoded array), a page ready for detection out: decode, optional
resize and enhancement."""
from __future__ import annotations

import numpy as np

from ocr_ops.decode import load_image
from ocr_ops.detection import prepare_detection_input
from ocr_ops.enhance import apply_steps
from ocr_ops.errors import InvalidOptionError
from ocr_ops.geometry import resize_to_height
from ocr_ops.options import AUTO, OcrOptions
from ocr_ops.orientation import PageOrientation, rotate_upright
from ocr_ops.params import PipelineParams
from ocr_ops.timing import StageTimer
from ocr_ops.types import PreparedPage


def prepare_page(image: bytes | np.ndarray, options: OcrOptions, params: PipelineParams,
                 orientation: PageOrientation | None = None, timer: StageTimer | None = None) -> PreparedPage:
    """Decode, turn upright (pages only, with `orientation` and options.orientation=auto),
    resize and enhance one image, and prepare the detector's input. `timer` gets the turning as
    `orientation` (a model of its own, worth watching apart) and the rest as `preprocess`."""
    timer = timer or StageTimer()
    with timer.stage("preprocess"):
        decoded = load_image(image, params.decode.max_pixels)
    pixels, angle = decoded.pixels, 0
    if orientation is not None and options.det and options.orientation == AUTO:
        with timer.stage("orientation"):
            angle = orientation.angle(pixels)
            pixels = rotate_upright(pixels, angle)
    with timer.stage("preprocess"):
        return _resized_and_enhanced(pixels, decoded.width, decoded.height, angle, options, params)


def _resized_and_enhanced(pixels: np.ndarray, original_width: int, original_height: int, angle: int,
                          options: OcrOptions, params: PipelineParams) -> PreparedPage:
    if options.resize_height is not None:
        width = round(pixels.shape[1] * options.resize_height / pixels.shape[0])
        if width * options.resize_height > params.decode.max_pixels:
            raise InvalidOptionError(
                f"resize_height={options.resize_height} would make the page {width}x"
                f"{options.resize_height}, over the limit of {params.decode.max_pixels} pixels")
        pixels = resize_to_height(pixels, options.resize_height, max_width=width)
    steps = options.enhance_steps
    pixel_count = pixels.shape[0] * pixels.shape[1]
    if "denoise" in steps and pixel_count > params.enhance.max_denoise_pixels:
        raise InvalidOptionError(
            f"enhance=denoise is limited to pages of {params.enhance.max_denoise_pixels} pixels (about 1 s of CPU "
            f"per megapixel); this page has {pixel_count}: send a smaller image or set resize_height")
    pixels = apply_steps(pixels, steps)
    detection_input = prepare_detection_input(pixels, params.detection) if options.det else None
    return PreparedPage(image=pixels, original_width=original_width, original_height=original_height,
                        detection_input=detection_input, enhancements=steps, angle=angle)
