"""The conversion service: replies, errors, polling, and real conversions with LibreOffice."""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
import zipfile

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import apply_edit
from onlyoffice_docs_double import samples
from onlyoffice_docs_double.convert import find_soffice

needs_libreoffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed"
)


def _convert(double, params, *, path="/converter", secret=SECRET, headers=None):
    body = dict(params)
    if secret:
        body["token"] = jwt.encode(params, secret, algorithm="HS256")
    response = requests.post(double.url + path, json=body, headers=headers or {}, timeout=60)
    assert response.status_code == 200
    return response


def _request(integrator, name, outputtype, key="c1", **extra):
    url = integrator.add(name) if name not in integrator.files else integrator.file_url(name)
    return {
        "async": False,
        "filetype": name.rsplit(".", 1)[-1],
        "key": key,
        "outputtype": outputtype,
        "title": name,
        "url": url,
        **extra,
    }


def test_same_format_conversion_needs_no_libreoffice(docs_double_factory, integrator):
    double = docs_double_factory(soffice=False)
    reply = _convert(double, _request(integrator, "a.txt", "txt")).json()
    assert reply["endConvert"] is True
    assert (reply["fileType"], reply["percent"]) == ("txt", 100)
    assert requests.get(reply["fileUrl"], timeout=5).content == integrator.files["a.txt"]
    assert "filename=a.txt" in reply["fileUrl"]


def test_without_libreoffice_other_conversions_answer_minus_3(docs_double_factory, integrator):
    double = docs_double_factory(soffice=False)
    assert _convert(double, _request(integrator, "a.docx", "pdf")).json() == {"error": -3}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"outputtype": "nonsense"}, -7),
        ({"key": None}, -7),
        ({"key": "bad/key"}, -7),
        ({"url": None}, -7),
        ({"filetype": "d.o.c"}, -7),
        ({"filetype": None, "url": "http://127.0.0.1:9/file"}, -9),
        ({"outputtype": "xlsx"}, -3),
        ({"password": "x" * 200}, -7),
    ],
)
def test_bad_requests(docs_double_factory, integrator, change, error):
    double = docs_double_factory(soffice=False)
    params = {k: v for k, v in {**_request(integrator, "a.docx", "pdf"), **change}.items() if v}
    assert _convert(double, params).json() == {"error": error}


def test_a_download_failure_is_minus_4_and_too_big_is_minus_10(docs_double_factory, integrator):
    double = docs_double_factory(soffice=False, max_download_bytes=50)
    assert _convert(double, _request(integrator, "a.docx", "docx", key="big")).json() == {
        "error": -10
    }
    params = _request(integrator, "a.docx", "docx", key="gone", url=integrator.file_url("gone"))
    assert _convert(double, params).json() == {"error": -4}
    assert len(integrator.downloads("gone")) == 3


def test_password_protected_files_are_minus_5(docs_double_factory, integrator):
    double = docs_double_factory(soffice=False)
    integrator.add("locked.docx", samples.encrypted_ooxml())
    integrator.add("locked.odt", samples.odt(encrypted=True))
    assert _convert(double, _request(integrator, "locked.docx", "pdf")).json() == {"error": -5}
    params = _request(integrator, "locked.odt", "pdf", key="c2")
    assert _convert(double, params).json() == {"error": -5}


def test_a_bad_token_is_minus_8(double, integrator):
    params = _request(integrator, "a.txt", "txt")
    assert _convert(double, params, secret=None).json() == {"error": -8}
    wrong = "wrong-secret-wrong-secret-wrong-secret-wrong-secret-wrong-secret!"
    assert _convert(double, params, secret=wrong).json() == {"error": -8}


def test_the_download_of_the_source_carries_the_url_token(double, integrator):
    params = _request(integrator, "a.txt", "txt")
    _convert(double, params)
    token = integrator.downloads("a.txt")[0].headers["Authorization"].split(" ", 1)[1]
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["payload"] == {"url": params["url"]}


def test_xml_replies_on_convert_service_ashx(double, integrator):
    response = _convert(double, _request(integrator, "a.txt", "txt"), path="/ConvertService.ashx")
    root = ET.fromstring(response.content)
    assert root.tag == "FileResult"
    assert root.findtext("EndConvert") == "True"
    assert root.findtext("Percent") == "100"
    assert root.findtext("FileType") == "txt"
    assert root.findtext("FileUrl").startswith(double.url + "/cache/files/data/")
    error = _convert(double, {"key": "x"}, path="/ConvertService.ashx")
    assert ET.fromstring(error.content).findtext("Error") == "-7"
    as_json = _convert(
        double,
        _request(integrator, "a.txt", "txt"),
        path="/ConvertService.ashx",
        headers={"Accept": "application/json"},
    )
    assert as_json.json()["endConvert"] is True


def test_injected_conversion_errors(double, integrator):
    double.faults.conversion_error = -3
    assert _convert(double, _request(integrator, "a.txt", "txt")).json() == {"error": -3}


def test_async_conversion_is_polled_by_repeating_the_request(double, integrator):
    double.faults.conversion_delay = 0.3
    params = _request(integrator, "a.txt", "txt", **{"async": True})
    assert _convert(double, params).json() == {"endConvert": False, "percent": 0}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        reply = _convert(double, params).json()
        if reply.get("endConvert"):
            break
        assert reply == {"endConvert": False, "percent": 0}
        time.sleep(0.05)
    assert reply["percent"] == 100


# --- LibreOffice ---


@needs_libreoffice
def test_libreoffice_converts_docx_to_pdf_asynchronously(double, integrator):
    params = _request(integrator, "a.docx", "pdf", key="lo-pdf", **{"async": True})
    assert _convert(double, params).json() == {"endConvert": False, "percent": 0}

    def finished():
        reply = _convert(double, params).json()
        return reply if reply.get("endConvert") else None

    reply = double.wait_for(finished, 60)
    assert reply["fileType"] == "pdf"
    assert requests.get(reply["fileUrl"], timeout=5).content.startswith(b"%PDF-")


@needs_libreoffice
@pytest.mark.parametrize(
    ("name", "outputtype", "marker"),
    [("a.docx", "txt", b"Edited by Ann"), ("a.xlsx", "csv", b"Edited by Ann")],
)
def test_edited_documents_are_valid_for_libreoffice(double, integrator, name, outputtype, marker):
    ext = name.rsplit(".", 1)[-1]
    integrator.add(name, apply_edit(samples.sample(ext, "Original"), ext, "Edited by Ann"))
    reply = _convert(double, _request(integrator, name, outputtype, key=f"lo-{ext}")).json()
    text = requests.get(reply["fileUrl"], timeout=5).content
    assert b"Original" in text
    assert marker in text


@needs_libreoffice
def test_edited_presentations_are_valid_for_libreoffice(double, integrator):
    edited = apply_edit(samples.pptx("Original"), "pptx", "Edited by Ann")
    integrator.add("a.pptx", edited)
    reply = _convert(double, _request(integrator, "a.pptx", "odp", key="lo-pptx")).json()
    odp = zipfile.ZipFile(io.BytesIO(requests.get(reply["fileUrl"], timeout=5).content))
    assert b"Edited by Ann" in odp.read("content.xml")


@needs_libreoffice
def test_ooxml_output_type_picks_the_format_of_the_document_type(double, integrator):
    integrator.add("a.odt")
    reply = _convert(double, _request(integrator, "a.odt", "ooxml", key="lo-ooxml")).json()
    assert reply["fileType"] == "docx"
    assert requests.get(reply["fileUrl"], timeout=5).content.startswith(b"PK")
