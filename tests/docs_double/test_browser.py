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

#: The page's own history handlers: the list, then the data of version 1.
HISTORY = """config.events.onRequestHistory = (e) => {{
  window.__events.push({{name: "onRequestHistory"}});
  window.docEditor.refreshHistory({{currentVersion: 1, history: [{{version: 1, key: "k1-v1"}}]}});
}};
config.events.onRequestHistoryData = (e) => {{
  window.__events.push({{name: "onRequestHistoryData", data: e.data}});
  window.docEditor.setHistoryData({history_data});
}};"""


def _serve_page(editor_pages, config, name="editor.html", history_data=None):
    script = HISTORY.format(history_data=json.dumps(history_data or {}))
    return editor_pages.serve(config, name, events=RECORDED_EVENTS, script=script)


def test_the_stand_in_editor_renders_and_opens_the_session(double, integrator, editor_pages, page):
    url = _serve_page(editor_pages, integrator.config("report.docx", "k1"))
    editor = editor_pages.open(page, url)
    expect(editor.locator("#dd-product")).to_have_text("ONLYOFFICE Docs test double")
    expect(editor.locator("#dd-title")).to_have_text("report.docx")
    expect(editor.locator("#dd-mode")).to_contain_text("edit")
    expect(editor.locator("#dd-users li")).to_have_count(1)
    editor_pages.wait_for_event(page, "onDocumentReady")
    assert editor_pages.fired(page)[:2] == ["onAppReady", "onDocumentReady"]
    assert double.sessions["k1"].users == ["u1"]

    editor.locator("#dd-edit").click()
    expect(editor.locator("#dd-changes")).to_have_text("1")
    editor.locator("#dd-close").click()
    editor_pages.wait_for_event(page, "onDocumentStateChange")
    body = double.wait_for_callback(2, "k1").body
    saved = requests.get(body["url"], timeout=5).content
    assert (
        "Edited by User u1"
        in zipfile.ZipFile(io.BytesIO(saved)).read("word/document.xml").decode()
    )
    assert "onDocumentStateChange" in editor_pages.fired(page)


def test_two_browsers_co_edit_one_session(double, integrator, editor_pages, page, browser):
    editor_pages.open(page, _serve_page(editor_pages, integrator.config("a.docx", "shared")))
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        config = integrator.config("a.docx", "shared", user="u2")
        other.goto(_serve_page(editor_pages, config, name="other.html"))
        expect(editor_pages.frame(other).locator("#dd-users li")).to_have_count(2)
        # The first editor learns about the second by long polling.
        expect(editor_pages.frame(page).locator("#dd-users li")).to_have_count(2)
        assert double.sessions["shared"].users == ["u1", "u2"]
    finally:
        other_context.close()


def test_a_bad_token_fires_on_error(double, integrator, editor_pages, page):
    config = integrator.config(
        "a.docx", "k1", secret="not-the-secret-not-the-secret-not-the-secret"
    )
    page.goto(_serve_page(editor_pages, config))
    expect(editor_pages.frame(page).locator("body")).to_have_attribute("data-state", "error")
    editor_pages.wait_for_event(page, "onError")
    errors = editor_pages.data_of(page, "onError")
    assert errors[0]["errorCode"] == -20
    assert "not correctly formed" in errors[0]["errorDescription"]
    assert "k1" not in double.sessions


def test_api_js_alerts_on_a_config_without_url(integrator, editor_pages, page):
    config = integrator.config("a.docx", "k1", secret=None)
    del config["document"]["url"]
    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.goto(_serve_page(editor_pages, config))
    page.wait_for_function("window.DocsAPI && window.docEditor")
    assert messages == ["One or more required parameter for the config object is not set"]
    assert page.locator("iframe").count() == 0


def test_request_events_and_methods_cross_the_frame(double, integrator, editor_pages, page):
    integrator.add("v1.docx")
    history = {"version": 1, "key": "k1-v1", "url": integrator.file_url("v1.docx")}
    history_data = {**history, "token": jwt.encode(history, SECRET, algorithm="HS256")}
    config = integrator.config("a.docx", "k1")
    editor = editor_pages.open(page, _serve_page(editor_pages, config, history_data=history_data))
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
    editor_pages.wait_for_event(page, "onRequestClose")


def test_destroy_editor_ends_the_connection(double, integrator, editor_pages, page):
    editor_pages.open(page, _serve_page(editor_pages, integrator.config("a.docx", "k1")))
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
