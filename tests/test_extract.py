"""Extraction from a page's lines: layout tolerance, every layout's ground truth from its drawn
lines (the text-layer stand-in), unknown pages, the JSON shape, and no personal data."""
import datetime

import jsonschema
import pytest

from synthetic.documents import labelled_set, make_document
from evaluation.extraction import TODAY, Score
from ocr_ops.extract import extract_document
from ocr_ops.extract.layout import Page
from ocr_ops.extract.text import parse_amount, parse_date, parse_digits, parse_text
from ocr_ops.extracted import ExtractedDocument, ExtractedField, whole_page
from ocr_ops.orientation import to_original
from ocr_ops.serialise import document_json
from ocr_ops.types import DocumentResult, PageResult, TextLine
from serve_app.api.openapi import openapi_spec
from serve_app.api.responses import extract_body
from serve_app.config import AppConfig


def extract_text_layer(document):
    """Extraction from the drawn lines with their boxes: the text-layer stand-in, no PDF involved."""
    return extract_document(document.lines, document.image, today=TODAY, source="text_layer")


def line(text, x, y, w=None, h=20):
    w = w or 20 * len(text)
    return TextLine(text, 0.99, [[x, y], [x + w, y], [x + w, y + h], [x, y + h]])


@pytest.mark.parametrize("lines", [
    [line("名 称：北京星河科技有限公司", 100, 100)],  # spaced label, value inline, full-width colon
    [line("名称:", 100, 100), line("北京星河科技有限公司", 200, 104)],  # value to the right, a bit low
    [line("名", 100, 100), line("称：", 180, 100), line("北京星河科技有限公司", 260, 95)],  # label cut at its gap
    [line("名", 100, 100), line("称", 100, 130), line("北京星河科技有限公司", 140, 131)],  # label over two lines
    [line("名称", 100, 100), line("北京星河科技有限公司", 100, 124)],  # the value in the cell below
])
def test_labels_are_found_however_they_are_printed(lines):
    page = Page(lines, stop_labels=("名称",))
    found = page.first_value(("名称",), parse_text)
    assert found is not None and found.value == "北京星河科技有限公司"


def test_a_label_inside_another_is_not_that_label():
    page = Page([line("项目名称", 100, 100), line("金额", 400, 100)], stop_labels=("项目名称", "名称"))
    assert page.first_value(("名称",), parse_text) is None


def test_value_parsers():
    assert parse_amount("¥1,150.44") == "1150.44" and parse_amount("￥63.5元") == "63.50"
    assert parse_amount("***") == "***" and parse_amount("合计") is None
    assert parse_date("2024年6月8日") == "2024-06-08" and parse_date("2024 年 06 月 18 日") == "2024-06-18"
    assert parse_digits("12345 67890 12345 67890") == "12345678901234567890"
    assert parse_text(" ： ") is None and parse_text("：王芳") == "王芳"


def test_every_layout_is_read_fully_from_its_drawn_lines():
    """The extractor on ground-truth lines (what a PDF's text layer gives) must be exact."""
    score = Score()
    for document in labelled_set(degraded=False):
        extracted = extract_text_layer(document)
        assert extracted.type == document.doc_type
        assert {c.name for c in extracted.checks if not c.ok} == document.failing_checks, document.name
        assert extracted.valid == (not document.failing_checks)
        assert all(f.source == "text_layer" for k, f in extracted.fields.items() if k not in ("check_code",))
        score.add(document, extracted)
    assert score.misses == [] and score.accuracy == 1.0
    assert score.items_right == score.items > 20


def test_qr_values_are_read_and_cross_checked():
    document = make_document("e_ordinary", 301, degraded=False)
    lines = [l for l in document.lines if "发票代码" not in l.text]  # the code's label is gone: the QR has it
    extracted = extract_document(lines, document.image, today=datetime.date(2026, 1, 1))
    # the value itself is still printed but has no label: only the QR can say it is the code
    assert extracted.fields["invoice_code"].source == "qr"
    assert extracted.fields["invoice_code"].value == document.fields["invoice_code"]
    assert any(c.name == "qr_matches" and c.ok for c in extracted.checks)


@pytest.mark.parametrize("layout", ["train_paper", "train_e"])
def test_tickets_never_return_personal_data(layout):
    document = make_document(layout, 502, degraded=False)
    extracted = extract_text_layer(document)
    values = " ".join(str(f.value) for f in extracted.fields.values())
    assert "****" not in values and not any(l.text.split()[-1] in values for l in document.lines if "****" in l.text)
    assert extracted.fields["departure_station"].value == document.fields["departure_station"]


