"""Answers to the editor's requests for content (insertImage, setRequestedDocument,
setRequestedSpreadsheet) as Docs reads them: fields from the token, only the file types the
editor takes, each URL downloaded with Docs' header token and its bytes recorded."""

from __future__ import annotations

import hashlib

import jwt
import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET

from .test_history import _method
from .test_history import _signed


@pytest.fixture
def connection(double, integrator):
    connected = double.connect(integrator.config("a.docx", "k1"), "u1")
    integrator.add("logo.png", b"\x89PNG fake image bytes")
    integrator.add("other.docx")
    integrator.add("list.xlsx")
    return connected.id


def test_insert_image_fetches_the_signed_images(double, integrator, connection):
    images = [{"fileType": "png", "url": integrator.file_url("logo.png")}]
    signed = _signed({"c": "add", "images": images})
    tampered = {
        **signed,
        "images": [{"fileType": "docx", "url": integrator.file_url("other.docx")}],
    }
    reply = _method(double, "k1", connection, "insertImage", tampered)
    assert reply["ok"] is True
    data = integrator.files["logo.png"]
    assert reply["fetched"] == [
        {"url": images[0]["url"], "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    ]
    # The plain fields are never trusted; the header token names each URL Docs fetches.
    header = integrator.downloads("logo.png")[-1].headers["Authorization"]
    claims = jwt.decode(header.split()[1], SECRET, algorithms=["HS256"])
    assert claims["payload"]["url"] == images[0]["url"]
    assert integrator.downloads("other.docx") == []


def test_an_answer_without_a_valid_token_is_refused(double, integrator, connection):
    data = {"c": "compare", "fileType": "docx", "url": integrator.file_url("other.docx")}
    unsigned = _method(double, "k1", connection, "setRequestedDocument", data)
    assert unsigned["ok"] is False and unsigned["errorCode"] == -20
    forged = {**data, "token": jwt.encode(data, "another-secret-0123456789", algorithm="HS256")}
    assert _method(double, "k1", connection, "setRequestedDocument", forged)["fetched"] == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setRequestedDocument", {"c": "compare", "fileType": "xlsx", "file": "list.xlsx"}),
        ("setRequestedSpreadsheet", {"c": "mailmerge", "fileType": "docx", "file": "other.docx"}),
        ("insertImage", {"c": "add", "images": [{"fileType": "svg", "file": "logo.png"}]}),
    ],
)
def test_a_file_type_the_editor_does_not_take_is_refused(
    double, integrator, connection, name, data
):
    if "images" in data:
        data["images"] = [
            {"fileType": i["fileType"], "url": integrator.file_url(i["file"])}
            for i in data["images"]
        ]
    else:
        data["url"] = integrator.file_url(data.pop("file"))
    reply = _method(double, "k1", connection, name, _signed(data))
    assert reply["ok"] is False
    assert "fileType" in reply["detail"]
    assert reply["fetched"] == []


def test_mail_merge_fetches_the_spreadsheet(double, integrator, connection):
    data = {"c": "mailmerge", "fileType": "xlsx", "url": integrator.file_url("list.xlsx")}
    reply = _method(double, "k1", connection, "setRequestedSpreadsheet", _signed(data))
    assert reply["ok"] is True
    assert (
        reply["fetched"][0]["sha256"] == hashlib.sha256(integrator.files["list.xlsx"]).hexdigest()
    )
