"""Every way back from an ONLYOFFICE page leads to the item's page, never to its file.

A File's bare URL answers with the file as an attachment: "back" would download it. Plone's own
rule (``plone.types_use_view_action_in_listings``) says which types need ``/view``.
"""

from __future__ import annotations

import re

import pytest

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow


def _is_the_items_page(site, url):
    response = site.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, url
    assert response.headers["Content-Type"].startswith("text/html"), url
    assert "attachment" not in response.headers.get("Content-Disposition", ""), url
    return True


def test_the_editors_close_button_goes_to_the_items_page(site):
    item = site.add("budget", samples.docx("Budget"), "budget.docx")
    view = f"{site.url}/{site.path(item)}/view"
    config = site.get(f"{site.path(item)}/@onlyoffice-config?mode=edit").json()["config"]
    assert config["editorConfig"]["customization"]["goback"]["url"] == view
    page = site.get(f"{site.path(item)}/@@onlyoffice-edit", headers={"Accept": "text/html"})
    assert f'data-view-url="{view}"' in page.text
    assert _is_the_items_page(site, view)


def test_back_and_cancel_on_the_conversion_pages_go_to_the_items_page(site):
    item = site.add("sheet", samples.ods("Cell"), "sheet.ods")
    view = f"{site.url}/{site.path(item)}/view"
    html = {"Accept": "text/html"}
    convert = site.get(f"{site.path(item)}/@@onlyoffice-convert", headers=html).text
    assert re.search(rf'id="onlyoffice-convert-back"\s+href="{re.escape(view)}"', convert)
    download_as = site.get(f"{site.path(item)}/@@onlyoffice-download-as", headers=html).text
    assert re.search(rf'class="onlyoffice-back"\s+href="{re.escape(view)}"', download_as)
    failed = site.get(
        f"{site.path(item)}/@@onlyoffice-download-as-file?outputtype=nope", headers=html
    )
    assert 400 <= failed.status_code < 500
    assert re.search(rf'class="onlyoffice-back"\s+href="{re.escape(view)}"', failed.text)


def test_a_converted_copy_is_reported_with_its_page(site):
    item = site.add("minutes", samples.odt("Minutes"), "minutes.odt")
    state = site.convert(item, "new").json()
    assert state["view_url"] == f"{state['url']}/view"
    assert _is_the_items_page(site, state["view_url"])
