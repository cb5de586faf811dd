"""Results ONLYOFFICE Docs kept in its forgotten store are recovered; dead sessions' locks go.

Plone "down" beyond Docs' retry window is a store that fails (HTTP 500 to every attempt): the
double then keeps the result in its forgotten store, exactly as Docs does.
"""

import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobFile

from onlyoffice_docs_double import samples
from onlyoffice_plone.docs.urls import callback_url
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents import storing

from .conftest import DOCX
from .conftest import add_file
from .conftest import docs_callback


def _down(*args, **kwargs):
    raise OSError("Plone is restarting")


def forget(site, monkeypatch, text, obj=None, user="jane"):
    """An editing session whose final save reaches no Plone within Docs' retry window."""
    config = site.config(obj, user)
    key = config["document"]["key"]
    with monkeypatch.context() as patched:
        patched.setattr(storing, "store_file", _down)
        site.double.open(config, user)
        site.double.edit(key, user, text)
        site.double.close(key, user)
        site.double.wait_for(lambda: key in site.double.forgotten, timeout=30)
        site.double.wait_idle()
    return key


def recover(site, body=None, user=SITE_OWNER_NAME):
    response = (
        site.post("@onlyoffice-forgotten", user, json=body)
        if body
        else site.post("@onlyoffice-forgotten", user)
    )
    assert response.status_code == 200, response.text
    site.sync()
    return response.json()["items"]


def test_a_forgotten_save_is_listed_then_stored_as_a_version_and_removed_from_docs(
    site, monkeypatch
):
    before = site.versions()
    key = forget(site, monkeypatch, "Saved while Plone was down")
    assert "Saved while Plone was down" not in site.text()
    assert site.locked(), "the lock stands until the result is recovered"

    listed = site.get("@onlyoffice-forgotten", SITE_OWNER_NAME)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == [
        {
            "key": key,
            "document": site.item_url(site.file),
            "title": site.file.Title(),
            "action": "new-version",
        }
    ]

    [outcome] = recover(site)
    assert outcome["action"] == "new-version"
    assert outcome["stored_in"] == site.item_url(site.file)
    assert "Saved while Plone was down" in site.text()
    versions = site.versions()
    assert len(versions) == len(before) + 1
    assert versions[-1]["principal"] == "jane"
    assert "Edited in ONLYOFFICE" in versions[-1]["comment"]
    assert not site.locked()
    assert key not in site.double.forgotten
    # Nothing left: a second run stores nothing twice.
    assert recover(site) == []
    assert len(site.versions()) == len(before) + 1


def test_a_result_already_stored_is_only_removed_from_docs(site):
    """Plone stored the save but Docs never got the answer: recovery stores nothing twice."""
    key, _attempt = site.round_trip(text="Stored once")
    versions = len(site.versions())
    with site.double._lock:
        site.double._sessions.forgotten_files[key] = site.double.sessions[key].last_path
    assert site.get("@onlyoffice-forgotten", SITE_OWNER_NAME).json()["items"][0]["action"] == (
        "already-stored"
    )
    [outcome] = recover(site, {"key": key})
    assert outcome["action"] == "already-stored"
    assert len(site.versions()) == versions
    assert key not in site.double.forgotten


def test_a_document_replaced_meanwhile_gets_a_conflict_copy(site, monkeypatch):
    # A conflict copy is made only where the author may add content.
    site.folder.manage_addLocalRoles("jane", ["Contributor"])
    transaction.commit()
    key = forget(site, monkeypatch, "Edits of the old file")
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        site.file.file = NamedBlobFile(
            data=samples.docx("Uploaded meanwhile"), contentType=DOCX, filename="report.docx"
        )
    transaction.commit()
    [item] = site.get("@onlyoffice-forgotten", SITE_OWNER_NAME).json()["items"]
    assert item["action"] == "conflict-copy"
    [outcome] = recover(site, {"key": key})
    assert outcome["action"] == "conflict-copy"
    assert "Uploaded meanwhile" in site.text()
    copy = api.content.get(path="/" + outcome["stored_in"].split("/plone/", 1)[1])
    assert "Edits of the old file" in site.text(copy)
    assert key not in site.double.forgotten


