"""Debian's Chromium driven by Playwright for Python, and screenshots of failures.

Never run ``playwright install``: the suite uses the system Chromium (``/usr/bin/chromium``, or
``$CHROMIUM``) through ``executable_path``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    """The Chromium binary to drive, or None when there is none."""
    candidate = os.environ.get("CHROMIUM")
    if candidate and os.path.exists(candidate):
        return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def launch_chromium(playwright: Any, *, headless: bool = True) -> Any:
    """Launch the system Chromium with Playwright (``playwright.chromium.launch``)."""
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError("no Chromium found: install Debian's chromium package")
    return playwright.chromium.launch(
        executable_path=executable, headless=headless, args=CHROMIUM_ARGS
    )


def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repository root (git-ignored), else in the working directory."""
    configured = os.environ.get("TEST_ARTIFACTS")
    if configured:
        return Path(configured)
    root = Path(__file__).resolve().parents[3]
    if (root / "pyproject.toml").exists():
        return root / "test-artifacts"
    return Path.cwd() / "test-artifacts"


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under ``test-artifacts/screenshots/``; return its path."""
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "screenshot"
    path = folder / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Any, portal_url: str, user: str, password: str) -> None:
    """Log ``user`` in through Plone's login form, as a person would."""
    page.goto(f"{portal_url}/login")
    page.fill("input[name='__ac_name']", user)
    page.fill("input[name='__ac_password']", password)
    page.click("button[name='buttons.login']")
    page.wait_for_url(lambda url: "login" not in url)
