"""Repeated callbacks, stale sessions, retries, revoked rights: nothing lost, nothing doubled."""

import io
import json
import re
import zipfile

import pytest
import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobFile
from ZODB.POSException import ConflictError

from onlyoffice_docs_double import samples
from onlyoffice_plone.docs import fetch
from onlyoffice_plone.documents import storing

from .conftest import DOCX
from .conftest import docs_callback


def replay(attempt):
    """Send a callback again exactly as Docs sent it (a retry after a lost reply)."""
    return requests.post(
        attempt.url, data=json.dumps(attempt.body), headers=attempt.headers, timeout=30
    )


def test_a_repeated_final_callback_never_makes_a_second_version(site):
    before = site.versions()
    _key, attempt = site.round_trip(text="Once")
    after = site.versions()
    assert len(after) == len(before) + 1
    for _ in range(2):
        again = replay(attempt)
        assert again.status_code == 200 and again.json() == {"error": 0}
    assert len(site.versions()) == len(after)
    assert "Once" in site.text()


def test_a_repeated_forcesave_callback_never_makes_a_second_version(site):
    site.portal.portal_registry["onlyoffice_plone.forcesave"] = True
    transaction.commit()
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Saved once")
    site.double.forcesave(key, "jane")
    attempt = site.double.wait_for_callback(6, key)
    site.double.wait_idle()
    assert replay(attempt).json() == {"error": 0}
    assert len(site.versions()) == len(before) + 1


def may_add_here(site, user):
    """A conflict copy needs its author's right to add the item beside the original."""
    site.folder.manage_addLocalRoles(user, ["Contributor"])
    transaction.commit()


def test_a_stale_session_keeps_both_files(site, caplog):
    may_add_here(site, "jane")
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Edited in the old session")
    # Let Plone finish the status 1 callback (it locks the item) before writing here.
    site.double.wait_idle()
    site.sync()
    # Meanwhile someone replaces the file in Plone (a script, ignoring the lock).
    site.file.file = NamedBlobFile(
        samples.docx("Uploaded meanwhile"), contentType=DOCX, filename="report.docx"
    )
    transaction.commit()
    assert site.key() != key
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    assert attempt.success, "the result is stored, not refused"
    assert "Uploaded meanwhile" in site.text(), "the newer file is never overwritten"
    site.sync()
    copies = [o for o in site.folder.objectValues() if "conflict copy" in o.Title()]
    assert len(copies) == 1
    assert copies[0].Title() == "report.docx (ONLYOFFICE conflict copy)"
    assert "Edited in the old session" in site.text(copies[0])
    assert any("was replaced in Plone while" in r.getMessage() for r in caplog.records)
    assert not site.locked()


def test_docs_retries_after_a_5xx_and_the_save_happens_once(site, monkeypatch):
    real = storing.store_file
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(storing, "store_file", flaky)
    before = site.versions()
    key, _attempt = site.round_trip(text="After a retry")
    attempts = site.double.callbacks_sent.for_key(key)
    finals = [a for a in attempts if a.status == 2]
    assert [a.http_status for a in finals] == [500, 200]
    assert finals[0].reply_json["error"] == 1
    assert "After a retry" in site.text()
    assert len(site.versions()) == len(before) + 1
    assert key not in site.double.forgotten


