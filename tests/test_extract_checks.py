"""Every extraction check on its own, with a passing and a failing input."""
import datetime
from decimal import Decimal

import cn2an
import pytest

from ocr_ops.extract import checks
from ocr_ops.extract.amount_words import parse_amount_in_words
from ocr_ops.extract.qr import parse_invoice_qr
from ocr_ops.extracted import LineItem

TODAY = datetime.date(2025, 6, 1)


def run(check, values, items=()):
    return check(values, list(items), TODAY)


@pytest.mark.parametrize("value, ok", [("91110108551385082Q", True), ("91110108551385082R", False),
                                       ("9111010855138", False), ("110108551385082", True)])
def test_tax_id_checksum(value, ok):
    result = run(checks.tax_id_checksum("seller_tax_id"), {"seller_tax_id": value})
    assert result.name == "seller_tax_id_checksum" and result.ok is ok
    assert run(checks.tax_id_checksum("seller_tax_id"), {}) is None  # not on the document: not checked


def test_invoice_code_number_and_check_code_formats():
    assert run(checks.invoice_code_format, {"invoice_code": "3300201130"}).ok
    assert run(checks.invoice_code_format, {"invoice_code": "033002100211"}).ok
    assert not run(checks.invoice_code_format, {"invoice_code": "33002011"}).ok
    assert run(checks.invoice_number_format, {"invoice_code": "3300201130", "invoice_number": "12345678"}).ok
    assert not run(checks.invoice_number_format, {"invoice_code": "3300201130", "invoice_number": "1234567"}).ok
    assert run(checks.invoice_number_format, {"invoice_number": "24332000000012345678"}).ok  # 数电
    assert not run(checks.invoice_number_format, {"invoice_code": "3300201130",
                                                  "invoice_number": "24332000000012345678"}).ok
    assert run(checks.check_code_format, {"check_code": "0" * 20}).ok
    assert not run(checks.check_code_format, {"check_code": "0" * 19 + "O"}).ok


@pytest.mark.parametrize("value, ok", [("2025-05-31", True), ("2025-06-01", True), ("2025-06-02", False),
                                       ("2025-02-30", False)])
def test_date_valid_and_not_in_the_future(value, ok):
    assert run(checks.date_valid, {"date": value}).ok is ok


def test_amounts_add_up_to_the_cent():
    values = {"amount_without_tax": "1150.44", "tax_amount": "149.56", "total_amount": "1300.00"}
    assert run(checks.amounts_add_up, values).ok
    assert not run(checks.amounts_add_up, {**values, "total_amount": "1300.01"}).ok
    assert run(checks.amounts_add_up, {"amount_without_tax": "80.00", "tax_amount": "***", "total_amount": "80.00"}).ok


def test_total_in_words_matches_total():
    assert run(checks.total_in_words_matches, {"total_in_words": "壹仟叁佰圆整", "total_amount": "1300.00"}).ok
    assert not run(checks.total_in_words_matches, {"total_in_words": "壹仟叁佰圆整", "total_amount": "1300.10"}).ok
    assert not run(checks.total_in_words_matches, {"total_in_words": "壹仟叁百圆整", "total_amount": "1300.00"}).ok


def test_amount_in_words_parser_agrees_with_cn2an_on_many_amounts():
    for cents in list(range(1, 2000, 7)) + [10**6, 10**6 + 1, 1234567890, 100000000000, 1000000001]:
        value = Decimal(cents) / 100
        assert parse_amount_in_words(cn2an.an2cn(f"{value:.2f}", "rmb")) == value
    assert parse_amount_in_words("⊗贰仟零伍拾圆零捌分") == Decimal("2050.08")
    assert parse_amount_in_words("柒角") == Decimal("0.70")
    assert parse_amount_in_words("壹仟叁佰圆") == Decimal("1300")
    assert parse_amount_in_words("1300") is None


def test_items_add_up_and_item_taxes():
    items = [LineItem(amount="100.00", tax_rate="13%", tax="13.00"), LineItem(amount="50.50", tax_rate="6%", tax="3.03")]
    assert run(checks.items_add_up, {"amount_without_tax": "150.50"}, items).ok
    assert not run(checks.items_add_up, {"amount_without_tax": "150.00"}, items).ok
    assert run(checks.item_taxes, {}, items).ok
    assert not run(checks.item_taxes, {}, [LineItem(amount="100.00", tax_rate="13%", tax="12.00")]).ok
    assert run(checks.item_taxes, {}, [LineItem(amount="80.00", tax_rate="免税", tax="***")]) is None


def test_required_fields():
    check = checks.required(("invoice_number", "date"))
    assert run(check, {"invoice_number": "12345678", "date": "2025-01-01"}).ok
    assert "date" in run(check, {"invoice_number": "12345678"}).message


def test_train_number_and_departure_time():
    assert run(checks.train_number_format, {"train_number": "G1234"}).ok
    assert run(checks.train_number_format, {"train_number": "1461"}).ok
    assert not run(checks.train_number_format, {"train_number": "G12345"}).ok
    assert run(checks.departure_time_valid, {"departure_time": "07:45"}).ok
    assert not run(checks.departure_time_valid, {"departure_time": "24:10"}).ok


def test_qr_payload_variants_and_qr_check():
    printed = {"invoice_code": "033002100211", "invoice_number": "12345678", "date": "2024-06-18",
               "amount_without_tax": "1150.44", "check_code": "09876543210987654321"}
    qr = parse_invoice_qr("01,10,033002100211,12345678,1150.44,20240618,09876543210987654321,3F2A,")
    assert qr == {"invoice_code": "033002100211", "invoice_number": "12345678", "amount": "1150.44",
                  "date": "2024-06-18", "check_code": "09876543210987654321"}
    assert checks.qr_matches(printed, qr).ok
    assert not checks.qr_matches({**printed, "invoice_number": "12345679"}, qr).ok
    digital = parse_invoice_qr("01,32,,24332000000012345678,1300.00,20240618,,A1B2")
    assert digital == {"invoice_number": "24332000000012345678", "amount": "1300.00", "date": "2024-06-18"}
    assert parse_invoice_qr("https://example.com/x") == {}
    assert checks.qr_matches(printed, {}) is None
