"""A page's pixels go from the PageReader to the model stages and never back to the ingress: what the
ingress gets from its stage call is lines, sizes and timings. Checked on the real stage call the
ingress makes (`PageReader.read` through a handle) for a PDF, whose pages the PageReader renders."""
import pickle

import numpy as np
from ray import serve

from ocr_ops.options import OcrOptions
from ocr_ops.types import DocumentResult
from tests.support import three_page_pdf


def arrays_in(value, seen=None) -> list[np.ndarray]:
    """Every numpy array reachable from a result (dataclass fields, lists, tuples, dicts)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, (list, tuple)):
        children = list(value)
    elif hasattr(value, "__dataclass_fields__"):
        children = [getattr(value, name) for name in value.__dataclass_fields__]
    else:
        return []
    return [array for child in children for array in arrays_in(child, seen)]


def test_what_the_ingress_gets_back_holds_no_page_pixels(service):
    page_reader = serve.get_deployment_handle("PageReader", app_name="ocr")
    document = page_reader.read.remote(three_page_pdf(), OcrOptions()).result()
    assert isinstance(document, DocumentResult) and len(document.pages) == 3
    assert document.pages[0].lines[0].text == "正品促销"
    assert arrays_in(document) == []
    # The rendered pages are megabytes of BGR pixels; what crosses to the ingress is their lines.
    pixel_bytes = sum(page.width * page.height * 3 for page in document.pages)
    sent_back = len(pickle.dumps(document))
    assert pixel_bytes > 1_000_000 and sent_back < pixel_bytes / 50, (sent_back, pixel_bytes)
    # Previews, when asked for, come back as JPEG bytes encoded in the PageReader, not as arrays.
    with_previews = page_reader.read.remote(three_page_pdf(), OcrOptions(), True).result()
    assert arrays_in(with_previews) == []
    assert all(page.preview_jpeg.startswith(b"\xff\xd8") for page in with_previews.pages)
