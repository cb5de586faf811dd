"""The one error base of the add-on, and the one way a reply shows it.

Every refusal or failure a user, a REST client or ONLYOFFICE Docs may see is an
``OnlyofficeError`` carrying a ``kind`` (a stable name for clients), an HTTP ``status`` and a
plain-language ``message`` (a translatable message id). ``detail`` is the technical reason: it
goes to the log only, never into a reply, since it may name internal addresses or signed URLs.

REST services answer ``{"error": {"type": kind, "message": …, "code": …}}`` (``json_reply``);
pages and the endpoints Docs calls answer the message as text (``text_reply``).
"""

import contextlib
import threading
import time

from plone import api
from plone.protect.authenticator import check as check_authenticator
from zExceptions import Forbidden

from onlyoffice_plone import _


class OnlyofficeError(Exception):
    """A refusal or failure with a kind, an HTTP status and a message for people."""

    def __init__(self, kind, message, status=400, *, code=None, detail=""):
        super().__init__(detail or str(message))
        self.kind = kind
        self.message = message
        self.status = status
        #: Docs' own error code, when Docs gave one.
        self.code = code
        self.detail = detail

    def translated(self):
        return str(api.portal.translate(self.message))

    def as_dict(self):
        return {"type": self.kind, "message": self.translated(), "code": self.code}


class DatabaseBusy(OnlyofficeError):
    """ZODB conflicts kept a transaction from committing: a transient failure."""

    def __init__(self, detail):
        super().__init__(
            "DatabaseBusy",
            "the database stayed busy (conflicts); try again",
            503,
            detail=detail,
        )


@contextlib.contextmanager
def bad_request_on(errors, message, *, detail=None):
    """Any of ``errors`` raised in the block becomes a 400 ``BadRequest`` with ``message``.

    For a value the caller sent that the core (or a parser) refuses: the caller learns what to
    send, the log the reason, ``detail`` or else the error's own text (bounded, since it may
    quote what the caller sent).
    """
    try:
        yield
    except errors as exc:
        raise OnlyofficeError(
            "BadRequest",
            message,
            400,
            detail=bounded(str(exc)) if detail is None else detail,
        ) from exc


def json_reply(request, error):
    """Set ``error.status`` on the response; the one JSON error body of every REST service."""
    request.response.setStatus(error.status)
    request.response.setHeader("Cache-Control", "no-store")
    return {"error": error.as_dict()}


def text_reply(request, error):
    """Set ``error.status``; the message as plain text, for pages and Docs' endpoints."""
    response = request.response
    response.setStatus(error.status)
    response.setHeader("Content-Type", "text/plain; charset=utf-8")
    return error.translated()


#: The most characters of a caller's value (a token's header, a query parameter, an error
#: message quoting them) that go into a log line.
LOGGED_CHARS = 200


def bounded(value, limit=LOGGED_CHARS):
    """``value`` as text for a log line: ``repr``-like, at most ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


#: The most characters of a message an endpoint answers a caller with (a refusal that may
#: quote what the caller sent).
REPLIED_CHARS = 300


def clipped(text, limit=REPLIED_CHARS):
    """``text`` cut to ``limit`` characters (with "…"), for a reply: unlike ``bounded`` it
    keeps a translated message readable."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


class RefusalLog:
    """Warnings about refused requests from callers Plone cannot authenticate, rate limited.

    Anyone can send such requests, as fast as they like: at most ``burst`` warnings are
    written per ``window`` seconds and process; the others are counted and reported once,
    as "N more … were not logged", with the first warning after the window ends.
    """

    def __init__(self, logger, burst=20, window=60.0, clock=time.monotonic):
        self.logger = logger
        self.burst = burst
        self.window = window
        self.clock = clock
        self.lock = threading.Lock()
        self.started = None
        self.written = 0
        self.suppressed = 0

    def warning(self, message, *args):
        now = self.clock()
        with self.lock:
            summary = 0
            if self.started is None or now - self.started >= self.window:
                summary, self.suppressed = self.suppressed, 0
                self.started, self.written = now, 0
            if self.written >= self.burst:
                self.suppressed += 1
                return False
            self.written += 1
        if summary:
            self.logger.warning(
                "%d more refused requests were not logged in the last %d seconds",
                summary,
                self.window,
            )
        self.logger.warning(message, *args)
        return True


def is_text(value):
    """Is ``value`` one text that is valid UTF-8 (no lone surrogates, which Zope makes of
    bytes that are not UTF-8 and JSON of ``\\udcff`` escapes)?"""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: The longest search text a user may type (the editor's people and content searches).
MAX_SEARCH = 100


def search_text(text):
    """``text``, a search a user typed, when at most ``MAX_SEARCH`` characters; else a 400."""
    if len(text) > MAX_SEARCH:
        raise OnlyofficeError("BadRequest", _("The search text is too long."), 400)
    return text


def form_text(request, name):
    """The query or form value ``name`` as one text, or None when absent.

    Zope turns ``name=a&name=b``, ``name:list``, ``name:int``, ``name.x:record`` into lists,
    numbers and records, and bytes that are not UTF-8 (``%ff``) into lone surrogates: every
    such value is a malformed request (400), never a traceback.
    """
    value = request.form.get(name)
    if value is None or is_text(value):
        return value
    raise OnlyofficeError(
        "BadRequest",
        _("Malformed request: give “${name}” once, as text.", mapping={"name": name}),
        400,
        detail=f"{name} is not one UTF-8 text but {bounded(value, 60)}",
    )


def checked_csrf(request):
    """plone.protect's check of the request's CSRF token, refused as a 403 the REST services
    answer themselves: Zope would log its Forbidden with a traceback, for every request that
    anyone sends without a token."""
    try:
        check_authenticator(request)
    except Forbidden as exc:
        raise OnlyofficeError(
            "Forbidden",
            _("Send the CSRF token this service's GET gives, as X-CSRF-TOKEN."),
            403,
            detail="no valid CSRF token",
        ) from exc
