"""Scale-out for real, for the cluster tests and ``make bench``: Plone instances started by
``scripts/instance.py`` (as ``make run-cluster`` starts them) on one ZEO server or one
PostgreSQL database (RelStorage), talking to a Docs test double in this process.

Each instance of a pair gives Docs the other's address (``plone_internal_url``): the editor
is opened on one instance and Docs' callbacks and downloads go to the other, as behind a load
balancer. PostgreSQL is Debian's, started as an unprivileged cluster in a temporary directory
(``initdb``/``pg_ctl``; as ``nobody`` when running as root, since PostgreSQL refuses root).
"""

from __future__ import annotations

import base64
import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET
from onlyoffice_docs_double import DocsDouble
from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.instances import free_port
from onlyoffice_plone_testing.instances import start_instance
from onlyoffice_plone_testing.instances import wait_for_port
from onlyoffice_plone_testing.instances import wait_for_site

ADMIN = ("admin", "cluster-admin-password")
EDITOR = ("jane", "jane-password-1234")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stop(process):
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Instance:
    """One Plone instance of the cluster, a subprocess of ``scripts/instance.py``."""

    def __init__(self, folder, environment):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/Plone"
        self.environment = environment
        self.process = None
        self.log_path = folder.parent / f"{folder.name}.log"

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONLYOFFICE_")}
        env.update(self.environment, INSTANCE=str(self.folder), PORT=str(self.port))
        env.update(HOST="127.0.0.1", ADMIN_PASSWORD=ADMIN[1])
        self.process = start_instance(env, self.log_path)
        wait_for_site(self.url, self.process, self.output, seconds=600)
        return self

    def output(self):
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        stop(self.process)


@dataclass
class Cluster:
    name: str
    double: DocsDouble
    a: Instance
    b: Instance

    def auth(self, user=ADMIN):
        token = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}", "Accept": "application/json"}

    def settings(self, instance, **values):
        """Change the add-on's settings (shared by every instance) through the REST API."""
        response = requests.patch(
            f"{instance.url}/++api++/@controlpanels/onlyoffice",
            json=values,
            headers=self.auth(),
            timeout=60,
        )
        assert response.status_code == 204, response.text

    def add_file(self, instance, id_, text):
        response = requests.post(
            f"{instance.url}/++api++/",
            json={
                "@type": "File",
                "id": id_,
                "title": f"{id_}.docx",
                "file": {
                    "data": base64.b64encode(samples.docx(text)).decode(),
                    "encoding": "base64",
                    "filename": f"{id_}.docx",
                    "content-type": DOCX,
                },
            },
            headers=self.auth(),
            timeout=60,
        )
        assert response.status_code == 201, response.text
        return id_

    def config(self, instance, id_, user=EDITOR):
        response = requests.get(
            f"{instance.url}/{id_}/@onlyoffice-config?mode=edit",
            headers=self.auth(user),
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()["config"]

    def text(self, instance, id_):
        response = requests.get(
            f"{instance.url}/{id_}/@@download/file", headers=self.auth(), timeout=60
        )
        assert response.status_code == 200, response.text
        return _docx_text(response.content)

    def versions(self, instance, id_):
        response = requests.get(f"{instance.url}/{id_}/@history", headers=self.auth(), timeout=60)
        assert response.status_code == 200, response.text
        return [entry for entry in response.json() if entry.get("type") == "versioning"]


def _docx_text(data):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def prepare(instance, double, other):
    """Settings through the REST API; a user who edits."""
    auth = Cluster("", double, instance, instance).auth()
    response = requests.patch(
        f"{instance.url}/++api++/@controlpanels/onlyoffice",
        json={
            "docs_url": double.url + "/",
            "jwt_secret": DOCS_DOUBLE_SECRET,
            "plone_internal_url": other.url,
        },
        headers=auth,
        timeout=60,
    )
    assert response.status_code == 204, response.text
    response = requests.post(
        f"{instance.url}/++api++/@users",
        json={
            "username": EDITOR[0],
            "email": "jane@example.com",
            "password": EDITOR[1],
            "roles": ["Site Administrator"],
        },
        headers=auth,
        timeout=60,
    )
    assert response.status_code in (201, 400), response.text


def zeo_server(folder):
    """runzeo on a free port with a FileStorage and blobs in ``folder``: (process, port)."""
    (folder / "blobs").mkdir(exist_ok=True)
    port = free_port()
    conf = folder / "zeo.conf"
    conf.write_text(
        f"<zeo>\n  address 127.0.0.1:{port}\n</zeo>\n"
        f"<filestorage 1>\n  path {folder / 'Data.fs'}\n  blob-dir {folder / 'blobs'}\n"
        "</filestorage>\n"
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("runzeo")), "-C", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(port, server)
    return server, port


def zeo_environment(folder, port):
    # No server-sync: ZEO's default, the case where keys could go stale.
    return {
        "STORAGE": "zeo",
        "ZEO_ADDRESS": f"127.0.0.1:{port}",
        "BLOB_DIR": str(folder / "blobs"),
    }


def start_pair(name, double, folder, environment):
    """Two instances on one database; A's Docs address is B and B's is A."""
    # This double from the start: make run's own test double and samples stay out.
    environment = dict(
        environment,
        ONLYOFFICE_DOCS_URL=double.url + "/",
        ONLYOFFICE_JWT_SECRET=DOCS_DOUBLE_SECRET,
        SAMPLES="0",
    )
    a = Instance(folder / "a", environment)
    b = Instance(folder / "b", environment)
    a.start()
    b.start()
    cluster = Cluster(name, double, a, b)
    prepare(a, double, b)
    return cluster


def postgres_bin(name):
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if isinstance(found, list):
        found = found[-1] if found else None
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is missing: install Debian's postgresql")
    return found


def as_postgres_user(command):
    """Run PostgreSQL's tools as ``nobody`` when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
