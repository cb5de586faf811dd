"""The stand-in editor's people, in Chromium: mentions, avatars, protected ranges and sharing
exist only when the integrator declares their events, which fire with Docs' payloads; the
double records what the page answers with setUsers."""

from __future__ import annotations

import json

import pytest

from .test_browser import _editor
from .test_browser import _serve_page

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

USERS = {
    "mention": [
        {"id": "u2", "name": "Ann Other", "email": "ann@example.org"},
        {"id": "u3", "name": "Bob Other", "email": "bob@example.org"},
    ],
    "protect": [{"id": "u1", "name": "User u1"}],
    "info": [
        {"id": "u1", "name": "User u1", "image": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}
    ],
}

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>People page</title>
<script src="{api}"></script></head>
<body><div id="placeholder"></div>
<script>
window.__events = [];
const users = {users};
const config = {config};
config.events = {{
  onRequestUsers(e) {{
    window.__events.push({{name: "onRequestUsers", data: e.data}});
    window.docEditor.setUsers({{c: e.data.c, users: users[e.data.c] || []}});
  }},
  onRequestSendNotify(e) {{
    window.__events.push({{name: "onRequestSendNotify", data: e.data}});
  }},
  onRequestSharingSettings(e) {{
    window.__events.push({{name: "onRequestSharingSettings"}});
  }},
}};
window.docEditor = new DocsAPI.DocEditor("placeholder", config);
</script></body></html>
"""


def serve(double, integrator, config, name="people.html"):
    integrator.pages[name] = PAGE.format(
        api=double.api_js_url,
        users=json.dumps(USERS),
        config=json.dumps({**config, "height": "600px"}),
    )
    return f"{integrator.url}/pages/{name}"


def events(page, name):
    return [e.get("data") for e in page.evaluate("window.__events") if e["name"] == name]


def test_no_people_controls_without_their_events(double, integrator, page):
    config = integrator.config("a.xlsx", "k1", document__info={"sharingSettings": []})
    page.goto(_serve_page(double, integrator, config))
    editor = _editor(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    for control in ("#dd-mention", "#dd-sharing", "#dd-protect"):
        expect(editor.locator(control)).to_be_hidden()
    # Commenting is there, but nobody to mention and nobody to tell.
    expect(editor.locator("#dd-comment")).to_be_visible()
    assert double.sessions["k1"].method_calls == []


def test_people_events_fire_with_docs_payloads(double, integrator, page):
    config = integrator.config(
        "a.xlsx",
        "k1",
        document__info={"sharingSettings": [{"user": "Ann Other", "permissions": "Read Only"}]},
        editorConfig__actionLink={"action": {"type": "comment", "data": "c9"}},
    )
    page.goto(serve(double, integrator, config))
    editor = _editor(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    expect(editor.locator("body")).to_have_attribute("data-action-link", "comment:c9")
    # Avatars of the editors shown: {c: "info", id: [...]}.
    expect(editor.locator("#dd-avatars li[data-id=u1]")).to_have_attribute("data-image", "yes")
    assert events(page, "onRequestUsers")[0] == {"c": "info", "id": ["u1"]}
    # A mention: the list once, narrowed as the user types, then the notification.
    editor.locator("#dd-comment").fill("Look +")
    expect(editor.locator("#dd-mention-list .dd-mention-user")).to_have_count(2)
    editor.locator("#dd-comment").fill("Look +bob")
    expect(editor.locator("#dd-mention-list .dd-mention-user")).to_have_count(1)
    editor.locator("#dd-mention-list .dd-mention-user").click()
    editor.locator("#dd-add-comment").click()
    page.wait_for_function("window.__events.some(e => e.name === 'onRequestSendNotify')")
    assert events(page, "onRequestSendNotify") == [
        {
            "emails": ["bob@example.org"],
            "message": "Look +bob@example.org",
            "actionLink": {"action": {"type": "comment", "data": "c1"}},
        }
    ]
    assert {"c": "mention"} in events(page, "onRequestUsers")
    # Protected ranges (a spreadsheet being edited): {c: "protect"}.
    editor.locator("#dd-protect").click()
    expect(editor.locator("#dd-protect-list li")).to_have_count(1)
    # Sharing: the list from document.info, the button fires the event.
    expect(editor.locator("#dd-sharing-list")).to_contain_text("Ann Other — Read Only")
    editor.locator("#dd-sharing").click()
    page.wait_for_function("window.__events.some(e => e.name === 'onRequestSharingSettings')")
    # The double recorded every setUsers the page made.
    calls = double.wait_for(
        lambda: (
            len([c for c in double.sessions["k1"].method_calls if c["name"] == "setUsers"]) >= 3
            and double.sessions["k1"].method_calls
        )
    )
    answered = [c["data"]["c"] for c in calls if c["name"] == "setUsers"]
    assert answered == ["info", "mention", "protect"]
