"""pytest fixtures: the Docs test double and a real Chromium.

Import them explicitly in a conftest.py::

    from onlyoffice_plone.testing.fixtures import browser, docs_double, docs_double_factory, page

- ``docs_double``: a DocsDouble started on a free loopback port for one test, with JWT on
  (secret ``DOCS_DOUBLE_SECRET``), a 0.2 s save delay and retries 100 times faster than Docs'.
  Stopped after the test.
- ``docs_double_factory(**kwargs)``: start doubles with other settings (``secret=None`` for JWT
  off, ``header=...``, ``save_delay=...``); all are stopped after the test.
- ``browser``: Debian's Chromium through Playwright, one per test process even when several
  conftest modules import this fixture (skips the test when Chromium or Playwright is missing).
- ``page``: a fresh browser context and page per test; when the test fails, a screenshot goes to
  ``test-artifacts/screenshots/<test id>.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest

from .browser import chromium_executable
from .browser import launch_chromium
from .browser import save_screenshot
from .docs_double import DOCS_DOUBLE_SECRET
from .docs_double import DocsDouble

DOCS_DOUBLE_DEFAULTS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 0,
    "secret": DOCS_DOUBLE_SECRET,
    "save_delay": 0.2,
    "retry_scale": 0.01,
}


@pytest.fixture
def docs_double_factory() -> Iterator[Callable[..., DocsDouble]]:
    started: list[DocsDouble] = []

    def start(**kwargs: Any) -> DocsDouble:
        double = DocsDouble(**{**DOCS_DOUBLE_DEFAULTS, **kwargs}).start()
        started.append(double)
        return double

    yield start
    for double in started:
        double.stop()


@pytest.fixture
def docs_double(docs_double_factory: Callable[..., DocsDouble]) -> DocsDouble:
    return docs_double_factory()


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
