"""Repeated callbacks, stale sessions, retries, revoked rights: nothing lost, nothing doubled."""

import json

import requests
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from ZODB.POSException import ConflictError

from onlyoffice_plone.editor import saving
from onlyoffice_plone.testing.docs_double import samples

from .conftest import DOCX


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


def test_a_stale_session_keeps_both_files(site, caplog):
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
    real = saving.store_file
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(saving, "store_file", flaky)
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
    real = saving.store_file
    calls = []

    def conflicting(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConflictError("simulated conflict")
        return real(*args, **kwargs)

    monkeypatch.setattr(saving, "store_file", conflicting)
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