def test_recovering_one_key_leaves_the_others(site, monkeypatch):
    other = add_file(site.folder, "other", samples.docx("Other"), filename="other.docx")
    transaction.commit()
    first = forget(site, monkeypatch, "First lost")
    second = forget(site, monkeypatch, "Second lost", obj=other)
    [outcome] = recover(site, {"key": second})
    assert outcome["key"] == second
    assert "Second lost" in site.text(other)
    assert "First lost" not in site.text()
    assert set(site.double.forgotten) == {first}


def test_an_unknown_key_stays_in_docs(site, monkeypatch):
    key = forget(site, monkeypatch, "Whose?")
    site.settle()
    documents.prune_sessions(site.portal, max_age=-1)
    transaction.commit()
    [outcome] = recover(site)
    assert outcome["action"] == "unknown-document"
    assert key in site.double.forgotten


def test_recovery_is_for_managers_and_refuses_bad_bodies(site):
    assert site.get("@onlyoffice-forgotten", "jane").status_code == 401
    assert site.post("@onlyoffice-forgotten", "jane").status_code == 401
    assert site.get("@onlyoffice-forgotten").status_code == 401
    bad = site.post("@onlyoffice-forgotten", SITE_OWNER_NAME, json={"key": "no spaces!"})
    assert bad.status_code == 400
    assert bad.json()["error"]["type"] == "BadRequest"
    huge = site.post("@onlyoffice-forgotten", SITE_OWNER_NAME, data="{" + " " * 10000 + "}")
    assert huge.status_code == 413
    not_json = site.post("@onlyoffice-forgotten", SITE_OWNER_NAME, data="nope")
    assert not_json.status_code == 400


def test_the_forgotten_page_lists_and_recovers(site, monkeypatch):
    forget(site, monkeypatch, "Recovered from the page")
    page = site.get("@@onlyoffice-forgotten", SITE_OWNER_NAME)
    assert page.status_code == 200
    assert "Results kept by ONLYOFFICE Docs" in page.text
    assert "new-version" in page.text


def test_maintenance_recovers_and_releases_locks_of_sessions_docs_does_not_know(site):
    """A lock taken by a session Docs has never heard of (Docs restarted, its cache cleaned):
    Docs answers ``info`` with error 1 and the lock goes."""
    fields = {"key": "ghost-session-key", "status": 1, "users": ["jane"], "actions": []}
    with api.env.adopt_roles(["Manager"]):
        url = callback_url(site.file, "ghost-session-key")
    url = site.url + url.split("/plone", 1)[1]
    reply = docs_callback(site, url, fields)
    assert reply.status_code == 200, reply.text
    assert site.locked()
    response = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME)
    assert response.status_code == 200, response.text
    assert response.json()["unlocked"] == [site.item_url(site.file)]
    assert not site.locked()


def test_maintenance_keeps_the_lock_of_a_live_session(site, session):
    key, _callback = session
    assert site.locked()
    response = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME)
    assert response.status_code == 200, response.text
    assert response.json()["unlocked"] == []
    site.settle()
    assert site.locked()
    assert key in site.double.sessions


def test_a_managers_unlock_closes_the_docs_session_and_its_edits_are_saved(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Saved by the unlock")
    site.double.wait_idle()
    assert site.locked()
    response = requests.delete(
        f"{site.item_url(site.file)}/@onlyoffice-lock",
        headers=site._auth(SITE_OWNER_NAME),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    site.double.wait_for_callback(2, key)
    site.settle()
    assert "Saved by the unlock" in site.text()
    assert not site.locked()
    assert site.double.sessions[key].state != "open"


def test_a_lock_whose_result_docs_forgot_goes_and_its_key_is_retired(site, monkeypatch):
    """Docs forgot the session's result and recovery cannot place it: the lock must not stand
    a day, and nobody may join Docs' stale session under the old key."""
    key = forget(site, monkeypatch, "Nobody knows whose")
    site.settle()
    documents.prune_sessions(site.portal, max_age=-1)
    transaction.commit()
    assert site.locked()
    assert site.key() == key
    response = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["recovered"][0]["action"] == "unknown-document"
    assert body["unlocked"] == [site.item_url(site.file)]
    assert not site.locked()
    assert site.key() != key
    assert key in site.double.forgotten, "left for an administrator"
