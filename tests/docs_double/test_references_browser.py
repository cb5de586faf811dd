"""External links in the stand-in editor, in Chromium: its buttons exist only for the events
the page declares, and it fires them with the data Docs sends."""

from __future__ import annotations

import jwt
import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import samples

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

INSTANCE = "plone-site"


def _serve(editor_pages, name, key, events, mode="edit", instance=INSTANCE):
    config = editor_pages.integrator.config(
        name,
        key,
        secret=None,
        document__referenceData={"fileKey": f"uid-{key}", "instanceId": instance},
        editorConfig__mode=mode,
    )
    config["token"] = jwt.encode(config, SECRET, algorithm="HS256")
    return editor_pages.serve(config, f"{key}.html", events=events)


def _copy_from_source(page, editor_pages):
    editor_pages.integrator.add("source.xlsx", samples.xlsx("Source"))
    _copy(editor_pages.open(page, _serve(editor_pages, "source.xlsx", "k-source", [])))


def _copy(editor):
    editor.locator("#dd-copy-cell").click()
    expect(editor.locator("#dd-log")).to_contain_text("copied Sheet1!A1")


def test_no_declared_event_no_link_button(editor_pages, page):
    _copy_from_source(page, editor_pages)
    editor = editor_pages.open(page, _serve(editor_pages, "dest.xlsx", "k-dest", []))
    expect(editor.locator("#dd-copy-cell")).to_be_visible()
    for button in ("#dd-paste-link", "#dd-update-links", "#dd-insert-formula"):
        expect(editor.locator(button)).to_have_count(0)


def test_each_button_follows_its_event(editor_pages, page):
    _copy_from_source(page, editor_pages)
    url = _serve(editor_pages, "dest.xlsx", "k-dest", ["onRequestReferenceData"])
    editor = editor_pages.open(page, url)
    editor.locator("#dd-paste-link").click()
    row = editor.locator("#dd-links li").first
    expect(row).to_have_attribute("data-status", "Unknown")
    expect(row.locator("button")).to_have_count(0)  # neither Open nor Change source
    editor.locator("#dd-update-links").click()
    editor_pages.wait_for_event(page, "onRequestReferenceData")
    assert editor_pages.data_of(page, "onRequestReferenceData")[0] == {
        "referenceData": {"fileKey": "uid-k-source", "instanceId": INSTANCE},
        "path": "source.xlsx",
        "link": "",
    }


def test_open_and_change_source_fire_docs_data(editor_pages, page):
    _copy_from_source(page, editor_pages)
    events = ["onRequestReferenceData", "onRequestOpen", "onRequestReferenceSource"]
    editor = editor_pages.open(page, _serve(editor_pages, "dest.xlsx", "k-dest", events))
    editor.locator("#dd-formula").fill("docs/source.xlsx")
    editor.locator("#dd-insert-formula").click()
    row = editor.locator("#dd-links li").first
    link = row.get_attribute("data-link-id")
    with page.context.expect_page() as opened:
        editor.locator(f"#dd-open-source-{link}").click()
    editor.locator(f"#dd-change-source-{link}").click()
    page.wait_for_function("window.__events.length >= 2")
    fired = {e["name"]: e["data"] for e in page.evaluate("window.__events")}
    window_name = fired["onRequestOpen"].pop("windowName")
    assert window_name.startswith("wname-")
    assert opened.value.url == "about:blank"  # Docs opens the tab; the page fills it
    assert fired["onRequestOpen"] == {"path": "docs/source.xlsx"}
    assert fired["onRequestReferenceSource"] == {"path": "docs/source.xlsx"}


def test_a_viewer_gets_no_link_actions(editor_pages, page):
    _copy_from_source(page, editor_pages)
    events = ["onRequestReferenceData", "onRequestOpen", "onRequestReferenceSource"]
    editor = editor_pages.open(page, _serve(editor_pages, "dest.xlsx", "k-dest", events, "view"))
    expect(editor.locator("#dd-copy-cell")).to_be_visible()
    for button in ("#dd-paste-link", "#dd-update-links", "#dd-insert-formula"):
        expect(editor.locator(button)).to_have_count(0)


def test_paste_link_only_from_the_same_system(editor_pages, page):
    editor_pages.integrator.add("source.xlsx", samples.xlsx("Source"))
    elsewhere = "https://elsewhere.example.com"
    url = _serve(editor_pages, "source.xlsx", "k-source", [], instance=elsewhere)
    _copy(editor_pages.open(page, url))
    dest = editor_pages.open(
        page, _serve(editor_pages, "dest.xlsx", "k-dest", ["onRequestReferenceData"])
    )
    expect(dest.locator("#dd-update-links")).to_be_visible()
    expect(dest.locator("#dd-paste-link")).to_be_hidden()
    # A copy from this system, in another tab, makes Paste link appear.
    other = page.context.new_page()
    _copy_from_source(other, editor_pages)
    expect(dest.locator("#dd-paste-link")).to_be_visible()
