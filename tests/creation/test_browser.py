"""Creating each kind of new document in Chromium, from the Add menu to the editor."""

from __future__ import annotations

import pathlib

import pytest

from onlyoffice_plone_testing.browser import log_in

from .conftest import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Tests never write tracked files: the README's pictures come from `make screenshots`.
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
EXTENSIONS = {"document": "docx", "spreadsheet": "xlsx", "presentation": "pptx", "form": "pdf"}


def login(page, site, user):
    log_in(page, site.url, user, PASSWORD)


def test_add_menu_to_editor_for_each_kind(site, page):
    login(page, site, "jane")
    page.set_viewport_size({"width": 1100, "height": 720})
    for number, (kind, extension) in enumerate(EXTENSIONS.items()):
        page.goto(f"{site.url}/{site.path(site.folder)}")
        page.click("#plone-contentmenu-factories > a")
        entry = page.locator(f"#onlyoffice-new-{kind}")
        expect(entry).to_be_visible()
        if number == 0:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "add-menu.png"))
        entry.click()
        page.wait_for_url(f"**/@@onlyoffice-create?kind={kind}")
        expect(page.locator(f"#onlyoffice-kind-{kind}")).to_be_checked()
        page.fill("#onlyoffice-create-title", f"My {kind}")
        if number == 0:
            page.screenshot(path=str(SCREENSHOTS / "create-form.png"))
        page.click("#onlyoffice-create-submit")
        page.wait_for_url("**/@@onlyoffice-edit")
        editor = page.frame_locator("#onlyoffice-editor-frame iframe")
        expect(editor.locator("#dd-title")).to_have_text(f"My {kind}.{extension}")
        expect(editor.locator("#dd-edit")).to_be_enabled()


def test_the_title_placeholder_follows_the_kind_and_an_empty_title_takes_it(site, page):
    login(page, site, "jane")
    page.goto(f"{site.url}/{site.path(site.folder)}/@@onlyoffice-create?kind=document")
    title = page.locator("#onlyoffice-create-title")
    expect(title).to_have_attribute("placeholder", "New document")
    page.check("#onlyoffice-kind-presentation")
    expect(title).to_have_attribute("placeholder", "New presentation")
    page.click("#onlyoffice-create-submit")  # the field left empty
    page.wait_for_url("**/@@onlyoffice-edit")
    editor = page.frame_locator("#onlyoffice-editor-frame iframe")
    expect(editor.locator("#dd-title")).to_have_text("New presentation.pptx")
