"""`make run`'s instance: created once, served, configured from the environment, reused."""

import os
import signal
import socket

import pytest
import requests

from onlyoffice_plone_testing.instances import free_port
from onlyoffice_plone_testing.instances import start_instance
from onlyoffice_plone_testing.instances import wait_for_site


class Instance:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/Plone"
        self.log_path = folder.parent / f"{folder.name}.log"
        self.process = None

    def start(self, **environment):
        env = dict(os.environ, INSTANCE=str(self.folder), HOST="127.0.0.1", PORT=str(self.port))
        for name in list(env):
            if name.startswith("ONLYOFFICE_") or name == "ADMIN_PASSWORD":
                del env[name]
        env.update(environment)
        self.process = start_instance(env, self.log_path)
        wait_for_site(self.url, self.process, self.output, seconds=240)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run") / "instance"
    instance = Instance(folder)
    instance.start(
        ADMIN_PASSWORD="first-password",
        ONLYOFFICE_DOCS_URL="https://docs.example.com/",
        ONLYOFFICE_JWT_SECRET="secret-from-the-environment",
    )
    yield instance
    instance.stop()


@pytest.mark.slow
class TestMakeRun:
    def test_serves_the_site_and_tells_how_to_log_in(self, instance):
        output = instance.output()
        assert f"Plone with ONLYOFFICE is starting on {instance.url}" in output
        assert "log in as admin" in output
        assert "secret-from-the-environment" not in output

    def test_instance_data_lives_under_var(self, instance):
        assert (instance.folder / "var" / "filestorage" / "Data.fs").exists()
        assert (instance.folder / "var" / "blobstorage").is_dir()

    def test_add_on_installed_and_control_panel_reachable(self, instance):
        auth = ("admin", "first-password")
        page = requests.get(f"{instance.url}/@@onlyoffice-controlpanel", auth=auth, timeout=30)
        assert page.status_code == 200
        assert "ONLYOFFICE Configuration" in page.text
        assert "secret-from-the-environment" not in page.text

    def test_environment_written_into_settings(self, instance):
        response = requests.get(
            f"{instance.url}/++api++/@controlpanels/onlyoffice",
            auth=("admin", "first-password"),
            timeout=30,
        )
        body = response.json()
        assert body["data"]["docs_url"] == "https://docs.example.com/"
        assert body["jwt_secret_set"] is True

    def test_second_start_reuses_the_data(self, instance):
        auth = ("admin", "first-password")
        created = requests.post(
            f"{instance.url}/++api++/",
            json={"@type": "Document", "id": "kept", "title": "Kept across restarts"},
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        instance.stop()
        instance.start(ADMIN_PASSWORD="second-password")
        restart = instance.output().split("Press Ctrl+C")[-2]
        assert "Creating the Plone site" not in restart
        # No ONLYOFFICE_DOCS_URL this time: the site keeps its Docs, no test double starts.
        assert "ONLYOFFICE Docs: https://docs.example.com/ (from the site's settings)" in restart
        assert "docs-double |" not in instance.output()
        kept = requests.get(f"{instance.url}/kept", auth=("admin", "second-password"), timeout=30)
        assert kept.status_code == 200
        assert "Kept across restarts" in kept.text
        old = requests.get(f"{instance.url}/@@onlyoffice-controlpanel", auth=auth, timeout=30)
        assert old.status_code in (401, 403) or "__ac_name" in old.text

    def test_request_bodies_over_the_limit_are_refused_before_they_are_read(self, instance):
        # Only the headers are sent: the server must answer from Content-Length alone.
        with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as connection:
            connection.sendall(
                b"POST /Plone/@@onlyoffice-callback HTTP/1.1\r\n"
                b"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {300 * 1024 * 1024}\r\n\r\n".encode()
            )
            reply = connection.recv(4096)
        assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
