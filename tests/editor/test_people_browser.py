"""People in the editor, in Chromium against the Docs test double: a mention from the comment
box e-mails the person mentioned, the mail's link opens the viewer at that comment, avatars,
and the Sharing button only for those who may change sharing."""

import re

import pytest

from onlyoffice_plone_testing.browser import save_screenshot

from .people import add_outsider
from .people import mail_server
from .people import set_portrait
from .test_browser import editor_frame
from .test_browser import login

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp(site):
    add_outsider(site)
    server = mail_server(site)
    yield server
    server.__exit__(None, None, None)


def open_page(site, page, user, url):
    login(page, site, user)
    page.goto(url)
    editor = editor_frame(page)
    expect(editor.locator("body")).to_have_attribute("data-state", "ready")
    return editor


def method_calls(site, name):
    site.double.wait_idle()
    return [c for s in site.double.sessions.values() for c in s.method_calls if c["name"] == name]


def test_a_mention_in_the_editor_mails_the_person_and_the_link_opens_the_comment(
    site, page, smtp, browser
):
    set_portrait(site, "jane")
    editor = open_page(site, page, "jane", site.item_url(site.file) + "/@@onlyoffice-edit")
    # Avatars: Docs asks for the editors' pictures, Plone gives data: URIs.
    expect(editor.locator("#dd-avatars li[data-id=jane]")).to_have_attribute("data-image", "yes")
    # The mention list: people who may view the document, never Olga.
    editor.locator("#dd-comment").fill("Please check +")
    people = editor.locator("#dd-mention-list .dd-mention-user")
    expect(people).to_have_count(3)
    expect(editor.locator("#dd-mention-list")).not_to_contain_text("Olga")
    save_screenshot(page, "editor-mention")
    [users] = [
        c["data"]["users"] for c in method_calls(site, "setUsers") if c["data"]["c"] == "mention"
    ]
    assert {u["email"] for u in users} == {
        "john@example.org",
        "rita@example.org",
        "vera@example.org",
    }
    editor.locator("#dd-comment").fill("Please check +ver")
    expect(people).to_have_count(1)
    people.first.click()
    editor.locator("#dd-add-comment").click()
    expect(page.locator("#onlyoffice-info")).to_contain_text("1")
    [mail] = smtp.mailbox.to("vera@example.org")
    assert "Please check +vera@example.org" in mail.text
    assert smtp.mailbox.to("olga@example.org") == []

    # Vera follows the link of her mail: the viewer opens at that comment.
    link = re.search(r"https?://\S+", mail.text).group(0)
    context = browser.new_context()
    other = context.new_page()
    try:
        viewer = open_page(site, other, "vera", link)
        expect(viewer.locator("body")).to_have_attribute("data-action-link", "comment:c1")
        # A viewer mentions nobody and may not change sharing: neither control exists.
        expect(viewer.locator("#dd-mention")).to_be_hidden()
        expect(viewer.locator("#dd-sharing")).to_be_hidden()
    finally:
        context.close()


def test_sharing_opens_plones_sharing_page_for_those_who_may(site, page, smtp):
    editor = open_page(site, page, "jane", site.item_url(site.file) + "/@@onlyoffice-edit")
    expect(editor.locator("#dd-sharing-list")).to_contain_text("Vera Viewer — Read Only")
    with page.expect_popup() as popup:
        editor.locator("#dd-sharing").click()
    assert popup.value.url.startswith(site.item_url(site.file) + "/@@sharing")


def test_the_current_users_portrait_is_loaded_by_the_editor(site, page, smtp):
    set_portrait(site, "john")
    editor = open_page(site, page, "john", site.item_url(site.file) + "/@@onlyoffice-edit")
    image = editor.locator("#dd-user-image")
    expect(image).to_have_attribute("src", re.compile(r"/portal_memberdata/portraits/john$"))
    expect(image).to_have_attribute("data-loaded", "yes")
