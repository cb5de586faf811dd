"""Each session gets the least it needs, for no longer than it needs, through the real server:
download URLs bound to one revision, the lock only for people who may edit, lesser sessions'
permissions, conflict copies only where their author may add, force saves by the button only
while it is shown."""

import time

import jwt
import requests
import transaction
from plone.locking.interfaces import ILockable
from plone.namedfile.file import NamedBlobFile

from onlyoffice_docs_double import samples
from onlyoffice_plone.docs.urls import VIEW_LIFETIME

from .conftest import DOCX
from .conftest import sign


def docs_download(site, url):
    headers = {"Authorization": "Bearer " + sign({"payload": {"url": url}}, site.double.secret)}
    return requests.get(url, headers=headers, timeout=30)


def set_local_roles(site, user, roles):
    site.settle()
    site.folder.manage_setLocalRoles(user, list(roles))
    site.folder.reindexObjectSecurity()
    transaction.commit()


def replace_file(site, text):
    site.settle()
    site.file.file = NamedBlobFile(samples.docx(text), contentType=DOCX, filename="report.docx")
    transaction.commit()


# --- 4. download URLs ---


def test_a_download_url_stops_working_once_the_file_is_replaced(site):
    old_url = site.config(user="vera", mode="view")["document"]["url"]
    assert docs_download(site, old_url).status_code == 200
    replace_file(site, "Uploaded after access was removed")
    response = docs_download(site, old_url)
    assert response.status_code == 403
    assert not response.content.startswith(b"PK")
    new_url = site.config(user="vera", mode="view")["document"]["url"]
    assert docs_download(site, new_url).content == site.file_data()


def test_view_sessions_are_short_lived(site):
    config = site.config(user="vera", mode="view")
    token = requests.utils.urlparse(config["document"]["url"]).query.split("token=")[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == VIEW_LIFETIME <= 3600
    signed = jwt.decode(config["token"], options={"verify_signature": False})
    assert signed["exp"] - time.time() <= VIEW_LIFETIME + 5
    edit = jwt.decode(site.config(user="jane")["token"], options={"verify_signature": False})
    assert edit["exp"] - edit["iat"] > VIEW_LIFETIME, "editing sessions keep their working day"


# --- 5. the lock ---


def test_a_user_who_lost_edit_rights_gets_no_lock_at_status_1(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    set_local_roles(site, "jane", ["Reader"])
    site.double.open(config, "jane")
    attempt = site.double.wait_for_callback(1, key)
    site.double.wait_idle()
    assert attempt.http_status == 403
    assert not site.locked()
    assert site.editors() == []


def test_the_lock_goes_to_a_co_editor_who_may_edit(site):
    jane = site.config(user="jane")
    john = site.config(user="john")
    set_local_roles(site, "jane", ["Reader"])
    site.double.open(jane, "jane")  # refused: no lock
    site.double.wait_idle()
    site.double.open(john, "john")  # Docs names both; the lock goes to john
    site.double.wait_idle()
    assert site.locked()
    creators = {lock["creator"] for lock in ILockable(site.file).lock_info()}
    assert creators == {"john"}, creators


# --- 6. lesser sessions ---


def test_review_sessions_get_the_least_they_need(site):
    permissions = site.config(user="rita")["document"]["permissions"]
    assert permissions["edit"] is False
    assert permissions["review"] is True
    assert permissions["editCommentAuthorOnly"] is True
    assert permissions["deleteCommentAuthorOnly"] is True
    assert permissions["protect"] is False
    assert permissions["modifyContentControl"] is False
    assert permissions["modifyFilter"] is False
    full = site.config(user="jane")["document"]["permissions"]
    assert full["edit"] is True
    assert full["editCommentAuthorOnly"] is False
    assert full["protect"] is True


# --- 7. conflict copies ---


def stale_session(site, user):
    config = site.config(user=user)
    key = config["document"]["key"]
    site.double.open(config, user)
    site.double.edit(key, user, "Edited in the old session")
    site.double.wait_idle()
    replace_file(site, "Uploaded meanwhile")
    site.double.close(key, user)
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    site.sync()
    return key, attempt


def conflict_copies(site):
    site.sync()
    return [o for o in site.folder.objectValues() if "conflict copy" in o.Title()]


def test_no_conflict_copy_where_its_author_may_not_add(site):
    key, attempt = stale_session(site, "jane")  # an Editor: may edit, may not add
    assert attempt.http_status == 403
    assert key in site.double.forgotten, "Docs keeps the refused result"
    assert conflict_copies(site) == []
    assert "Uploaded meanwhile" in site.text()
    assert not site.locked()


def test_a_conflict_copy_is_owned_as_the_original_is(site):
    set_local_roles(site, "jane", ["Editor", "Reader", "Contributor"])
    _key, attempt = stale_session(site, "jane")
    assert attempt.success
    (copy,) = conflict_copies(site)
    assert copy.getOwner().getId() == site.file.getOwner().getId() != "jane"
    assert "Owner" not in dict(copy.get_local_roles()).get("jane", ())
    assert list(copy.creators) == list(site.file.creators)
    assert "Edited in the old session" in site.text(copy)


# --- 9. force saves without the Save button ---


def test_a_press_of_save_is_not_stored_once_the_button_is_off(site):
    site.set_registry(forcesave=True)
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Saved at the end")
    site.double.wait_idle()
    before = len(site.versions())
    site.set_registry(forcesave=False)
    assert site.double.forcesave(key, "jane")
    attempt = site.double.wait_for_callback(6, key)
    site.double.wait_idle()
    assert attempt.http_status == 403
    assert len(site.versions()) == before
    site.double.close(key, "jane")
    assert site.double.wait_for_callback(2, key).success
    site.double.wait_idle()
    assert "Saved at the end" in site.text()


def test_docs_timer_force_saves_are_stored_without_the_button(site):
    config = site.config(user="jane")
    assert config["editorConfig"]["customization"]["forcesave"] is False
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Saved by the timer")
    site.double.wait_idle()
    before = len(site.versions())
    assert site.double.forcesave(key, "jane", 2)
    attempt = site.double.wait_for_callback(6, key)
    site.double.wait_idle()
    assert attempt.success
    assert len(site.versions()) == before + 1
    assert "Saved by the timer" in site.text()
