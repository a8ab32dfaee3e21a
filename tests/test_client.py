"""The Python client and the `ocr-client` CLI against the running service: files, folders and
globs, JSONL/CSV/TXT output, a progress bar, retries when the service sheds load (503), and
`--extract`'s document fields as a spreadsheet row per document."""
import csv
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ray import serve

from synthetic.documents import make_document
from ocr_client import OCRClient, OCRError
from ocr_client.cli import main
from ocr_client.outputs import EXTRACT_CSV_COLUMNS
from serve_app.config import AppConfig
from serve_app.stages.ingress import Ingress
from tests.support import EVAL_DIR, encode, three_page_pdf

IMAGES = EVAL_DIR / "images"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two images, a 3-page PDF in a sub-folder, and a broken file, as a user's folder would be."""
    root = tmp_path_factory.mktemp("scans")
    shutil.copy(IMAGES / "rapidocr_ch_en_num.jpg", root / "flyer.jpg")
    shutil.copy(IMAGES / "rapidocr_text_rec.jpg", root / "sign.jpg")
    (root / "docs").mkdir()
    (root / "docs" / "three-pages.pdf").write_bytes(three_page_pdf())
    (root / "broken.png").write_bytes(b"not an image")
    (root / "notes.md").write_text("not sent: folders are searched for images and PDFs only")
    return root


def test_library_ocr_of_a_path_bytes_and_options(service):
    with OCRClient(service) as client:
        assert client.ocr(IMAGES / "rapidocr_ch_en_num.jpg")["results"][0]["text"] == "正品促销"
        line = client.ocr((IMAGES / "rapidocr_text_rec.jpg").read_bytes(), det=False, return_confidence=False)
        assert [r["text"] for r in line["results"]] == ["韩国小馆"] and "confidence" not in line["results"][0]
        assert [p["page"] for p in client.ocr(three_page_pdf())["pages"]] == [1, 2, 3]
        with pytest.raises(OCRError) as refused:
            client.ocr(b"not an image")
        assert (refused.value.status, refused.value.code) == (400, "not_an_image")
        assert client.retries_made == 0


