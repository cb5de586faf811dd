"""Sending callbacks exactly as Docs does: tokens, header trimming, success rule, retries.

- Body: the callback fields plus a flat ``token`` (HS256, exp = now + 5 min).
- Header: ``<header>: Bearer <jwt of {"payload": fields, iat, exp}>``. When that token would be
  7168 characters or more, ``changesurl`` is dropped and ``history`` set to ``{}`` in the header
  payload *and* the plain JSON fields; only the body token keeps the full data.
- Success is HTTP 200 with a JSON body whose ``error`` is 0. Anything else fails.
- Status 2 and 3 are retried after 1, 2 and 4 s (times ``retry_scale``) on a network error, a
  timeout, HTTP 429 or 5xx; other failures are final. Statuses 1, 4, 6, 7 are never retried.
- Callbacks of one document key go out in order, one at a time, from a worker thread.
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import requests

from . import tokens
from .faults import Faults

log = logging.getLogger("onlyoffice_docs_double")

HEADER_TOKEN_LIMIT = 7168
RETRY_DELAYS = (1.0, 2.0, 4.0)
RETRIED_STATUSES = (2, 3)
DEFAULT_TIMEOUT = 10 * 60.0


@dataclass
class CallbackAttempt:
    """One callback request (or a dropped one), as recorded in ``DocsDouble.callbacks_sent``."""

    key: str
    status: int
    url: str
    body: dict[str, Any]
    headers: dict[str, str]
    attempt: int
    time: float
    fields: dict[str, Any] = field(repr=False)  # the full callback data before any trimming
    http_status: int | None = None
    reply: str | None = None
    error: str | None = None
    success: bool = False
    dropped: bool = False
    trimmed: bool = False
    duration: float | None = None  # seconds until the reply (or the failure)

    @property
    def reply_json(self) -> Any:
        try:
            return json.loads(self.reply or "")
        except ValueError:
            return None


class CallbackLog:
    """A thread-safe, append-only list of CallbackAttempt."""

    def __init__(self) -> None:
        self._items: list[CallbackAttempt] = []
        self._lock = threading.Lock()

    def append(self, item: CallbackAttempt) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[CallbackAttempt]:
        with self._lock:
            return list(self._items)

    def for_key(self, key: str) -> list[CallbackAttempt]:
        return [a for a in self.snapshot() if a.key == key]

    def statuses(self, key: str | None = None) -> list[int]:
        return [a.status for a in self.snapshot() if key is None or a.key == key]

    def __iter__(self) -> Iterator[CallbackAttempt]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> CallbackAttempt:
        with self._lock:
            return self._items[index]


@dataclass
class _Job:
    key: str
    url: str
    fields: dict[str, Any]
    on_done: Callable[[bool], None] | None
    #: The sender's epoch when it was queued: a job of an earlier one was dropped.
    epoch: int = 0


def trim_for_header(fields: dict[str, Any]) -> dict[str, Any]:
    trimmed = {k: v for k, v in fields.items() if k != "changesurl"}
    if "history" in trimmed:
        trimmed["history"] = {}
    return trimmed


class CallbackSender:
    def __init__(
        self,
        *,
        secret: str | None,
        header: str,
        faults: Faults,
        log_: CallbackLog,
        retry_scale: float = 1.0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.secret = secret
        self.header = header
        self.faults = faults
        self.log = log_
        self.retry_scale = retry_scale
        self.timeout = timeout
        self._queues: dict[str, collections.deque[_Job]] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        #: Bumped by drop_queued(): what was queued before is not sent (or retried).
        self._epoch = 0

    # --- queueing ---

    def submit(
        self,
        key: str,
        url: str,
        fields: dict[str, Any],
        on_done: Callable[[bool], None] | None = None,
    ) -> None:
        with self._lock:
            job = _Job(key, url, fields, on_done, self._epoch)
            queue = self._queues.get(key)
            start = queue is None
            if queue is None:
                queue = self._queues[key] = collections.deque()
            queue.append(job)
        if start:
            threading.Thread(target=self._drain, args=(key,), daemon=True).start()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every queued callback has been sent (or given up)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._queues, timeout)

    def drop_queued(self) -> None:
        """Send nothing that is queued, and stop retrying what is being sent: the attempt
        under way finishes (``wait_idle`` waits for it), then nothing more reaches the host."""
        with self._lock:
            self._epoch += 1
            for queue in self._queues.values():
                while len(queue) > 1:  # the first is in a sender's hands
                    queue.pop()

    def _dropped(self, job: _Job) -> bool:
        return job.epoch != self._epoch

    def _drain(self, key: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[key]
                if not queue:
                    del self._queues[key]
                    self._idle.notify_all()
                    return
                job = queue[0]
            try:
                ok = not self._dropped(job) and self._deliver(job)
            except Exception:  # a worker must never die silently
                log.exception("callback for %s failed unexpectedly", key)
                ok = False
            if job.on_done and not self._dropped(job):
                try:
                    job.on_done(ok)
                except Exception:
                    log.exception("callback completion for %s failed", key)
            with self._lock:
                queue.popleft()

    # --- one callback ---

    def _deliver(self, job: _Job) -> bool:
        status = int(job.fields["status"])
        target = self.faults.callback_url_override or job.url
        if self.faults.drop_callbacks or status in self.faults.drop_statuses:
            self.log.append(
                CallbackAttempt(
                    key=job.key,
                    status=status,
                    url=target,
                    body={},
                    headers={},
                    attempt=0,
                    time=time.time(),
                    fields=job.fields,
                    dropped=True,
                )
            )
            log.info("callback status %s for %s dropped (fault)", status, job.key)
            return False
        delays = RETRY_DELAYS if status in RETRIED_STATUSES else ()
        attempt_no = 0
        while True:
            attempt_no += 1
            retryable, ok = self._attempt(job, target, attempt_no)
            if ok:
                return True
            if not retryable or attempt_no > len(delays):
                return False
            time.sleep(delays[attempt_no - 1] * self.retry_scale)
            if self._dropped(job):
                return False

    def build(self, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], bool]:
        """The JSON body and headers for ``fields``, and whether the plain fields were trimmed."""
        headers = {"Content-Type": "application/json"}
        if not self.secret or self.faults.omit_tokens:
            return dict(fields), headers, False
        secret = self.secret
        if self.faults.sign_with_wrong_secret:
            secret = "not-the-" + secret
        body_token = self._sign(dict(fields), secret)
        plain = dict(fields)
        header_token = self._sign({"payload": plain}, secret)
        trimmed = False
        if len(header_token) >= HEADER_TOKEN_LIMIT:
            plain = trim_for_header(fields)
            header_token = self._sign({"payload": plain}, secret)
            trimmed = True
        body = {**plain, "token": body_token}
        headers[self.header] = tokens.BEARER + header_token
        return body, headers, trimmed

    def _sign(self, payload: dict[str, Any], secret: str) -> str:
        if self.faults.expired_tokens:
            now = int(time.time())
            return tokens.sign({**payload, "iat": now - 900, "exp": now - 600}, secret)
        return tokens.sign(payload, secret, lifetime=tokens.OUTBOX_LIFETIME_SECONDS)

    def _attempt(self, job: _Job, target: str, attempt_no: int) -> tuple[bool, bool]:
        """Send once; return (retryable, success)."""
        if self.faults.callback_delay:
            time.sleep(self.faults.callback_delay)
        body, headers, trimmed = self.build(job.fields)
        record = CallbackAttempt(
            key=job.key,
            status=int(job.fields["status"]),
            url=target,
            body=body,
            headers=headers,
            attempt=attempt_no,
            time=time.time(),
            fields=job.fields,
            trimmed=trimmed,
        )
        retryable = False
        try:
            response = requests.post(
                target, data=json.dumps(body), headers=headers, timeout=self.timeout
            )
        except requests.Timeout as exc:
            record.error = f"timeout: {exc}"
            retryable = True
        except requests.RequestException as exc:
            record.error = f"network error: {exc}"
            retryable = True
        else:
            record.http_status = response.status_code
            record.reply = response.text
            reply = record.reply_json
            error = reply.get("error") if isinstance(reply, dict) else None
            if response.status_code == 200 and type(error) is int and error == 0:
                record.success = True
            else:
                record.error = f"HTTP {response.status_code}, reply {record.reply[:200]!r}"
                retryable = response.status_code == 429 or response.status_code >= 500
        record.duration = time.time() - record.time
        self.log.append(record)
        log.info(
            "callback status %s for %s to %s (attempt %s): %s",
            record.status,
            job.key,
            target,
            attempt_no,
            "ok" if record.success else record.error,
        )
        return retryable, record.success
