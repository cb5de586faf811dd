"""Plone's lock banner during an ONLYOFFICE session: co-editors are not "locked out"."""

from __future__ import annotations

import re

import pytest

LOCKED_OUT = "This item was locked by"


def _banner(html):
    match = re.search(r'<div id="plone-lock-status".*?</div>\s*</div>', html, re.S)
    return match.group(0) if match else ""


def test_a_co_editor_sees_her_session_not_a_lock(site):
    key = site.config(user="jane")["document"]["key"]
    site.double.open(site.config(user="jane"), "jane")
    site.double.open(site.config(user="john"), "john")
    site.settle()
    assert site.locked()
    assert set(site.editors()) == {"jane", "john"}
    assert key

    page = site.get(f"{site.path(site.file)}/@@history", "john").text
    banner = _banner(page)
    assert LOCKED_OUT not in page
    assert "You are editing this document in ONLYOFFICE together with" in banner
    assert "Jane Editor" in banner
    assert "John Editor" not in banner


@pytest.mark.parametrize("page", ["@@onlyoffice-edit", "@@onlyoffice-view"])
def test_no_banner_above_the_editor(site, page):
    """Whoever opens the editor while others edit joins them (or watches, read-only): the
    editor shows who is there, as they come and go. A banner drawn as the page is made, before
    the user joins, told a co-editor to open the document to join."""
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    html = site.get(f"{site.path(site.file)}/{page}", "john").text
    assert LOCKED_OUT not in html
    assert not _banner(html)
    assert "join the session" not in html
    assert "Being edited in ONLYOFFICE by" not in html


def test_someone_outside_the_session_sees_who_edits(site):
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    page = site.get(f"{site.path(site.file)}/@@history", "john").text
    banner = _banner(page)
    assert LOCKED_OUT not in page
    assert "Being edited in ONLYOFFICE by" in banner
    assert "Jane Editor" in banner
    assert "join the session" in banner


def test_the_items_own_page_shows_the_names_once(site):
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    page = site.get(site.item_url(site.file) + "/view", "john").text
    assert LOCKED_OUT not in page
    assert page.count("Jane Editor") >= 1
    assert not _banner(page)


def test_only_those_who_may_edit_see_the_banner(site):
    """The banner checks Modify itself (it is registered public, so that an unlocked item's
    page asks nobody's roles): a reader opening the document read-only sees none."""
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    assert "Being edited in ONLYOFFICE by" in _banner(
        site.get(f"{site.path(site.file)}/@@history", "john").text
    )
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-view", "vera")
    assert page.status_code == 200
    # The placeholder an unlocked item shows: nothing says the item is locked, or by whom.
    assert '<div id="plone-lock-status"></div>' in page.text
    assert "Being edited in ONLYOFFICE by" not in page.text
    assert "Jane Editor" not in page.text


def test_a_plone_lock_keeps_plones_banner_and_toolbar_lock(site):
    """A lock that is not ONLYOFFICE's (someone editing in Plone's form) shows Plone's own
    banner and the toolbar's lock, to editors only, as before the add-on."""
    import transaction
    from plone import api
    from plone.locking.interfaces import ILockable

    with api.env.adopt_user(username="john"):
        ILockable(site.file).lock()
    transaction.commit()
    page = site.get(site.item_url(site.file) + "/view", "jane").text
    assert LOCKED_OUT in page
    assert re.search(r'class="nav-link locked', page), "the toolbar's history shows the lock"
    reader = site.get(site.item_url(site.file) + "/view", "vera").text
    assert LOCKED_OUT not in reader


def test_an_unlocked_file_shows_no_lock(site):
    page = site.get(site.item_url(site.file) + "/view", "jane").text
    assert LOCKED_OUT not in page
    assert not re.search(r'class="nav-link locked', page)


def _open_viewlet(html):
    match = re.search(r'<div class="onlyoffice-viewlet[^"]*".*?</div>', html, re.S)
    return " ".join(match.group(0).split()) if match else ""


def _viewlet_of(site, user):
    """The ONLYOFFICE line on the file's own page, as ``user`` sees it."""
    return _open_viewlet(site.get(site.item_url(site.file) + "/view", user).text)


def test_back_from_the_editor_her_own_page_says_she_is_editing_not_her_name(site):
    """Back on the item's page after closing the editor, before Docs has saved: she is
    told her session is open and when the changes are kept, not "Being edited in
    ONLYOFFICE by" herself."""
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    viewlet = _viewlet_of(site, "jane")
    assert "You are editing this document in ONLYOFFICE." in viewlet
    assert "shortly after the last editor closes it" in viewlet
    assert "Being edited in ONLYOFFICE by" not in viewlet
    assert "Jane Editor" not in viewlet

    site.double.open(site.config(user="john"), "john")
    site.settle()
    viewlet = _viewlet_of(site, "jane")
    assert "You are editing this document in ONLYOFFICE together with John Editor." in viewlet
    assert "Jane Editor" not in viewlet


def test_on_the_items_page_a_colleague_is_told_who_edits_and_how_to_join(site):
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    viewlet = _viewlet_of(site, "john")
    assert "Being edited in ONLYOFFICE by Jane Editor." in viewlet
    assert "Open it in ONLYOFFICE to join the session" in viewlet
    assert "You are editing" not in viewlet
    # A reader learns who edits it, and is not invited to join.
    viewlet = _viewlet_of(site, "vera")
    assert "Being edited in ONLYOFFICE by Jane Editor." in viewlet
    assert "join the session" not in viewlet
