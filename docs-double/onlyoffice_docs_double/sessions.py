"""Co-editing sessions, one per document key, and the callbacks their life produces.

- An editor joining or leaving while others stay: status 1 (users = current editors, actions).
  Viewers (mode view, or no editing permission) produce no callbacks.
- The last editor leaving: status 4 at once when nobody changed anything, else status 2 after
  ``save_delay`` seconds (cancelled if an editor comes back), with ``notmodified`` true when
  nothing changed since the last force save. With ``faults.save_error``, status 3.
- Force save (Save button, command service, timer): status 6, key unchanged; status 7 with
  ``faults.forcesave_error``. The Save button needs ``customization.forcesave``.
- After a successful status 2 the session's result stays cached under its key: opening the same
  key again shows the saved result without downloading ``document.url`` (as Docs' cache does,
  which is why integrators must change the key after each save). When status 2/3 finally fails,
  the result goes to the forgotten store: the file stays there (whatever the expiry of the
  callback's link) until ``deleteForgotten``; ``getForgotten`` hands out a fresh link to it.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import io
import json
import logging
import secrets
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from . import formats
from . import tokens
from .cache import CacheStore
from .callbacks import CallbackSender
from .download import MAX_DOWNLOADS_KEPT
from .download import DownloadError
from .download import describe_download
from .download import download
from .editorconfig import DOWNLOAD_FAILED
from .editorconfig import EditorError
from .editorconfig import OpenRequest
from .editorconfig import check
from .edits import apply_edit
from .faults import Faults
from .references import Link
from .references import apply_answer
from .references import copied_cell
from .references import paste_link
from .references import typed_link

log = logging.getLogger("onlyoffice_docs_double")

# forcesavetype values
FORCESAVE_COMMAND = 0
FORCESAVE_BUTTON = 1
FORCESAVE_TIMER = 2
# actions[].type values
ACTION_LEFT = 0
ACTION_JOINED = 1
ACTION_FORCESAVE_BUTTON = 2


class DoubleError(Exception):
    """A request the double cannot honour (unknown key, nothing to save, ...)."""


@dataclass
class Connection:
    id: str
    user_id: str
    user_name: str
    editing: bool
    joined: float = field(default_factory=time.time)
    dropped: bool = False
    #: When the stand-in editor's page last reached the double (``time.monotonic``); None
    #: for a connection made through the Python API, which has no page to lose.
    last_seen: float | None = None
    #: Long polls of that page waiting now: an open request is a live page.
    polling: int = 0


@dataclass
class Change:
    user_id: str
    user_name: str
    created: dt.datetime
    text: str


@dataclass
class Session:
    key: str
    request: OpenRequest
    original: bytes
    document: bytes
    state: str = "open"  # open, saving, saved, forgotten
    connections: list[Connection] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    changed_since_forcesave: bool = False
    results: int = 0
    last_url: str | None = None
    last_path: str | None = None
    reopened_from_cache: bool = False
    title: str = ""
    revision: int = 0
    method_calls: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    #: The spreadsheet's external links (see references.py).
    links: list[Link] = field(default_factory=list)
    _save_timer: threading.Timer | None = field(default=None, repr=False)

    @property
    def file_type(self) -> str:
        return self.request.file_type

    @property
    def callback_url(self) -> str | None:
        return self.request.callback_url

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def editors(self) -> list[Connection]:
        return [c for c in self.connections if c.editing]

    @property
    def users(self) -> list[str]:
        """Ids of the users editing now, each once, in joining order."""
        seen: list[str] = []
        for c in self.editors:
            if c.user_id not in seen:
                seen.append(c.user_id)
        return seen

    def summary(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "fileType": self.file_type,
            "documentType": self.request.document_type,
            "state": self.state,
            "revision": self.revision,
            "changes": len(self.changes),
            "reopenedFromCache": self.reopened_from_cache,
            "connections": [
                {"id": c.id, "userId": c.user_id, "name": c.user_name, "editing": c.editing}
                for c in self.connections
            ],
            "links": [link.summary() for link in self.links],
        }


class SessionManager:
    def __init__(
        self,
        *,
        secret: str | None,
        header: str,
        faults: Faults,
        cache: CacheStore,
        sender: CallbackSender,
        base_url: Callable[[], str],
        version: str,
        save_delay: float,
        max_download_bytes: int,
        download_timeout: float,
        download_pause: float,
        lock: threading.RLock,
        changed: threading.Condition,
        disconnect_after: float = 45.0,
    ) -> None:
        self.secret = secret
        self.header = header
        self.faults = faults
        self.cache = cache
        self.sender = sender
        self.base_url = base_url
        self.version = version
        self.save_delay = save_delay
        self.max_download_bytes = max_download_bytes
        self.download_timeout = download_timeout
        self.download_pause = download_pause
        self.disconnect_after = disconnect_after
        self.sessions: dict[str, Session] = {}
        # key -> the cache path of the forgotten result (links to it are signed on request).
        self.forgotten_files: dict[str, str] = {}
        # user id -> what that person last copied in a spreadsheet (the clipboard of the person
        # at the keyboard, whichever editor they copied in; see references.py).
        self.clipboards: dict[str, dict[str, Any]] = {}
        # The most recent download attempts (tests and the status page read them), bounded.
        self.downloads: collections.deque[dict[str, Any]] = collections.deque(
            maxlen=MAX_DOWNLOADS_KEPT
        )
        self._lock = lock
        self._changed = changed
        #: Bumped by drop_all(): an opening under way when the double went quiet makes no
        #: session.
        self._generation = 0

    # --- helpers ---

    def _bump(self, session: Session) -> None:
        session.revision += 1
        self._changed.notify_all()

    def download_headers(self, url: str) -> dict[str, str]:
        if not self.secret or self.faults.omit_tokens:
            return {}
        secret = self.secret
        if self.faults.sign_with_wrong_secret:
            secret = "not-the-" + secret
        payload: dict[str, Any] = {"payload": {"url": url}}
        if self.faults.expired_tokens:
            now = int(time.time())
            token = tokens.sign({**payload, "iat": now - 900, "exp": now - 600}, secret)
        else:
            token = tokens.sign(payload, secret, lifetime=tokens.OUTBOX_LIFETIME_SECONDS)
        return {self.header: tokens.BEARER + token}

    def fetch(self, url: str) -> bytes:
        """Download ``url`` by Docs' rules (raises DownloadError)."""

        def record(entry: dict[str, Any]) -> None:
            with self._lock:
                self.downloads.append(entry)
            log.info("download %s", describe_download(entry))

        return download(
            url,
            headers=self.download_headers(url),
            max_bytes=self.max_download_bytes,
            timeout=self.download_timeout,
            pause=self.download_pause,
            record=record,
        )

    def get(self, key: str) -> Session:
        with self._lock:
            session = self.sessions.get(key)
        if session is None:
            raise DoubleError(f"no session for key {key!r}")
        return session

    def _connection(self, session: Session, who: str) -> Connection:
        """A live connection by connection id, else the latest one of that user id."""
        for c in session.connections:
            if c.id == who:
                return c
        for c in reversed(session.connections):
            if c.user_id == who:
                return c
        raise DoubleError(f"nobody called {who!r} is in session {session.key!r}")

    # --- opening ---

    def open(self, config: Any, user_id: str | None = None) -> tuple[Session, Connection]:
        request = check(config, self.secret)
        if user_id is not None:
            request.user_id = str(user_id)
        with self._lock:
            session = self.sessions.get(request.key)
            needs_download = session is None or session.state == "forgotten"
            generation = self._generation
        data = b""
        if needs_download:
            try:
                data = self.fetch(request.url)
            except DownloadError as exc:
                detail = str(exc)
                raise EditorError(DOWNLOAD_FAILED, detail) from exc
        with self._lock:
            if generation != self._generation:
                raise EditorError(DOWNLOAD_FAILED, "the document server went quiet meanwhile")
            session = self.sessions.get(request.key)
            if session is None or session.state == "forgotten":
                session = Session(key=request.key, request=request, original=data, document=data)
                session.title = request.title
                self.sessions[request.key] = session
            elif session.state == "saved":
                # Docs' cache still holds the saved result under this key.
                session.state = "open"
                session.reopened_from_cache = True
                session.original = session.document
                session.changes = []
                session.changed_since_forcesave = False
            if session._save_timer is not None:
                session._save_timer.cancel()
                session._save_timer = None
                session.state = "open"
            connection = Connection(
                id=secrets.token_urlsafe(16),
                user_id=request.user_id,
                user_name=request.user_name,
                editing=request.editing,
            )
            session.connections.append(connection)
            self._bump(session)
            if connection.editing:
                self._send_status1(session, ACTION_JOINED, connection.user_id)
        log.info("%s joined %s (editing=%s)", connection.user_id, session.key, connection.editing)
        return session, connection

    # --- links between spreadsheets ---

    def copy_cell(self, key: str, who: str) -> dict[str, Any]:
        """``who`` copies a cell of spreadsheet ``key``: their clipboard gets its reference
        data (when its config has some), file name, sheet and cell."""
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who)
            clipboard = copied_cell(session.request.config, session.title)
            self.clipboards[connection.user_id] = clipboard
            for other in self.sessions.values():
                self._bump(other)
            return clipboard

    def can_paste_link(self, session: Session, who: str | None) -> bool:
        """Would Docs offer *Paste link* to connection ``who`` of ``session`` now?"""
        connection = next((c for c in session.connections if c.id == who), None)
        if connection is None or not connection.editing:
            return False
        clipboard = self.clipboards.get(connection.user_id)
        try:
            paste_link(session.request.config, clipboard)
        except ValueError:
            return False
        return True

    def add_link(
        self, key: str, who: str, clipboard: Any = None, path: Any = None, paste: bool = False
    ) -> Link:
        """*Paste link* of ``clipboard`` (``paste``: of ``who``'s own clipboard), or a formula
        typed with ``path`` (editors only)."""
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who)
            if not connection.editing:
                raise DoubleError(f"{connection.user_id} is viewing: no links are made")
            if paste:
                clipboard = self.clipboards.get(connection.user_id)
            try:
                if clipboard is None and not paste:
                    link = typed_link(path)
                else:
                    link = paste_link(session.request.config, clipboard)
            except ValueError as exc:
                raise DoubleError(str(exc)) from exc
            session.links.append(link)
            self._bump(session)
            return link

    def answer_link(
        self, key: str, who: str, link_id: str, name: str, data: Any
    ) -> dict[str, Any]:
        """The page's ``setReferenceData`` / ``setReferenceSource`` for link ``link_id``."""
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who)
            link = next((k for k in session.links if k.id == str(link_id)), None)
        if link is None:
            raise DoubleError(f"no link {link_id!r} in session {key!r}")
        if not connection.editing:
            # Docs' editor acts on these answers in an editing session only.
            return {"method": name, "link": link.id, "ok": False, "ignored": "viewing"}
        record = apply_answer(self, session, link, name, data)
        with self._lock:
            self._bump(session)
        return record

    # --- editing ---

    def edit(self, key: str, who: str, text: str | None = None) -> Change:
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who)
            if not connection.editing:
                raise DoubleError(f"{connection.user_id} is viewing, not editing")
            now = dt.datetime.now(dt.timezone.utc)
            text = text or f"Edited by {connection.user_name} at {now:%Y-%m-%d %H:%M:%S} UTC"
            session.document = apply_edit(session.document, session.file_type, text)
            change = Change(connection.user_id, connection.user_name, now, text)
            session.changes.append(change)
            session.changed_since_forcesave = True
            self._bump(session)
        return change

    def forcesave(
        self, key: str, who: str | None, forcesavetype: int, userdata: str | None = None
    ) -> bool:
        """Send status 6 for the current state. False when nothing changed since the last one."""
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who) if who is not None else None
            if forcesavetype == FORCESAVE_BUTTON and not session.request.customization.get(
                "forcesave"
            ):
                raise DoubleError("the Save button sends no force save without "
                                  "editorConfig.customization.forcesave")  # fmt: skip
            if not session.changed_since_forcesave:
                return False
            session.changed_since_forcesave = False
            url, changes_url = self._store_result(session)
            user_id = connection.user_id if connection else session.changes[-1].user_id
            fields: dict[str, Any] = {
                "key": session.key,
                "status": 7 if self.faults.forcesave_error else 6,
                "url": url,
                "changesurl": changes_url,
                "history": self._history(session),
                "users": [user_id],
                "lastsave": _iso(session.changes[-1].created),
                "forcesavetype": forcesavetype,
                "filetype": session.file_type,
            }
            if forcesavetype == FORCESAVE_BUTTON:
                fields["actions"] = [{"type": ACTION_FORCESAVE_BUTTON, "userid": user_id}]
            if userdata is not None:
                fields["userdata"] = userdata
            self._submit(session, fields)
            self._bump(session)
        return True

    # --- leaving ---

    def close(self, key: str, who: str) -> None:
        session = self.get(key)
        with self._lock:
            connection = self._connection(session, who)
            self._leave(session, connection)
        log.info("%s left %s", connection.user_id, key)

    def _leave(self, session: Session, connection: Connection) -> None:
        session.connections.remove(connection)
        self._bump(session)
        if connection.editing:
            self._after_leave(session, connection.user_id)
        elif not session.connections and not session.changed and session.state == "open":
            # The last viewer of an unchanged document: nothing to save, no callback.
            self.sessions.pop(session.key, None)

    def seen(self, key: str, connection_id: str | None, polling: int = 0) -> None:
        """The page holding connection ``connection_id`` reached the double just now
        (``polling``: +1 as one of its long polls starts waiting, -1 as it ends)."""
        with self._lock:
            session = self.sessions.get(key)
            for c in session.connections if session is not None else ():
                if c.id == connection_id:
                    # A poll's end counts too, though the page may have died during it: so a
                    # page dying then leaves up to one long poll later than in Docs, but a live
                    # one is never dropped in the moment between two of its polls.
                    c.last_seen = time.monotonic()
                    c.polling = max(0, c.polling + polling)

    def disconnect_lost(self) -> list[str]:
        """Disconnect the pages not heard from for ``disconnect_after`` seconds, as Docs does
        when a browser stops answering its socket's pings (the network lost, a machine asleep
        or crashed; Docs sees a killed browser's socket close at once, which the double,
        between two long polls, cannot): each leaves the session as one who closed it, so the
        last editor's leaving saves. Returns the user ids disconnected."""
        limit = time.monotonic() - self.disconnect_after
        lost = []
        with self._lock:
            for session in list(self.sessions.values()):
                for c in list(session.connections):
                    if c.last_seen is not None and c.last_seen < limit and not c.polling:
                        self._leave(session, c)
                        lost.append(c.user_id)
                        log.info("%s lost its connection to %s", c.user_id, session.key)
        return lost

    def drop(self, key: str, user_ids: list[str] | None) -> list[str]:
        """Disconnect users (all when ``user_ids`` is None), as the ``drop`` command does."""
        session = self.get(key)
        with self._lock:
            victims = [c for c in session.connections if user_ids is None or c.user_id in user_ids]
            for c in victims:
                c.dropped = True
                session.connections.remove(c)
                session.notices.append({"type": "drop", "connection": c.id})
                if c.editing:
                    self._after_leave(session, c.user_id)
            self._bump(session)
            return [c.user_id for c in victims]

    def _after_leave(self, session: Session, user_id: str) -> None:
        if session.editors:
            self._send_status1(session, ACTION_LEFT, user_id)
            return
        if not session.changed:
            self._submit(
                session,
                {
                    "key": session.key,
                    "status": 4,
                    "actions": [{"type": ACTION_LEFT, "userid": user_id}],
                },
            )
            if not session.connections:
                self.sessions.pop(session.key, None)
            return
        session.state = "saving"
        timer = threading.Timer(self.save_delay, self._save, args=(session, user_id))
        timer.daemon = True
        session._save_timer = timer
        timer.start()

    def _save(self, session: Session, user_id: str) -> None:
        with self._lock:
            if session._save_timer is None or session.editors:
                return
            session._save_timer = None
            url, changes_url = self._store_result(session)
            path = session.last_path
            status = 3 if self.faults.save_error else 2
            fields = {
                "key": session.key,
                "status": status,
                "url": url,
                "changesurl": changes_url,
                "history": self._history(session),
                "users": [session.changes[-1].user_id],
                "actions": [{"type": ACTION_LEFT, "userid": user_id}],
                "lastsave": _iso(session.changes[-1].created),
                "notmodified": not session.changed_since_forcesave,
                "filetype": session.file_type,
            }

            def done(ok: bool) -> None:
                with self._lock:
                    if session.state != "saving":
                        return
                    if ok:
                        session.state = "saved"
                    else:
                        session.state = "forgotten"
                        self.forgotten_files[session.key] = path
                    self._bump(session)

            self._submit(session, fields, done)

    # --- command service ---

    def info(self, key: str, userdata: str | None) -> None:
        session = self.get(key)
        with self._lock:
            if session.editors:
                fields: dict[str, Any] = {
                    "key": key,
                    "status": 1,
                    "users": session.users,
                    "actions": [],
                }
            else:
                fields = {"key": key, "status": 4}
            if userdata is not None:
                fields["userdata"] = userdata
            self._submit(session, fields)

    def meta(self, key: str, meta: dict[str, Any]) -> None:
        session = self.get(key)
        with self._lock:
            if meta.get("title"):
                session.title = str(meta["title"])
            session.notices.append({"type": "meta", "meta": meta})
            self._bump(session)

    # --- results ---

    def snapshot_url(self, key: str) -> str:
        """A cache link to the document as it is now (what Save as and Download as hand out)."""
        session = self.get(key)
        with self._lock:
            session.results += 1
            ext = session.file_type
            path = self.cache.put(
                f"{key}_{session.results}",
                f"output.{ext}",
                session.document,
                formats.mime_type(ext),
            )
            return self.cache.signed_url(self.base_url(), path, filename=f"{session.title}")

    def _store_result(self, session: Session) -> tuple[str, str]:
        session.results += 1
        directory = f"{session.key}_{session.results}"
        ext = session.file_type
        output = self.cache.put(
            directory, f"output.{ext}", session.document, formats.mime_type(ext)
        )
        changes = self.cache.put(
            directory, "changes.zip", self._changes_zip(session), "application/zip"
        )
        url = self.cache.signed_url(self.base_url(), output, filename=f"output.{ext}")
        changes_url = self.cache.signed_url(self.base_url(), changes, filename="changes.zip")
        session.last_url = url
        session.last_path = output
        return url, changes_url

    def forgotten_url(self, key: str) -> str | None:
        """A fresh link to the forgotten result of ``key`` (None: nothing forgotten)."""
        with self._lock:
            path = self.forgotten_files.get(key)
        if path is None:
            return None
        ext = path.rsplit(".", 1)[-1]
        return self.cache.signed_url(self.base_url(), path, filename=f"output.{ext}")

    def _history(self, session: Session) -> dict[str, Any]:
        sha = hashlib.sha256(session.original).hexdigest()
        return {
            "serverVersion": self.version,
            "changes": [
                {
                    "documentSha256": sha,
                    "created": c.created.strftime("%Y-%m-%d %H:%M:%S"),
                    "user": {"id": c.user_id, "name": c.user_name},
                }
                for c in session.changes
            ],
        }

    def _changes_zip(self, session: Session) -> bytes:
        """A zip like Docs' changes.zip: ``changes.json``, one record per change."""
        records = [
            {
                "docid": session.key,
                "change": json.dumps({"type": "append", "text": c.text}),
                "time": int(c.created.timestamp() * 1000),
                "user": c.user_id + "1",
                "useridoriginal": c.user_id,
            }
            for c in session.changes
        ]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("changes.json", json.dumps(records))
        return out.getvalue()

    # --- callbacks ---

    def _send_status1(self, session: Session, action: int, user_id: str) -> None:
        self._submit(
            session,
            {
                "key": session.key,
                "status": 1,
                "users": session.users,
                "actions": [{"type": action, "userid": user_id}],
            },
        )

    def _submit(
        self,
        session: Session,
        fields: dict[str, Any],
        on_done: Callable[[bool], None] | None = None,
    ) -> None:
        if self.sessions.get(session.key) is not session:
            return  # forgotten when the double went quiet (drop_all): a stopped Docs sends none
        if not session.callback_url and not self.faults.callback_url_override:
            if on_done:
                on_done(False)
            return
        self.sender.submit(session.key, session.callback_url or "", fields, on_done)

    def cancel_timers(self) -> None:
        with self._lock:
            for session in self.sessions.values():
                if session._save_timer is not None:
                    session._save_timer.cancel()
                    session._save_timer = None

    def drop_all(self) -> None:
        """Forget every session, with no save: a save's timer that fires now finds none."""
        with self._lock:
            self.cancel_timers()
            self.sessions.clear()
            self._generation += 1


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )
