"""The stand-in editor's people, in Chromium: mentions, avatars, protected ranges and sharing
exist only when the integrator declares their events, which fire with Docs' payloads; the
double records what the page answers with setUsers."""

from __future__ import annotations

import json

import pytest

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

#: The page answers onRequestUsers with USERS; the other people events are recorded.
ANSWER_USERS = """const users = {users};
config.events.onRequestUsers = (e) => {{
  window.__events.push({{name: "onRequestUsers", data: e.data}});
  window.docEditor.setUsers({{c: e.data.c, users: users[e.data.c] || []}});
}};"""


def serve(editor_pages, config):
    return editor_pages.serve(
        config,
        "people.html",
        events=["onRequestSendNotify", "onRequestSharingSettings"],
        script=ANSWER_USERS.format(users=json.dumps(USERS)),
    )


def test_no_people_controls_without_their_events(double, integrator, editor_pages, page):
    config = integrator.config("a.xlsx", "k1", document__info={"sharingSettings": []})
    editor = editor_pages.open(page, editor_pages.serve(config))
    for control in ("#dd-mention", "#dd-sharing", "#dd-protect"):
        expect(editor.locator(control)).to_be_hidden()
    # Commenting is there, but nobody to mention and nobody to tell.
    expect(editor.locator("#dd-comment")).to_be_visible()
    assert double.sessions["k1"].method_calls == []


def test_people_events_fire_with_docs_payloads(double, integrator, editor_pages, page):
    config = integrator.config(
        "a.xlsx",
        "k1",
        document__info={"sharingSettings": [{"user": "Ann Other", "permissions": "Read Only"}]},
        editorConfig__actionLink={"action": {"type": "comment", "data": "c9"}},
    )
    editor = editor_pages.open(page, serve(editor_pages, config))
    expect(editor.locator("body")).to_have_attribute("data-action-link", "comment:c9")
    # Avatars of the editors shown: {c: "info", id: [...]}.
    expect(editor.locator("#dd-avatars li[data-id=u1]")).to_have_attribute("data-image", "yes")
    assert editor_pages.data_of(page, "onRequestUsers")[0] == {"c": "info", "id": ["u1"]}
    # A mention: the list once, narrowed as the user types, then the notification.
    editor.locator("#dd-comment").fill("Look +")
    expect(editor.locator("#dd-mention-list .dd-mention-user")).to_have_count(2)
    editor.locator("#dd-comment").fill("Look +bob")
    expect(editor.locator("#dd-mention-list .dd-mention-user")).to_have_count(1)
    editor.locator("#dd-mention-list .dd-mention-user").click()
    editor.locator("#dd-add-comment").click()
    editor_pages.wait_for_event(page, "onRequestSendNotify")
    assert editor_pages.data_of(page, "onRequestSendNotify") == [
        {
            "emails": ["bob@example.org"],
            "message": "Look +bob@example.org",
            "actionLink": {"action": {"type": "comment", "data": "c1"}},
        }
    ]
    assert {"c": "mention"} in editor_pages.data_of(page, "onRequestUsers")
    # Protected ranges (a spreadsheet being edited): {c: "protect"}.
    editor.locator("#dd-protect").click()
    expect(editor.locator("#dd-protect-list li")).to_have_count(1)
    # Sharing: the list from document.info, the button fires the event.
    expect(editor.locator("#dd-sharing-list")).to_contain_text("Ann Other — Read Only")
    editor.locator("#dd-sharing").click()
    editor_pages.wait_for_event(page, "onRequestSharingSettings")
    # The double recorded every setUsers the page made.
    calls = double.wait_for(
        lambda: (
            len([c for c in double.sessions["k1"].method_calls if c["name"] == "setUsers"]) >= 3
            and double.sessions["k1"].method_calls
        )
    )
    answered = [c["data"]["c"] for c in calls if c["name"] == "setUsers"]
    assert answered == ["info", "mention", "protect"]
