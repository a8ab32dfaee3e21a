"""POST /compat/ocr: a client written for the {code, msg, data} dialect works unchanged but for
its URL, and errors come back in that dialect with the error's HTTP status."""
import base64
import contextlib
import io

from tests.support import eval_image

# The client from issue 10, verbatim; the test only points its URL at the test service.
CLIENT = '''
import requests
def ocr_recognition(image_path):
    url = "http://localhost:8000/compat/ocr"
    with open(image_path, 'rb') as f:
        files = {'image': f}
        response = requests.post(url, files=files)
    if response.status_code == 200:
        result = response.json()
        for item in result['data']:
            print(f"[{item['confidence']:.2f}] {item['text']}")
    else:
        print("请求失败:", response.text)
'''
FLYER = "rapidocr_ch_en_num.jpg"


def run_client(service: str, image_path) -> list[str]:
    namespace: dict = {}
    exec(CLIENT.replace("http://localhost:8000", service), namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        namespace["ocr_recognition"](str(image_path))
    return printed.getvalue().splitlines()


def test_the_dialects_own_client_prints_the_flyers_lines(service, tmp_path):
    path = tmp_path / FLYER
    path.write_bytes(eval_image(FLYER))
    printed = run_client(service, path)
    assert printed[0].startswith("[") and printed[0].endswith("] 正品促销"), printed
    assert any(line.endswith("大桶装更划算") for line in printed) and len(printed) >= 15
    assert all(0.5 <= float(line[1:5]) <= 1.0 for line in printed)


def test_json_input_and_the_default_dialect_on_request(client):
    image = base64.b64encode(eval_image(FLYER)).decode()
    body = client.post("/compat/ocr", json={"image": image}).json()
    assert body["code"] == 0 and body["msg"] == "success" and body["data"][0]["text"] == "正品促销"
    ours = client.post("/compat/ocr", json={"image": image, "format": "default"}).json()
    assert ours["success"] is True and ours["results"][0]["text"] == "正品促销"


def test_errors_in_the_dialect_keep_their_http_status(service, client, tmp_path):
    response = client.post("/compat/ocr", files={"image": ("x.txt", b"plain text")})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["msg"].startswith("not_an_image: ") and body["data"] is None
    unknown = client.post("/compat/ocr", files={"image": ("f.jpg", eval_image(FLYER))}, data={"colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["msg"].startswith("invalid_option: ")
    wrong_method = client.get("/compat/ocr")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == 405
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")
    assert run_client(service, broken)[0].startswith("请求失败: ")
