"""Plone's lock banner during an ONLYOFFICE session: co-editors are not "locked out"."""

from __future__ import annotations

import re

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

    page = site.get(f"{site.path(site.file)}/@@onlyoffice-edit", "john").text
    banner = _banner(page)
    assert LOCKED_OUT not in page
    assert "You are editing this document in ONLYOFFICE together with" in banner
    assert "Jane Editor" in banner
    assert "John Editor" not in banner


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
