"""The double's HTTP server and its Python face, ``DocsDouble``.

Public URL space (what Docs serves):

- ``GET /healthcheck`` → ``true``
- ``GET /web-apps/apps/api/documents/api.js`` → the stand-in editor's api.js
- ``POST /converter`` (JSON) and ``/ConvertService.ashx`` (XML unless ``Accept: application/json``)
- ``POST /command`` and ``/coauthoring/CommandService.ashx``
- ``GET /cache/files/data/<dir>/<file>?md5=…&expires=…`` → results and changes.zip

Private URL space (the stand-in editor's own API, not part of Docs):

- ``GET /`` and ``GET /double/status``: what an administrator sees (HTML / JSON)
- ``GET /double/editor``, ``GET /double/static/<file>``: the editor page in the iframe
- ``POST /double/session/open`` ``{"config": {...}}``
- ``GET /double/session/<key>/state?since=<revision>&connection=<id>`` (long poll, ≤ 10 s)
- ``POST /double/session/<key>/edit|forcesave|close|saveas|copy|link|method``
  ``{"connection": id, ...}``
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from . import tokens
from .cache import PREFIX as CACHE_PREFIX
from .cache import CacheStore
from .callbacks import DEFAULT_TIMEOUT
from .callbacks import CallbackLog
from .callbacks import CallbackSender
from .commands import TOKEN_EXPIRED
from .commands import TOKEN_INVALID
from .commands import CommandService
from .convert import BAD_REQUEST
from .convert import BAD_TOKEN
from .convert import ConversionService
from .download import DownloadError
from .download import shown_url
from .editorconfig import TOKEN_INVALID as EDITOR_TOKEN_INVALID
from .editorconfig import EditorError
from .edits import UneditableFormat
from .faults import Faults
from .references import Link
from .sessions import FORCESAVE_BUTTON
from .sessions import Change
from .sessions import Connection
from .sessions import DoubleError
from .sessions import Session
from .sessions import SessionManager

log = logging.getLogger("onlyoffice_docs_double")

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
API_JS_PATH = "/web-apps/apps/api/documents/api.js"
LONG_POLL_SECONDS = 10.0
#: Seconds after which a stand-in editor page that stopped reaching the double is
#: disconnected: Docs' socket.io pings every 25 s and waits 20 s for the answer
#: (services.CoAuthoring.socketio.connection pingInterval and pingTimeout). A live page
#: long-polls its session's state, so it is heard from at least every LONG_POLL_SECONDS.
DISCONNECT_AFTER = 45.0
MAX_REQUEST_BYTES = 10 * 1024 * 1024
#: How many recent downloads and conversions the status page shows.
SHOWN_ON_STATUS = 50
#: The header that may carry the control routes' access token (or ``?access=``).
ACCESS_HEADER = "X-Double-Access"
CONTROL_REFUSED = (
    "This status page lists live sessions: open it with the access token the double "
    "printed at start (?access=...).\n"
)
# The secret the pytest fixture and the plone.testing layer share with the tests.
# 64 bytes, so PyJWT does not warn about a short HMAC key even for HS512.
DOCS_DOUBLE_SECRET = "docs-double-test-secret-0123456789abcdef0123456789abcdef01234567"  # noqa: S105 - a test secret


class DocsDouble:
    """A protocol-faithful stand-in for ONLYOFFICE Docs 9.x, served on ``host:port``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        secret: str | None = None,
        header: str = "Authorization",
        save_delay: float = 10.0,
        retry_scale: float = 1.0,
        max_download_bytes: int = 100 * 1024 * 1024,
        version: str = "9.1.0.0",
        *,
        cache_expires: float = 15 * 60,
        callback_timeout: float = DEFAULT_TIMEOUT,
        download_timeout: float = 120.0,
        conversion_timeout: float = 120.0,
        soffice: str | bool | None = None,
        public_url: str | None = None,
        access_token: str | None = None,
        disconnect_after: float = DISCONNECT_AFTER,
    ) -> None:
        if not disconnect_after > 0:
            raise ValueError("disconnect_after must be a positive number of seconds")
        self.host = host
        #: Guards the control routes (the status page and its JSON, which list live sessions):
        #: random unless given; send it as ``?access=…`` or the ``X-Double-Access`` header.
        self.access_token = access_token or secrets.token_urlsafe(24)
        self.port = port
        self._secret = secret or None
        self._header = header
        self.version = version
        self.public_url = public_url.rstrip("/") if public_url else None
        self.faults = Faults()
        self.callbacks_sent = CallbackLog()
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.cache = CacheStore(cache_expires)
        self._sender = CallbackSender(
            secret=self._secret,
            header=header,
            faults=self.faults,
            log_=self.callbacks_sent,
            retry_scale=retry_scale,
            timeout=callback_timeout,
        )
        self._sessions = SessionManager(
            secret=self._secret,
            header=header,
            faults=self.faults,
            cache=self.cache,
            sender=self._sender,
            base_url=lambda: self.url,
            version=version,
            save_delay=save_delay,
            max_download_bytes=max_download_bytes,
            download_timeout=download_timeout,
            download_pause=1.0 * retry_scale,
            lock=self._lock,
            changed=self._changed,
            disconnect_after=disconnect_after,
        )
        self._converter = ConversionService(
            fetch=self._sessions.fetch,
            cache=self.cache,
            base_url=lambda: self.url,
            faults=self.faults,
            soffice=soffice,
            timeout=conversion_timeout,
        )
        self._commands = CommandService(self._sessions, version)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    # --- life cycle ---

    def start(self) -> DocsDouble:
        server = _Server((self.host, self.port), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        self._stopping.clear()
        self._watcher = threading.Thread(
            target=self._watch_pages, name="double-pings", daemon=True
        )
        self._watcher.start()
        log.info("ONLYOFFICE Docs test double listening on %s", self.url)
        return self

    def _watch_pages(self) -> None:
        """Docs pings each editor's socket; a page that stops answering is disconnected."""
        interval = max(0.05, min(1.0, self._sessions.disconnect_after / 4))
        while not self._stopping.wait(interval):
            try:
                self._sessions.disconnect_lost()
            except Exception:  # a bad moment for one session must not end the watch
                log.exception("checking the editors' pages failed")

    def stop(self) -> None:
        self._stopping.set()
        if self._watcher is not None:
            # Before the timers go: a page it disconnects now may start a save's timer.
            self._watcher.join()
            self._watcher = None
        self._sessions.cancel_timers()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._converter.close()

    def __enter__(self) -> DocsDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self.public_url:
            return self.public_url
        return f"http://{self.host}:{self.port}"

    @property
    def api_js_url(self) -> str:
        return self.url + API_JS_PATH

    def quiesce(self, timeout: float = 30.0) -> bool:
        """Go quiet, as a Docs shut down would: every session is forgotten unsaved (an
        opening under way makes none), no callback still queued is sent, none is retried, no
        conversion fetches its source any more; wait (up to ``timeout`` seconds for each) for
        the callback being sent and the sources being fetched now. True when nothing more
        will reach a host: a test calls this before its host's database goes, so that nothing
        of its own reaches the host during the next test."""
        self._sessions.drop_all()
        self._sender.drop_queued()
        with self._lock:
            self._changed.notify_all()
        fetched = self._converter.go_quiet(timeout)
        return self._sender.wait_idle(timeout) and fetched

    def reset(self) -> None:
        """Clear faults and all state (sessions, callbacks log, forgotten store, cache)."""
        self.quiesce(timeout=5)
        self.faults.clear()
        with self._lock:
            self._sessions.forgotten_files.clear()
            self._sessions.clipboards.clear()
            self._sessions.downloads.clear()
            self._changed.notify_all()
        self.callbacks_sent.clear()
        self._converter.clear()
        self.cache.clear()

    # --- state tests look at ---

    @property
    def sessions(self) -> dict[str, Session]:
        return self._sessions.sessions

    @property
    def forgotten(self) -> dict[str, str]:
        """The forgotten store: {key: a fresh link to the result}."""
        sessions = self._sessions
        with sessions._lock:
            keys = list(sessions.forgotten_files)
        return {key: url for key in keys if (url := sessions.forgotten_url(key))}

    @property
    def downloads(self) -> list[dict[str, Any]]:
        """Every download attempt of a document or conversion url: url, attempt, headers,
        status, bytes or error."""
        return self._sessions.downloads

    @property
    def conversions(self) -> dict[str, Any]:
        return self._converter.conversions

    @property
    def soffice(self) -> str | None:
        return self._converter.soffice

    @property
    def secret(self) -> str | None:
        """The JWT secret (None: JWT off). Settable between tests."""
        return self._secret

    @secret.setter
    def secret(self, value: str | None) -> None:
        self._secret = value or None
        self._sender.secret = self._secret
        self._sessions.secret = self._secret

    @property
    def header(self) -> str:
        """The JWT header name. Settable between tests."""
        return self._header

    @header.setter
    def header(self, value: str) -> None:
        self._header = value
        self._sender.header = value
        self._sessions.header = value

    @property
    def save_delay(self) -> float:
        return self._sessions.save_delay

    @save_delay.setter
    def save_delay(self, value: float) -> None:
        self._sessions.save_delay = value

    @property
    def retry_scale(self) -> float:
        return self._sender.retry_scale

    @retry_scale.setter
    def retry_scale(self, value: float) -> None:
        self._sender.retry_scale = value
        self._sessions.download_pause = 1.0 * value

    @property
    def max_download_bytes(self) -> int:
        return self._sessions.max_download_bytes

    @max_download_bytes.setter
    def max_download_bytes(self, value: int) -> None:
        self._sessions.max_download_bytes = value

    @property
    def cache_expires(self) -> float:
        return self.cache.expires_seconds

    @cache_expires.setter
    def cache_expires(self, value: float) -> None:
        self.cache.expires_seconds = value

    def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02
    ) -> Any:
        """Wait until ``predicate()`` is truthy and return its value; raise TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            time.sleep(interval)

    def wait_for_callback(self, status: int, key: str | None = None, timeout: float = 10.0) -> Any:
        """Wait for the first callback attempt with ``status`` (for ``key``) and return it."""

        def found() -> Any:
            for attempt in self.callbacks_sent:
                if attempt.status == status and (key is None or attempt.key == key):
                    return attempt
            return None

        return self.wait_for(found, timeout)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no callback is queued or being sent."""
        return self._sender.wait_idle(timeout)

    # --- the editor's actions, without a browser ---

    def open(self, config: dict[str, Any], user_id: str | None = None) -> Session:
        """Open ``config`` as the stand-in editor does (raises EditorError like Docs refuses)."""
        session, _ = self._sessions.open(config, user_id)
        return session

    def connect(self, config: dict[str, Any], user_id: str | None = None) -> Connection:
        """Like open(), returning the new connection (its ``id`` identifies this editor)."""
        _, connection = self._sessions.open(config, user_id)
        return connection

    def edit(self, key: str, user_id: str, text: str | None = None) -> Change:
        """Make a real edit as ``user_id`` (a user id or a connection id)."""
        return self._sessions.edit(key, user_id, text)

    def forcesave(self, key: str, user_id: str, forcesavetype: int = FORCESAVE_BUTTON) -> bool:
        """Press Save (or, with forcesavetype 2, act as the timer). False if nothing changed."""
        return self._sessions.forcesave(key, user_id, forcesavetype)

    def close(self, key: str, user_id: str) -> None:
        """The editor of ``user_id`` (user or connection id) leaves."""
        self._sessions.close(key, user_id)

    def command(self, params: dict[str, Any]) -> dict[str, Any]:
        """Run a command-service request without HTTP or token."""
        return self._commands.handle(params)

    def copy(self, key: str, user_id: str) -> dict[str, Any]:
        """``user_id`` (a user or connection id) copies cell A1 of spreadsheet ``key``."""
        return self._sessions.copy_cell(key, user_id)

    def paste_link(self, key: str, user_id: str, clipboard: dict[str, Any] | None = None) -> Link:
        """*Paste link* in the spreadsheet ``key``: of ``clipboard`` (as a copy from a
        spreadsheet leaves it, ``{referenceData, fileName, sheet, cell}``), or of what
        ``user_id`` copied last."""
        if clipboard is None:
            return self._sessions.add_link(key, user_id, paste=True)
        return self._sessions.add_link(key, user_id, clipboard=clipboard)

    def type_link(self, key: str, user_id: str, path: str) -> Link:
        """A formula ``='[path]Sheet1'!A1`` typed in the spreadsheet ``key``."""
        return self._sessions.add_link(key, user_id, path=path)

    def answer_link(
        self, key: str, user_id: str, link_id: str, data: Any, name: str = "setReferenceData"
    ) -> dict[str, Any]:
        """Hand the editor the page's answer to a link's request (as the page's method call)."""
        return self._sessions.answer_link(key, user_id, link_id, name, data)


