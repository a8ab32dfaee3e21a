import numpy as np
import pytest

from ocr_ops.enhance import STEPS, apply_steps
from ocr_ops.errors import InvalidOptionError
from ocr_ops.options import OcrOptions
from tests.support import render_text


@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_step_keeps_a_three_channel_uint8_image(step):
    page = render_text(["Invoice 2024-001", "Total 128.00"], size=(400, 200))
    out = apply_steps(page, (step,))
    assert out.shape == page.shape and out.dtype == np.uint8


def test_threshold_binarises_and_grayscale_drops_colour():
    page = render_text(["Receipt"], size=(300, 100), ink=(0, 0, 200))
    binary = apply_steps(page, ("threshold",))
    assert set(np.unique(binary)) <= {0, 255}
    gray = apply_steps(page, ("grayscale",))
    assert (gray[..., 0] == gray[..., 1]).all() and (gray[..., 1] == gray[..., 2]).all()


def test_equalize_restores_contrast_of_a_washed_out_page():
    faded = render_text(["Faded text"], size=(300, 100), ink=(150, 150, 150), paper=(180, 180, 180))
    spread = lambda im: np.percentile(im, 98) - np.percentile(im, 2)  # noqa: E731
    assert spread(apply_steps(faded, ("equalize",))) > 1.5 * spread(faded)


def test_options_validate_where_they_are_defined():
    assert OcrOptions(enhance="grayscale").enhance == ("grayscale",)
    assert OcrOptions(enhance="none").enhance_steps == ()
    assert OcrOptions(enhance=["equalize", "denoise"]).enhance == ("equalize", "denoise")
    with pytest.raises(InvalidOptionError, match="unknown step"):
        OcrOptions(enhance=("sharpen",))
    with pytest.raises(InvalidOptionError, match="between"):
        OcrOptions(resize_height=5)
    with pytest.raises(InvalidOptionError, match="det=false"):
        OcrOptions(det=False, resize_height=64)


def test_enhancement_cost_is_bounded():
    """A step repeated (30 x denoise once took a core for a minute) is refused, and so is
    denoise on a page over its pixel limit; the same step once on a small page still runs."""
    import numpy as np

    from ocr_ops.page import prepare_page
    from ocr_ops.params import EnhanceParams, PipelineParams

    with pytest.raises(InvalidOptionError, match="at most once"):
        OcrOptions(enhance=("denoise",) * 30)
    params = PipelineParams(enhance=EnhanceParams(max_denoise_pixels=10_000))
    with pytest.raises(InvalidOptionError, match="denoise is limited"):
        prepare_page(np.full((200, 100, 3), 255, np.uint8), OcrOptions(enhance="denoise"), params)
    small = prepare_page(np.full((50, 100, 3), 255, np.uint8), OcrOptions(enhance="denoise"), params)
    assert small.enhancements == ("denoise",)
