"""What the add-on costs Plone, counted (never timed: timings are `make bench`'s).

Plone's File view asks the add-on four action conditions and a viewlet, and plone.locking
(switched on for File) its lock notice. The settings are read once per request, an item's
ONLYOFFICE status decided once, plone.locking asked as little as possible. The editor page
looks nobody up in the user folders once it has named them (its config names the current
user and everyone in the sharing list). A save asks CMFEditions for no version it would
refuse, and indexes the file once. Counted through the real server on real page renders and
real callbacks from the Docs double.
"""

import contextlib
import sys
from pathlib import Path

import pytest
import transaction
from plone import api
from plone.locking.lockable import TTWLockable
from Products.CMFEditions.ArchivistTool import ArchivistTool
from Products.CMFPlone.browser.icons import IconsView
from Products.CMFPlone.CatalogTool import CatalogTool
from Products.PlonePAS.tools.groups import GroupsTool
from Products.PluggableAuthService.PluggableAuthService import PluggableAuthService
from zope.component import getUtility
from zope.i18n.interfaces import INegotiator
from zope.i18n.interfaces import ITranslationDomain

import onlyoffice_plone
from onlyoffice_plone.documents import indexing
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.files import PrimaryBlobFile
from onlyoffice_plone.documents.language import SOURCE_LANGUAGE
from onlyoffice_plone.settings import Settings

from .conftest import add_file


@contextlib.contextmanager
def counting():
    """Count settings reads, office-file lookups, plone.locking's lock_info() calls and the
    languages negotiated for the add-on's texts."""
    counts = {"settings": 0, "office_file": 0, "lock_info": 0, "negotiated": 0}
    real_settings = Settings.__init__
    real_init = PrimaryBlobFile.__init__
    real_lock_info = TTWLockable.lock_info
    negotiator = getUtility(INegotiator)
    ours = {*getUtility(ITranslationDomain, "onlyoffice_plone").getCatalogsInfo(), SOURCE_LANGUAGE}

    def get_language(langs, env):
        if set(langs) == ours:
            counts["negotiated"] += 1
        return real_get_language(langs, env)

    def settings(self, *args, **kwargs):  # one Settings value per reading of the settings
        counts["settings"] += 1
        real_settings(self, *args, **kwargs)

    def init(self, *args, **kwargs):
        counts["office_file"] += 1
        real_init(self, *args, **kwargs)

    def lock_info(self):
        counts["lock_info"] += 1
        return real_lock_info(self)

    Settings.__init__ = settings
    PrimaryBlobFile.__init__ = init
    TTWLockable.lock_info = lock_info
    real_get_language = negotiator.getLanguage
    negotiator.getLanguage = get_language
    try:
        yield counts
    finally:
        Settings.__init__ = real_settings
        PrimaryBlobFile.__init__ = real_init
        TTWLockable.lock_info = real_lock_info
        del negotiator.getLanguage


def render(site, obj, user):
    site.get(site.item_url(obj) + "/view", user).raise_for_status()  # templates compiled
    with counting() as counts:
        page = site.get(site.item_url(obj) + "/view", user)
    page.raise_for_status()
    return page, counts


@pytest.mark.parametrize("user", ["jane", "vera"])
def test_a_file_view_reads_settings_once_and_decides_once(site, user):
    page, counts = render(site, site.file, user)
    assert "onlyoffice-open-view" in page.text, "the add-on's viewlet and actions are there"
    assert counts["settings"] == 1, counts
    assert counts["office_file"] == 1, counts
    # A file never locked: nobody asks plone.locking (the add-on's lock check, its lock
    # banner and Plone's toolbar asked four times for an editor before, seven before that).
    assert counts["lock_info"] == 0, counts
    # The add-on's texts (its actions' titles and descriptions, its viewlet) negotiate their
    # language once (ten times before: once per text).
    assert counts["negotiated"] == 1, counts


def test_a_file_open_in_onlyoffice_names_its_editors_without_a_locked_out_notice(site):
    with api.env.adopt_user(username="john"):
        locking.lock(site.file)
    documents.get_state(site.portal, site.file, create=True).editors.append("john")
    transaction.commit()
    page, counts = render(site, site.file, "jane")
    assert "Being edited in ONLYOFFICE by" in page.text
    # A co-editing session, not a plain lock: no "locked by" one person (see lockinfo.py).
    assert "This item was locked by" not in page.text
    assert counts["settings"] == 1, counts
    assert counts["office_file"] == 1, counts
    # Locked: the add-on's lock check, its banner and Plone's toolbar (twice) ask.
    assert 1 <= counts["lock_info"] <= 4, counts