def test_cli_folder_to_jsonl_with_a_progress_bar(service, folder, tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    assert main([str(folder), "--recursive", "--url", service, "--output", str(output), "--concurrency", "3"]) == 1
    records = {Path(r["file"]).name: r for r in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {"flyer.jpg", "sign.jpg", "three-pages.pdf", "broken.png"}
    assert records["flyer.jpg"]["result"]["results"][0]["text"] == "正品促销"
    assert len(records["three-pages.pdf"]["result"]["pages"]) == 3
    assert records["broken.png"] == {"file": str(folder / "broken.png"), "ok": False,
                                     "error": {"status": 400, "code": "not_an_image",
                                               "message": records["broken.png"]["error"]["message"]}}
    stderr = capsys.readouterr().err
    assert "4/4" in stderr and "file" in stderr  # tqdm's bar
    assert "3 of 4 files done" in stderr


def test_cli_glob_to_csv_and_txt(service, folder, tmp_path):
    table = tmp_path / "lines.csv"
    assert main([str(folder / "*.jpg"), "--url", service, "--format", "csv", "--output", str(table),
                 "--no-progress"]) == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert {Path(r["file"]).name for r in rows} == {"flyer.jpg", "sign.jpg"}
    first = next(r for r in rows if r["file"].endswith("flyer.jpg") and r["line"] == "1")
    assert first["text"] == "正品促销" and first["page"] == "1" and 0 < float(first["confidence"]) <= 1
    texts = tmp_path / "texts"
    assert main([str(folder), "--recursive", "--url", service, "--format", "txt", "--output", str(texts),
                 "--no-progress"]) == 1
    assert (texts / "flyer.jpg.txt").read_text(encoding="utf-8").startswith("正品促销\n")
    pdf_pages = (texts / "docs" / "three-pages.pdf.txt").read_text(encoding="utf-8").split("\f")
    assert len(pdf_pages) == 3 and pdf_pages[2].replace(" ", "").strip() == "TOTAL128.00\nPAIDINFULL"
    assert not (texts / "broken.png.txt").exists()


def test_console_script_is_installed(service, folder):
    script = shutil.which("ocr-client", path=str(Path(sys.executable).parent))
    assert script, "pip install -e . should have installed the ocr-client console script"
    done = subprocess.run([script, str(folder / "sign.jpg"), "--url", service, "--format", "csv"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "韩国小馆" in done.stdout and "1/1" in done.stderr


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """A photographed VAT invoice and a train ticket (synthetic, labelled) as files: name -> truth."""
    root = tmp_path_factory.mktemp("documents")
    truths = {"invoice.jpg": make_document("paper_special", 101), "ticket.jpg": make_document("train_paper", 501)}
    for name, truth in truths.items():
        (root / name).write_bytes(encode(truth.image, ".jpg"))
    return root, truths


def _compact(value) -> str:
    """A value as the CSV spells it, without whitespace (OCR keeps or drops spaces between groups)."""
    return "".join((str(value).lower() if isinstance(value, bool) else str(value)).split())


def test_library_extract_gives_the_documents(service, documents):
    root, truths = documents
    with OCRClient(service) as client:
        (document,) = client.extract(root / "ticket.jpg", type="train_ticket")["documents"]
        assert document["type"] == "train_ticket" and document["valid"] is True
        assert document["fields"]["train_number"]["value"] == truths["ticket.jpg"].fields["train_number"]
        with pytest.raises(OCRError) as refused:
            client.extract(b"not an image")
        assert (refused.value.status, refused.value.code) == (400, "not_an_image")


def test_cli_extract_to_a_spreadsheet_csv_and_jsonl(service, documents, tmp_path):
    root, truths = documents
    table = tmp_path / "fields.csv"
    assert main(["--extract", str(root), "--url", service, "--format", "csv", "--output", str(table),
                 "--no-progress"]) == 0
    with table.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames) == EXTRACT_CSV_COLUMNS
        rows = {Path(row["file"]).name: row for row in reader}
    assert set(rows) == set(truths)
    for name, truth in truths.items():
        row = rows[name]
        assert (row["page"], row["index"], row["type"], row["valid"], row["failed_checks"]) == \
            ("1", "0", truth.doc_type, "true", "")
        assert {key: _compact(row[key]) for key in truth.fields} == \
            {key: _compact(value) for key, value in truth.fields.items()}
    assert rows["invoice.jpg"]["electronic"] == "false" and rows["invoice.jpg"]["train_number"] == ""
    assert rows["ticket.jpg"]["invoice_number"] == ""

    answers = tmp_path / "fields.jsonl"
    assert main(["--extract", str(root / "ticket.jpg"), "--url", service, "--output", str(answers),
                 "--no-progress"]) == 0
    (record,) = map(json.loads, answers.read_text(encoding="utf-8").splitlines())
    (document,) = record["result"]["documents"]
    assert record["ok"] is True and document["checks"] and document["fields"]["seat"]["bbox"]
    with pytest.raises(SystemExit):
        main(["--extract", str(root), "--format", "txt"])


@pytest.fixture(scope="module")
def overloaded_service(service):
    """A second ingress on the same cluster, over the running app's stages, that takes one request
    at a time and queues one more: a burst gets real 503s from Serve. It reserves no CPU (the
    test cluster's CPUs are all taken by the first app) and loads no model."""
    stages = [serve.get_deployment_handle(name, app_name="ocr") for name in ("PageReader", "Detector", "Recognizer")]
    ingress = Ingress.options(name="OverloadedIngress", max_ongoing_requests=1, max_queued_requests=1,
                              ray_actor_options={"num_cpus": 0})
    serve.run(ingress.bind(*stages, AppConfig()), name="ocr-overloaded", route_prefix="/overloaded")
    yield f"{service}/overloaded"
    serve.delete("ocr-overloaded")


def test_client_retries_503_with_backoff(overloaded_service):
    image = IMAGES / "rapidocr_text_rec.jpg"

    def burst(client: OCRClient) -> list:
        with ThreadPoolExecutor(6) as pool:
            return list(pool.map(lambda _: _outcome(client, image), range(6)))

    with OCRClient(overloaded_service, retries=0) as impatient:
        assert any(o == 503 for o in burst(impatient)), "the burst never overloaded the service"
    with OCRClient(overloaded_service, retries=10, backoff_s=0.1, max_backoff_s=1.0) as patient:
        assert burst(patient) == ["韩国小馆"] * 6
        assert patient.retries_made > 0


def _outcome(client: OCRClient, image: Path):
    try:
        return client.ocr(image, det=False)["results"][0]["text"]
    except OCRError as error:
        return error.status
