"""pytest fixtures: a real Chromium.

Import them explicitly in a conftest.py::

    from onlyoffice_plone_testing.fixtures import browser, page

(the Docs test double's own fixtures are in ``onlyoffice_docs_double.testing.fixtures``).

- ``browser``: Debian's Chromium through Playwright, one per test process even when several
  conftest modules import this fixture (skips the test when Chromium or Playwright is missing).
- ``page``: a fresh browser context and page per test; when the test fails, a screenshot goes to
  ``test-artifacts/screenshots/<test id>.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .browser import chromium_executable
from .browser import launch_chromium
from .browser import save_screenshot


class _SharedChromium:
    """One Playwright and one Chromium for the whole test process.

    Playwright's sync API allows a single running instance per thread, while several conftest
    modules may each import the ``browser`` fixture (each import is a fixture of its own): they
    all share this one, which closes when the last of them is torn down.
    """

    def __init__(self) -> None:
        self.users = 0
        self.playwright: Any = None
        self.browser: Any = None

    def acquire(self) -> Any:
        if self.users == 0:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            try:
                self.browser = launch_chromium(self.playwright)
            except Exception:
                self.playwright.stop()
                raise
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            try:
                self.browser.close()
            finally:
                self.playwright.stop()
                self.browser = self.playwright = None


_CHROMIUM = _SharedChromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if chromium_executable() is None:
        pytest.skip("Chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    instance = _CHROMIUM.acquire()
    try:
        yield instance
    finally:
        _CHROMIUM.release()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    new_page = context.new_page()
    failed_before = request.session.testsfailed
    try:
        yield new_page
    finally:
        # The call phase's report is in by now: a higher count means this test failed.
        if request.session.testsfailed > failed_before:
            try:
                save_screenshot(new_page, request.node.nodeid)
            except Exception as exc:  # a screenshot must not hide the real failure
                print(f"could not save a screenshot: {exc}")
        context.close()
