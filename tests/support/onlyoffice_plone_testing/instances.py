"""Real processes for the tests that need them and for ``make bench``: a free port, ``make run``'s
script (``scripts/instance.py``) started as a subprocess with its output in a log file, and the
waits until a port is listened on or the site answers.

No pytest here: ``make bench`` imports it (through ``cluster``) outside of pytest.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_instance(env, log_path):
    """``scripts/instance.py`` as ``make run`` starts it, in a session of its own (to stop it
    with its children), its output appended to ``log_path``."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "instance.py")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for_port(port, process, seconds=60):
    """Until something listens on ``port``, as long as ``process`` runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited with {process.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def wait_for_site(url, process, output, seconds):
    """Until ``url`` answers 200, as long as ``process`` runs; ``output()`` (the process's log)
    says why when it stops or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, output()
        # Not listening yet, or a slow first page (templates compiled on first use) on a
        # loaded machine: ask again until the deadline.
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=30).status_code == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"{url} did not answer in time:\n{output()}")