# --- HTTP ------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up is normal (closed pages, callers that time out); log the rest.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        log.exception("error while serving %s", client_address)


def _make_handler(double: DocsDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.double = double
    return Handler


class _Handler(BaseHTTPRequestHandler):
    double: DocsDouble
    server_version = "docs-double"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    # --- plumbing ---

    def _send(
        self,
        status: int,
        body: bytes | str,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, payload: Any, status: int = 200) -> None:
        self._send(status, json.dumps(payload), "application/json")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            raise ValueError("request too large")
        return self.rfile.read(length) if length else b""

    def _read_json(self) -> dict[str, Any]:
        raw = self._read_body()
        if not raw:
            return {}
        value = json.loads(raw)
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        return value

    def _control_allowed(self, query: dict[str, str]) -> bool:
        """Does the request carry the access token of the control routes?"""
        given = query.get("access") or self.headers.get(ACCESS_HEADER) or ""
        return hmac.compare_digest(given.encode(), self.double.access_token.encode())

    def _fault(self, endpoint: str) -> bool:
        faults = self.double.faults
        if faults.response_delay:
            time.sleep(faults.response_delay)
        status = faults.endpoint_status.get(endpoint)
        if status:
            self._send(status, f"fault injected: {endpoint} answers {status}")
            return True
        return False

    # --- routing ---

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        query = dict(urllib.parse.parse_qsl(parsed.query))
        try:
            if path == "/healthcheck":
                if not self._fault("healthcheck"):
                    self._send(200, "false" if self.double.faults.unhealthy else "true")
            elif path == API_JS_PATH:
                if not self._fault("api.js"):
                    self._static("api.js", {"{{VERSION}}": self.double.version})
            elif path.startswith(CACHE_PREFIX):
                if not self._fault("cache"):
                    self._cache(path[len(CACHE_PREFIX) :], query)
            elif path in ("/", "/double/status"):
                if self._control_allowed(query):
                    self._status(html=path == "/")
                else:
                    self._send(403, CONTROL_REFUSED)
            elif path == "/double/editor":
                if not self._fault("editor"):
                    self._static("editor.html")
            elif path.startswith("/double/static/"):
                self._static(path[len("/double/static/") :])
            elif path.startswith("/double/session/") and path.endswith("/state"):
                if not self._fault("editor"):
                    key = urllib.parse.unquote(path[len("/double/session/") : -len("/state")])
                    self._state(key, query)
            else:
                self._send(404, "not found")
        except ConnectionError:
            pass  # the client went away (a closed page, a timed-out caller)

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        try:
            if path in ("/converter", "/ConvertService.ashx"):
                if not self._fault("converter"):
                    self._convert(xml=path == "/ConvertService.ashx")
            elif path in ("/command", "/coauthoring/CommandService.ashx"):
                if not self._fault("command"):
                    self._command()
            elif path == "/double/session/open":
                if not self._fault("editor"):
                    self._open()
            elif path.startswith("/double/session/"):
                if not self._fault("editor"):
                    key, _, action = path[len("/double/session/") :].rpartition("/")
                    self._action(urllib.parse.unquote(key), action)
            else:
                self._send(404, "not found")
        except ConnectionError:
            pass  # the client went away (a closed page, a timed-out caller)

    # --- Docs endpoints ---

    def _static(self, name: str, substitutions: dict[str, str] | None = None) -> None:
        types = {".js": "application/javascript", ".html": "text/html", ".css": "text/css"}
        path = os.path.normpath(os.path.join(STATIC_DIR, name))
        if not path.startswith(STATIC_DIR + os.sep) or not os.path.isfile(path):
            self._send(404, "not found")
            return
        with open(path, "rb") as f:
            data = f.read()
        for placeholder, value in (substitutions or {}).items():
            data = data.replace(placeholder.encode(), value.encode())
        ext = os.path.splitext(path)[1]
        self._send(200, data, types.get(ext, "application/octet-stream") + "; charset=utf-8")

    def _cache(self, path: str, query: dict[str, str]) -> None:
        path = urllib.parse.unquote(path)
        status, found = self.double.cache.lookup(
            path, query.get("md5", ""), query.get("expires", "")
        )
        if found is None:
            self._send(status, HTTPStatus(status).phrase)
            return
        data = found.data
        faults = self.double.faults
        if faults.corrupt_result and not path.startswith("conv_"):
            data = b"corrupt result from the test double " * 8
        if faults.result_oversize_bytes and len(data) < faults.result_oversize_bytes:
            data = data + b"\0" * (faults.result_oversize_bytes - len(data))
        filename = query.get("filename") or path.rsplit("/", 1)[-1]
        disposition = "attachment; filename*=UTF-8''" + urllib.parse.quote(filename)
        self._send(200, data, found.content_type, {"Content-Disposition": disposition})

    def _authenticated_params(self) -> tuple[dict[str, Any] | None, bool]:
        """Request params by Docs' token rules; (None, expired) when the token is refused."""
        body = self._read_json()
        try:
            params, _ = tokens.request_params(
                body, self.headers.get(self.double.header), self.double.secret
            )
        except tokens.TokenError as exc:
            return None, exc.expired
        return params, False

    def _convert(self, xml: bool) -> None:
        accept_json = "application/json" in (self.headers.get("Accept") or "")
        as_xml = xml and not accept_json
        try:
            params, _ = self._authenticated_params()
            reply = (
                {"error": BAD_TOKEN} if params is None else self.double._converter.request(params)
            )
        except ValueError:
            reply = {"error": BAD_REQUEST}
        if as_xml:
            self._send(200, _convert_xml(reply), "application/xml; charset=utf-8")
        else:
            self._json(reply)

    def _command(self) -> None:
        try:
            params, expired = self._authenticated_params()
        except ValueError:
            self._json({"error": TOKEN_INVALID})
            return
        if params is None:
            self._json({"error": TOKEN_EXPIRED if expired else TOKEN_INVALID})
            return
        self._json(self.double._commands.handle(params))

    # --- the stand-in editor's private API ---

    def _open(self) -> None:
        try:
            body = self._read_json()
            session, connection = self.double._sessions.open(body.get("config"), None)
            self.double._sessions.seen(session.key, connection.id)
        except EditorError as exc:
            self._json({"error": exc.as_json()})
            return
        except ValueError as exc:
            self._json({"error": {"kind": "config", "errorCode": None, "detail": str(exc)}})
            return
        self._json(
            {
                "connection": connection.id,
                "userId": connection.user_id,
                "userName": connection.user_name,
                "editing": connection.editing,
                "mode": session.request.mode,
                "forcesaveButton": bool(session.request.customization.get("forcesave")),
                "state": _state(session, connection.id, self.double._sessions),
            }
        )

    def _state(self, key: str, query: dict[str, str]) -> None:
        double = self.double
        connection = query.get("connection")
        since = int(query.get("since") or 0)
        deadline = time.monotonic() + LONG_POLL_SECONDS
        double._sessions.seen(key, connection, polling=+1)
        try:
            with double._changed:
                while True:
                    session = double.sessions.get(key)
                    if session is None or session.revision > since:
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    double._changed.wait(remaining)
                payload = (
                    _state(session, connection, double._sessions) if session else {"gone": True}
                )
        finally:
            double._sessions.seen(key, connection, polling=-1)
        self._json(payload)

    def _action(self, key: str, action: str) -> None:
        double = self.double
        try:
            body = self._read_json()
        except ValueError as exc:
            self._json({"ok": False, "error": str(exc)}, 400)
            return
        who = str(body.get("connection") or "")
        double._sessions.seen(key, who)
        session = double.sessions.get(key)
        if session is None or not any(c.id == who for c in session.connections):
            # Only the page that holds a connection acts for it (never by a user's id).
            self._json({"ok": False, "error": "not connected to this session"}, 403)
            return
        try:
            if action == "edit":
                change = double._sessions.edit(key, who, body.get("text"))
                self._json({"ok": True, "text": change.text})
            elif action == "forcesave":
                saved = double._sessions.forcesave(key, who, FORCESAVE_BUTTON)
                self._json({"ok": True, "saved": saved})
            elif action == "close":
                double._sessions.close(key, who)
                self._json({"ok": True})
            elif action == "saveas":
                self._json({"ok": True, "url": double._sessions.snapshot_url(key)})
            elif action == "copy":
                self._json({"ok": True, "clipboard": double._sessions.copy_cell(key, who)})
            elif action == "link":
                link = double._sessions.add_link(
                    key, who, path=body.get("path"), paste=bool(body.get("paste"))
                )
                self._json({"ok": True, "link": link.summary()})
            elif action == "method":
                self._json(self._method(key, who, body))
            else:
                self._send(404, "not found")
        except (DoubleError, UneditableFormat) as exc:
            self._json({"ok": False, "error": str(exc)})

    def _method(self, key: str, who: str, body: dict[str, Any]) -> dict[str, Any]:
        """A docEditor method the page called: check its token, fetch its URLs, record it."""
        double = self.double
        session = double._sessions.get(key)
        name = str(body.get("name") or "")
        data = body.get("data")
        if name in ("setReferenceData", "setReferenceSource"):
            return self._reference_answer(session, key, who, name, data, body.get("link"))
        result: dict[str, Any] = {"ok": True, "name": name, "fetched": []}
        urls = _method_urls(name, data)
        if urls and double.secret:
            token = data.get("token") if isinstance(data, dict) else None
            try:
                if not isinstance(token, str) or not token:
                    raise tokens.TokenError("the method's argument has no token")
                signed = tokens.verify(token, double.secret)
                if name == "setHistoryData" or name in REQUESTED_FILE_TYPES:
                    # Docs reads the URLs (and the version's key and previous, the images,
                    # the fileType) from the token only, never from the plain fields.
                    data = {k: v for k, v in signed.items() if k not in ("iat", "exp", "nbf")}
                    urls = _method_urls(name, data)
            except tokens.TokenError as exc:
                result.update(
                    ok=False,
                    errorCode=EDITOR_TOKEN_INVALID,
                    errorDescription=EditorError(EDITOR_TOKEN_INVALID, "").description,
                    detail=str(exc),
                )
                urls = []
        refused_type = _refused_file_type(name, data) if result["ok"] else None
        if refused_type is not None:
            result.update(ok=False, detail=refused_type)
            urls = []
        for url in urls:
            try:
                body = double._sessions.fetch(url)
                fetched: dict[str, Any] = {"url": url, "bytes": len(body)}
                if name in REQUESTED_FILE_TYPES:
                    # What the editor got: tests compare it with the item's own bytes.
                    fetched["sha256"] = hashlib.sha256(body).hexdigest()
                result["fetched"].append(fetched)
            except DownloadError as exc:
                result["ok"] = False
                result["fetched"].append({"url": url, "error": str(exc)})
        if name == "setHistoryData" and isinstance(data, dict) and result["ok"]:
            result["shown"] = _history_view(session, who, data, double.version)
        with double._lock:
            session.method_calls.append({"connection": who, "name": name, "data": data, **result})
            double._sessions._bump(session)
        return result

    def _reference_answer(
        self, session: Session, key: str, who: str, name: str, data: Any, link: Any
    ) -> dict[str, Any]:
        """An answer to a link's request (see references.py); without a pending request of
        the editor's, Docs has nothing to apply it to."""
        double = self.double
        if link is None:
            record = {"method": name, "ok": False, "ignored": "no request pending"}
        else:
            record = double._sessions.answer_link(key, who, str(link), name, data)
        result = {**record, "name": name, "fetched": []}
        if record.get("bytes") is not None and record.get("source") != "session":
            result["fetched"] = [{"url": record["url"], "bytes": record["bytes"]}]
        with double._lock:
            session.method_calls.append({"connection": who, "name": name, "data": data, **result})
            double._sessions._bump(session)
        return result

    def _status(self, html: bool) -> None:
        double = self.double
        with double._lock:
            status: dict[str, Any] = {
                "product": "ONLYOFFICE Docs test double",
                "version": double.version,
                "url": double.url,
                "jwt": bool(double.secret),
                "header": double.header,
                "libreoffice": double.soffice,
                "sessions": [s.summary() for s in double.sessions.values()],
                "forgotten": dict(double.forgotten),
            }
        callbacks = [
            {
                "key": a.key,
                "status": a.status,
                "url": a.url,
                "attempt": a.attempt,
                "httpStatus": a.http_status,
                "success": a.success,
                "error": a.error,
                "dropped": a.dropped,
            }
            for a in double.callbacks_sent
        ]
        status["callbacks"] = callbacks[-50:]
        with double._lock:
            recent_downloads = list(double.downloads)[-SHOWN_ON_STATUS:]
        downloads = [
            {
                "url": shown_url(d["url"]),
                "attempt": d["attempt"],
                "time": d.get("time"),
                "httpStatus": d.get("status"),
                "bytes": d.get("bytes"),
                "error": None if "bytes" in d else str(d.get("error"))[:200],
            }
            for d in recent_downloads
        ]
        status["downloads"] = downloads
        conversions = list(double.conversions.values())[-SHOWN_ON_STATUS:]
        status["conversions"] = [
            {
                "id": c.id[:120],
                "output": c.output_ext,
                "done": c.done.is_set(),
                "error": c.error,
            }
            for c in conversions
        ]
        if not html:
            self._json(status)
            return
        rows = "".join(
            f"<tr><td>{escape(str(c['key']))}</td><td>{c['status']}</td>"
            f"<td>{escape(str(c['url']))}</td>"
            f"<td>{c['httpStatus']}</td><td>{'ok' if c['success'] else escape(str(c['error']))}"
            "</td></tr>"
            for c in reversed(callbacks[-50:])
        )
        download_rows = "".join(
            f"<tr><td>{escape(_clock(d['time']))}</td><td>{escape(d['url'])}</td>"
            f"<td>{d['attempt']}</td><td>{escape(str(d['httpStatus'] or ''))}</td>"
            f"<td>{d['bytes']} bytes</td></tr>"
            if d["error"] is None
            else f"<tr><td>{escape(_clock(d['time']))}</td><td>{escape(d['url'])}</td>"
            f"<td>{d['attempt']}</td><td>{escape(str(d['httpStatus'] or ''))}</td>"
            f"<td>{escape(d['error'])}</td></tr>"
            for d in reversed(downloads)
        )
        conversion_rows = "".join(
            f"<tr><td>{escape(c['id'])}</td><td>{escape(c['output'])}</td>"
            f"<td>{_conversion_state(c)}</td></tr>"
            for c in reversed(status["conversions"])
        )
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            "<title>ONLYOFFICE Docs test double</title></head><body>"
            "<h1>ONLYOFFICE Docs test double</h1>"
            "<p>This is not ONLYOFFICE Docs: it is a test double that speaks its protocol.</p>"
            f"<p>Docs address for Plone: <code>{escape(double.url)}/</code> &middot; "
            f"version {escape(double.version)} &middot; JWT "
            f"{'on, header ' + escape(double.header) if double.secret else 'off'} &middot; "
            f"LibreOffice {escape(str(double.soffice or 'not installed'))}</p>"
            f"<p>Sessions open: {len(status['sessions'])} &middot; forgotten: "
            f"{len(status['forgotten'])} &middot; <a href='/double/status?access="
            f"{urllib.parse.quote(double.access_token)}'>JSON status</a></p>"
            "<h2>Recent callbacks</h2><table border='1' cellpadding='4'>"
            "<tr><th>key</th><th>status</th><th>callback url</th><th>HTTP</th><th>result</th></tr>"
            f"{rows}</table>"
            "<h2>Recent downloads</h2><p>Every file the double fetched from Plone (documents it"
            " opens, files it converts, the connection check's test file), newest first; the"
            " URLs without their tokens.</p><table border='1' cellpadding='4'>"
            "<tr><th>time (UTC)</th><th>url</th><th>attempt</th><th>HTTP</th><th>result</th></tr>"
            f"{download_rows}</table>"
            "<h2>Recent conversions</h2><table border='1' cellpadding='4'>"
            "<tr><th>conversion</th><th>to</th><th>state</th></tr>"
            f"{conversion_rows}</table></body></html>"
        )
        self._send(200, page, "text/html; charset=utf-8")


