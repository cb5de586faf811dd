"""The editor page's document events in Chromium, against the Docs test double's editor."""

import pytest
import transaction
from plone.namedfile.file import NamedBlobFile

from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.browser import save_screenshot

from .conftest import DOCX
from .test_browser import editor_frame
from .test_browser import login
from .test_document_events import may_add

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def open_editor(site, page, user="jane"):
    login(page, site, user)
    page.goto(site.item_url(site.file) + "/@@onlyoffice-edit")
    editor = editor_frame(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    return editor


def test_history_panel_shows_versions_with_diffs_and_restores(site, page):
    site.round_trip("jane", "Jane's words")
    site.round_trip("john", "John's words")
    editor = open_editor(site, page)
    editor.locator("#dd-onRequestHistory").click()
    rows = editor.locator("#dd-history li")
    expect(rows.last).to_contain_text("John Editor")
    expect(rows.last).to_contain_text("(current)")
    # The current version opens at once, with John's changes highlighted.
    view = editor.locator("#dd-history-view")
    expect(view).to_have_attribute("data-state", "diff")
    save_screenshot(page, "editor-history")
    count = rows.count()
    first = rows.first.get_attribute("data-version")
    editor.locator(f"#dd-history-open-{first}").click()
    expect(view).to_have_attribute("data-version", first)
    expect(view).to_have_attribute("data-state", "plain")
    jane = rows.nth(count - 2).get_attribute("data-version")
    editor.locator(f"#dd-history-restore-{jane}").click()
    expect(rows).to_have_count(count + 1)
    expect(rows.last).to_contain_text(f"Version {count + 1}")
    assert "Jane's words" in site.text()


def test_a_reviewer_gets_no_restore_rename_or_save_as(site, page):
    site.round_trip("jane", "Jane's words")
    editor = open_editor(site, page, "rita")
    expect(editor.locator("#dd-onRequestClose")).to_be_visible()
    for event in ("onRequestRename", "onRequestSaveAs"):
        expect(editor.locator(f"#dd-{event}")).to_have_count(0)
    expect(editor.locator("[id^=dd-history-restore]")).to_have_count(0)


def test_rename_and_save_as_from_the_editor(site, page):
    may_add(site, "jane")
    editor = open_editor(site, page)
    editor.locator("#dd-onRequestRename").click()
    expect(editor.locator("#dd-title")).to_have_text("Renamed report.docx")
    editor.locator("#dd-onRequestSaveAs").click()
    link = page.locator("#onlyoffice-copy-link")
    expect(link).to_have_text("Copy of report.docx")
    site.sync()
    assert site.file.Title() == "Renamed report.docx"


def test_refresh_after_an_upload_loads_the_new_key(site, page):
    editor = open_editor(site, page)
    old_key = editor.locator("#dd-key").inner_text()
    # A script (or a Manager past the lock) puts a new file in place while the editor is open.
    site.settle()
    site.file.file = NamedBlobFile(
        data=samples.docx("Uploaded text"), contentType=DOCX, filename="report.docx"
    )
    transaction.commit()
    new_key = site.key()
    assert new_key != old_key
    editor.locator("#dd-onRequestRefreshFile").click()
    expect(editor.locator("body")).to_have_attribute("data-refreshed-key", new_key)


def test_close_lands_on_the_view_page(site, page):
    editor = open_editor(site, page)
    editor.locator("#dd-onRequestClose").click()
    page.wait_for_url(site.item_url(site.file) + "/view")


def test_a_phone_gets_the_mobile_editor_on_a_narrow_page(site, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 800},
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    )
    page = context.new_page()
    try:
        editor = open_editor(site, page)
        expect(editor.locator("body")).to_have_attribute("data-editor-type", "mobile")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page does not scroll sideways"
    finally:
        context.close()
