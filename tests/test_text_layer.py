"""Digital PDFs read from their text layer (ocr_ops.text_layer via render_pdf(pdf_text="auto")):
PDFs written by the test with ReportLab and an embedded CJK font, scans, and mixtures."""
import io

import numpy as np
import pypdfium2 as pdfium
import pytest

from ocr_ops.params import PdfParams
from ocr_ops.pdf import render_pdf
from tests.support import Printed, printed_line, render_text, written_pdf

MAX_PIXELS = 40_000_000
# (chunks: gap before each in points, text), top in points, and the line the page must give back.
# Gaps of 6-18 pt (0.5-1.5 line heights) are printed spaces; 200 pt starts another box.
INVOICE = [
    ([(0, "电子发票（普通发票）")], 60, ["电子发票（普通发票）"]),
    ([(0, "名"), (18, "称："), (6, "北京星河科技有限公司")], 110, ["名 称： 北京星河科技有限公司"]),
    ([(0, "开 户 行："), (6, "中国银行北京分行")], 140, ["开 户 行： 中国银行北京分行"]),
    ([(0, "Invoice No. 12345678"), (200, "合计 ¥1,280.00")], 170, ["Invoice No. 12345678", "合计 ¥1,280.00"]),
    ([(0, "This is one sentence without any tricks.")], 200, ["This is one sentence without any tricks."]),
]


def invoice_page() -> list[Printed]:
    return [item for chunks, top, _ in INVOICE for item in printed_line(chunks, 50, top)]


def scanned_page() -> np.ndarray:
    return render_text(["TOTAL 128.00"], size=(595, 842))


def read(data: bytes, pdf_text: str = "auto"):
    return render_pdf(data, PdfParams(), MAX_PIXELS, pdf_text)


def test_digital_page_reads_exactly_what_was_written_in_reading_order():
    (page,) = read(written_pdf([invoice_page()]))
    assert page.text_source == "text_layer" and page.pixels is None
    assert [line.text for line in page.text_lines] == [text for *_, lines in INVOICE for text in lines]
    assert all(line.confidence == 1.0 and len(line.polygon) == 4 for line in page.text_lines)


def turned(data: bytes, degrees: int) -> bytes:
    """The PDF with its page's /Rotate set: viewers (and the rendering) show it turned; its lines
    still read along the text, with boxes on the turned glyphs."""
    document = pdfium.PdfDocument(data)
    document[0].set_rotation(degrees)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("degrees", [0, 90])
def test_boxes_land_on_the_rendered_glyphs(degrees):
    data = turned(written_pdf([invoice_page()]), degrees)
    (page,), (rendered,) = read(data), read(data, "ocr")
    assert (page.height, page.width) == rendered.pixels.shape[:2] and page.dpi == rendered.dpi
    assert [line.text for line in page.text_lines] == [text for *_, lines in INVOICE for text in lines]
    ink = rendered.pixels.min(axis=2) < 128
    covered = np.zeros_like(ink)
    for line in page.text_lines:
        x0, y0, x1, y1 = np.round(line.bbox).astype(int)
        inside = ink[y0:y1 + 1, x0:x1 + 1]
        columns = np.flatnonzero(inside.any(axis=0))
        rows = np.flatnonzero(inside.any(axis=1))
        along, extent = (columns, x1 - x0) if degrees == 0 else (rows, y1 - y0)
        assert along.size and along[-1] - along[0] >= 0.85 * extent, line.text  # the box hugs its ink
        covered[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = True
    assert not (ink & ~covered).any()  # no printed glyph outside every box


def test_scanned_pages_are_rendered_for_ocr():
    pages = read(written_pdf([[scanned_page()], [scanned_page()]]))
    assert [p.text_source for p in pages] == ["ocr", "ocr"]
    assert all(p.pixels is not None and p.pixels.shape[:2] == (p.height, p.width) for p in pages)


def test_each_page_of_a_mixed_pdf_is_decided_on_its_own():
    pages = read(written_pdf([invoice_page(), [scanned_page()], invoice_page()]))
    assert [p.text_source for p in pages] == ["text_layer", "ocr", "text_layer"]
    assert all(p.text_layer_s > 0 for p in pages)  # the layer was read on every page, usable or not
    assert pages[2].text_lines[0].text == "电子发票（普通发票）"


def test_pages_without_usable_text_are_ocrd():
    empty = [Printed("   ", 50, 100)]
    hidden_ocr_layer = [scanned_page(), Printed("TOTAL 128.00", 30, 60, invisible=True)]
    under_a_scan = [Printed("TOTAL 128.00", 30, 60), scanned_page()]
    # A font without a Unicode map yields glyph ids as control characters.
    garbage = [scanned_page(), Printed("\x01\x02\x03\x04\x05 TOTAL", 30, 60)]
    pages = read(written_pdf([empty, hidden_ocr_layer, under_a_scan, garbage]))
    assert [p.text_source for p in pages] == ["ocr", "ocr", "ocr", "ocr"]


def test_ocr_can_be_forced():
    (page,) = read(written_pdf([invoice_page()]), "ocr")
    assert page.text_source == "ocr" and page.text_lines is None and page.pixels is not None
    assert page.text_layer_s is None


def test_each_page_reports_its_stage_times(pipeline):
    """What the metrics' `stage` label counts: a digital page costs only its text layer; a scanned
    page's layer is read too (and found unusable) before the OCR stages."""
    digital, scanned = pipeline.read(written_pdf([invoice_page(), [scanned_page()]])).pages
    assert set(digital.timings) == {"text_layer"}
    assert set(scanned.timings) == {"text_layer", "preprocess", "orientation", "detect", "recognize"}
    assert all(seconds > 0 for page in (digital, scanned) for seconds in page.timings.values())