def _conversion_state(conversion: dict[str, Any]) -> str:
    if conversion["error"] is not None:
        return f"error {conversion['error']}"
    return "done" if conversion["done"] else "converting"


def _clock(timestamp: float | None) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(timestamp)) if timestamp else ""


def _state(session: Session, connection_id: str | None, manager: SessionManager) -> dict[str, Any]:
    """What an editor page sees of its session: never another connection's id (the id is
    what authorizes a page's edits, as Docs' own connections are authorized)."""
    connection = next((c for c in session.connections if c.id == connection_id), None)
    summary = session.summary()
    summary["connections"] = [
        {**c, "id": c["id"] if connection and c["id"] == connection.id else None}
        for c in summary["connections"]
    ]
    return {
        **summary,
        "you": connection.id if connection else None,
        "dropped": connection is None and connection_id is not None,
        "notices": session.notices,
        "pasteLink": manager.can_paste_link(session, connection_id),
        "methodCalls": [
            {k: v for k, v in call.items() if k != "data"} for call in session.method_calls
        ],
    }


def _history_view(
    session: Session, who: str, data: dict[str, Any], version: str
) -> dict[str, Any]:
    """What Docs shows for a version: the diff only with changesUrl and previous, and when the
    history entry's serverVersion is this build's (as Docs' fillVersionHistoryFromJwt)."""
    entry: dict[str, Any] = {}
    for call in reversed(session.method_calls):
        if call["name"] == "refreshHistory" and call["connection"] == who:
            history = (call.get("data") or {}).get("history") or []
            entry = next((e for e in history if e.get("version") == data.get("version")), {})
            break
    diff = bool(
        data.get("changesUrl")
        and isinstance(data.get("previous"), dict)
        and entry.get("changes")
        and entry.get("serverVersion") == version
    )
    return {"version": data.get("version"), "key": data.get("key"), "diff": diff}


