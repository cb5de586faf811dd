"""An editor page that stops reaching Docs (a crashed or killed browser) leaves its session,
as Docs finds when its socket's pings go unanswered: the last editor's leaving saves."""

from __future__ import annotations

import time

import pytest
import requests

from onlyoffice_docs_double import DocsDouble


def _post(double, path, body):
    return requests.post(double.url + path, json=body, timeout=10).json()


def _open_page(double, integrator, user):
    """What the stand-in editor page does when it loads: open the session over HTTP."""
    config = integrator.config("a.docx", "k1", user)
    return _post(double, "/double/session/open", {"config": config})["connection"]


def _statuses(integrator):
    return [r.json["status"] for r in integrator.callbacks()]


def _wait(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("not within the time allowed")


def test_an_editor_whose_page_went_silent_leaves_and_its_edit_is_saved(
    docs_double_factory, integrator
):
    double = docs_double_factory(save_delay=0.2, disconnect_after=1.0)
    connection = _open_page(double, integrator, "u1")
    edited = _post(double, "/double/session/k1/edit", {"connection": connection, "text": "Kept"})
    assert edited["ok"] is True
    # The browser is killed: no close, no more polls.
    _wait(lambda: 2 in _statuses(integrator))
    saved = next(r.json for r in integrator.callbacks() if r.json["status"] == 2)
    assert saved["actions"] == [{"type": 0, "userid": "u1"}]
    assert double.sessions["k1"].connections == []
    assert double.sessions["k1"].state == "saved"


def test_a_page_that_keeps_polling_stays_in_the_session(docs_double_factory, integrator):
    double = docs_double_factory(save_delay=0.2, disconnect_after=1.0)
    alive = _open_page(double, integrator, "u1")
    silent = _open_page(double, integrator, "u2")
    deadline = time.monotonic() + 2.5
    revision = 0
    while time.monotonic() < deadline:  # what the live page's long polls do
        state = requests.get(
            f"{double.url}/double/session/k1/state?since={revision}&connection={alive}",
            timeout=15,
        ).json()
        revision = state.get("revision", revision)
        time.sleep(0.2)
    assert [c.id for c in double.sessions["k1"].connections] == [alive]
    assert silent not in [c.id for c in double.sessions["k1"].connections]
    left = [r.json for r in integrator.callbacks() if r.json["status"] == 1][-1]
    assert left["users"] == ["u1"]
    assert left["actions"] == [{"type": 0, "userid": "u2"}]


def test_connections_made_through_the_python_api_never_time_out(docs_double_factory, integrator):
    double = docs_double_factory(save_delay=0.2, disconnect_after=0.3)
    double.open(integrator.config("a.docx", "k1", "u1"))
    time.sleep(1.5)
    assert [c.user_id for c in double.sessions["k1"].connections] == ["u1"]


def test_docs_disconnects_after_its_ping_interval_and_timeout_by_default(docs_double_factory):
    assert docs_double_factory()._sessions.disconnect_after == 45.0
    with pytest.raises(ValueError):
        DocsDouble(disconnect_after=0)
