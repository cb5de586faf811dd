"""setHistoryData as Docs reads it: the version's fields from the token, diffs only when
Docs could replay them."""

from __future__ import annotations

import jwt
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET


def _method(double, key, connection, name, data):
    response = requests.post(
        f"{double.url}/double/session/{key}/method",
        json={"connection": connection, "name": name, "data": data},
        timeout=10,
    )
    assert response.status_code == 200
    return response.json()


def _signed(data):
    return {**data, "token": jwt.encode(data, SECRET, algorithm="HS256")}


def _open(double, integrator):
    connection = double.connect(integrator.config("a.docx", "k1"), "u1")
    integrator.add("v1.docx")
    integrator.add("v2.docx")
    integrator.add("changes.zip", b"PK\x05\x06" + bytes(18))
    return connection.id


def _history(double, connection, server_version):
    entry = {"version": 2, "key": "k-v2", "changes": [{"created": "2026-01-01 10:00:00"}]}
    history = {"currentVersion": 2, "history": [{"version": 1, "key": "k-v1"}, entry]}
    history["history"][1]["serverVersion"] = server_version
    _method(double, "k1", connection, "refreshHistory", history)


def test_the_urls_come_from_the_token_not_the_plain_fields(double, integrator):
    connection = _open(double, integrator)
    signed = _signed({"version": 1, "key": "k-v1", "url": integrator.file_url("v1.docx")})
    tampered = {**signed, "url": integrator.file_url("v2.docx")}
    reply = _method(double, "k1", connection, "setHistoryData", tampered)
    assert reply["ok"] is True
    assert [f["url"] for f in reply["fetched"]] == [integrator.file_url("v1.docx")]
    unsigned = _method(double, "k1", connection, "setHistoryData", {"version": 1, "url": "x"})
    assert unsigned["ok"] is False and unsigned["errorCode"] is not None


def test_changes_are_highlighted_only_with_previous_and_this_build(double, integrator):
    connection = _open(double, integrator)
    data = {
        "version": 2,
        "key": "k-v2",
        "url": integrator.file_url("v2.docx"),
        "changesUrl": integrator.file_url("changes.zip"),
        "previous": {"fileType": "docx", "key": "k-v1", "url": integrator.file_url("v1.docx")},
    }
    _history(double, connection, double.version)
    reply = _method(double, "k1", connection, "setHistoryData", _signed(data))
    assert reply["shown"] == {"version": 2, "key": "k-v2", "diff": True}
    assert len(reply["fetched"]) == 3
    without_previous = {k: v for k, v in data.items() if k != "previous"}
    reply = _method(double, "k1", connection, "setHistoryData", _signed(without_previous))
    assert reply["shown"]["diff"] is False
    # Changes recorded by another Docs build cannot be replayed: the version opens as it is.
    _history(double, connection, "8.0.0")
    reply = _method(double, "k1", connection, "setHistoryData", _signed(data))
    assert reply["shown"]["diff"] is False