#: The fileType values Docs takes in each answer to a request for content (api.onlyoffice.com
#: usage-api/methods.md: insertImage, setRequestedDocument, setRequestedSpreadsheet).
REQUESTED_FILE_TYPES = {
    "insertImage": ("bmp", "gif", "jpe", "jpeg", "jpg", "png", "tif", "tiff"),
    "setRequestedDocument": (
        "doc",
        "docm",
        "docx",
        "dot",
        "dotm",
        "dotx",
        "epub",
        "fodt",
        "odt",
        "ott",
        "rtf",
        "wps",
    ),
    "setRequestedSpreadsheet": (
        "csv",
        "fods",
        "ods",
        "ots",
        "xls",
        "xlsm",
        "xlsx",
        "xlt",
        "xltm",
        "xltx",
    ),
}


def _refused_file_type(name: str, data: Any) -> str | None:
    """Why the editor refuses an answer to a request for content (None: it takes it)."""
    allowed = REQUESTED_FILE_TYPES.get(name)
    if allowed is None or not isinstance(data, dict):
        return None
    if name == "insertImage" and isinstance(data.get("images"), list):
        types = [i.get("fileType") if isinstance(i, dict) else None for i in data["images"]]
    else:
        types = [data.get("fileType")]
    wrong = [t for t in types if t not in allowed]
    if not types or wrong:
        return f"fileType {wrong[0] if wrong else None!r} is not one the editor takes here"
    return None


