"""PDF pages to images (ocr_ops.pdf) on PDFs built in the test: sizes, limits and refusals."""
import pytest

from ocr_ops.errors import CorruptPdfError, EncryptedPdfError, TooManyPagesError
from ocr_ops.params import PdfParams
from ocr_ops.pdf import is_pdf, render_pdf
from tests.support import encrypted_pdf, pdf_bytes, render_text, three_page_pdf

MAX_PIXELS = 40_000_000


def test_every_page_is_rendered_at_the_configured_dpi():
    pages = render_pdf(three_page_pdf(), PdfParams(dpi=144), MAX_PIXELS)
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[0].pixels.shape == (860, 646, 3)  # the 323x430 flyer placed at 72 DPI, rendered at 2x
    assert pages[1].pixels.shape == (600, 1800, 3)
    assert all(p.dpi == 144 and p.pixels.dtype.name == "uint8" for p in pages)
    text_page = pages[1].pixels
    assert text_page[0, 0].tolist() == [250, 250, 250]  # the page's paper colour, not black
    assert text_page.min() < 60  # the ink survived


def test_rendered_pages_feed_the_image_stages_as_arrays(pipeline):
    page = render_pdf(three_page_pdf(), PdfParams(), MAX_PIXELS)[1]
    texts = [line.text.replace(" ", "") for line in pipeline.run(page.pixels).lines]
    assert texts == ["SALESTAX12.5"]  # spaces between words come and go with scale


def test_oversized_pages_are_rendered_smaller_instead_of_refused():
    pages = render_pdf(pdf_bytes([render_text(["BIG"])]), PdfParams(dpi=600), 1_000_000)
    height, width = pages[0].pixels.shape[:2]
    assert width * height <= 1_000_000 and pages[0].dpi < 600


def test_too_many_pages_are_refused():
    with pytest.raises(TooManyPagesError, match="3 pages; the limit is 2"):
        render_pdf(three_page_pdf(), PdfParams(max_pages=2), MAX_PIXELS)


@pytest.mark.parametrize("data,error", [
    (encrypted_pdf(three_page_pdf()), EncryptedPdfError),
    (three_page_pdf()[:400], CorruptPdfError),
    (b"%PDF-1.7\nnot really", CorruptPdfError),
])
def test_unreadable_pdfs_are_refused(data, error):
    assert is_pdf(data)
    with pytest.raises(error):
        render_pdf(data, PdfParams(), MAX_PIXELS)
