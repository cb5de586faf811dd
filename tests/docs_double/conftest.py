"""Fixtures for the Docs test double's own tests.

``integrator`` is a small real HTTP server on loopback that plays the integrator's part (Plone's
download and callback endpoints): it serves documents and records every request it gets.
``editor_pages`` serves the integrator's editor pages (api.js, a config, the events it declares)
for the tests in Chromium, opens them and reads what their events recorded.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET
from onlyoffice_docs_double import DocsDouble
from onlyoffice_docs_double import samples
from onlyoffice_docs_double.testing.fixtures import docs_double  # noqa: F401 - a fixture
from onlyoffice_docs_double.testing.fixtures import docs_double_factory  # noqa: F401 - a fixture
from onlyoffice_plone_testing.fixtures import browser  # noqa: F401 - a fixture
from onlyoffice_plone_testing.fixtures import page  # noqa: F401 - a fixture

SECRET = DOCS_DOUBLE_SECRET


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    time: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Integrator:
    """What the integrator serves and how it answers; everything it received."""

    url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    file_statuses: dict[str, list[int]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    callback_replies: list[tuple[int, str]] = field(default_factory=list)
    default_reply: tuple[int, str] = (200, '{"error":0}')
    callback_sleep: float = 0.0
    file_sleep: float = 0.0
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def file_url(self, name: str) -> str:
        return f"{self.url}/files/{name}"

    @property
    def callback_url(self) -> str:
        return f"{self.url}/callback"

    def callbacks(self) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path.startswith("/callback")]

    def downloads(self, name: str | None = None) -> list[Received]:
        prefix = f"/files/{name}" if name else "/files/"
        with self.lock:
            return [r for r in self.requests if r.path.startswith(prefix)]

    def add(self, name: str, data: bytes | None = None) -> str:
        ext = name.rsplit(".", 1)[-1]
        self.files[name] = data if data is not None else samples.sample(ext, "Original text")
        return self.file_url(name)

    def config(
        self, name: str, key: str, user: str = "u1", *, secret: str | None = SECRET, **extra: Any
    ) -> dict[str, Any]:
        """An editor config for ``name`` (added when missing), signed when given a secret."""
        if name not in self.files:
            self.add(name)
        ext = name.rsplit(".", 1)[-1]
        config: dict[str, Any] = {
            "document": {
                "fileType": ext,
                "key": key,
                "title": name,
                "url": self.file_url(name),
                "permissions": {"edit": True, "download": True},
            },
            "editorConfig": {
                "callbackUrl": self.callback_url,
                "mode": "edit",
                "user": {"id": user, "name": f"User {user}"},
                "customization": {"forcesave": True},
            },
        }
        for path, value in extra.items():
            target = config
            parts = path.split("__")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
        if secret:
            import jwt

            config["token"] = jwt.encode(config, secret, algorithm="HS256")
        return config


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler(integrator: Integrator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _record(self, body: bytes = b"") -> None:
            with integrator.lock:
                integrator.requests.append(
                    Received(self.command, self.path, dict(self.headers), body, time.time())
                )

        def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._record()
            path = self.path.split("?")[0]
            if path.startswith("/files/"):
                name = path[len("/files/") :]
                if integrator.file_sleep:
                    time.sleep(integrator.file_sleep)
                statuses = integrator.file_statuses.get(name)
                if statuses:
                    status = statuses.pop(0)
                    if status not in (200, 206):
                        self._send(status, b"refused")
                        return
                    self._send(status, integrator.files.get(name, b""))
                    return
                if name in integrator.files:
                    self._send(200, integrator.files[name], "application/octet-stream")
                    return
            if path.startswith("/pages/") and path[len("/pages/") :] in integrator.pages:
                html = integrator.pages[path[len("/pages/") :]].encode()
                self._send(200, html, "text/html; charset=utf-8")
                return
            self._send(404, b"not found")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            self._record(body)
            if integrator.callback_sleep:
                time.sleep(integrator.callback_sleep)
            with integrator.lock:
                reply = (
                    integrator.callback_replies.pop(0)
                    if integrator.callback_replies
                    else integrator.default_reply
                )
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(reply[0], reply[1].encode(), "application/json")

    return Handler


@pytest.fixture
def integrator_factory() -> Iterator[Callable[[], Integrator]]:
    servers: list[ThreadingHTTPServer] = []

    def start() -> Integrator:
        integrator = Integrator()
        server = _QuietServer(("127.0.0.1", 0), _handler(integrator))
        integrator.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(server)
        return integrator

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def integrator(integrator_factory: Callable[[], Integrator]) -> Integrator:
    return integrator_factory()


@pytest.fixture
def double(docs_double: DocsDouble) -> DocsDouble:  # noqa: F811 - the imported fixture
    return docs_double


#: An integrator's editor page: each event of ``events`` records its data in ``window.__events``;
#: ``script`` (which sees ``config``) may add handlers of its own before the editor is made.
EDITOR_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Integrator page</title>
<script src="{api}"></script></head>
<body><div id="placeholder"></div>
<script>
window.__events = [];
const config = {config};
config.events = {{}};
for (const name of {events}) {{
  config.events[name] = (e) => window.__events.push({{name: name, data: e && e.data}});
}}
{script}
window.docEditor = new DocsAPI.DocEditor("placeholder", config);
</script></body></html>
"""


@dataclass
class EditorPages:
    """Editor pages the integrator serves with the double's api.js; what they recorded."""

    double: DocsDouble
    integrator: Integrator

    def serve(
        self,
        config: dict[str, Any],
        name: str = "editor.html",
        events: Iterable[str] = (),
        script: str = "",
    ) -> str:
        """The URL of a tab that opens ``config`` (600 px high), declaring ``events``."""
        self.integrator.pages[name] = EDITOR_PAGE.format(
            api=self.double.api_js_url,
            config=json.dumps({**config, "height": "600px"}),
            events=json.dumps(list(events)),
            script=script,
        )
        return f"{self.integrator.url}/pages/{name}"

    @staticmethod
    def frame(tab: Any) -> Any:
        """The stand-in editor's frame in ``tab``."""
        return tab.frame_locator("iframe[name=frameEditor]")

    def open(self, tab: Any, url: str) -> Any:
        """``url`` in ``tab`` (a Playwright page); the editor's frame once it is ready."""
        from playwright.sync_api import expect

        tab.goto(url)
        editor = self.frame(tab)
        expect(editor.locator("body")).to_have_attribute("data-state", "ready")
        return editor

    @staticmethod
    def fired(tab: Any) -> list[str]:
        """The names of the events the tab recorded, in order."""
        return [e["name"] for e in tab.evaluate("window.__events")]

    @staticmethod
    def data_of(tab: Any, name: str) -> list[Any]:
        """The data of each ``name`` event the tab recorded."""
        return [e.get("data") for e in tab.evaluate("window.__events") if e["name"] == name]

    @staticmethod
    def wait_for_event(tab: Any, name: str) -> None:
        """Events cross the frame by postMessage, after the frame's own DOM has changed."""
        tab.wait_for_function("(name) => window.__events.some(e => e.name === name)", arg=name)


@pytest.fixture
def editor_pages(double: DocsDouble, integrator: Integrator) -> EditorPages:
    return EditorPages(double, integrator)
