"""Links between spreadsheets in Chromium: two editor pages of a real Plone, the Docs test
double's stand-in editor, and a second user."""

import hashlib

import pytest
import transaction
from plone import api
from plone.uuid.interfaces import IUUID

from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.browser import save_screenshot

from .conftest import add_file
from .test_browser import editor_frame
from .test_browser import login
from .test_references import NOT_FOUND
from .test_references import XLSX
from .test_references import sheets  # noqa: F401 - a fixture

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def open_sheet(site, page, obj, mode="edit"):
    page.goto(f"{site.item_url(obj)}/@@onlyoffice-{mode}")
    editor = editor_frame(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    return editor


def link_in_browser(site, page, source, dest, user="jane"):
    """As ``user``: copy a cell of ``source`` in its editor, paste it as a link in ``dest``'s."""
    login(page, site, user)
    copied = open_sheet(site, page, source)
    copied.locator("#dd-copy-cell").click()
    expect(copied.locator("#dd-log")).to_contain_text("copied Sheet1!A1 with reference data")
    editor = open_sheet(site, page, dest)
    editor.locator("#dd-paste-link").click()
    row = editor.locator("#dd-links li").first
    expect(row).to_have_attribute("data-status", "Unknown")
    return editor, row


def answers(site, editor, name="setReferenceData"):
    key = editor.locator("#dd-key").inner_text()
    return [c for c in site.double.sessions[key].method_calls if c["name"] == name]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_a_pasted_link_updates_from_the_source(site, sheets, page):  # noqa: F811
    source, dest = sheets
    editor, row = link_in_browser(site, page, source, dest)
    editor.locator("#dd-update-links").click()
    expect(row).to_have_attribute("data-status", "OK")
    expect(row).to_have_attribute("data-path", "docs/budget.xlsx")
    save_screenshot(page, "editor-links")
    call = answers(site, editor)[-1]
    assert call["ok"] and call["source"] == "downloadfile"
    assert call["sha256"] == sha(site.file_data(source))
    assert call["data"]["referenceData"]["fileKey"] == IUUID(source)


def test_a_moved_source_still_updates(site, sheets, page):  # noqa: F811
    source, dest = sheets
    editor, row = link_in_browser(site, page, source, dest)
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        archive = api.content.create(container=site.folder, type="Folder", id="archive")
        api.content.move(source=source, target=archive)
    transaction.commit()
    editor.locator("#dd-update-links").click()
    expect(row).to_have_attribute("data-path", "docs/archive/budget.xlsx")
    expect(row).to_have_attribute("data-status", "OK")


def test_a_typed_formula_finds_its_source_by_path(site, sheets, page):  # noqa: F811
    source, dest = sheets
    login(page, site, "jane")
    editor = open_sheet(site, page, dest)
    editor.locator("#dd-formula").fill("budget.xlsx")
    editor.locator("#dd-insert-formula").click()
    row = editor.locator("#dd-links li").first
    # "Update values" asks about the links the editor shows: wait for the typed one.
    expect(row).to_have_attribute("data-path", "budget.xlsx")
    editor.locator("#dd-update-links").click()
    expect(row).to_have_attribute("data-status", "OK")
    assert answers(site, editor)[-1]["sha256"] == sha(site.file_data(source))


def test_a_co_editor_who_lost_access_is_told_not_found(site, sheets, page, browser):  # noqa: F811
    source, dest = sheets
    editor, row = link_in_browser(site, page, source, dest, "jane")
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.user.grant_roles(username="jane", obj=source, roles=["Owner"])
        source.manage_permission("View", ["Manager", "Owner"], acquire=0)
        source.reindexObjectSecurity()
    transaction.commit()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        second = context.new_page()
        login(second, site, "john")
        john = open_sheet(site, second, dest)
        john_row = john.locator("#dd-links li").first
        john.locator("#dd-update-links").click()
        expect(john_row).to_have_attribute("data-status", NOT_FOUND)
        assert "bytes" not in answers(site, john)[-1]
        # John cannot open it either: the tab Docs opened is closed and the page says why.
        link = john_row.get_attribute("data-link-id")
        with second.context.expect_page() as opened:
            john.locator(f"#dd-open-source-{link}").click()
        tab = opened.value
        if not tab.is_closed():  # it may be gone already: then no close event is to come
            tab.wait_for_event("close")
        expect(second.locator("#onlyoffice-info")).to_contain_text(NOT_FOUND)
        # Jane still may view it: her update brings the data.
        editor.locator("#dd-update-links").click()
        expect(row).to_have_attribute("data-status", "OK")
    finally:
        context.close()


def test_open_source_opens_its_editor_in_docs_tab(site, sheets, page):  # noqa: F811
    source, dest = sheets
    editor, row = link_in_browser(site, page, source, dest)
    link = row.get_attribute("data-link-id")
    with page.context.expect_page() as opened:
        editor.locator(f"#dd-open-source-{link}").click()
    tab = opened.value
    tab.wait_for_url(f"{site.item_url(source)}/@@onlyoffice-edit")
    expect(editor_frame(tab).locator("#dd-title")).to_have_text("budget.xlsx")


#: A page without the content picker: whatever sets window.onlyofficePicker is ignored.
NO_PICKER = """Object.defineProperty(window, "onlyofficePicker", {
  get() { return undefined; }, set(value) {}, configurable: true
});"""


def test_change_source_takes_the_picked_spreadsheet(site, sheets, page):  # noqa: F811
    source, dest = sheets
    with api.env.adopt_roles(["Manager"]):
        other = add_file(site.folder, "forecast.xlsx", samples.xlsx("Next year"), "f.xlsx", XLSX)
    transaction.commit()
    editor, row = link_in_browser(site, page, source, dest)
    link = row.get_attribute("data-link-id")
    editor.locator(f"#dd-change-source-{link}").click()
    # The site's content picker, asking for one spreadsheet.
    dialog = page.get_by_role("dialog", name="Choose the spreadsheet the link takes its data from")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("listbox")).to_have_attribute("aria-multiselectable", "false")
    dialog.locator("[role=option][data-path='/docs']").click()
    dialog.locator("[role=option][data-path='/docs/forecast.xlsx']").dblclick()
    expect(dialog).to_be_hidden()
    expect(row).to_have_attribute("data-path", "docs/forecast.xlsx")
    expect(row).to_have_attribute("data-status", "OK")
    call = answers(site, editor, "setReferenceSource")[-1]
    assert call["sha256"] == sha(site.file_data(other))


def test_without_a_picker_there_is_no_change_source(site, sheets, page):  # noqa: F811
    source, dest = sheets
    page.add_init_script(NO_PICKER)
    _editor, row = link_in_browser(site, page, source, dest)
    expect(row.locator("[id^=dd-open-source-]")).to_have_count(1)
    expect(row.locator("[id^=dd-change-source-]")).to_have_count(0)


def test_a_viewer_cannot_link(site, sheets, page):  # noqa: F811
    _source, dest = sheets
    login(page, site, "vera")
    editor = open_sheet(site, page, dest, "view")
    expect(editor.locator("#dd-copy-cell")).to_be_visible()
    expect(editor.locator("#dd-paste-link")).to_have_count(0)
    expect(editor.locator("#dd-update-links")).to_have_count(0)
