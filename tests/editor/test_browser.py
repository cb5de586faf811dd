"""The editor page in a real Chromium, with the Docs test double's stand-in editor."""

import re

import pytest
import transaction
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

from onlyoffice_plone_testing.browser import save_screenshot

from .conftest import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def login(page, site, user, password=PASSWORD):
    page.goto(f"{site.url}/login")
    page.fill("input[name='__ac_name']", user)
    page.fill("input[name='__ac_password']", password)
    page.click("button[name='buttons.login']")
    page.wait_for_url(lambda url: "login" not in url)


def editor_frame(page):
    return page.frame_locator("#onlyoffice-editor-frame iframe")


def test_full_round_trip_in_the_browser(site, page):
    before = site.versions()
    login(page, site, "jane")
    page.goto(site.item_url(site.file) + "/view")
    page.click(".onlyoffice-viewlet a.onlyoffice-open-edit")
    page.wait_for_url("**/@@onlyoffice-edit")
    editor = editor_frame(page)
    expect(editor.locator("#dd-product")).to_have_text("ONLYOFFICE Docs test double")
    expect(editor.locator("#dd-title")).to_have_text("report.docx")
    expect(editor.locator("#dd-edit")).to_be_enabled()

    # The editor fills the window below Plone's header: no fixed height, no gap below.
    box = page.locator("#onlyoffice-editor-frame").bounding_box()
    assert box["y"] > 0
    assert abs(box["y"] + box["height"] - page.viewport_size["height"]) <= 2
    # ... and nothing below it to scroll to (no footer).
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height <= page.viewport_size["height"] + 2
    save_screenshot(page, "editor-page")

    editor.locator("#dd-edit").click()
    expect(editor.locator("#dd-changes")).to_have_text("1")
    key = editor.locator("#dd-key").inner_text()
    editor.locator("#dd-close").click()
    site.double.wait_for_callback(2, key, timeout=15)
    site.double.wait_idle()

    assert "Edited by Jane Editor" in site.text()
    assert len(site.versions()) == len(before) + 1
    assert not site.locked()


def test_the_toolbar_offers_both_actions_to_an_editor(site, page):
    login(page, site, "jane")
    page.goto(site.item_url(site.file) + "/view")
    toolbar = page.locator("#edit-zone")
    item = re.escape(site.item_url(site.file))
    for mode in ("edit", "view"):
        # plone.protect adds an _authenticator to links in the toolbar.
        expect(toolbar.locator(f"#contentview-onlyoffice_{mode} a")).to_have_attribute(
            "href", re.compile(rf"{item}/@@onlyoffice-{mode}(\?.*)?$")
        )


def test_a_viewer_sees_the_document_read_only(site, page):
    login(page, site, "vera")
    page.goto(site.item_url(site.file) + "/view")
    expect(page.locator(".onlyoffice-open-edit")).to_have_count(0)
    # Laid out on Plone's own page, where the editor's stylesheet is not loaded: a row of
    # buttons and lines with room around them.
    expect(page.locator(".onlyoffice-viewlet")).to_have_css("display", "flex")
    expect(page.locator(".onlyoffice-viewlet")).to_have_css("margin-bottom", "16px")
    page.click(".onlyoffice-viewlet a.onlyoffice-open-view")
    editor = editor_frame(page)
    expect(editor.locator("#dd-mode")).to_contain_text("view")


def test_unreachable_docs_is_said_plainly_with_a_link_for_managers(site, page):
    site.portal.portal_registry["onlyoffice_plone.docs_url"] = "http://127.0.0.1:9/"
    transaction.commit()
    login(page, site, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page.goto(site.item_url(site.file) + "/@@onlyoffice-edit")
    message = page.locator("#onlyoffice-message")
    expect(message).to_contain_text("ONLYOFFICE Docs cannot be reached at http://127.0.0.1:9/")
    expect(message.locator("a").first).to_have_attribute(
        "href", f"{site.url}/@@onlyoffice-controlpanel"
    )
    expect(message).not_to_contain_text("Try again later")
    expect(message.locator("a.onlyoffice-back")).to_have_attribute(
        "href", re.compile(rf"^{re.escape(site.item_url(site.file))}(/view)?$")
    )


def test_unreachable_docs_tells_an_editor_what_to_do_and_the_way_back(site, page):
    """Someone who cannot change the settings is not sent to them: told to try later or
    ask an administrator, with a link back to the document's page."""
    site.portal.portal_registry["onlyoffice_plone.docs_url"] = "http://127.0.0.1:9/"
    transaction.commit()
    login(page, site, "jane")
    page.goto(site.item_url(site.file) + "/@@onlyoffice-edit")
    message = page.locator("#onlyoffice-message")
    expect(message).to_contain_text(
        "ONLYOFFICE Docs cannot be reached at http://127.0.0.1:9/. Try again later, or ask "
        "an administrator to check the ONLYOFFICE settings."
    )
    expect(message.locator("a[href*='controlpanel']")).to_have_count(0)
    back = message.locator("a.onlyoffice-back")
    expect(back).to_have_text("Back to the document")
    back.click()
    page.wait_for_url(re.compile(rf"^{re.escape(site.item_url(site.file))}(/view)?$"))


def test_an_editor_cut_off_loses_nothing_and_keeps_no_lock(site, page):
    """The editor's browser goes silent with an edit unsaved (a crash, a laptop closed, the
    network gone: no close, no page-hide beacon reaches Docs). Docs finds the page gone when
    its pings go unanswered, and that editor's leaving saves as a close does."""
    before = site.versions()
    login(page, site, "jane")
    page.goto(site.item_url(site.file) + "/@@onlyoffice-edit")
    editor = editor_frame(page)
    editor.locator("#dd-edit").click()
    expect(editor.locator("#dd-changes")).to_have_text("1")
    key = editor.locator("#dd-key").inner_text()
    site.settle()
    assert site.locked()
    sessions = site.double._sessions
    kept, sessions.disconnect_after = sessions.disconnect_after, 1.0  # Docs': 45 s
    try:
        page.context.set_offline(True)
        site.double.wait_for_callback(2, key, timeout=30)
        site.double.wait_idle()
    finally:
        sessions.disconnect_after = kept
    assert "Edited by Jane Editor" in site.text()
    assert len(site.versions()) == len(before) + 1
    assert not site.locked()


def test_removing_the_lock_asks_first(site, page):
    """The unlock button disconnects everyone editing: the browser asks before it does."""
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    assert site.locked()
    login(page, site, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page.goto(site.item_url(site.file) + "/view")
    button = page.locator(".onlyoffice-unlock button")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    button.click()
    assert asked and asked[0].startswith("Remove the lock? Everyone editing this document")
    page.wait_for_load_state()
    assert site.locked(), "dismissed: nothing happens"

    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.locator(".portalMessage")).to_contain_text("The ONLYOFFICE lock is removed.")
    assert not site.locked()


def test_removing_the_lock_asks_first_under_a_strict_content_security_policy(site, page):
    """A site that forbids inline scripts (``script-src 'self'``) still gets the question:
    the confirmation is a script file, not an inline handler the browser would skip."""
    site.double.open(site.config(user="jane"), "jane")
    site.settle()
    assert site.locked()
    login(page, site, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    item_view = site.item_url(site.file) + "/view"

    def strict(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    page.route(item_view, strict)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))
    page.goto(item_view)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(".onlyoffice-unlock button").click()
    page.wait_for_load_state()
    assert asked, f"no question asked under the policy (console: {blocked[:3]})"
    assert site.locked(), "dismissed: nothing happens"
