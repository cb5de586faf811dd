"""Callbacks as Docs sends them: statuses, fields, tokens, header trimming, retries, forgotten."""

from __future__ import annotations

import io
import itertools
import json
import time
import zipfile

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import DoubleError


def _received(integrator, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        callbacks = integrator.callbacks()
        if len(callbacks) >= count:
            return callbacks
        time.sleep(0.02)
    raise AssertionError(f"expected {count} callbacks, got {len(integrator.callbacks())}")


def _body_token(received):
    return jwt.decode(received.json["token"], SECRET, algorithms=["HS256"])


def _header_payload(received, header="Authorization"):
    scheme, token = received.headers[header].split(" ", 1)
    assert scheme == "Bearer"
    return jwt.decode(token, SECRET, algorithms=["HS256"])["payload"]


# --- statuses and fields ---


def test_joining_and_leaving_editors_send_status_1(double, integrator):
    double.open(integrator.config("a.docx", "k1", user="u1"))
    double.open(integrator.config("a.docx", "k1", user="u2"))
    double.close("k1", "u1")
    first, second, third = (r.json for r in _received(integrator, 3))
    assert first["status"] == 1
    assert first["users"] == ["u1"]
    assert first["actions"] == [{"type": 1, "userid": "u1"}]
    assert second["users"] == ["u1", "u2"]
    assert second["actions"] == [{"type": 1, "userid": "u2"}]
    assert third["users"] == ["u2"]
    assert third["actions"] == [{"type": 0, "userid": "u1"}]


def test_viewers_cause_no_callbacks(double, integrator):
    config = integrator.config("a.docx", "k1", editorConfig__mode="view")
    double.open(config)
    double.close("k1", "u1")
    double.wait_idle()
    assert integrator.callbacks() == []
    assert "k1" not in double.sessions


def test_closing_without_changes_sends_status_4_at_once(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.close("k1", "u1")
    last = _received(integrator, 2)[-1].json
    assert last["status"] == 4
    assert last["actions"] == [{"type": 0, "userid": "u1"}]
    assert "k1" not in double.sessions


def test_status_2_follows_the_save_delay_with_the_edited_file(docs_double_factory, integrator):
    double = docs_double_factory(save_delay=0.5)
    double.open(integrator.config("a.docx", "k1"))
    change = double.edit("k1", "u1")
    left = time.time()
    double.close("k1", "u1")
    received = _received(integrator, 2)[-1]
    body = received.json
    assert received.time - left >= 0.5
    assert body["status"] == 2
    assert body["key"] == "k1"
    assert body["users"] == ["u1"]
    assert body["actions"] == [{"type": 0, "userid": "u1"}]
    assert body["filetype"] == "docx"
    assert body["notmodified"] is False
    assert body["lastsave"].endswith("Z")
    assert "/cache/files/data/k1_1/output.docx?md5=" in body["url"]
    assert "&expires=" in body["url"]
    saved = requests.get(body["url"], timeout=5).content
    xml = zipfile.ZipFile(io.BytesIO(saved)).read("word/document.xml").decode()
    assert change.text in xml
    assert double.sessions["k1"].state == "saved"


def test_status_2_carries_history_and_a_real_changes_zip(double, integrator):
    double.open(integrator.config("a.txt", "k1"))
    double.edit("k1", "u1", "one")
    double.edit("k1", "u1", "two")
    double.close("k1", "u1")
    body = double.wait_for_callback(2).body
    history = body["history"]
    assert history["serverVersion"] == double.version
    assert [c["user"] for c in history["changes"]] == [{"id": "u1", "name": "User u1"}] * 2
    assert time.strptime(history["changes"][0]["created"], "%Y-%m-%d %H:%M:%S")
    assert len(history["changes"][0]["documentSha256"]) == 64
    changes = zipfile.ZipFile(io.BytesIO(requests.get(body["changesurl"], timeout=5).content))
    records = json.loads(changes.read("changes.json"))
    assert [json.loads(r["change"])["text"] for r in records] == ["one", "two"]
    assert records[0]["docid"] == "k1"


def test_an_editor_coming_back_during_the_save_delay_cancels_status_2(
    docs_double_factory, integrator
):
    double = docs_double_factory(save_delay=0.5)
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    double.open(integrator.config("a.docx", "k1", user="u2"))
    time.sleep(0.8)
    assert 2 not in double.callbacks_sent.statuses()
    assert double.sessions["k1"].state == "open"


def test_reopening_a_saved_key_shows_the_cached_result_without_downloading(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1", "saved edit")
    double.close("k1", "u1")
    double.wait_for(lambda: double.sessions["k1"].state == "saved")
    session = double.open(integrator.config("a.docx", "k1"))
    assert session.reopened_from_cache
    assert b"saved edit" not in integrator.files["a.docx"]
    assert len(integrator.downloads("a.docx")) == 1


# --- force save ---


def test_the_save_button_sends_status_6_and_keeps_the_key(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    assert double.forcesave("k1", "u1") is True
    body = double.wait_for_callback(6).body
    assert body["key"] == "k1"
    assert body["forcesavetype"] == 1
    assert body["actions"] == [{"type": 2, "userid": "u1"}]
    assert body["users"] == ["u1"]
    assert requests.get(body["url"], timeout=5).status_code == 200
    assert double.sessions["k1"].state == "open"
    assert double.forcesave("k1", "u1") is False  # nothing changed since


def test_the_save_button_needs_customization_forcesave(double, integrator):
    double.open(integrator.config("a.docx", "k1", editorConfig__customization={}))
    double.edit("k1", "u1")
    with pytest.raises(DoubleError):
        double.forcesave("k1", "u1")


def test_the_forcesave_timer_sends_forcesavetype_2(double, integrator):
    double.open(integrator.config("a.docx", "k1", editorConfig__customization={}))
    double.edit("k1", "u1")
    assert double.forcesave("k1", "u1", forcesavetype=2)
    assert double.wait_for_callback(6).body["forcesavetype"] == 2


def test_status_2_after_a_forcesave_without_later_changes_is_notmodified(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.forcesave("k1", "u1")
    double.close("k1", "u1")
    assert double.wait_for_callback(2).body["notmodified"] is True


# --- tokens ---


def test_callbacks_carry_a_body_token_and_a_header_token(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    received = _received(integrator, 1)[0]
    body = received.json
    claims = _body_token(received)
    assert {k: v for k, v in claims.items() if k not in ("iat", "exp")} == {
        k: v for k, v in body.items() if k != "token"
    }
    assert claims["exp"] - time.time() == pytest.approx(300, abs=5)
    assert _header_payload(received) == {k: v for k, v in body.items() if k != "token"}
    assert received.headers["Content-Type"] == "application/json"


def test_callbacks_use_the_configured_header(docs_double_factory, integrator):
    double = docs_double_factory(header="AuthorizationJwt")
    double.open(integrator.config("a.docx", "k1"))
    received = _received(integrator, 1)[0]
    assert _header_payload(received, "AuthorizationJwt")["status"] == 1
    assert "Authorization" not in received.headers


def test_without_jwt_callbacks_have_no_tokens(docs_double_factory, integrator):
    double = docs_double_factory(secret=None)
    double.open(integrator.config("a.docx", "k1", secret=None))
    received = _received(integrator, 1)[0]
    assert "token" not in received.json
    assert "Authorization" not in received.headers


def test_a_long_history_is_trimmed_from_the_header_token_and_the_plain_fields(double, integrator):
    double.open(integrator.config("a.txt", "k1"))
    for n in range(60):
        double.edit("k1", "u1", f"edit {n}")
    double.close("k1", "u1")
    attempt = double.wait_for_callback(2)
    received = _received(integrator, 2)[-1]
    assert attempt.trimmed
    header_token = received.headers["Authorization"].split(" ", 1)[1]
    assert len(header_token) < 7168
    header_payload = _header_payload(received)
    assert "changesurl" not in header_payload
    assert header_payload["history"] == {}
    plain = received.json
    assert "changesurl" not in plain
    assert plain["history"] == {}
    full = _body_token(received)
    assert len(full["history"]["changes"]) == 60
    assert full["changesurl"].startswith(double.url)


def test_a_short_history_is_not_trimmed(double, integrator):
    double.open(integrator.config("a.txt", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    attempt = double.wait_for_callback(2)
    assert not attempt.trimmed
    assert "changesurl" in _received(integrator, 2)[-1].json


# --- success and retries ---


def _save(double, integrator, key="k1"):
    double.open(integrator.config("a.txt", key))
    double.edit(key, "u1")
    double.close(key, "u1")


def test_status_2_is_retried_after_1_2_4_seconds_then_forgotten(docs_double_factory, integrator):
    double = docs_double_factory(retry_scale=0.1)
    integrator.callback_replies = [(200, '{"error":0}')] + [(500, "down")] * 10
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    attempts = [a for a in double.callbacks_sent if a.status == 2]
    assert [a.attempt for a in attempts] == [1, 2, 3, 4]
    gaps = [b.time - a.time for a, b in itertools.pairwise(attempts)]
    # Each gap is the retry delay plus the previous attempt's round trip on loopback.
    for gap, delay in zip(gaps, [0.1, 0.2, 0.4], strict=True):
        assert delay - 0.01 <= gap <= delay + 0.15
    assert double.forgotten["k1"].split("?")[0] == attempts[0].fields["url"].split("?")[0]
    assert double.sessions["k1"].state == "forgotten"


@pytest.mark.parametrize(("reply", "tries"), [((429, "slow down"), 4), ((503, ""), 4)])
def test_429_and_5xx_are_retried(double, integrator, reply, tries):
    integrator.callback_replies = [(200, '{"error":0}')] + [reply] * 10
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    assert double.callbacks_sent.statuses().count(2) == tries


@pytest.mark.parametrize(
    "reply", [(404, "no"), (403, '{"error":0}'), (200, '{"error":1}'), (200, "ok"), (200, "{}")]
)
def test_other_failures_are_final(double, integrator, reply):
    integrator.callback_replies = [(200, '{"error":0}'), reply]
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    attempts = [a for a in double.callbacks_sent if a.status == 2]
    assert len(attempts) == 1
    assert not attempts[0].success


def test_a_retry_that_succeeds_saves(double, integrator):
    integrator.callback_replies = [(200, '{"error":0}'), (502, ""), (200, '{"error":0}')]
    _save(double, integrator)
    double.wait_for(lambda: double.sessions["k1"].state == "saved")
    assert [a.success for a in double.callbacks_sent if a.status == 2] == [False, True]


def test_a_timeout_is_retried(docs_double_factory, integrator):
    double = docs_double_factory(callback_timeout=0.2)
    integrator.callback_sleep = 0.4
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    attempts = [a for a in double.callbacks_sent if a.status == 2]
    assert len(attempts) == 4
    assert all("timeout" in a.error for a in attempts)


def test_a_network_error_is_retried(double, integrator):
    double.faults.callback_url_override = "http://127.0.0.1:9/callback"  # nothing listens
    _save(double, integrator)
    double.wait_for(lambda: "k1" in double.forgotten)
    attempts = [a for a in double.callbacks_sent if a.status == 2]
    assert len(attempts) == 4
    assert all("network error" in a.error for a in attempts)


def test_status_1_is_not_retried(double, integrator):
    integrator.default_reply = (500, "down")
    double.open(integrator.config("a.docx", "k1"))
    double.wait_idle()
    assert [a.attempt for a in double.callbacks_sent] == [1]


def test_status_6_is_not_retried(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.wait_idle()
    integrator.default_reply = (500, "down")
    double.edit("k1", "u1")
    double.forcesave("k1", "u1")
    double.wait_idle()
    assert double.callbacks_sent.statuses().count(6) == 1


# --- the cache URL space ---


def test_result_links_expire_and_are_signed(double, integrator):
    double.cache_expires = 0.5
    _save(double, integrator)
    url = double.wait_for_callback(2).body["url"]
    assert requests.get(url, timeout=5).status_code == 200
    assert requests.get(url.replace("md5=", "md5=x"), timeout=5).status_code == 403
    time.sleep(1.6)
    assert requests.get(url, timeout=5).status_code == 410
