"""Converted copies are told apart, placed as a user expects, and said so."""

from __future__ import annotations

import pytest
import requests
import transaction
from plone import api

from onlyoffice_docs_double import samples

from . import test_convert

pytestmark = pytest.mark.slow

#: A real legacy .xls, made once per session by LibreOffice (test_convert's fixture).
xls_bytes = test_convert.xls_bytes


def test_a_new_copy_has_its_own_title_and_the_page_says_where_it_went(site):
    source = site.add("minutes", samples.odt("Minutes"), "minutes.odt", title="Minutes")
    response = site.convert(source, "new")
    assert response.status_code == 201, response.text
    state = response.json()
    site.sync()
    copy = api.content.get(UID=state["uid"])
    assert copy.Title() == "Minutes (converted to docx)"
    assert copy.getId() != "minutes"
    assert "Minutes (converted to docx)" in state["message"]
    # The status message travels to the page the browser opens next (Plone's cookie).
    assert "statusmessages" in response.cookies


def new_copy(site, source, user="jane"):
    """Convert ``source`` into a new item as ``user``: the copy and the reply's JSON."""
    response = site.convert(source, "new", user=user)
    assert response.status_code == 201, response.text
    site.sync()
    state = response.json()
    return api.content.get(UID=state["uid"]), state


def test_a_copy_beside_a_namesake_is_numbered_as_a_file_manager_does(site):
    site.add("report-docx", samples.docx("Older"), "report.docx")  # titled report.docx
    source = site.add("report", samples.odt("Report"), "report.odt")
    copy, state = new_copy(site, source)
    # Told apart from the namesake, its file's name as well (what a download is called).
    assert copy.Title() == "report (2).docx"
    assert copy.file.filename == "report (2).docx"
    assert "report (2).docx" in state["message"]
    assert site.folder["report-docx"].Title() == "report.docx"


def test_an_item_hidden_from_the_user_does_not_number_the_copy(site):
    hidden = site.add("report-docx", samples.docx("Private"), "report.docx")
    with api.env.adopt_roles(["Manager"]):
        hidden.manage_permission("View", ["Manager"], acquire=0)
        hidden.manage_permission("Access contents information", ["Manager"], acquire=0)
        hidden.reindexObjectSecurity()
    transaction.commit()
    source = site.add("report", samples.odt("Report"), "report.odt")
    copy, _state = new_copy(site, source)
    # Numbering it would tell Jane that an item she may not see has that title.
    assert copy.Title() == "report.docx"


def test_another_users_copy_of_a_titled_document_is_numbered(site):
    source = site.add("plan", samples.odt("Plan"), "plan.odt", title="Plan")
    first, _state = new_copy(site, source, "jane")
    second, _state = new_copy(site, source, "carl")  # each user's own copy
    assert [first.Title(), second.Title()] == [
        "Plan (converted to docx)",
        "Plan (converted to docx) (2)",
    ]
    assert second.file.filename == "plan.docx"


def test_the_status_message_shows_on_the_next_page(site):
    source = site.add("agenda", samples.odt("Agenda"), "agenda.odt", title="Agenda")
    session = requests.Session()
    session.headers.update(site.headers("jane"))
    token = session.get(f"{site.url}/{site.path(source)}/@onlyoffice-convert").json()["csrf_token"]
    for _round in range(60):
        response = session.post(
            f"{site.url}/{site.path(source)}/@onlyoffice-convert",
            json={"target": "new", "wait": 60},
            headers={"X-CSRF-TOKEN": token},
        )
        if response.status_code != 202:
            break
    assert response.status_code == 201, response.text
    page = session.get(response.json()["view_url"], headers={"Accept": "text/html"}).text
    assert "Agenda (converted to docx)" in page
    assert "is stored beside the original" in page


def test_a_second_conversion_says_it_opens_the_earlier_copy(site):
    source = site.add("notes", samples.odt("Notes"), "notes.odt", title="Notes")
    first = site.convert(source, "new").json()
    again = site.convert(source, "new")
    assert again.status_code == 200
    assert again.json()["uid"] == first["uid"]
    assert "already converted" in again.json()["message"]
    assert "Notes (converted to docx)" in again.json()["message"]


def test_the_convert_page_says_so_before_the_user_presses_convert_again(site):
    """Her copy made, the page opens with where it is (and a link to it), not only after
    another press of Convert; to a colleague, who would make his own, it says nothing."""
    source = site.add("agenda", samples.odt("Agenda"), "agenda.odt", title="Agenda")
    first = site.convert(source, "new").json()
    html = {"Accept": "text/html"}
    page = site.get(f"{site.path(source)}/@@onlyoffice-convert", headers=html).text
    assert 'id="onlyoffice-convert-notice"' in page
    assert "already converted to “Agenda (converted to docx)”" in page
    assert f'href="{first["view_url"]}"' in page, "a link to the copy"
    other = site.get(f"{site.path(source)}/@@onlyoffice-convert", "carl", headers=html).text
    assert 'value="new"' in other, "he may make a copy of his own"
    assert 'id="onlyoffice-convert-notice"' not in other


def test_replace_renames_an_id_that_was_the_file_name(site, xls_bytes):
    source = site.add("budget.xls", xls_bytes, "budget.xls", title="Budget")
    uid = api.content.get_uuid(source)
    response = site.convert(source, "replace")
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["uid"] == uid
    assert state["url"].endswith("/budget.xlsx")
    assert "budget.xlsx" in state["message"]
    site.sync()
    assert "budget.xls" not in site.folder.objectIds()
    item = site.folder["budget.xlsx"]
    assert api.content.get_uuid(item) == uid
    assert item.Title() == "Budget"
    # The old address still leads to the item (plone.app.redirector).
    old = site.get(
        f"{site.path(site.folder)}/budget.xls/view",
        headers={"Accept": "text/html"},
        allow_redirects=False,
    )
    assert old.status_code in (301, 302)
    assert old.headers["Location"].endswith("/budget.xlsx/view")


def test_replace_gives_a_title_that_was_the_file_name_the_new_name(site, xls_bytes):
    # Plone titles an uploaded file after its name when the uploader gives no title.
    source = site.add("budget.xls", xls_bytes, "budget.xls", title="budget.xls")
    response = site.convert(source, "replace")
    assert response.status_code == 200, response.text
    site.sync()
    item = site.folder["budget.xlsx"]
    assert item.Title() == "budget.xlsx"
    config = site.get(f"{site.path(item)}/@onlyoffice-config?mode=edit").json()["config"]
    assert config["document"]["title"] == "budget.xlsx", "not budget.xls.xlsx"
    repository = api.portal.get_tool("portal_repository")
    history = repository.getHistoryMetadata(item)
    newest = history.retrieve(history.getLength(countPurged=False) - 1)
    assert newest["metadata"]["sys_metadata"]["comment"].startswith("Converted from xls")
    assert repository.retrieve(item).object.Title() == "budget.xlsx", "in the same version"


def test_replace_keeps_an_id_chosen_otherwise(site, xls_bytes):
    source = site.add("budget", xls_bytes, "budget.xls", title="Budget")
    assert site.convert(source, "replace").status_code == 200
    site.sync()
    assert site.folder.objectIds() == ["budget"]
    assert site.folder["budget"].Title() == "Budget", "a title written otherwise stays"