@pytest.mark.parametrize("user", ["jane", "vera"])
def test_the_add_ons_texts_are_not_translated_again_in_plones_domain(site, user):
    """Plone's Actions menu translates an entry's tooltip (its description) in the entry's
    domain, then the result again in Plone's, negotiating among every language Plone ships:
    the add-on's entries there have no description, as Plone's own have none (Download as's
    was translated twice before)."""
    from zope.i18n.translationdomain import TranslationDomain

    actions = api.portal.get_tool("portal_actions")
    ours = {
        text
        for category in ("object", "object_buttons")
        for action in actions[category].objectValues()
        if action.getId().startswith("onlyoffice_")
        for text in (action.title, action.description)
        if text
    }
    url = site.item_url(site.file) + "/view"
    site.get(url, user).raise_for_status()
    with counting_calls(TranslationDomain, "translate", with_self=True) as translated:
        page = site.get(url, user)
    page.raise_for_status()
    assert "onlyoffice_download_as" in page.text, "the Actions menu shows Download as"
    # Plone's domain translates Plone's own texts on this page (what is counted is seen).
    assert any(domain.domain == "plone" for domain, *_ in translated)
    again = [
        (domain.domain, str(msgid))
        for domain, msgid, *_ in translated
        if domain.domain != "onlyoffice_plone" and str(msgid) in ours
    ]
    assert again == []


@pytest.mark.parametrize("user", ["jane", "vera"])
def test_the_add_ons_viewlets_ask_nobodys_roles(site, user):
    """Plone's viewlet manager checks each viewlet's permission against the visitor's roles
    (local roles included) on every page. The add-on's viewlets are registered public and
    decide from the item's status, already decided for the actions: no role check is made
    for them (three were before, one per viewlet)."""
    from Acquisition import aq_base
    from Products.PlonePAS.plugins.ufactory import PloneUser

    from onlyoffice_plone.browser.notice import NotConfiguredViewlet
    from onlyoffice_plone.editor.lockinfo import LockInfoViewlet
    from onlyoffice_plone.editor.views import OpenViewlet

    ours = (OpenViewlet, NotConfiguredViewlet, LockInfoViewlet)

    def on_ours(user_, obj, *args, **kwargs):  # obj: what is accessed, the viewlet's render
        return isinstance(aq_base(getattr(obj, "__self__", obj)), ours)

    url = site.item_url(site.file) + "/view"
    site.get(url, user).raise_for_status()
    with counting_calls(PloneUser, "allowed", on_ours) as checks:
        page = site.get(url, user)
    page.raise_for_status()
    assert "onlyoffice-open-view" in page.text, "the viewlet is there"
    assert checks == [], checks


def test_other_pages_pay_almost_nothing(site):
    add_file(site.folder, "archive", b"PK\x03\x04", filename="a.zip", content_type="x/zip")
    transaction.commit()
    archive = site.folder["archive"]
    page, counts = render(site, archive, "jane")
    assert "onlyoffice-open" not in page.text
    assert counts["settings"] == 1, counts
    assert counts["office_file"] == 1, counts
    _, counts = render(site, site.folder, "jane")
    assert counts["settings"] <= 1, counts


@contextlib.contextmanager
def counting_calls(cls, name, wanted=lambda *args, **kwargs: True, with_self=False):
    """Count calls of ``cls.name`` (whose arguments satisfy ``wanted``): their arguments,
    after the instance itself ``with_self``."""
    calls = []
    real = getattr(cls, name)

    def counted(self, *args, **kwargs):
        if wanted(self, *args, **kwargs):
            calls.append((self, *args) if with_self else args)
        return real(self, *args, **kwargs)

    setattr(cls, name, counted)
    try:
        yield calls
    finally:
        setattr(cls, name, real)


ADDON = str(Path(onlyoffice_plone.__file__).parent)


