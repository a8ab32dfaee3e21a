"""An example of another Ray Serve application composing the OCR app through its deployment
handle: a keyword spotter that says which words occur on a page and on which lines. It gets the
OCR app's typed `PageResult`, never a JSON string, and no HTTP hop is involved.

Deploy it beside the OCR app (named "ocr") as one more entry under `applications` in the Serve
config (`import_path: examples.consumer_app:app`, a `route_prefix` other than the OCR app's), or
from a driver on the cluster, as tests/test_handle_api.py does:

    serve.run(app, name="consumer", route_prefix=None)

    handle = serve.get_app_handle("consumer")
    await handle.spot.remote(image_bytes, ["TOTAL", "发票"])  # -> {"TOTAL": [...lines...], "发票": []}
"""
from __future__ import annotations

from ray import serve

from ocr_ops.options import OcrOptions
from ocr_ops.types import PageResult


@serve.deployment(ray_actor_options={"num_cpus": 0.1})  # it mostly awaits the OCR app
class KeywordSpotter:
    def __init__(self, ocr_app: str = "ocr"):
        # Looked up by name, so the OCR app can be redeployed or scaled without touching this one.
        self.ocr = serve.get_app_handle(ocr_app)

    async def spot(self, image: bytes, keywords: list[str]) -> dict[str, list[str]]:
        """Each keyword -> the recognised lines that contain it, compared as plain substrings."""
        page: PageResult = await self.ocr.ocr.remote(image, OcrOptions(det=True, cls=True))
        texts = [line.text for line in page.lines]
        return {word: [text for text in texts if word in text] for word in keywords}


app = KeywordSpotter.bind()