def _method_urls(name: str, data: Any) -> list[str]:
    """The URLs Docs would download for a docEditor method call."""
    if not isinstance(data, dict):
        return []
    urls: list[Any] = []
    if name == "setHistoryData":
        urls = [data.get("url"), data.get("changesUrl")]
        previous = data.get("previous")
        if isinstance(previous, dict):
            urls.append(previous.get("url"))
    elif name == "insertImage":
        images = data.get("images")
        if isinstance(images, list):
            urls = [i.get("url") for i in images if isinstance(i, dict)]
        else:
            urls = [data.get("url")]
    elif name in ("setRequestedDocument", "setRequestedSpreadsheet"):
        urls = [data.get("url")]
    elif name == "refreshFile":
        document = data.get("document")
        urls = [document.get("url")] if isinstance(document, dict) else []
    return [u for u in urls if isinstance(u, str) and u]


def _convert_xml(reply: dict[str, Any]) -> str:
    head = '<?xml version="1.0" encoding="utf-8"?>'
    if "error" in reply:
        return f"{head}<FileResult><Error>{reply['error']}</Error></FileResult>"
    file_url = escape(reply.get("fileUrl") or "")
    file_type = escape(reply.get("fileType") or "")
    end = "True" if reply.get("endConvert") else "False"
    return (
        f"{head}<FileResult><FileUrl>{file_url}</FileUrl><FileType>{file_type}</FileType>"
        f"<Percent>{reply.get('percent', 0)}</Percent><EndConvert>{end}</EndConvert></FileResult>"
    )
