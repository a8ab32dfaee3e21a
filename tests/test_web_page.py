"""The web page in a real headless Chromium against the real service: upload the flyer and a
3-page PDF, wait for the results, check the text, the drawn boxes, their linking, copy and export;
in extract mode, a synthetic invoice photo's fields, their boxes, checks and exports.
Screenshots are kept under test-artifacts/."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from synthetic.documents import make_document
from synthetic.documents.digital_pdf import digital_pdf
from tests.support import EVAL_DIR, encode, three_page_pdf

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# What works for a headless Chromium as root in a container, offline.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: `make test` installs Debian's "
                                "chromium with apt-get, which needs root and the Debian registry")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, service):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=service)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{service}/")
    yield page
    context.close()
    assert not errors, f"the page raised: {errors}"


def recognise(page, path: Path, lines_at_least: int):
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="开始高精度识别 / Recognise").click()
    page.wait_for_function(f"document.querySelectorAll('#lines li').length >= {lines_at_least}", timeout=120_000)


def test_flyer_shows_lines_with_linked_boxes_copy_and_export(page):
    recognise(page, EVAL_DIR / "images" / "rapidocr_ch_en_num.jpg", 15)
    items, boxes = page.locator("#lines li"), page.locator("#pages svg polygon")
    assert items.first.locator(".text").text_content() == "正品促销"
    assert "大桶装更划算" in items.all_text_contents()[1] + "".join(items.all_text_contents())
    assert boxes.count() == items.count()
    first_box = boxes.first.bounding_box()
    image = page.locator("#pages img").first.bounding_box()
    assert first_box["width"] > 0.5 * image["width"] and first_box["y"] < image["y"] + 0.3 * image["height"]
    items.nth(1).hover()
    assert "active" in boxes.nth(1).get_attribute("class")
    boxes.first.hover()
    assert "active" in items.first.get_attribute("class")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-flyer.png"))

    page.get_by_role("button", name="复制全部 / Copy all text").click()
    assert page.evaluate("navigator.clipboard.readText()").splitlines()[0] == "正品促销"
    with page.expect_download() as download:
        page.get_by_role("button", name="TXT").click()
    assert download.value.suggested_filename == "rapidocr_ch_en_num.txt"
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("正品促销\n")
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON").click()
    assert '"success": true' in Path(download.value.path()).read_text(encoding="utf-8")


def test_three_page_pdf_shows_every_page_with_its_boxes(page, tmp_path):
    pdf = tmp_path / "three-pages.pdf"
    pdf.write_bytes(three_page_pdf())
    recognise(page, pdf, 18)
    figures = page.locator("#pages figure")
    assert figures.count() == 3
    for i in range(3):
        figure = figures.nth(i)
        assert figure.locator("h2").text_content() == f"Page {i + 1}"
        assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
        assert figure.locator("polygon").count() >= 1
    texts = [t.replace(" ", "") for t in page.locator("#lines li .text").all_text_contents()]
    assert texts[0] == "正品促销" and texts[-2:] == ["TOTAL128.00", "PAIDINFULL"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-pdf.png"), full_page=True)


def test_refused_upload_shows_the_error(page, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not an image at all")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="开始高精度识别 / Recognise").click()
    page.wait_for_function("document.querySelector('#status').classList.contains('error')", timeout=60_000)
    assert "not_an_image" in page.locator("#status").text_content()


def extract(page, path: Path):
    """Upload in extract mode and wait for a document's fields (or the error, reported)."""
    page.get_by_label("提取字段 Extract").check()
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="提取字段 / Extract").click()
    page.wait_for_function("document.querySelectorAll('#documents tbody tr').length >= 10"
                           " || document.querySelector('#status').classList.contains('error')", timeout=120_000)
    assert not page.locator("#status.error").count(), page.locator("#status").text_content()


def test_extract_mode_shows_fields_with_linked_boxes_checks_and_exports(page, tmp_path):
    truth = make_document("paper_special", 102, flaw="seller_tax_id")  # one check must fail: a cross
    photo = tmp_path / "invoice.jpg"
    photo.write_bytes(encode(truth.image, ".jpg"))
    extract(page, photo)
    assert page.locator("#result").is_hidden()
    row = page.locator("#documents tr[data-key=invoice_number]")
    box = page.locator("#extract-pages rect[data-key=invoice_number]")
    assert row.locator("td.value").text_content() == truth.fields["invoice_number"]
    assert row.locator("td").last.text_content() == "ocr"
    image, drawn = page.locator("#extract-pages img").bounding_box(), box.bounding_box()
    assert image["x"] <= drawn["x"] and drawn["x"] + drawn["width"] <= image["x"] + image["width"]
    row.hover()
    assert "active" in box.get_attribute("class")
    box.hover()
    assert "active" in row.get_attribute("class")
    ticks, crosses = page.locator(".checks li.ok"), page.locator(".checks li.failed")
    assert ticks.count() >= 5 and all(t.startswith("✓ ") for t in ticks.all_text_contents())
    assert [c.split(":")[0] for c in crosses.all_text_contents()] == [f"✗ {name}" for name in truth.failing_checks]
    assert page.locator(".document h3 .verdict").text_content() == "✗ not valid"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-extract.png"), full_page=True)  # the checks too

    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "invoice.fields.csv"
    with open(download.value.path(), encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["page", "index", "type", "valid", "key", "value", "source", "confidence", "corrected_from"]
    by_key = {r["key"]: r for r in rows}
    assert by_key["invoice_number"]["value"] == truth.fields["invoice_number"]
    assert by_key["total_amount"]["value"] == truth.fields["total_amount"] and by_key["date"]["valid"] == "false"
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON").click()
    (document,) = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["documents"]
    assert document["fields"]["invoice_number"]["value"] == truth.fields["invoice_number"]


def test_extract_mode_draws_a_pdf_page_from_its_rendered_image(page, tmp_path):
    truth = make_document("digital", 401, degraded=False)
    pdf = tmp_path / "e-invoice.pdf"
    pdf.write_bytes(digital_pdf(truth))
    api_calls = []
    page.on("request", lambda request: api_calls.append(request.url.rsplit("/", 1)[-1])
            if request.method == "POST" else None)
    extract(page, pdf)
    assert api_calls == ["extract"]  # the page pictures come with the fields: the PDF is read once
    assert page.locator("#extract-pages img").evaluate("img => img.complete && img.naturalWidth > 0")
    row = page.locator("#documents tr[data-key=invoice_number]")
    assert row.locator("td.value").text_content() == truth.fields["invoice_number"]
    assert row.locator("td").last.text_content() == "text_layer"
    image, drawn = page.locator("#extract-pages img").bounding_box(), \
        page.locator("#extract-pages rect[data-key=invoice_number]").bounding_box()
    assert image["x"] <= drawn["x"] and drawn["x"] + drawn["width"] <= image["x"] + image["width"]
    assert image["y"] <= drawn["y"] and drawn["y"] + drawn["height"] <= image["y"] + image["height"]
    assert page.locator(".document h3 .verdict").text_content() == "✓ valid"
    page.screenshot(path=str(ARTIFACTS / "web-page-extract-pdf.png"), full_page=True)


def test_the_page_asks_for_an_api_key_when_the_service_needs_one(browser, keyed_service):
    from tests.conftest import API_KEY

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept(API_KEY)))
    page.goto(f"{keyed_service}/")
    recognise(page, EVAL_DIR / "images" / "rapidocr_ch_en_num.jpg", 15)
    assert len(asked) == 1 and "API key" in asked[0]
    assert page.locator("#lines li .text").first.text_content() == "正品促销"
    context.close()
