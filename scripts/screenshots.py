"""Take the README's screenshots from a real site: `make screenshots`.

Starts `make run`'s instance in a temporary folder beside the ONLYOFFICE Docs test double,
adds files, and photographs with Chromium: the control panel after a successful connection
check, a file's page with the ONLYOFFICE actions, the editor page and its version history
after an ONLYOFFICE save, the content picker inserting images, the conversion progress,
"Download as", the Add menu's new documents and their form. Writes docs/screenshots/*.png.
"""

import base64
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from onlyoffice_docs_double import DocsDouble
from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.browser import launch_chromium
from onlyoffice_plone_testing.browser import log_in

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
AUTH = ("admin", "admin")
SECRET = "screenshots-secret-" + "x" * 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("the instance stopped before it served the site")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # starting, or a busy machine
            pass
        time.sleep(1)
    sys.exit(f"{url} did not answer in time")


def api(portal, method, path, **kwargs):
    response = requests.request(
        method,
        f"{portal}/++api++/{path}",
        auth=AUTH,
        headers={"Accept": "application/json"},
        timeout=60,
        **kwargs,
    )
    response.raise_for_status()
    return response


def add_file(portal, folder, name, data, content_type, title):
    api(
        portal,
        "POST",
        folder,
        json={
            "@type": "File",
            "id": name,
            "title": title,
            "file": {
                "data": base64.b64encode(data).decode(),
                "encoding": "base64",
                "filename": name,
                "content-type": content_type,
            },
        },
    )
    return f"{portal}/{folder}/{name}" if folder else f"{portal}/{name}"


def add_image(portal, folder, name, color, title):
    """A Plone Image of one colour (Pillow comes with Plone)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    api(
        portal,
        "POST",
        folder,
        json={
            "@type": "Image",
            "id": name,
            "title": title,
            "image": {
                "data": base64.b64encode(buffer.getvalue()).decode(),
                "encoding": "base64",
                "filename": name,
                "content-type": "image/png",
            },
        },
    )


def wait_for_versions(portal, item, count, seconds=60):
    """Wait until ``item`` has ``count`` versions (Docs' save reached Plone)."""
    path = item[len(portal) :].lstrip("/")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if len(api(portal, "GET", f"{path}/@onlyoffice-history").json()["history"]) >= count:
                return
        except requests.HTTPError:
            pass  # no versions yet
        time.sleep(0.5)
    raise RuntimeError(f"{item} did not get {count} versions in {seconds} s")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    portal = f"http://127.0.0.1:{port}/Plone"
    with (
        tempfile.TemporaryDirectory() as work,
        DocsDouble(secret=SECRET, save_delay=1.0, retry_scale=0.01) as double,
    ):
        env = dict(
            os.environ,
            INSTANCE=str(Path(work) / "instance"),
            HOST="127.0.0.1",
            PORT=str(port),
            ADMIN_PASSWORD=AUTH[1],
            ONLYOFFICE_DOCS_URL=double.url + "/",
            ONLYOFFICE_JWT_SECRET=SECRET,
            SAMPLES="0",
        )
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "instance.py")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(portal, process)
            shoot(portal, double)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def shoot(portal, double):
    api(portal, "POST", "", json={"@type": "Folder", "id": "documents", "title": "Documents"})
    report = add_file(
        portal,
        "documents",
        "quarterly-report.docx",
        samples.docx("Quarterly report"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Quarterly report",
    )
    api(
        portal,
        "POST",
        "documents",
        json={"@type": "Folder", "id": "pictures", "title": "Pictures"},
    )
    add_image(portal, "documents", "logo.png", (0, 90, 160), "Company logo")
    add_image(portal, "documents", "team.png", (200, 120, 0), "Team photo")
    legacy = add_file(
        portal,
        "documents",
        "budget.ods",
        samples.ods("Budget"),
        "application/vnd.oasis.opendocument.spreadsheet",
        "Budget",
    )
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        log_in(page, portal, *AUTH)

        page.goto(f"{portal}/@@onlyoffice-controlpanel")
        page.click("#form-buttons-save")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "controlpanel.png"))

        page.goto(f"{report}/view")
        page.click("#plone-contentmenu-actions > a")
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / "actions.png"))

        page.goto(f"{report}/@@onlyoffice-edit")
        page.frame_locator("iframe").first.locator("text=ONLYOFFICE Docs test double").wait_for(
            timeout=30000
        )
        page.screenshot(path=str(OUT / "editor-page.png"))

        # An ONLYOFFICE save (an edit, then the last editor leaves), then the history panel.
        frame = page.frame_locator("iframe").first
        frame.locator("#dd-edit").click()
        frame.locator("#dd-changes").filter(has_text="1").wait_for()
        frame.locator("#dd-close").click()
        wait_for_versions(portal, report, 2)
        page.goto(f"{report}/@@onlyoffice-edit")
        frame.locator("#dd-onRequestHistory").click()
        frame.locator("#dd-history-view[data-state]").wait_for(timeout=30000)
        page.screenshot(path=str(OUT / "editor-history.png"))

        # The content picker: "Insert image", the Documents folder, two images selected.
        page.goto(f"{report}/@@onlyoffice-edit")
        frame.locator("#dd-onRequestInsertImage").click()
        picker = page.locator("#onlyoffice-picker [role=option]")
        picker.filter(has_text="Documents").click()
        picker.filter(has_text="Team photo").wait_for()
        picker.filter(has_text="Company logo").click()
        picker.filter(has_text="Team photo").click()
        page.screenshot(path=str(OUT / "editor-picker.png"))
        page.keyboard.press("Escape")

        double.faults.conversion_delay = 6.0
        page.goto(f"{legacy}/@@onlyoffice-convert")
        page.click("#onlyoffice-convert-start")
        page.locator("#onlyoffice-convert-progress .onlyoffice-progress-elapsed").wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT / "conversion-progress.png"))
        page.wait_for_url("**/@@onlyoffice-edit", timeout=60000)

        page.goto(f"{report}/@@onlyoffice-download-as")
        page.screenshot(path=str(OUT / "download-as.png"))

        page.goto(f"{portal}/documents")
        page.click("#plone-contentmenu-factories > a")
        page.locator("#onlyoffice-new-document").wait_for()
        page.screenshot(path=str(OUT / "add-menu.png"))
        page.click("#onlyoffice-new-document")
        page.wait_for_url("**/@@onlyoffice-create?kind=document")
        page.fill("#onlyoffice-create-title", "Meeting notes")
        page.screenshot(path=str(OUT / "create-form.png"))
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
