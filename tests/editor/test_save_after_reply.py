"""A save is answered once its file and version are committed; the catalog's reindex (the
full text included) follows the reply, in a worker thread, and a crash loses none of it."""

import io
import threading
import zipfile

import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME

from onlyoffice_plone.documents import indexing
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone_testing import docx_text


def committed_versions(site):
    """The comments of the committed versions, without waiting for the worker."""
    transaction.abort()
    site.portal._p_jar.sync()
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        history = repository.getHistoryMetadata(site.file)
        return [
            history.retrieve(i)["metadata"]["sys_metadata"]["comment"]
            for i in range(history.getLength(countPurged=False))
        ]


def committed_text(site):
    """The document's text as committed (``site.text()`` would wait for the worker)."""
    transaction.abort()
    site.portal._p_jar.sync()
    with zipfile.ZipFile(io.BytesIO(site.file.file.data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def found(site, words):
    catalog = api.portal.get_tool("portal_catalog")
    return [b.UID for b in catalog.unrestrictedSearchResults(SearchableText=words)]


def unindexed(site):
    return documents.get_state(site.portal, site.file).unindexed


def lose_a_reindex(site, text):
    """Save ``text`` and lose its reindex, as when the process dies after its reply."""
    with indexing.WORKER.held():
        site.round_trip(text=text)
        indexing.WORKER.forget_queued()
    site.sync()


def test_the_reply_follows_the_commit_and_the_catalog_follows_the_reply(site):
    docx_text.install(site.portal)
    transaction.commit()
    before = committed_versions(site)
    with indexing.WORKER.held():
        _key, attempt = site.round_trip(text="Zebraquartz minutes")
        # Answered while nothing may reindex: the file and its version were committed.
        assert attempt.success and attempt.reply_json == {"error": 0}
        versions = committed_versions(site)
        assert len(versions) == len(before) + 1
        assert versions[-1] == "Edited in ONLYOFFICE by Jane Editor"
        assert "Zebraquartz minutes" in committed_text(site)
        assert unindexed(site), "the save marks its reindex as still to be done"
        assert found(site, "Zebraquartz") == []
    site.sync()  # the worker reindexes
    assert found(site, "Zebraquartz") == [site.file.UID()]
    assert not unindexed(site)
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=site.file.UID())
    assert brain.modified == site.file.modified(), "the save's modification date, indexed"


def test_a_reindex_a_crash_lost_is_done_by_the_next_maintenance(site):
    docx_text.install(site.portal)
    transaction.commit()
    lose_a_reindex(site, "Quokkavelvet agenda")
    assert unindexed(site)
    assert found(site, "Quokkavelvet") == []
    response = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME)
    assert response.status_code == 200, response.text
    assert response.json()["reindexed"] == 1
    site.sync()
    assert found(site, "Quokkavelvet") == [site.file.UID()]
    assert not unindexed(site)
    again = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME).json()
    assert again["reindexed"] == 0, "nothing is reindexed twice"


def test_the_next_save_redoes_a_lost_reindex(site):
    docx_text.install(site.portal)
    transaction.commit()
    lose_a_reindex(site, "Lostwombat notes")
    assert found(site, "Lostwombat") == []
    site.round_trip(text="Foundwombat notes")  # an edit of the saved text: both are in it
    site.sync()
    assert found(site, "Foundwombat") == [site.file.UID()]
    assert found(site, "Lostwombat") == [site.file.UID()]
    assert not unindexed(site)


def test_maintenance_reindexes_while_docs_is_not_configured(site):
    """Recovering forgotten results needs ONLYOFFICE Docs; redoing a lost reindex does not."""
    docx_text.install(site.portal)
    transaction.commit()
    lose_a_reindex(site, "Platypusamber report")
    site.portal.portal_registry["onlyoffice_plone.docs_url"] = None
    transaction.commit()
    response = site.post("@onlyoffice-maintenance", SITE_OWNER_NAME)
    assert response.status_code == 503, response.text  # Docs' part is refused, as before
    site.sync()
    assert found(site, "Platypusamber") == [site.file.UID()]
    assert not unindexed(site)


def test_maintenance_clears_the_mark_of_an_item_it_cannot_find(site):
    lose_a_reindex(site, "Gone soon")
    uid = site.file.UID()
    # The catalog no longer knows the item (as after an unindex by hand): nothing to find.
    api.portal.get_tool("portal_catalog").unindexObject(site.file)
    transaction.commit()
    assert uid in dict(documents.pending_states(site.portal))
    assert site.post("@onlyoffice-maintenance", SITE_OWNER_NAME).json()["reindexed"] == 0
    site.sync()
    assert uid not in dict(documents.pending_states(site.portal))


def test_maintenance_looks_the_marks_up_once_however_many_are_gone(site, monkeypatch):
    """Each vanished item's mark is found by its UID, not by listing every mark again."""
    lose_a_reindex(site, "Gone too")
    uid = site.file.UID()
    api.portal.get_tool("portal_catalog").unindexObject(site.file)
    store = documents.pending_states(site.portal) and documents._store(site.portal, True)
    for n in range(3):  # marks of items deleted since
        store[f"gone-{n}"] = documents.DocumentState()
        store[f"gone-{n}"].unindexed = True
    transaction.commit()
    listed = []
    real = indexing.pending_states

    def listing(portal):
        listed.append(portal)
        return real(portal)

    monkeypatch.setattr(indexing, "pending_states", listing)
    assert site.post("@onlyoffice-maintenance", SITE_OWNER_NAME).json()["reindexed"] == 0
    assert len(listed) == 1
    site.sync()
    assert uid not in dict(documents.pending_states(site.portal))
    assert not documents.pending_states(site.portal)


def test_the_worker_leaves_the_reply_time_to_go_out_first(monkeypatch):
    """A save's transaction commits before the server writes its reply: the reindex it
    queued starts AFTER_REPLY later, not while the reply is written; a job that waited in
    the queue that long already starts at once."""
    now = [0.0]
    slept, done = [], []
    both_queued = threading.Event()

    def sleep(seconds):
        both_queued.wait(10)
        slept.append(seconds)
        now[0] += seconds

    def reindex(db, site_path, uid):  # each takes a second
        done.append((now[0], uid))
        now[0] += 1

    monkeypatch.setattr(indexing, "reindex_in_own_connection", reindex)
    worker = indexing.Worker(clock=lambda: now[0], sleep=sleep)
    worker.submit(None, ("", "plone"), "first")
    worker.submit(None, ("", "plone"), "second")
    both_queued.set()
    worker.join()
    after = indexing.AFTER_REPLY
    assert slept == [after]
    assert done == [(after, "first"), (after + 1, "second")]
