"""External links in the stand-in editor, in Chromium: its buttons exist only for the events
the page declares, and it fires them with the data Docs sends."""

from __future__ import annotations

import json

import jwt
import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import samples

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

INSTANCE = "plone-site"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Integrator page</title>
<script src="{api}"></script></head>
<body><div id="placeholder"></div>
<script>
window.__events = [];
const config = {config};
config.events = {{}};
for (const name of {events}) {{
  config.events[name] = (e) => window.__events.push({{name: name, data: e && e.data}});
}}
window.docEditor = new DocsAPI.DocEditor("placeholder", config);
</script></body></html>
"""


def _serve(double, integrator, name, key, events, mode="edit", instance=INSTANCE):
    config = integrator.config(
        name,
        key,
        secret=None,
        document__referenceData={"fileKey": f"uid-{key}", "instanceId": instance},
        editorConfig__mode=mode,
    )
    config["token"] = jwt.encode(config, SECRET, algorithm="HS256")
    page_name = f"{key}.html"
    integrator.pages[page_name] = PAGE.format(
        api=double.api_js_url,
        config=json.dumps({**config, "height": "600px"}),
        events=json.dumps(events),
    )
    return f"{integrator.url}/pages/{page_name}"


def _open(page, url):
    page.goto(url)
    editor = page.frame_locator("iframe[name=frameEditor]")
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    return editor


def _copy_from_source(page, double, integrator):
    integrator.add("source.xlsx", samples.xlsx("Source"))
    _copy(_open(page, _serve(double, integrator, "source.xlsx", "k-source", [])))


def _copy(editor):
    editor.locator("#dd-copy-cell").click()
    expect(editor.locator("#dd-log")).to_contain_text("copied Sheet1!A1")


def test_no_declared_event_no_link_button(double, integrator, page):
    _copy_from_source(page, double, integrator)
    editor = _open(page, _serve(double, integrator, "dest.xlsx", "k-dest", []))
    expect(editor.locator("#dd-copy-cell")).to_be_visible()
    for button in ("#dd-paste-link", "#dd-update-links", "#dd-insert-formula"):
        expect(editor.locator(button)).to_have_count(0)


def test_each_button_follows_its_event(double, integrator, page):
    _copy_from_source(page, double, integrator)
    url = _serve(double, integrator, "dest.xlsx", "k-dest", ["onRequestReferenceData"])
    editor = _open(page, url)
    editor.locator("#dd-paste-link").click()
    row = editor.locator("#dd-links li").first
    expect(row).to_have_attribute("data-status", "Unknown")
    expect(row.locator("button")).to_have_count(0)  # neither Open nor Change source
    editor.locator("#dd-update-links").click()
    page.wait_for_function("window.__events.some(e => e.name === 'onRequestReferenceData')")
    event = page.evaluate("window.__events.find(e => e.name === 'onRequestReferenceData')")
    assert event["data"] == {
        "referenceData": {"fileKey": "uid-k-source", "instanceId": INSTANCE},
        "path": "source.xlsx",
        "link": "",
    }


def test_open_and_change_source_fire_docs_data(double, integrator, page):
    _copy_from_source(page, double, integrator)
    events = ["onRequestReferenceData", "onRequestOpen", "onRequestReferenceSource"]
    editor = _open(page, _serve(double, integrator, "dest.xlsx", "k-dest", events))
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


def test_a_viewer_gets_no_link_actions(double, integrator, page):
    _copy_from_source(page, double, integrator)
    events = ["onRequestReferenceData", "onRequestOpen", "onRequestReferenceSource"]
    editor = _open(page, _serve(double, integrator, "dest.xlsx", "k-dest", events, "view"))
    expect(editor.locator("#dd-copy-cell")).to_be_visible()
    for button in ("#dd-paste-link", "#dd-update-links", "#dd-insert-formula"):
        expect(editor.locator(button)).to_have_count(0)


def test_paste_link_only_from_the_same_system(double, integrator, page):
    integrator.add("source.xlsx", samples.xlsx("Source"))
    elsewhere = "https://elsewhere.example.com"
    url = _serve(double, integrator, "source.xlsx", "k-source", [], instance=elsewhere)
    _copy(_open(page, url))
    dest = _open(
        page, _serve(double, integrator, "dest.xlsx", "k-dest", ["onRequestReferenceData"])
    )
    expect(dest.locator("#dd-update-links")).to_be_visible()
    expect(dest.locator("#dd-paste-link")).to_be_hidden()
    # A copy from this system, in another tab, makes Paste link appear.
    other = page.context.new_page()
    _copy_from_source(other, double, integrator)
    expect(dest.locator("#dd-paste-link")).to_be_visible()