def test_a_zodb_conflict_is_retried_not_reported(site, monkeypatch):
    real = storing.store_file
    calls = []

    def conflicting(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConflictError("simulated conflict")
        return real(*args, **kwargs)

    monkeypatch.setattr(storing, "store_file", conflicting)
    before = site.versions()
    _key, attempt = site.round_trip(text="Despite a conflict")
    assert attempt.success and attempt.attempt == 1
    assert len(calls) == 2
    assert "Despite a conflict" in site.text()
    assert len(site.versions()) == len(before) + 1


def test_a_user_who_lost_the_right_to_edit_is_refused_and_docs_keeps_the_file(site, caplog):
    before = site.versions()
    config = site.config(user="john")
    key = config["document"]["key"]
    site.double.open(config, "john")
    site.double.edit(key, "john", "John's late edit")
    api.user.revoke_roles(username="john", obj=site.folder, roles=["Editor"])
    transaction.commit()
    site.double.close(key, "john")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    assert attempt.http_status == 403
    assert key in site.double.forgotten
    assert "John's late edit" not in site.text()
    assert len(site.versions()) == len(before)
    assert any("may no longer edit" in r.getMessage() for r in caplog.records)


def test_metadata_edits_keep_the_key_and_file_changes_change_it(site):
    key = site.key()
    site.file.title = "A new title"
    site.file.description = "And a description"
    site.file.reindexObject()
    transaction.commit()
    assert site.key() == key
    site.file.file = NamedBlobFile(samples.docx("New"), contentType=DOCX, filename="report.docx")
    transaction.commit()
    assert site.key() != key


def test_keys_differ_between_documents(site):
    other = api.content.copy(source=site.file, target=site.folder, id="copy")
    transaction.commit()
    assert site.key(other) != site.key()


def replace_file_meanwhile(site, text):
    """Someone replaces the file in Plone (a script, ignoring the lock): a new session key."""
    site.settle()
    site.file.file = NamedBlobFile(samples.docx(text), contentType=DOCX, filename="report.docx")
    transaction.commit()


@pytest.mark.parametrize("old_session_edits", [False, True], ids=["closed", "saved"])
def test_an_older_session_never_unlocks_nor_clears_the_current_one(site, old_session_edits):
    may_add_here(site, "jane")
    old = site.config(user="jane")
    old_key = old["document"]["key"]
    site.double.open(old, "jane")
    if old_session_edits:
        site.double.edit(old_key, "jane", "Edited in the old session")
    site.settle()
    assert site.locked()
    replace_file_meanwhile(site, "Uploaded meanwhile")
    new = site.config(user="john")
    new_key = new["document"]["key"]
    assert new_key != old_key
    site.double.open(new, "john")
    site.settle()

    site.double.close(old_key, "jane")
    attempt = site.double.wait_for_callback(2 if old_session_edits else 4, old_key)
    site.settle()
    assert attempt.success
    assert site.locked(), "the current session keeps its lock"
    assert site.editors() == ["john"]
    site.double.close(new_key, "john")
    site.double.wait_for_callback(4, new_key)
    site.settle()
    assert not site.locked()
    assert site.editors() == []


def lose_the_right_to_edit(site):
    site.settle()
    api.user.revoke_roles(username="jane", obj=site.folder, roles=["Editor"])
    transaction.commit()


def oversize(site):
    site.set_registry(max_file_size_mb=1)
    site.double.faults.result_oversize_bytes = 2 * 1024 * 1024


def result_gone(site):
    site.double.faults.endpoint_status = {"cache": 404}


@pytest.mark.parametrize(
    ("refusal", "status"),
    [(lose_the_right_to_edit, 403), (oversize, 413), (result_gone, 424)],
    ids=["lost-right", "oversize", "result-gone"],
)
def test_a_refused_final_save_unlocks_the_document_at_once(site, monkeypatch, refusal, status):
    downloads = []
    real = fetch.download
    monkeypatch.setattr(
        fetch, "download", lambda *a, **kw: downloads.append(a[0]) or real(*a, **kw)
    )
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Never stored")
    site.settle()
    assert site.locked()
    refusal(site)
    site.double.close(key, "jane")
    site.double.wait_for_callback(2, key)
    site.settle()
    finals = [a for a in site.double.callbacks_sent.for_key(key) if a.status == 2]
    assert [a.http_status for a in finals] == [status], "a 4xx: Docs does not retry"
    assert key in site.double.forgotten, "Docs keeps what Plone refused"
    assert not site.locked()
    assert site.editors() == []
    assert "Never stored" not in site.text()
    assert len(site.versions()) == len(before)
    if refusal is lose_the_right_to_edit:
        assert downloads == [], "nothing is downloaded for someone who may not save it"
    # Docs keeps the refused edits under that key: nobody may join them again.
    assert site.key() != key
    fresh = site.double.open(site.config(user="jane", mode="view"), "jane")
    with zipfile.ZipFile(io.BytesIO(fresh.document)) as archive:
        assert "Never stored" not in archive.read("word/document.xml").decode()


def authenticator(html):
    form = re.search(r'<form class="onlyoffice-unlock[^"]*".*?</form>', html, re.S)
    assert form, "the unlock button is there"
    return re.search(r'name="_authenticator"\s+value="([^"]+)"', form.group(0)).group(1)


def test_a_manager_removes_the_onlyoffice_lock(site, session):
    assert site.locked()
    item = site.item_url(site.file)
    assert "onlyoffice-unlock" not in site.get(item + "/view", "jane").text
    assert site.get(item + "/@@onlyoffice-unlock", "jane").status_code in (401, 403)
    assert site.locked()

    token = authenticator(site.get(item + "/view", SITE_OWNER_NAME).text)
    response = site.post(
        item + "/@@onlyoffice-unlock", SITE_OWNER_NAME, data={"_authenticator": token}
    )
    assert response.status_code == 200
    assert not site.locked()
    assert site.editors() == []


def test_a_manager_removes_the_onlyoffice_lock_over_rest(site, session):
    item = site.item_url(site.file)
    assert (
        requests.delete(
            item + "/@onlyoffice-lock", headers=site._auth("jane"), timeout=30
        ).status_code
        == 401
    )
    assert site.locked()
    response = requests.delete(
        item + "/@onlyoffice-lock", headers=site._auth(SITE_OWNER_NAME), timeout=30
    )
    assert response.status_code == 200
    assert response.json()["locked"] is False
    assert not site.locked()


def test_a_session_remembers_a_bounded_number_of_its_users(site, session):
    """A callback may name any number of users, and each status 1 of a session adds its own
    to what Plone remembers of it: its editors and its record (which names the authors of a
    result Docs could not deliver) keep the newest MAX_SESSION_USERS, and each status 1
    looks up no more than that many users."""
    from onlyoffice_plone.documents import state as documents

    key, callback = session
    site.settle()
    limit = documents.MAX_SESSION_USERS
    looked_up = []
    real = api.user.get

    def counting(*args, **kwargs):
        looked_up.append(kwargs.get("userid"))
        return real(*args, **kwargs)

    api.user.get = counting
    try:
        for batch in range(3):
            users = ["jane", *(f"visitor-{batch}-{i}" for i in range(limit))]
            fields = {"key": key, "status": 1, "users": users, "actions": []}
            reply = docs_callback(site, callback, fields)
            assert reply.status_code == 200, reply.text
            assert reply.json() == {"error": 0}
            assert len(looked_up) <= limit, len(looked_up)
            looked_up.clear()
    finally:
        api.user.get = real
    site.settle()
    editors = list(documents.get_state(site.portal, site.file).editors)
    assert len(editors) == limit and editors[:2] == ["jane", "visitor-2-0"]
    _uid, remembered, _seen = documents.session_record(site.portal, key)
    assert len(remembered) == limit and remembered[:2] == ("jane", "visitor-2-0")
    assert site.locked(), "the session still holds the lock"