def asked_by_the_addon(*args, **kwargs):
    """Is it the add-on's code that asks? Its nearest frame on the stack says; the page
    view's ``__call__`` renders Plone's main template, whose chrome (such as the personal
    bar) looks the current user up on every page: those lookups are Plone's, not counted."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(ADDON):
            return frame.f_code.co_name != "__call__"
        frame = frame.f_back
    return False


@contextlib.contextmanager
def counting_lookups():
    """The users and groups the add-on looks up in the user folders (PAS), by id."""
    with (
        counting_calls(
            PluggableAuthService, "getUserById", asked_by_the_addon, with_self=True
        ) as users,
        counting_calls(GroupsTool, "getGroupById", asked_by_the_addon, with_self=True) as groups,
    ):
        yield {"users": users, "groups": groups}


def editor_page(site, user):
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", user)
    page.raise_for_status()
    return page


@pytest.mark.parametrize(("user", "page"), [("jane", "edit"), ("vera", "view")])
def test_the_editor_page_looks_its_file_up_once(site, user, page):
    """Finding an item's office file walks every field of every schema of its type: the
    editor page's mode, its download URL and the toolbar's actions share one lookup (three
    before)."""
    url = site.item_url(site.file) + f"/@@onlyoffice-{page}"
    site.get(url, user).raise_for_status()
    with counting() as counts:
        answer = site.get(url, user)
    answer.raise_for_status()
    assert 'id="onlyoffice-config"' in answer.text, "an editor page with its config"
    assert counts["office_file"] == 1, counts
    assert counts["settings"] == 1, counts


def test_the_editor_page_names_people_without_looking_them_up_again(site):
    editor_page(site, "jane")  # templates compiled, people named once
    with counting_lookups() as lookups:
        page = editor_page(site, "jane")
    # The config names the current user and everyone the item is shared with.
    assert '"name": "Jane Editor"' in page.text or '"name":"Jane Editor"' in page.text
    for name in ("Jane Editor", "John Editor", "Rita Reviewer", "Vera Viewer"):
        assert f'"user":"{name}"' in page.text.replace('": "', '":"'), name
    assert lookups == {"users": [], "groups": []}, lookups


def test_the_editor_page_looks_each_principal_up_at_most_once(site):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="staff", title="Staff")
        api.group.grant_roles(groupname="staff", obj=site.folder, roles=["Reader"])
    transaction.commit()
    with counting_lookups() as lookups:
        page = editor_page(site, "jane")
    assert '"user":"Staff"' in page.text.replace('": "', '":"')
    # A user of Zope's root is looked for in the site's user folder first.
    asked = [(folder.getPhysicalPath(), principal) for folder, principal in lookups["users"]]
    assert len(asked) == len(set(asked)), asked
    groups = [principal for _tool, principal in lookups["groups"]]
    assert groups == ["staff"], groups


def test_the_pages_icons_are_read_once_not_on_every_page(site):
    """Plone reads and parses every toolbar and menu entry's SVG icon on every page (about a
    dozen percent of a File view); the add-on's resolver keeps them, its own and Plone's."""
    from onlyoffice_plone.browser import icons

    icons._kept.clear()  # as in a process that has not shown them yet

    pages = []
    for _ in range(2):
        with counting_calls(IconsView, "tag") as read:
            page = site.get(site.item_url(site.file) + "/view", "jane")
        page.raise_for_status()
        pages.append((page.text, sorted({args[0] for args in read})))
    (first, read_first), (second, read_second) = pages
    # The editor's toolbar shows ONLYOFFICE Edit and View, the menu Download as, with the
    # pictures the registry names for the add-on's icons, and Plone's own entries beside
    # them (a picture already drawn in the same class is not read again for another name).
    assert "onlyoffice-edit" in read_first, read_first
    assert len(read_first) > 10, "Plone's own toolbar icons are read too"
    assert read_second == [], "no icon is read and parsed again"
    assert second.count("<svg") == first.count("<svg") > 10
    for action in ("onlyoffice_edit", "onlyoffice_view", "onlyoffice_download_as"):
        assert action in second, action
    for picture in ("bi-pencil-square", "bi-eye", "bi-download"):
        assert picture in second, picture


def test_a_save_too_large_to_version_prepares_no_version(site, caplog):
    modifier = site.portal.portal_modifier["AbortVersioningOfLargeFilesAndImages"]
    modifier.edit(enabled=True, max_size=10)
    transaction.commit()
    before = site.versions()
    with counting_calls(ArchivistTool, "prepare") as prepared:
        _key, attempt = site.round_trip(text="Too large to version")
    assert attempt.success
    assert "Too large to version" in site.text()
    assert len(site.versions()) == len(before)
    assert prepared == [], "CMFEditions is not asked to prepare a version it will refuse"
    assert any("refuses to version a file this large" in r.getMessage() for r in caplog.records)
    assert site.file.versioning_enabled is not False, "the item's own switch is untouched"


def test_a_save_indexes_the_file_once(site):
    path = "/".join(site.file.getPhysicalPath())
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Indexed once")
    site.double.wait_idle()

    def of_the_file(catalog, obj, uid=None, *args, **kwargs):
        return (uid or "/".join(obj.getPhysicalPath())) == path

    with counting_calls(CatalogTool, "catalog_object", of_the_file) as indexed:
        site.double.close(key, "jane")
        attempt = site.double.wait_for_callback(2, key)
        site.double.wait_idle()
        indexing.WORKER.join()  # the reindex follows the reply
    assert attempt.success
    assert "Indexed once" in site.text()
    assert len(indexed) == 1, indexed


def test_a_save_looks_its_file_up_once(site):
    """A final save asks for the item's file to check the session's key, who may still edit
    it, to store the result and to bind the new file: one lookup of the item's primary field
    (five before)."""
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Looked up once")
    site.double.wait_idle()
    with counting() as counts:
        site.double.close(key, "jane")
        attempt = site.double.wait_for_callback(2, key)
        site.double.wait_idle()
        indexing.WORKER.join()  # the reindex after the reply counts too
    assert attempt.success
    assert "Looked up once" in site.text()
    assert counts["office_file"] == 1, counts
