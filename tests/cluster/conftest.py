"""The scale-out deployment's fixtures: see ``onlyoffice_plone_testing.cluster``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET
from onlyoffice_docs_double import DocsDouble
from onlyoffice_plone_testing.cluster import as_postgres_user
from onlyoffice_plone_testing.cluster import postgres_bin
from onlyoffice_plone_testing.cluster import start_pair
from onlyoffice_plone_testing.cluster import stop
from onlyoffice_plone_testing.cluster import zeo_environment
from onlyoffice_plone_testing.cluster import zeo_server
from onlyoffice_plone_testing.instances import free_port


@pytest.fixture(scope="module")
def double():
    with DocsDouble(
        host="127.0.0.1", port=0, secret=DOCS_DOUBLE_SECRET, save_delay=0.2, retry_scale=0.01
    ) as started:
        yield started


@pytest.fixture(scope="module")
def zeo_cluster(double, tmp_path_factory):
    folder = tmp_path_factory.mktemp("zeo")
    server, port = zeo_server(folder)
    cluster = None
    try:
        cluster = start_pair("zeo", double, folder, zeo_environment(folder, port))
        yield cluster
    finally:
        if cluster is not None:
            cluster.b.stop()
            cluster.a.stop()
        stop(server)


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    folder = tmp_path_factory.mktemp("postgres")
    data = folder / "data"
    if os.geteuid() == 0:
        os.chmod(folder, 0o777)
        for parent in folder.parents:
            if parent == Path("/tmp") or parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o111)
    port = free_port()
    subprocess.run(
        as_postgres_user(
            [postgres_bin("initdb"), "-D", str(data), "-U", "plone", "--auth=trust", "-E", "UTF8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
    subprocess.run(
        as_postgres_user(
            [
                postgres_bin("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(folder / "postgres.log"),
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            as_postgres_user(
                [
                    postgres_bin("createdb"),
                    "-h",
                    str(folder),
                    "-p",
                    str(port),
                    "-U",
                    "plone",
                    "plone",
                ]
            ),
            check=True,
        )
        yield f"dbname=plone user=plone host={folder} port={port}"
    finally:
        subprocess.run(
            as_postgres_user([postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


@pytest.fixture(scope="module")
def relstorage_cluster(double, postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("relstorage")
    (folder / "blobs").mkdir()
    environment = {
        "STORAGE": "relstorage",
        "RELSTORAGE_DSN": postgres,
        "BLOB_DIR": str(folder / "blobs"),
    }
    cluster = None
    try:
        cluster = start_pair("relstorage", double, folder, environment)
        yield cluster
    finally:
        if cluster is not None:
            cluster.b.stop()
            cluster.a.stop()
