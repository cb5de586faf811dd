"""The content picker in Chromium, with the Docs test double: insert images, compare,
combine and mail merge from Plone content, as Docs asks and fetches them; the dialog's
keyboard use, Escape, and what a second user may and may not pick."""

import hashlib

import pytest
import transaction

from .picked import add_content
from .test_browser import editor_frame
from .test_browser import login

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture
def picked(site):
    return add_content(site)


def open_editor(page, site, user):
    login(page, site, user)
    page.goto(site.item_url(site.file) + "/@@onlyoffice-edit")
    editor = editor_frame(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    return editor


def option(page, title):
    return page.locator("#onlyoffice-picker [role=option]", has_text=title)


def last_call(site, name):
    key = site.key()

    def found():
        session = site.double.sessions.get(key)
        calls = [c for c in (session.method_calls if session else []) if c["name"] == name]
        return calls[-1] if calls else None

    return site.double.wait_for(found)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_insert_images_with_the_keyboard(site, picked, page):
    editor = open_editor(page, site, "jane")
    editor.locator("#dd-onRequestInsertImage").click()
    dialog = page.get_by_role("dialog", name="Insert images from the site")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(page.locator("#onlyoffice-picker-q")).to_be_focused()
    # The site's root first: the "Docs" folder; Enter opens it. The list loads after the
    # dialog opens: ArrowDown moves into it once it shows something, as a user sees it.
    expect(option(page, "Docs")).to_be_visible()
    page.keyboard.press("ArrowDown")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_focused()
    expect(option(page, "Docs")).to_have_class("onlyoffice-picker-folder onlyoffice-picker-active")
    page.keyboard.press("Enter")
    expect(option(page, "Company logo")).to_be_visible()
    expect(option(page, "Other report")).to_have_count(0)
    expect(option(page, "Secret plan")).to_have_count(0)
    expect(page.locator("#onlyoffice-picker-status")).to_have_text("Showing 2 of 2.")
    # Select the logo (Space), go into Pictures and choose the photo too (Enter).
    page.keyboard.press("End")
    page.keyboard.press(" ")
    expect(option(page, "Company logo")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    expect(option(page, "Team photo")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

    requested = editor.locator("#dd-requested")
    expect(requested).to_have_attribute("data-state", "ok")
    expect(requested).to_have_attribute("data-count", "2")
    call = last_call(site, "insertImage")
    site.sync()
    assert [f["sha256"] for f in call["fetched"]] == [
        sha(picked.logo.image.data),
        sha(picked.photo.file.data),
    ]


def test_escape_cancels_and_nothing_is_inserted(site, picked, page):
    editor = open_editor(page, site, "jane")
    editor.locator("#dd-onRequestInsertImage").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    # The focus stays inside: Tab from the last control wraps to the first.
    page.locator("#onlyoffice-picker-cancel").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#onlyoffice-picker-q")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(editor.locator("#dd-requested")).to_have_text("")
    session = site.double.sessions[site.key()]
    assert not [c for c in session.method_calls if c["name"] == "insertImage"]


def test_the_picker_api_resolves_with_the_chosen_items(site, picked, page):
    open_editor(page, site, "jane")
    # Not awaited here: the promise settles only when the dialog closes.
    page.evaluate(
        "() => { window.onlyofficePicker.open("
        "{kind: 'spreadsheet', multiple: false, title: 'Pick one'})"
        ".then((items) => { window.__chosen = items; }); }"
    )
    expect(page.get_by_role("dialog", name="Pick one")).to_be_visible()
    page.fill("#onlyoffice-picker-q", "recipients")
    option(page, "Recipients list").click()
    page.click("#onlyoffice-picker-choose")
    page.wait_for_function("window.__chosen !== undefined")
    result = page.evaluate("window.__chosen")
    assert result == [
        {
            "uid": result[0]["uid"],
            "title": "Recipients list",
            "path": "/docs/recipients",
            "url": site.item_url(picked.recipients),
        }
    ]
    page.evaluate(
        "() => { window.onlyofficePicker.open({kind: 'image'})"
        ".then((i) => { window.__cancelled = i; }); }"
    )
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("window.__cancelled !== undefined")
    assert page.evaluate("window.__cancelled") == []


@pytest.mark.parametrize(
    ("button", "command"),
    [
        ("#dd-onRequestSelectDocument", "compare"),
        ("#dd-onRequestSelectDocument-combine", "combine"),
        ("#dd-onRequestSelectDocument-insert-text", "insert-text"),
    ],
)
def test_compare_combine_and_insert_text(site, picked, page, button, command):
    editor = open_editor(page, site, "jane")
    editor.locator(button).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    option(page, "Docs").click()
    option(page, "Other report").dblclick()
    requested = editor.locator("#dd-requested")
    expect(requested).to_have_attribute("data-state", "ok")
    expect(requested).to_have_attribute("data-c", command)
    call = last_call(site, "setRequestedDocument")
    site.sync()
    assert call["fetched"][0]["sha256"] == sha(picked.other.file.data)


def test_mail_merge_reads_a_spreadsheet(site, picked, page):
    editor = open_editor(page, site, "jane")
    editor.locator("#dd-onRequestSelectSpreadsheet").click()
    dialog = page.get_by_role("dialog", name="Choose the spreadsheet of mail merge recipients")
    expect(dialog).to_be_visible()
    page.fill("#onlyoffice-picker-q", "recipients")
    option(page, "Recipients list").click()
    page.click("#onlyoffice-picker-choose")
    expect(editor.locator("#dd-requested")).to_have_attribute("data-state", "ok")
    call = last_call(site, "setRequestedSpreadsheet")
    site.sync()
    assert call["fetched"][0]["sha256"] == sha(picked.recipients.file.data)


def test_a_second_user_picks_what_only_they_may_view(site, picked, browser):
    jane = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    john = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    try:
        for page, user in ((jane, "jane"), (john, "john")):
            editor = open_editor(page, site, user)
            editor.locator("#dd-onRequestInsertImage").click()
            page.fill("#onlyoffice-picker-q", "plan")
        expect(
            john.locator("#onlyoffice-picker [role=option]", has_text="Secret plan")
        ).to_be_visible()
        expect(jane.locator("#onlyoffice-picker-status")).to_have_text("Nothing found.")
        john.locator("#onlyoffice-picker [role=option]", has_text="Secret plan").dblclick()
        expect(editor_frame(john).locator("#dd-requested")).to_have_attribute("data-state", "ok")
        call = last_call(site, "insertImage")
        site.sync()
        assert call["fetched"][0]["sha256"] == sha(picked.secret.image.data)
    finally:
        jane.context.close()
        john.context.close()


def test_a_viewer_is_offered_none_of_it(site, picked, page):
    login(page, site, "vera")
    page.goto(site.item_url(site.file) + "/@@onlyoffice-view")
    editor = editor_frame(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    for name in ("InsertImage", "SelectDocument", "SelectSpreadsheet"):
        assert editor.locator(f"#dd-onRequest{name}").count() == 0


def test_the_picker_speaks_german(site, picked, page):
    site.settle()
    site.portal.portal_registry["plone.available_languages"] = ["en", "de"]
    site.portal.portal_registry["plone.use_request_negotiation"] = True
    transaction.commit()
    page.context.set_extra_http_headers({"Accept-Language": "de"})
    editor = open_editor(page, site, "jane")
    editor.locator("#dd-onRequestInsertImage").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator("#onlyoffice-picker-cancel")).to_have_text("Abbrechen")
    expect(page.locator("#onlyoffice-picker-title")).to_have_text(
        "Bilder aus der Website einfügen"
    )
