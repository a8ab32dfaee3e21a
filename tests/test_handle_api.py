"""Other Ray apps call the service through a deployment handle and get typed results."""
import pytest
from ray import serve

from ocr_ops.errors import NotAnImageError
from ocr_ops.options import OcrOptions
from ocr_ops.pipeline import PageResult
from tests.support import eval_image


def test_handle_returns_typed_results(service):
    handle = serve.get_app_handle("ocr")
    result = handle.ocr.remote(eval_image("rapidocr_ch_en_num.jpg")).result()
    assert isinstance(result, PageResult)
    assert result.lines[0].text == "正品促销" and (result.width, result.height) == (323, 430)
    line = handle.ocr.remote(eval_image("rapidocr_text_rec.jpg"), OcrOptions(det=False)).result()
    assert [l.text for l in line.lines] == ["韩国小馆"]


def test_handle_raises_input_errors_as_their_own_type(service):
    with pytest.raises(NotAnImageError):
        serve.get_app_handle("ocr").ocr.remote(b"not an image").result()
