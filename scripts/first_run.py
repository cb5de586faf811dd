"""``make run`` without ONLYOFFICE_DOCS_URL: the ONLYOFFICE Docs test double beside Plone.

The double (``python -m onlyoffice_docs_double``, from docs-double/) runs as a child of
``scripts/instance.py``, stopped with Plone. Its JWT secret and its status pages' access token
are random, made at the first start and kept in INSTANCE/onlyoffice-run/ (readable by the
owner only), so restarts keep working with the site's settings; the double reads both from
files, never from its command line (which every user of the machine can see).
"""

import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass

import first_run_samples

SAMPLES_FOLDER = first_run_samples.FOLDER_ID
#: Seconds the double has to answer its healthcheck after it starts.
DOUBLE_START_TIMEOUT = 60
#: Seconds between the last editor leaving and the save (Docs waits about 10).
DOUBLE_SAVE_DELAY = "3"


def prepare_state(instance):
    """INSTANCE/onlyoffice-run with the double's secret and access token (made once)."""
    state = instance / "onlyoffice-run"
    state.mkdir(mode=0o700, exist_ok=True)
    os.chmod(state, 0o700)
    for name in ("double-secret", "double-access"):
        path = state / name
        if not path.exists() or not path.read_text().strip():
            # Created owner-only before the secret is written into it.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as f:
                f.write(secrets.token_urlsafe(32) + "\n")
    return state


def double_url(host, port):
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@dataclass(frozen=True)
class DocsInUse:
    is_double: bool
    url: str
    source: str


def docs_in_use(state, docs_url):
    """Which Docs the site uses after ``instance_setup.py`` ran."""
    if docs_url:
        return DocsInUse(False, docs_url, "ONLYOFFICE_DOCS_URL")
    decision = state / "docs-in-use"
    text = decision.read_text().strip() if decision.exists() else ""
    if text == "double":
        return DocsInUse(True, (state / "double-url").read_text().strip(), "")
    return DocsInUse(False, text, "the site's settings")


def docs_banner(in_use, double):
    if double is not None:
        return (
            f"  ONLYOFFICE Docs: the TEST DOUBLE on {in_use.url}: a stand-in for trying the\n"
            '    add-on, not ONLYOFFICE Docs (its editor adds a line per "Make an edit")\n'
            f"    its status page: {double.status_url}\n"
            "    for ONLYOFFICE Docs itself: ONLYOFFICE_DOCS_URL=… ONLYOFFICE_JWT_SECRET=… "
            "make run\n"
        )
    return f"  ONLYOFFICE Docs: {in_use.url} (from {in_use.source})\n"


def _set_parent_death_signal():
    """Linux: the double gets SIGTERM if this process dies without stopping it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        pass


class DoubleProcess:
    """``python -m onlyoffice_docs_double`` on ``host:port``, its output prefixed."""

    PREFIX = "docs-double | "

    def __init__(self, host, port, state):
        self.host = host
        self.port = port
        self.state = state
        self.url = double_url(host, port)
        access = (state / "double-access").read_text().strip()
        self.status_url = f"{self.url}?access={access}"
        self.process = None

    def start(self):
        command = [
            sys.executable,
            "-m",
            "onlyoffice_docs_double",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--secret-file",
            str(self.state / "double-secret"),
            "--access-file",
            str(self.state / "double-access"),
            "--save-delay",
            DOUBLE_SAVE_DELAY,
            "--brief",
        ]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.pop("JWT_SECRET", None)
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=_set_parent_death_signal if sys.platform == "linux" else None,
        )
        threading.Thread(target=self._forward, daemon=True).start()
        self._wait_until_healthy()

    def _forward(self):
        for line in self.process.stdout:
            sys.stdout.write(self.PREFIX + line.decode("utf-8", "replace"))
            sys.stdout.flush()

    def _wait_until_healthy(self):
        deadline = time.monotonic() + DOUBLE_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(
                    f"The ONLYOFFICE Docs test double did not start (exit "
                    f"{self.process.returncode}): see its output above."
                )
            try:
                with urllib.request.urlopen(self.url + "healthcheck", timeout=5) as reply:  # noqa: S310
                    if reply.read().strip() == b"true":
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.process.terminate()
        sys.exit(f"The ONLYOFFICE Docs test double did not answer on {self.url} in time.")
