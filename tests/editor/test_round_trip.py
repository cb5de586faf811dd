"""The whole round trip over real HTTP: Plone ⇄ the Docs test double."""

import pytest
import requests
import transaction
from Acquisition import aq_base
from plone import api

from onlyoffice_docs_double import EditorError
from onlyoffice_docs_double import samples
from onlyoffice_plone.documents import state as documents

from .conftest import add_file
from .conftest import sign
from .test_pages import embedded_config


def test_edit_and_close_saves_a_new_version_and_unlocks(site):
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.wait_for_callback(1, key)
    site.double.wait_idle()
    assert site.locked(), "the item is locked while it is edited"
    site.double.edit(key, "jane", "Jane was here")
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()

    assert attempt.success and attempt.reply_json == {"error": 0}
    assert "Jane was here" in site.text()
    versions = site.versions()
    assert len(versions) == len(before) + 1
    assert versions[-1]["comment"] == "Edited in ONLYOFFICE by Jane Editor"
    assert versions[-1]["principal"] == "jane"
    assert not site.locked()
    assert site.key() != key, "a saved session's key is never handed out again"


@pytest.fixture
def german_site(site):
    """The site's language is German (the default a visitor without a preference gets)."""
    api.portal.set_registry_record("plone.available_languages", ["en", "de"])
    api.portal.set_registry_record("plone.default_language", "de")
    transaction.commit()
    yield site
    api.portal.set_registry_record("plone.default_language", "en")
    api.portal.set_registry_record("plone.available_languages", ["en"])
    transaction.commit()


def test_the_version_comments_are_in_the_sites_language(german_site):
    site = german_site
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Jane war hier")
    assert site.double.forcesave(key, "jane", forcesavetype=0)  # the command's
    site.double.wait_for_callback(6, key)
    site.double.edit(key, "jane", "und noch einmal")
    site.double.close(key, "jane")
    site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    comments = [version["comment"] for version in site.versions()]
    assert "In ONLYOFFICE gespeichert von Jane Editor (die Sitzung läuft weiter)" in comments
    assert comments[-1] == "In ONLYOFFICE bearbeitet von Jane Editor"


def test_lock_shows_the_editors_and_blocks_the_edit_form(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.open(site.config(user="john"), "john")
    site.double.wait_idle()
    page = site.get(site.item_url(site.file) + "/view", "vera")
    assert "Being edited in ONLYOFFICE by" in page.text
    assert "Jane Editor" in page.text and "John Editor" in page.text
    edit_form = site.get(site.item_url(site.file) + "/edit", "john", allow_redirects=False)
    assert edit_form.status_code == 302, "nobody uploads through Plone during a session"
    lock = site.get(site.item_url(site.file) + "/@lock", "john").json()
    assert lock["locked"] and lock["name"] == "onlyoffice_plone.editing"
    assert lock["stealable"] is False
    site.double.close(key, "jane")
    site.double.close(key, "john")
    site.double.wait_for_callback(4, key)
    site.double.wait_idle()
    assert not site.locked()


def test_closed_without_changes_saves_nothing(site):
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(4, key)
    site.double.wait_idle()
    assert attempt.success
    assert site.versions() == before
    assert not site.locked()
    assert site.key() == key


def test_two_users_co_edit_one_key_and_one_version_names_both(site):
    before = site.versions()
    jane = site.config(user="jane")
    john = site.config(user="john")
    key = jane["document"]["key"]
    assert john["document"]["key"] == key, "everyone who opens the document joins one session"
    site.double.open(jane, "jane")
    site.double.open(john, "john")
    site.double.edit(key, "jane", "From Jane")
    site.double.edit(key, "john", "From John")
    site.double.close(key, "jane")
    site.double.close(key, "john")
    site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    text = site.text()
    assert "From Jane" in text and "From John" in text
    versions = site.versions()
    assert len(versions) == len(before) + 1
    assert versions[-1]["comment"] == "Edited in ONLYOFFICE by Jane Editor, John Editor"


def test_forcesave_makes_a_version_per_save_and_keeps_the_session(site):
    site.portal.portal_registry["onlyoffice_plone.forcesave"] = True
    transaction.commit()
    before = site.versions()
    config = site.config(user="jane")
    assert config["editorConfig"]["customization"]["forcesave"] is True
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "First save")
    assert site.double.forcesave(key, "jane", forcesavetype=0)  # the command's
    site.double.wait_for_callback(6, key)
    site.double.wait_idle()
    assert "First save" in site.text()
    assert len(site.versions()) == len(before) + 1
    assert site.locked(), "the session goes on"
    assert site.key() == key, "a force save keeps the session's key"
    assert site.config(user="john")["document"]["key"] == key, "newcomers join the session"

    site.double.edit(key, "jane", "Second save")
    assert site.double.forcesave(key, "jane")
    site.double.wait_idle()
    assert "Second save" in site.text()
    assert len(site.versions()) == len(before) + 2

    site.double.close(key, "jane")
    final = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    assert final.success
    assert final.body.get("notmodified") is True
    assert len(site.versions()) == len(before) + 2, "nothing new since the last save"
    assert not site.locked()
    assert site.key() != key


def test_viewer_gets_a_read_only_session_and_no_callback(site):
    config = site.config(user="vera", mode="view")
    assert config["editorConfig"]["mode"] == "view"
    assert "callbackUrl" not in config["editorConfig"]
    assert config["document"]["permissions"]["edit"] is False
    session = site.double.open(config, "vera")
    assert session.document.startswith(b"PK")
    assert (
        site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=edit", "vera").status_code == 401
    )


