"""Other Ray apps call the service through a deployment handle and get typed results."""
import pytest
from ray import serve

from ocr_ops.decode import decode_image
from ocr_ops.errors import NotAnImageError
from ocr_ops.options import OcrOptions
from ocr_ops.types import PageResult
from tests.support import eval_image


def test_handle_returns_typed_results(service):
    handle = serve.get_app_handle("ocr")
    result = handle.ocr.remote(eval_image("rapidocr_ch_en_num.jpg")).result()
    assert isinstance(result, PageResult)
    assert result.lines[0].text == "正品促销" and (result.width, result.height) == (323, 430)
    line = handle.ocr.remote(eval_image("rapidocr_text_rec.jpg"), OcrOptions(det=False)).result()
    assert [l.text for l in line.lines] == ["韩国小馆"]
    pixels = decode_image(eval_image("rapidocr_ch_en_num.jpg"), 10**8).pixels  # a caller's BGR array
    from_array = handle.ocr.remote(pixels).result()
    assert [l.text for l in from_array.lines] == [l.text for l in result.lines]


def test_handle_raises_input_errors_as_their_own_type(service):
    with pytest.raises(NotAnImageError):
        serve.get_app_handle("ocr").ocr.remote(b"not an image").result()


def test_another_serve_app_composes_the_ocr_app_through_its_handle(service):
    from examples.consumer_app import KeywordSpotter

    # No CPU reservation: the OCR app already holds the session cluster's two CPUs, and the
    # spotter only awaits the OCR app's handle.
    spotter = KeywordSpotter.options(ray_actor_options={"num_cpus": 0}).bind("ocr")
    serve.run(spotter, name="consumer", route_prefix=None)
    try:
        found = serve.get_app_handle("consumer").spot.remote(
            eval_image("rapidocr_ch_en_num.jpg"), ["正品促销", "大桶装", "no such words"]).result()
    finally:
        serve.delete("consumer")
    assert found["正品促销"] == ["正品促销"]
    assert any("大桶装" in line for line in found["大桶装"])
    assert found["no such words"] == []
