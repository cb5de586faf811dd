"""Links between spreadsheets as Docs handles them: Paste link only within one system, the
answer read from its token, the source fetched as Docs fetches it, view sessions ignored."""

from __future__ import annotations

import hashlib

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import DoubleError
from onlyoffice_docs_double import samples

OURS = {"fileKey": "uid-source", "instanceId": "plone-site"}


def _open(double, integrator, mode="edit"):
    integrator.add("source.xlsx", samples.xlsx("Source data"))
    integrator.add("other.xlsx", samples.xlsx("Other data"))
    config = integrator.config(
        "dest.xlsx",
        "k-dest",
        document__referenceData={"fileKey": "uid-dest", "instanceId": "plone-site"},
        editorConfig__mode=mode,
    )
    return double.connect(config, "u1")


def _clipboard(reference=OURS):
    return {"referenceData": reference, "fileName": "source.xlsx", "sheet": "Sheet1", "cell": "A1"}


def _answer(integrator, name="source.xlsx", secret=SECRET, **changes):
    data = {
        "fileType": "xlsx",
        "key": "k-source",
        "path": f"docs/{name}",
        "referenceData": OURS,
        "url": integrator.file_url(name),
        **changes,
    }
    return {**data, "token": jwt.encode(data, secret, algorithm="HS256")}


def test_paste_link_needs_the_same_instance_id(double, integrator):
    connection = _open(double, integrator)
    link = double.paste_link("k-dest", connection.id, _clipboard())
    assert link.reference_data == OURS and link.path == "source.xlsx"
    other = {"fileKey": "uid-source", "instanceId": "https://elsewhere.example.com"}
    with pytest.raises(DoubleError, match="another system"):
        double.paste_link("k-dest", connection.id, _clipboard(other))
    with pytest.raises(DoubleError, match="no reference data"):
        double.paste_link("k-dest", connection.id, {"fileName": "x.xlsx"})


def test_requests_carry_reference_data_or_only_the_typed_path(double, integrator):
    connection = _open(double, integrator)
    pasted = double.paste_link("k-dest", connection.id, _clipboard())
    typed = double.type_link("k-dest", connection.id, "docs/source.xlsx")
    links = {link["id"]: link for link in double.sessions["k-dest"].summary()["links"]}
    assert links[pasted.id]["requestData"] == {
        "referenceData": OURS,
        "path": "source.xlsx",
        "link": "",
    }
    assert links[typed.id]["requestData"] == {"path": "docs/source.xlsx"}
    assert links[typed.id]["formula"] == "='[docs/source.xlsx]Sheet1'!A1"


def test_the_source_comes_from_the_token_with_docs_header(double, integrator):
    connection = _open(double, integrator)
    link = double.paste_link("k-dest", connection.id, _clipboard())
    # The plain url names another file: Docs downloads the token's.
    answer = {**_answer(integrator), "url": integrator.file_url("other.xlsx")}
    record = double.answer_link("k-dest", connection.id, link.id, answer)
    assert record["ok"] is True and record["source"] == "downloadfile"
    assert record["sha256"] == hashlib.sha256(integrator.files["source.xlsx"]).hexdigest()
    assert record["plainDiffers"] == ["url"]
    assert integrator.downloads("other.xlsx") == []
    header = integrator.downloads("source.xlsx")[-1].headers["Authorization"]
    claims = jwt.decode(header.split(" ", 1)[1], SECRET, algorithms=["HS256"])
    assert claims["payload"]["url"] == integrator.file_url("source.xlsx")
    assert link.status == "OK" and link.path == "docs/source.xlsx"


def test_unsigned_or_foreign_answers_are_refused(double, integrator):
    connection = _open(double, integrator)
    link = double.paste_link("k-dest", connection.id, _clipboard())
    unsigned = {k: v for k, v in _answer(integrator).items() if k != "token"}
    for answer in (unsigned, _answer(integrator, secret="not-the-docs-secret" * 3)):
        record = double.answer_link("k-dest", connection.id, link.id, answer)
        assert record["ok"] is False and "refused" in record
        assert link.status == "Error: updating is failed"
    assert integrator.downloads("source.xlsx") == []


def test_an_error_answer_is_the_links_status(double, integrator):
    connection = _open(double, integrator)
    link = double.paste_link("k-dest", connection.id, _clipboard())
    record = double.answer_link("k-dest", connection.id, link.id, {"error": "Not found"})
    assert record == {
        "method": "setReferenceData",
        "link": link.id,
        "ok": True,
        "error": "Not found",
    }
    assert link.status == "Not found"


def test_a_live_sessions_key_gives_its_current_document(double, integrator):
    connection = _open(double, integrator)
    source = double.connect(integrator.config("source.xlsx", "k-source"), "u2")
    double.edit("k-source", source.id, "Unsaved words")
    link = double.paste_link("k-dest", connection.id, _clipboard())
    record = double.answer_link("k-dest", connection.id, link.id, _answer(integrator))
    current = double.sessions["k-source"].document
    assert record["source"] == "session"
    assert record["sha256"] == hashlib.sha256(current).hexdigest()


def test_a_viewer_makes_no_links_and_applies_no_answers(double, integrator):
    editor = _open(double, integrator)
    viewer = _open(double, integrator, mode="view")
    assert viewer.editing is False
    with pytest.raises(DoubleError, match="viewing"):
        double.paste_link("k-dest", viewer.id, _clipboard())
    link = double.paste_link("k-dest", editor.id, _clipboard())
    record = double.answer_link("k-dest", viewer.id, link.id, _answer(integrator))
    assert record["ok"] is False and record["ignored"] == "viewing"
    assert link.status == "Unknown"
    assert integrator.downloads("source.xlsx") == []


def test_the_page_answers_through_the_method_route(double, integrator):
    connection = _open(double, integrator)
    link = double.paste_link("k-dest", connection.id, _clipboard())
    reply = requests.post(
        f"{double.url}/double/session/k-dest/method",
        json={
            "connection": connection.id,
            "name": "setReferenceData",
            "data": _answer(integrator),
            "link": link.id,
        },
        timeout=10,
    ).json()
    assert reply["ok"] is True
    assert reply["fetched"] == [
        {"url": integrator.file_url("source.xlsx"), "bytes": reply["bytes"]}
    ]
    calls = double.sessions["k-dest"].method_calls
    assert calls[-1]["name"] == "setReferenceData" and calls[-1]["link"] == link.id
    unprompted = requests.post(
        f"{double.url}/double/session/k-dest/method",
        json={"connection": connection.id, "name": "setReferenceData", "data": {}},
        timeout=10,
    ).json()
    assert unprompted["ignored"] == "no request pending"