def test_anonymous_may_view_a_public_item_but_never_edit(site):
    site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    site.file.manage_permission("Modify portal content", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    config = site.config(user=None, mode="view")
    assert config["editorConfig"]["mode"] == "view"
    assert config["editorConfig"]["user"]["id"].startswith("anonymous-")
    site.double.open(config)
    refused = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=edit", None)
    assert refused.status_code == 401
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", None, allow_redirects=False)
    assert page.status_code in (302, 401)


def test_anonymous_may_not_view_a_private_item(site):
    refused = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=view", None)
    assert refused.status_code == 401


def test_review_only_session_tracks_changes_and_saves_them(site):
    before = site.versions()
    config = site.config(user="rita", mode="edit")
    permissions = config["document"]["permissions"]
    assert permissions["edit"] is False
    assert permissions["review"] is True
    assert permissions["comment"] is False
    key = config["document"]["key"]
    site.double.open(config, "rita")
    site.double.edit(key, "rita", "Rita suggests")
    site.double.close(key, "rita")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    assert attempt.success
    assert "Rita suggests" in site.text()
    versions = site.versions()
    assert len(versions) == len(before) + 1
    assert versions[-1]["principal"] == "rita"


def test_a_user_without_any_editing_right_gets_no_editor(site):
    assert (
        site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=edit", "vera").status_code == 401
    )
    item = site.item_url(site.file)
    edit = site.get(item + "/@@onlyoffice-edit", "vera", allow_redirects=False)
    # A reader who follows an edit link reads the document, and is told why.
    assert edit.status_code == 302
    assert edit.headers["Location"] == item + "/@@onlyoffice-view"
    session = requests.Session()
    session.headers.update({**site._auth("vera"), "Accept": "text/html"})
    view = session.get(item + "/@@onlyoffice-edit", timeout=30)
    assert view.status_code == 200
    assert view.url == item + "/@@onlyoffice-view"
    assert "This document opens read-only for you in ONLYOFFICE." in view.text
    assert embedded_config(view.text)["editorConfig"]["mode"] == "view"


def test_the_config_token_is_refused_by_docs_when_tampered(site):
    config = site.config(user="vera", mode="view")
    config["document"]["permissions"]["edit"] = True
    with pytest.raises(EditorError):
        site.double.open(config, "vera")


def test_an_item_with_versioning_switched_off_keeps_it_and_gets_no_version(site):
    site.file.versioning_enabled = False
    transaction.commit()
    before = site.versions()
    _key, attempt = site.round_trip(text="Not versioned")
    assert attempt.success
    assert "Not versioned" in site.text()
    assert len(site.versions()) == len(before)
    assert aq_base(site.file).__dict__.get("versioning_enabled") is False


def test_results_are_fetched_from_docs_internal_address(site):
    public = "http://127.0.0.1:9"  # what browsers use; Plone cannot reach Docs there
    site.set_registry(docs_url=public + "/", docs_internal_url=site.double.url + "/")
    site.double.public_url = public
    try:
        _key, attempt = site.round_trip(text="Fetched inside")
    finally:
        site.double.public_url = None
    assert attempt.fields["url"].startswith(public + "/")
    assert attempt.success and attempt.attempt == 1
    assert "Fetched inside" in site.text()
    record = documents.get_state(site.portal, site.file).history[-1]
    assert record["changes"] is not None, "changes.zip fetched inside too"


def test_a_session_survives_renaming_its_folder(site):
    """Docs reaches the document by UID: not through the old path, even once it is reused.

    (Plone's redirector answers an old path with a redirect, which Docs does not follow
    for a callback POST; a new item at the old path would take the callback.)
    """
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Saved after a rename")
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.content.rename(obj=site.folder, new_id="renamed")
        newcomer = api.content.create(container=site.portal, type="Folder", id="docs")
        add_file(newcomer, "report", samples.docx("A newer report"))
    transaction.commit()
    assert site.item_url(site.file).endswith("/renamed/report")

    url = config["document"]["url"]
    header = {"Authorization": "Bearer " + sign({"payload": {"url": url}}, site.double.secret)}
    download = requests.get(url, headers=header, timeout=30)
    assert download.status_code == 200, "Docs can still fetch the file"
    assert download.content == site.file_data()
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(2, key)
    site.settle()
    assert attempt.success
    assert "Saved after a rename" in site.text()
    assert len(site.versions()) == len(before) + 1
    assert not site.locked()
    assert "A newer report" in site.text(site.portal["docs"]["report"])


def test_a_file_too_large_to_version_is_still_saved(site, caplog):
    modifier = site.portal.portal_modifier["AbortVersioningOfLargeFilesAndImages"]
    modifier.edit(enabled=True, max_size=10)
    transaction.commit()
    before = site.versions()
    _key, attempt = site.round_trip(text="Too large to version")
    assert attempt.success
    assert "Too large to version" in site.text()
    assert len(site.versions()) == len(before)
    assert any("refuses to version a file this large" in r.getMessage() for r in caplog.records)
    catalog = api.portal.get_tool("portal_catalog")
    brain = catalog.unrestrictedSearchResults(UID=site.file.UID())[0]
    assert brain.modified == site.file.modified(), "the catalog sees the save"
