"""The one serialiser of lines, pages and extracted documents (ocr_ops/serialise.py): the fields
the HTTP routes and bulk jobs both give, without Ray or HTTP."""
from ocr_ops.extracted import Check, ExtractedDocument, ExtractedField, LineItem, whole_page
from ocr_ops.serialise import document_json, line_json, page_documents_json, pdf_page_json
from ocr_ops.types import PageResult, TextLine

LINE = TextLine("发票号码", 0.98765, [[10.04, 5.0], [90.0, 5.0], [90.0, 25.26], [10.04, 25.26]])


def test_a_line_has_its_text_box_and_polygon_and_its_confidence_on_request():
    assert line_json(LINE, True) == {"text": "发票号码", "confidence": 0.98765, "bbox": [10.0, 5.0, 90.0, 25.3],
                                     "polygon": LINE.polygon}
    assert "confidence" not in line_json(LINE, False)


def test_a_pdf_page_has_its_number_size_resolution_source_and_lines():
    page = PageResult([LINE], 1240, 1754, number=2, dpi=150.04, text_source="text_layer", orientation=90)
    assert pdf_page_json(page, False) == {"page": 2, "width": 1240, "height": 1754, "dpi": 150.0,
                                          "text_source": "text_layer", "orientation": 90,
                                          "results": [line_json(LINE, False)]}


def test_a_document_has_its_place_on_the_page_fields_items_checks_and_verdict():
    document = ExtractedDocument(
        "vat_invoice",
        {"invoice_number": ExtractedField("12345678", 0.987654, [905.04, 62.11, 1012.44, 84.0]),
         "invoice_code": ExtractedField("1100212130", 0.9, [1.0, 2.0, 3.0, 4.0], corrected_from="1100212138"),
         "electronic": ExtractedField(True, 1.0, [], "qr")},
        [LineItem(name="打印纸", amount="1150.44")], [Check("amounts_add_up", True, "ok")],
        region=whole_page(1200.04, 800))
    out = document_json(document)
    assert out["index"] == 0 and out["region"] == [[0.0, 0.0], [1200.0, 0.0], [1200.0, 800.0], [0.0, 800.0]]
    assert out["fields"]["invoice_number"] == {"value": "12345678", "confidence": 0.9877,
                                               "bbox": [905.0, 62.1, 1012.4, 84.0], "source": "ocr"}
    assert out["fields"]["invoice_code"]["corrected_from"] == "1100212138"
    assert "corrected_from" not in out["fields"]["invoice_number"]
    assert out["fields"]["electronic"] == {"value": True, "confidence": 1.0, "bbox": [], "source": "qr"}
    assert out["items"] == [{"name": "打印纸", "spec": "", "unit": "", "quantity": "", "unit_price": "",
                             "amount": "1150.44", "tax_rate": "", "tax": ""}]
    assert out["checks"] == [{"name": "amounts_add_up", "ok": True, "message": "ok"}] and out["valid"] is True


def test_each_document_of_a_page_names_its_page_and_the_turn_undone():
    first, second = ExtractedDocument("train_ticket"), ExtractedDocument("unknown", index=1)
    image = PageResult([LINE], 100, 100, orientation=180, documents=[first, second])
    entries = page_documents_json(image)
    assert [(e["page"], e["orientation"], e["index"]) for e in entries] == [(1, 180, 0), (1, 180, 1)]  # image: page 1
    assert entries[1] == {"page": 1, "orientation": 180, **document_json(second)}
    pdf_page = PageResult([], 100, 100, number=3, documents=[first])
    assert page_documents_json(pdf_page)[0]["page"] == 3
    assert page_documents_json(PageResult([LINE], 100, 100)) == []  # /ocr: no documents asked for
