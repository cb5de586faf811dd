"""The conversion pages in a real Chromium: progress, cancel, opening the result.

The pages are also photographed into ``test-artifacts/screenshots/`` (git-ignored), to look at
after a run; the README's pictures come from ``make screenshots``.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from plone import api

from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.browser import log_in

from .conftest import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Tests never write tracked files: the README's pictures come from `make screenshots`.
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def login(page, site, user):
    log_in(page, site.url, user, PASSWORD)


def test_progress_is_shown_then_the_result_opens_in_the_editor(site, page):
    source = site.add("minutes", samples.odt("Minutes"), "minutes.odt", title="Minutes")
    site.double.faults.conversion_delay = 4
    login(page, site, "jane")
    page.set_viewport_size({"width": 1100, "height": 720})
    page.goto(f"{site.url}/{site.path(source)}/view")
    # The Actions menu offers the conversion.
    page.click("#plone-contentmenu-actions > a")
    page.click("#plone-contentmenu-actions-onlyoffice_convert")
    page.wait_for_url(re.compile(r".*/@@onlyoffice-convert(\?.*)?$"))
    expect(page.locator("#onlyoffice-target-new")).to_be_checked()
    page.click("#onlyoffice-convert-start")
    progress = page.locator("#onlyoffice-convert-progress")
    expect(progress).to_be_visible()
    expect(progress.locator(".onlyoffice-progress-elapsed")).to_contain_text("s)")
    page.wait_for_timeout(1200)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "conversion-progress.png"))
    page.wait_for_url("**/@@onlyoffice-edit", timeout=30000)
    editor = page.frame_locator("#onlyoffice-editor-frame iframe")
    # The editor names the copy by its title, with the new file's extension.
    expect(editor.locator("#dd-title")).to_have_text("Minutes (converted to docx).docx")
    expect(editor.locator("#dd-edit")).to_be_enabled()


def test_cancel_stops_and_creates_nothing(site, page):
    source = site.add("draft", samples.odt("Draft"), "draft.odt")
    site.double.faults.conversion_delay = 5
    login(page, site, "jane")
    page.goto(f"{site.url}/{site.path(source)}/@@onlyoffice-convert")
    page.click("#onlyoffice-convert-start")
    expect(page.locator("#onlyoffice-convert-progress")).to_be_visible()
    page.click("#onlyoffice-convert-cancel")
    expect(page.locator("#onlyoffice-convert-progress")).to_be_hidden()
    expect(page.locator("#onlyoffice-convert-form")).to_be_visible()
    # The page says what is true: polling stopped, a result already stored would stay.
    expect(page.get_by_role("status").filter(has_text="Stopped waiting")).to_be_visible()
    page.wait_for_timeout(6500)  # longer than the conversion takes
    assert page.url.endswith("/@@onlyoffice-convert")
    site.sync()
    assert site.folder.objectIds() == ["draft"]


def test_an_error_is_shown_in_plain_words(site, page):
    source = site.add("secret", samples.odt("Secret", encrypted=True), "secret.odt")
    login(page, site, "jane")
    page.goto(f"{site.url}/{site.path(source)}/@@onlyoffice-convert")
    page.click("#onlyoffice-convert-start")
    error = page.locator("#onlyoffice-convert-error")
    expect(error).to_be_visible(timeout=20000)
    expect(error).to_contain_text("password")
    expect(page.locator("#onlyoffice-convert-form")).to_be_visible()


def test_download_as_in_the_browser(site, page):
    source = site.add("report", samples.docx("Report"), "report.docx", title="Report")
    login(page, site, "vera")
    page.set_viewport_size({"width": 1100, "height": 720})
    page.goto(f"{site.url}/{site.path(source)}/@@onlyoffice-download-as")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "download-as.png"))
    with page.expect_download(timeout=30000) as info:
        page.click("a[data-outputtype='pdf']")
    download = info.value
    assert download.suggested_filename == "report.pdf"
    assert pathlib.Path(download.path()).read_bytes().startswith(b"%PDF")


def test_replace_from_the_browser_keeps_the_item(site, page):
    source = site.add("letter", samples.odt("Letter"), "letter.odt", title="Letter")
    login(page, site, "jane")
    page.goto(f"{site.url}/{site.path(source)}/@@onlyoffice-convert")
    page.check("#onlyoffice-target-replace")
    page.click("#onlyoffice-convert-start")
    page.wait_for_url(f"**/{site.path(source)}/@@onlyoffice-edit", timeout=30000)
    site.sync()
    assert site.folder.objectIds() == ["letter"]
    assert api.content.get(path="/docs/letter").file.filename == "letter.docx"
