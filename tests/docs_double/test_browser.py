"""The stand-in editor in a real Chromium: api.js, the iframe, events, methods, co-editing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jwt
import pytest
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_plone_testing.browser import artifacts_dir
from onlyoffice_plone_testing.browser import save_screenshot

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

RECORDED_EVENTS = [
    "onAppReady",
    "onDocumentReady",
    "onDocumentStateChange",
    "onError",
    "onWarning",
    "onMetaChange",
    "onRequestClose",
    "onRequestHistory",
    "onRequestInsertImage",
]

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Integrator page</title>
<script src="{api}"></script></head>
<body><h1>Integrator page</h1><div id="placeholder"></div>
<script>
window.__events = [];
const config = {config};
config.events = {{}};
for (const name of {events}) {{
  config.events[name] = (e) => window.__events.push({{name: name, data: e && e.data}});
}}
config.events.onRequestHistory = (e) => {{
  window.__events.push({{name: "onRequestHistory"}});
  window.docEditor.refreshHistory({{currentVersion: 1, history: [{{version: 1, key: "k1-v1"}}]}});
}};
config.events.onRequestHistoryData = (e) => {{
  window.__events.push({{name: "onRequestHistoryData", data: e.data}});
  window.docEditor.setHistoryData({history_data});
}};
window.docEditor = new DocsAPI.DocEditor("placeholder", config);
</script></body></html>
"""


def _serve_page(double, integrator, config, name="editor.html", history_data=None):
    integrator.pages[name] = PAGE.format(
        api=double.api_js_url,
        config=json.dumps({**config, "height": "600px"}),
        events=json.dumps(RECORDED_EVENTS),
        history_data=json.dumps(history_data or {}),
    )
    return f"{integrator.url}/pages/{name}"


def _events(page):
    return [e["name"] for e in page.evaluate("window.__events")]


def _wait_for_event(page, name):
    """Events cross the frame by postMessage, after the frame's own DOM has changed."""
    page.wait_for_function("(name) => window.__events.some(e => e.name === name)", arg=name)


def _editor(page):
    return page.frame_locator("iframe[name=frameEditor]")


def test_the_stand_in_editor_renders_and_opens_the_session(double, integrator, page):
    url = _serve_page(double, integrator, integrator.config("report.docx", "k1"))
    page.goto(url)
    editor = _editor(page)
    expect(editor.locator("#dd-product")).to_have_text("ONLYOFFICE Docs test double")
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    expect(editor.locator("#dd-title")).to_have_text("report.docx")
    expect(editor.locator("#dd-mode")).to_contain_text("edit")
    expect(editor.locator("#dd-users li")).to_have_count(1)
    _wait_for_event(page, "onDocumentReady")
    assert _events(page)[:2] == ["onAppReady", "onDocumentReady"]
    assert double.sessions["k1"].users == ["u1"]

    editor.locator("#dd-edit").click()
    expect(editor.locator("#dd-changes")).to_have_text("1")
    editor.locator("#dd-close").click()
    _wait_for_event(page, "onDocumentStateChange")
    body = double.wait_for_callback(2, "k1").body
    saved = requests.get(body["url"], timeout=5).content
    assert (
        "Edited by User u1"
        in zipfile.ZipFile(io.BytesIO(saved)).read("word/document.xml").decode()
    )
    assert "onDocumentStateChange" in _events(page)


def test_two_browsers_co_edit_one_session(double, integrator, page, browser):
    page.goto(_serve_page(double, integrator, integrator.config("a.docx", "shared", user="u1")))
    expect(_editor(page).locator("body")).to_have_attribute("data-state", "ready")
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        config = integrator.config("a.docx", "shared", user="u2")
        other.goto(_serve_page(double, integrator, config, name="other.html"))
        expect(_editor(other).locator("#dd-users li")).to_have_count(2)
        # The first editor learns about the second by long polling.
        expect(_editor(page).locator("#dd-users li")).to_have_count(2)
        assert double.sessions["shared"].users == ["u1", "u2"]
    finally:
        other_context.close()


def test_a_bad_token_fires_on_error(double, integrator, page):
    config = integrator.config(
        "a.docx", "k1", secret="not-the-secret-not-the-secret-not-the-secret"
    )
    page.goto(_serve_page(double, integrator, config))
    expect(_editor(page).locator("body")).to_have_attribute("data-state", "error")
    _wait_for_event(page, "onError")
    errors = [e["data"] for e in page.evaluate("window.__events") if e["name"] == "onError"]
    assert errors[0]["errorCode"] == -20
    assert "not correctly formed" in errors[0]["errorDescription"]
    assert "k1" not in double.sessions


def test_api_js_alerts_on_a_config_without_url(double, integrator, page):
    config = integrator.config("a.docx", "k1", secret=None)
    del config["document"]["url"]
    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.goto(_serve_page(double, integrator, config))
    page.wait_for_function("window.DocsAPI && window.docEditor")
    assert messages == ["One or more required parameter for the config object is not set"]
    assert page.locator("iframe").count() == 0


def test_request_events_and_methods_cross_the_frame(double, integrator, page):
    integrator.add("v1.docx")
    history = {"version": 1, "key": "k1-v1", "url": integrator.file_url("v1.docx")}
    history_data = {**history, "token": jwt.encode(history, SECRET, algorithm="HS256")}
    config = integrator.config("a.docx", "k1")
    page.goto(_serve_page(double, integrator, config, history_data=history_data))
    editor = _editor(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    # Buttons appear only for the events the page declared.
    expect(editor.locator("#dd-onRequestInsertImage")).to_be_visible()
    assert editor.locator("#dd-onRequestRename").count() == 0
    # History lists the versions and opens the current one at once, as Docs does.
    editor.locator("#dd-onRequestHistory").click()
    expect(editor.locator("#dd-history li[data-version='1']")).to_be_visible()
    calls = double.wait_for(
        lambda: len(double.sessions["k1"].method_calls) >= 2 and double.sessions["k1"].method_calls
    )
    assert calls[0]["name"] == "refreshHistory"
    call = calls[1]
    assert call["name"] == "setHistoryData"
    assert call["ok"] is True
    assert call["fetched"] == [{"url": history["url"], "bytes": len(integrator.files["v1.docx"])}]
    page.evaluate("window.docEditor.requestClose()")
    _wait_for_event(page, "onRequestClose")


def test_destroy_editor_ends_the_connection(double, integrator, page):
    page.goto(_serve_page(double, integrator, integrator.config("a.docx", "k1")))
    expect(_editor(page).locator("body")).to_have_attribute("data-state", "ready")
    page.wait_for_function("window.docEditor && true")
    page.evaluate("window.docEditor.destroyEditor()")
    assert double.wait_for_callback(4, "k1").body["actions"] == [{"type": 0, "userid": "u1"}]
    assert page.locator("#placeholder").count() == 1


def test_a_screenshot_lands_in_test_artifacts(page, tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_ARTIFACTS", str(tmp_path))
    page.set_content("<h1>screenshot</h1>")
    path = save_screenshot(page, "tests/docs_double/test_browser.py::a test[1]")
    assert path.parent == tmp_path / "screenshots"
    assert path.read_bytes().startswith(b"\x89PNG")


def test_screenshots_default_to_the_git_ignored_folder_at_the_repo_root():
    root = Path(__file__).resolve().parents[2]
    assert artifacts_dir() == root / "test-artifacts"
    assert "/test-artifacts/" in (root / ".gitignore").read_text()
