"""`make run`'s first run: Plone with the Docs test double beside it, set up for each other,
and a folder of sample documents; with ONLYOFFICE_DOCS_URL, that Docs and nothing else.

The real script (``scripts/instance.py``, as ``make run`` starts it) on a temporary instance
folder and free ports; the double is the one the script starts, reached over HTTP.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import requests

from onlyoffice_plone_testing.instances import free_port
from onlyoffice_plone_testing.instances import start_instance
from onlyoffice_plone_testing.instances import wait_for_site

AUTH = ("admin", "admin")
SAMPLES = {
    "welcome.docx": "word/document.xml",
    "budget.xlsx": "xl/workbook.xml",
    "slides.pptx": "ppt/presentation.xml",
    "meeting-notes.odt": "content.xml",
    "registration-form.pdf": None,
}

#: Opened read-only by default (editing could lose features): converted instead.
VIEWED = {"meeting-notes.odt"}

pytestmark = pytest.mark.slow


def children(pid):
    """``{pid: command line}`` of the processes whose parent is ``pid`` (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = [part.decode() for part in cmdline if part]
    return found


class Run:
    """``scripts/instance.py`` started as ``make run`` does, output kept in a log file."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.double_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/Plone"
        self.double_url = f"http://127.0.0.1:{self.double_port}/"
        self.log_path = folder.parent / "run.log"
        self.process = None
        self.offset = 0

    def start(self, **environment):
        self.launch(**environment)
        wait_for_site(self.url, self.process, self.output, seconds=300)

    def launch(self, **environment):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ONLYOFFICE_", "JWT_")) and k != "ADMIN_PASSWORD"
        }
        env.update(
            INSTANCE=str(self.folder),
            HOST="127.0.0.1",
            PORT=str(self.port),
            DOCS_DOUBLE_PORT=str(self.double_port),
            **environment,
        )
        self.offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.process = start_instance(env, self.log_path)

    def output(self):
        """What this start printed (not the earlier ones)."""
        return self.log_path.read_bytes()[self.offset :].decode(errors="replace")

    def stop(self):
        """Stop as Ctrl+C does: SIGINT to the script alone, which stops its children."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def get(self, path, **kwargs):
        return requests.get(f"{self.url}/{path}", auth=AUTH, timeout=120, **kwargs)

    def samples(self):
        response = self.get("onlyoffice-samples", headers={"Accept": "application/json"})
        assert response.status_code == 200, response.text
        return sorted(item["@id"].rsplit("/", 1)[1] for item in response.json()["items"])

    def connection_check(self):
        response = self.get("++api++/@onlyoffice-connection-check")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    run = Run(tmp_path_factory.mktemp("first-run") / "instance")
    run.start()
    yield run
    run.stop()


def docs_double_process(run):
    return [c for c in children(run.process.pid).values() if "onlyoffice_docs_double" in c]


def test_the_banner_says_the_double_is_in_use_and_how_to_log_in(run):
    output = run.output()
    assert f"Plone with ONLYOFFICE is starting on {run.url}" in output
    assert "log in as admin / admin" in output
    assert f"ONLYOFFICE Docs: the TEST DOUBLE on {run.double_url}" in output
    assert "not ONLYOFFICE Docs" in output
    assert f"sample documents: {run.url}/onlyoffice-samples" in output
    # The double's own lines, prefixed, say what it is too.
    assert "docs-double | ONLYOFFICE Docs test double" in output
    assert "NOT ONLYOFFICE Docs" in output


def test_the_secret_is_kept_in_the_instance_and_off_every_command_line(run):
    secret_file = run.folder / "onlyoffice-run" / "double-secret"
    secret = secret_file.read_text().strip()
    assert len(secret) >= 32
    assert secret_file.stat().st_mode & 0o077 == 0
    [command] = docs_double_process(run)
    assert "--secret-file" in command
    assert not any(secret in part for part in command)
    assert secret not in run.output()


def test_the_double_answers_and_its_status_page_says_it_is_a_stand_in(run):
    assert requests.get(run.double_url + "healthcheck", timeout=10).text == "true"
    status_url = re.search(r"its status page: (\S+)", run.output()).group(1)
    page = requests.get(status_url, timeout=10)
    assert page.status_code == 200
    assert "This is not ONLYOFFICE Docs" in page.text
    assert requests.get(run.double_url, timeout=10).status_code == 403


def test_the_site_uses_the_double_with_a_secret_it_accepts(run):
    settings = run.get("++api++/@controlpanels/onlyoffice").json()
    assert settings["data"]["docs_url"] == run.double_url
    assert settings["jwt_secret_set"] is True
    # Signed commands and a conversion of a file the double downloads from Plone.
    report = run.connection_check()
    assert report["ok"] is True, report
    assert report["test_double"] is True


def open_in_double(run, name, mode="edit"):
    """Open a sample as the editor page does: Plone's signed config, given to the double,
    which checks the token with its secret and downloads the file from Plone."""
    config = run.get(
        f"onlyoffice-samples/{name}/@onlyoffice-config?mode={mode}",
        headers={"Accept": "application/json"},
    ).json()["config"]
    opened = requests.post(
        run.double_url + "double/session/open", json={"config": config}, timeout=60
    )
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert "error" not in body and body["editing"] is (mode == "edit"), body
    return run.double_url + f"double/session/{config['document']['key']}/", body["connection"]


def test_the_samples_are_real_documents_the_double_opens(run):
    assert run.samples() == sorted(SAMPLES)
    for name, part in SAMPLES.items():
        data = run.get(f"onlyoffice-samples/{name}/@@download/file").content
        if part:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None
                assert part in archive.namelist()
        else:
            assert data.startswith(b"%PDF-") and b"/AcroForm" in data
        # OpenDocument opens read-only (the add-on's default): it is the sample to convert.
        session, connection = open_in_double(run, name, "view" if name in VIEWED else "edit")
        closed = requests.post(session + "close", json={"connection": connection}, timeout=30)
        assert closed.json() == {"ok": True}


def test_an_edit_in_the_double_is_saved_into_plone(run):
    session, connection = open_in_double(run, "welcome.docx")
    edit = {"connection": connection, "text": "Edited on the first run"}
    assert requests.post(session + "edit", json=edit, timeout=30).json()["ok"] is True
    requests.post(session + "close", json={"connection": connection}, timeout=30)
    # The double saves a few seconds after the last editor leaves: wait for the callback.
    deadline = time.monotonic() + 120
    saved = b""
    while b"Edited on the first run" not in saved and time.monotonic() < deadline:
        time.sleep(1)
        data = run.get("onlyoffice-samples/welcome.docx/@@download/file").content
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            saved = archive.read("word/document.xml")
    assert b"Edited on the first run" in saved
    history = run.get(
        "onlyoffice-samples/welcome.docx/@history", headers={"Accept": "application/json"}
    ).json()
    assert len([entry for entry in history if entry.get("type") == "versioning"]) >= 2


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_office_samples(run, tmp_path):
    for name in SAMPLES:
        if not name.endswith(".pdf"):
            (tmp_path / name).write_bytes(
                run.get(f"onlyoffice-samples/{name}/@@download/file").content
            )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *sorted(str(p) for p in tmp_path.glob("*.*")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert converted == sorted(n.rsplit(".", 1)[0] + ".pdf" for n in SAMPLES if ".pdf" not in n)


def alive(pid):
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_stops_plone_and_the_double(run):
    pids = list(children(run.process.pid))
    assert len(pids) == 2  # Plone's runwsgi and the double
    run.stop()
    assert not any(alive(pid) for pid in pids)
    with pytest.raises(requests.ConnectionError):
        requests.get(run.double_url + "healthcheck", timeout=10)


def test_a_second_start_keeps_the_secret_and_adds_no_samples(run):
    secret = (run.folder / "onlyoffice-run" / "double-secret").read_text()
    run.stop()
    run.start()
    assert "added the folder" not in run.output()
    assert (run.folder / "onlyoffice-run" / "double-secret").read_text() == secret
    assert run.samples() == sorted(SAMPLES)
    assert run.connection_check()["ok"] is True


def test_starting_an_instance_that_runs_already_is_a_clear_error(run):
    """A second ``make run`` of the same instance (another PORT) leaves the running one be."""
    assert run.process.poll() is None, "the previous test left it running"
    second = Run(run.folder)
    second.launch()
    assert second.process.wait(timeout=120) != 0
    said = second.output()
    assert "is running already" in said, said
    assert "INSTANCE=" in said
    assert "Traceback" not in said
    assert f"port = {run.port}" in (run.folder / "etc" / "zope.ini").read_text()
    assert run.connection_check()["ok"] is True, "the running one still serves"


def listening(port):
    """A socket listening on ``port`` (the last server there may have left TIME_WAITs)."""
    taken = socket.socket()
    taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    taken.bind(("127.0.0.1", port))
    taken.listen()
    return taken


def test_a_busy_port_is_a_clear_error(run):
    run.stop()
    with listening(run.double_port):
        run.launch()
        assert run.process.wait(timeout=300) != 0
    assert f"Port {run.double_port} on 127.0.0.1 is in use" in run.output()
    assert "DOCS_DOUBLE_PORT=<port> make run" in run.output()
    with listening(run.port):
        run.launch()
        assert run.process.wait(timeout=60) != 0
    assert f"Port {run.port} on 127.0.0.1 is in use, so Plone cannot start" in run.output()


def test_with_onlyoffice_docs_url_that_docs_is_used_and_nothing_else_starts(run):
    run.stop()
    run.start(ONLYOFFICE_DOCS_URL="https://docs.example.com/")
    output = run.output()
    assert "ONLYOFFICE Docs: https://docs.example.com/ (from ONLYOFFICE_DOCS_URL)" in output
    assert "TEST DOUBLE" not in output and "docs-double |" not in output
    assert len(children(run.process.pid)) == 1 and not docs_double_process(run)
    with pytest.raises(requests.ConnectionError):
        requests.get(run.double_url + "healthcheck", timeout=10)
    settings = run.get("++api++/@controlpanels/onlyoffice").json()
    assert settings["data"]["docs_url"] == "https://docs.example.com/"