def test_an_electronic_ticket_has_its_travel_date_and_a_checked_invoice_number():
    document = make_document("train_e", 601, degraded=False)
    extracted = extract_text_layer(document)
    assert {k: f.value for k, f in extracted.fields.items()} == document.fields  # 开票日期 is not the date
    assert any(c.name == "invoice_number_format" and c.ok for c in extracted.checks)
    number = document.fields["invoice_number"]
    misread = [TextLine(l.text.replace(number, number[:-1]), l.confidence, l.polygon) for l in document.lines]
    failed = extract_document(misread, today=TODAY, source="text_layer")
    assert failed.type == "train_ticket" and not failed.valid
    assert [c.name for c in failed.checks if not c.ok] == ["invoice_number_format"]


def test_unknown_pages_have_no_fields_and_types_can_be_forced():
    lines = [line("今天天气很好", 100, 100), line("我们去公园散步", 100, 140)]
    unknown = extract_document(lines)
    assert unknown.type == "unknown" and document_json(unknown) == {"index": 0, "region": [], "type": "unknown",
                                                                    "fields": {}, "items": [], "checks": [],
                                                                    "valid": False}
    assert extract_document(lines, doc_type="train_ticket").type == "train_ticket"
    with pytest.raises(ValueError):
        extract_document(lines, doc_type="receipt")


def test_json_has_the_response_shape():
    document = make_document("digital", 401, degraded=False)
    out = document_json(extract_text_layer(document))
    assert set(out) == {"index", "region", "type", "fields", "items", "checks", "valid"}
    number = out["fields"]["invoice_number"]
    assert set(number) == {"value", "confidence", "bbox", "source"} and len(number["bbox"]) == 4
    assert out["fields"]["electronic"]["value"] is True and "invoice_code" not in out["fields"]
    assert set(out["items"][0]) == {"name", "spec", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax"}
    assert all(set(c) == {"name", "ok", "message"} for c in out["checks"])


def test_both_dialects_of_the_answer_match_their_openapi_schemas():
    truth = make_document("digital", 401, degraded=False)
    extracted = extract_text_layer(truth)
    extracted.region = whole_page(100, 100)
    page = PageResult(truth.lines, 100, 100, documents=[extracted])
    components = openapi_spec(("zh",), AppConfig())["components"]
    for dialect, schema in (("default", "ExtractAnswer"), ("compat", "CompatExtractResult")):
        body = extract_body(DocumentResult([page], is_pdf=False), 0.5, dialect)
        validator = {"$ref": f"#/components/schemas/{schema}", "components": components}
        jsonschema.Draft202012Validator(validator).validate(body)
    assert extract_body(DocumentResult([page], is_pdf=False), 0.5, "compat")["data"][0]["page"] == 1


def test_a_document_turned_back_moves_its_region_and_its_fields_boxes():
    """Fields are found on the upright page; the pipeline turns the document back onto the uploaded
    (here: turned 90 degrees clockwise, so 200 wide and 100 high upright) page's pixels."""
    upright = ExtractedDocument("train_ticket", {"date": ExtractedField("2026-01-02", 0.9, [10, 20, 50, 30]),
                                                 "qr_only": ExtractedField("x", 1.0, [], "qr")},
                                region=whole_page(200, 100))

    def back(points):
        return to_original(points, 90, (200, 100)).tolist()

    turned = upright.mapped(back)
    assert turned.fields["date"].bbox == [70, 10, 80, 50] and turned.fields["qr_only"].bbox == []
    assert turned.region == [[100, 0], [100, 200], [0, 200], [0, 0]]  # the document's top-left is now top-right
    assert upright.fields["date"].bbox == [10, 20, 50, 30]  # the upright document is left as it was
    assert (turned.type, turned.index, turned.fields["date"].value) == ("train_ticket", 0, "2026-01-02")


def test_every_labelled_document_as_a_digital_pdf_is_read_exactly_from_its_text_layer(pipeline):
    """The real PDF path: each document's lines written as a text layer (ReportLab, an embedded
    CJK font), read back by PDFium, grouped into lines and extracted."""
    from synthetic.documents import labelled_set
    from synthetic.documents.digital_pdf import digital_pdf
    from ocr_ops.options import OcrOptions

    for document in labelled_set(degraded=False):
        [page] = pipeline.read(digital_pdf(document), OcrOptions(document_type="auto")).pages
        [extracted] = page.documents
        assert page.text_source == "text_layer" and extracted.type == document.doc_type, document.name
        assert extracted.region == whole_page(page.width, page.height), document.name
        assert {k: f.value for k, f in extracted.fields.items()} == document.fields, document.name
        assert {c.name for c in extracted.checks if not c.ok} == set(document.failing_checks), document.name
