"""The command service, its token rules, and the other plain endpoints."""

from __future__ import annotations

import io
import time
import zipfile

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET


def _command(double, params, *, path="/command", secret=SECRET, how="body", header=None):
    headers = {}
    body = dict(params)
    if how == "body":
        body["token"] = jwt.encode(params, secret, algorithm="HS256")
    elif how == "header":
        token = jwt.encode({"payload": params}, secret, algorithm="HS256")
        headers[header or "Authorization"] = "Bearer " + token
    response = requests.post(double.url + path, json=body, headers=headers, timeout=5)
    assert response.status_code == 200
    return response.json()


def test_version_and_license(double):
    assert _command(double, {"c": "version"}) == {"error": 0, "version": "9.1.0.0"}
    assert _command(double, {"c": "license"})["error"] == 0


def test_the_old_path_works_too(double):
    reply = _command(double, {"c": "version"}, path="/coauthoring/CommandService.ashx")
    assert reply["version"] == "9.1.0.0"


def test_a_header_token_wraps_the_request_in_payload(double):
    assert _command(double, {"c": "version"}, how="header")["error"] == 0


def test_the_body_token_wins_over_the_plain_fields(double):
    body = {"c": "nonsense", "token": jwt.encode({"c": "version"}, SECRET, algorithm="HS256")}
    reply = requests.post(double.url + "/command", json=body, timeout=5).json()
    assert reply["version"] == "9.1.0.0"


@pytest.mark.parametrize(
    ("how", "secret", "error"),
    [("none", SECRET, 6), ("body", "wrong-secret-wrong-secret-wrong-secret-wrong-secret", 6)],
)
def test_with_jwt_on_a_missing_or_bad_token_is_error_6(double, how, secret, error):
    assert _command(double, {"c": "version"}, how=how, secret=secret) == {"error": error}


def test_an_expired_token_is_error_7(double):
    params = {"c": "version", "exp": int(time.time()) - 600}
    body = {"token": jwt.encode(params, SECRET, algorithm="HS256")}
    assert requests.post(double.url + "/command", json=body, timeout=5).json() == {"error": 7}


def test_jwt_off_takes_the_plain_request(docs_double_factory):
    double = docs_double_factory(secret=None)
    assert _command(double, {"c": "version"}, how="none")["error"] == 0


def test_unknown_command_and_unknown_key(double):
    assert _command(double, {"c": "explode"}) == {"error": 5}
    assert _command(double, {"c": "forcesave", "key": "nope"}) == {"error": 1, "key": "nope"}
    assert _command(double, {"c": "info"}) == {"error": 1}


def test_info_triggers_a_status_1_callback_with_userdata(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.wait_idle()
    assert _command(double, {"c": "info", "key": "k1", "userdata": "probe"}) == {
        "error": 0,
        "key": "k1",
    }
    double.wait_idle()
    last = integrator.callbacks()[-1].json
    assert (last["status"], last["users"], last["userdata"]) == (1, ["u1"], "probe")


def test_forcesave_command_sends_status_6_type_0_and_error_4_when_unchanged(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    assert _command(double, {"c": "forcesave", "key": "k1"}) == {"error": 4, "key": "k1"}
    double.edit("k1", "u1")
    reply = _command(double, {"c": "forcesave", "key": "k1", "userdata": "mine"})
    assert reply == {"error": 0, "key": "k1"}
    body = double.wait_for_callback(6).body
    assert (body["forcesavetype"], body["userdata"], body["key"]) == (0, "mine", "k1")


def test_drop_disconnects_users(double, integrator):
    double.open(integrator.config("a.docx", "k1", user="u1"))
    double.open(integrator.config("a.docx", "k1", user="u2"))
    assert _command(double, {"c": "drop", "key": "k1", "users": ["u1"]})["error"] == 0
    assert double.sessions["k1"].users == ["u2"]
    double.wait_idle()
    assert integrator.callbacks()[-1].json["actions"] == [{"type": 0, "userid": "u1"}]


def test_meta_renames_the_open_document(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    reply = _command(double, {"c": "meta", "key": "k1", "meta": {"title": "New.docx"}})
    assert reply == {"error": 0, "key": "k1"}
    assert double.sessions["k1"].title == "New.docx"


def test_forgotten_store_commands(double, integrator):
    integrator.default_reply = (500, "down")
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    double.wait_for(lambda: "k1" in double.forgotten)
    assert _command(double, {"c": "getForgottenList"}) == {"error": 0, "keys": ["k1"]}
    reply = _command(double, {"c": "getForgotten", "key": "k1"})
    assert reply["url"].split("?")[0] == double.forgotten["k1"].split("?")[0]
    assert requests.get(reply["url"], timeout=5).status_code == 200
    assert _command(double, {"c": "deleteForgotten", "key": "k1"}) == {"error": 0, "key": "k1"}
    assert _command(double, {"c": "getForgotten", "key": "k1"})["error"] == 1


def test_a_forgotten_file_outlives_the_callbacks_link(docs_double_factory, integrator):
    """Docs keeps a forgotten file until deleteForgotten, and getForgotten signs a fresh link:
    recovery hours after the outage still downloads it."""
    double = docs_double_factory(retry_scale=0.01)
    double.cache.expires_seconds = 0.5
    integrator.default_reply = (500, "down")
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1", "Kept by Docs")
    double.close("k1", "u1")
    double.wait_for(lambda: "k1" in double.forgotten)
    callback_link = next(a for a in double.callbacks_sent if a.status == 2).fields["url"]
    time.sleep(1.5)
    assert requests.get(callback_link, timeout=5).status_code == 410
    reply = _command(double, {"c": "getForgotten", "key": "k1"})
    fresh = requests.get(reply["url"], timeout=5)
    assert fresh.status_code == 200
    assert b"Kept by Docs" in zipfile.ZipFile(io.BytesIO(fresh.content)).read("word/document.xml")


def test_a_forgotten_key_opens_again_from_document_url(double, integrator):
    integrator.default_reply = (500, "down")
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    double.wait_for(lambda: "k1" in double.forgotten)
    session = double.open(integrator.config("a.docx", "k1"))
    assert not session.changed
    assert len(integrator.downloads("a.docx")) == 2


# --- plain endpoints ---


def test_healthcheck_api_js_and_status_page(double):
    assert requests.get(double.url + "/healthcheck", timeout=5).text == "true"
    api = requests.get(double.api_js_url, timeout=5)
    assert api.status_code == 200
    assert "javascript" in api.headers["Content-Type"]
    assert "DocsAPI" in api.text
    assert "9.1.0.0" in api.text
    home = requests.get(double.url + "/?access=" + double.access_token, timeout=5).text
    assert "ONLYOFFICE Docs test double" in home
    assert requests.get(double.url + "/double/status", timeout=5).status_code == 403
    access = {"X-Double-Access": double.access_token}
    status = requests.get(double.url + "/double/status", headers=access, timeout=5).json()
    assert status["jwt"] is True
    assert requests.get(double.url + "/nowhere", timeout=5).status_code == 404
