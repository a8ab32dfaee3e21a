"""The labelled document generator: seeded, self-consistent ground truth, real QR codes."""
from decimal import Decimal

import cv2
import numpy as np
from stdnum.cn import uscc

from synthetic.documents import labelled_set, make_document, render_invoice


def test_documents_are_seeded():
    a, b = make_document("e_ordinary", 7), make_document("e_ordinary", 7)
    assert a.fields == b.fields and np.array_equal(a.image, b.image)


def test_ground_truth_is_consistent_and_flaws_are_planted():
    for doc in labelled_set(degraded=False):
        f = doc.fields
        if doc.doc_type != "vat_invoice":
            continue
        for side in ("buyer", "seller"):
            assert uscc.is_valid(f[f"{side}_tax_id"]) == (f"{side}_tax_id_checksum" not in doc.failing_checks)
        tax = Decimal(0) if f["tax_amount"] == "***" else Decimal(f["tax_amount"])
        adds_up = Decimal(f["amount_without_tax"]) + tax == Decimal(f["total_amount"])
        assert adds_up == ("amounts_add_up" not in doc.failing_checks)
        assert sum(Decimal(i["amount"]) for i in doc.items) == Decimal(f["amount_without_tax"])
        assert len(f["invoice_number"]) == (20 if doc.layout == "digital" else 8)
        # every ground-truth value was drawn (up to the printed decorations)
        drawn = "".join(line.text for line in doc.lines).replace(" ", "")
        assert f["buyer_name"] in drawn and f["total_in_words"] in drawn


def test_electronic_invoices_carry_a_readable_qr_code():
    doc = make_document("e_ordinary", 301, degraded=False)
    payload = cv2.QRCodeDetector().detectAndDecode(doc.image)[0].split(",")
    assert payload[2:5] == [doc.fields["invoice_code"], doc.fields["invoice_number"], doc.fields["amount_without_tax"]]


def test_tickets_hold_no_personal_data_in_their_ground_truth():
    doc = make_document("train_paper", 501)
    assert not any("*" in str(v) for v in doc.fields.values())
    assert {"ticket_number", "train_number", "departure_station", "arrival_station"} <= doc.fields.keys()


def test_load_test_pages_still_render():
    page = render_invoice(1)
    assert page.data.startswith(b"\x89PNG") and page.name == "invoice_1.png" and len(page.lines) > 30
