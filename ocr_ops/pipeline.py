"""How an upload is read, page by page: the one sequence of ops the service and the in-process
pipeline share. The model calls are parameters, so the same code awaits a Serve deployment in
the service and an onnxruntime session in-process (tests, benchmarks, the CRNN evaluation)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Awaitable, Callable

import cv2
import numpy as np

from ocr_ops.classification import DirectionClassifier
from ocr_ops.detection import TextDetector
from ocr_ops.extract import extract_document
from ocr_ops.extracted import ExtractedDocument, whole_page
from ocr_ops.lines import read_lines, recognition_job
from ocr_ops.options import OcrOptions
from ocr_ops.orientation import PageOrientation, to_original
from ocr_ops.page import prepare_page
from ocr_ops.params import PipelineParams
from ocr_ops.pdf import is_pdf, render_pdf
from ocr_ops.recognition import TextRecognizer
from ocr_ops.timing import StageTimer
from ocr_ops.types import DetectionInput, DocumentResult, PageResult, RecognitionJob, TextLine

Detect = Callable[[DetectionInput], Awaitable[np.ndarray]]
Recognize = Callable[[RecognitionJob], Awaitable[list[TextLine]]]
PREVIEW_JPEG_QUALITY = 80


@dataclass(frozen=True)
class Models:
    """The models a page needs. `detect` and `recognize` are awaited, so they may be Serve
    handles' `.remote` or local sessions; `orientation` runs where the page is prepared."""

    detect: Detect | None  # None: single-line reading only (det=false)
    recognize: Recognize
    orientation: PageOrientation | None = None


@dataclass(frozen=True)
class SourcePage:
    """One page to read: an image file's bytes or pixels, or a PDF page (rendered, and/or the
    lines of its usable text layer)."""

    image: bytes | np.ndarray | None
    number: int | None = None  # PDF pages only
    dpi: float | None = None
    text_lines: list[TextLine] | None = None  # set: read from the text layer, not OCR'd
    size: tuple[int, int] | None = None  # PDF pages: the rendering's (width, height)
    text_layer_s: float | None = None  # PDF pages with pdf_text=auto: seconds spent reading the text layer


def source_pages(data: bytes | np.ndarray, options: OcrOptions, params: PipelineParams,
                 render_text_pages: bool = False) -> tuple[list[SourcePage], bool]:
    """An image is one page; a PDF is read page by page (raises its input errors)."""
    if isinstance(data, bytes) and is_pdf(data):
        rendered = render_pdf(data, params.pdf, params.decode.max_pixels, options.pdf_text, render_text_pages)
        return [SourcePage(page.pixels, page.number, page.dpi, page.text_lines, (page.width, page.height),
                           page.text_layer_s) for page in rendered], True
    return [SourcePage(data)], False


async def read_page(source: SourcePage, options: OcrOptions, params: PipelineParams, models: Models,
                    preview: bool = False) -> PageResult:
    """A text-layer page as it is; any other page prepared (turned upright, resized, enhanced),
    detected (unless det=false: then the page is one line) and recognised, its boxes mapped back
    to the uploaded image's pixels."""
    jpeg = encode_jpeg(source.image) if preview and isinstance(source.image, np.ndarray) else None
    timer = StageTimer()
    if source.text_layer_s is not None:  # a PDF page whose text layer was read (usable or not)
        timer.seconds["text_layer"] = source.text_layer_s
    if source.text_lines is not None:
        width, height = source.size
        documents = await _extract(source.text_lines, source.image, source.size, options, "text_layer", timer)
        return PageResult(source.text_lines, width, height, timings=timer.seconds, number=source.number,
                          dpi=source.dpi, preview_jpeg=jpeg, text_source="text_layer", documents=documents)
    page = await asyncio.to_thread(prepare_page, source.image, options, params, models.orientation, timer)
    with timer.stage("detect"):
        quads = await models.detect(page.detection_input) if options.det else None
    with timer.stage("recognize"):
        lines = await models.recognize(recognition_job(page, quads, options.cls, options.field_steps))
    # Upright, in the upright page's pixels: fields are found by layout.
    documents = await _extract(lines, page.image, page.upright_size, options, "ocr", timer)
    if page.angle:
        def back(points) -> list:
            return to_original(points, page.angle, page.upright_size).round(1).tolist()

        lines = [replace(line, polygon=back(line.polygon)) for line in lines]
        documents = [document.mapped(back) for document in documents]
    return PageResult.of(page, lines, timer.seconds, number=source.number, dpi=source.dpi, preview_jpeg=jpeg,
                         documents=documents)


async def _extract(lines: list[TextLine], image: np.ndarray | None, size: tuple[int, int], options: OcrOptions,
                   source: str, timer: StageTimer) -> list[ExtractedDocument]:
    """The page's documents, when the options ask for them: today the page is one document, its
    region the whole page (`size`: its width and height)."""
    if options.document_type is None:
        return []
    with timer.stage("extract"):
        document = await asyncio.to_thread(extract_document, lines, image, options.document_type, source=source)
    return [replace(document, region=whole_page(*size))]


async def read_document(data: bytes | np.ndarray, options: OcrOptions, params: PipelineParams, models: Models,
                        page_images: bool = False) -> DocumentResult:
    """Every page at once, so a PDF's pages share the model stages' batches."""
    # Text-layer pages are rendered too where a preview is asked for or a QR code may be read.
    render_text_pages = page_images or options.document_type is not None
    sources, pdf = await asyncio.to_thread(source_pages, data, options, params, render_text_pages)
    pages = await asyncio.gather(*(read_page(source, options, params, models, page_images and pdf)
                                   for source in sources))
    return DocumentResult(pages=list(pages), is_pdf=pdf)


def encode_jpeg(pixels: np.ndarray, quality: int = PREVIEW_JPEG_QUALITY) -> bytes:
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a rendered page as JPEG")
    return encoded.tobytes()


class OcrPipeline:
    """The whole pipeline in one process: the same ops and onnxruntime sessions the service
    uses, without Ray or HTTP. Tests use it per op; the benchmark uses it as the service's limit."""

    def __init__(self, detector: TextDetector, classifier: DirectionClassifier,
                 recognizer: TextRecognizer, params: PipelineParams, orientation: PageOrientation | None = None):
        self.detector, self.classifier, self.recognizer, self.params = detector, classifier, recognizer, params
        self.models = Models(self._detect, self._recognize, orientation)

    async def _detect(self, detection_input: DetectionInput) -> np.ndarray:
        return self.detector.detect([detection_input])[0]

    async def _recognize(self, job: RecognitionJob) -> list[TextLine]:
        return read_lines([job], self.classifier, self.recognizer, self.params.recognition)[0]

    def run(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions()) -> PageResult:
        """One image (file bytes or a BGR/grayscale array)."""
        return asyncio.run(read_page(SourcePage(data), options, self.params, self.models))

    def read(self, data: bytes | np.ndarray, options: OcrOptions = OcrOptions()) -> DocumentResult:
        """An image or a PDF, as the service reads it."""
        return asyncio.run(read_document(data, options, self.params, self.models))
