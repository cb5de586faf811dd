"""Bounded request bodies for the add-on's views and services, before Plone reads them.

Anyone may post to ``@@onlyoffice-callback`` (and send a body to every other view), and Plone
reads a JSON body before any view runs: plone.restapi's login plugin reads the whole body of
every ``application/json`` request into memory while it authenticates the request. So at the
start of publication (``IPubStart``), before authentication, a request to one of the add-on's
views or services (``ENDPOINTS``, with or without ``@``/``@@``: none takes more than a small
form or JSON object; content is never matched, even an item called ``onlyoffice-…``) whose
body is over ``MAX_BODY`` gets an empty body instead and is marked; the callback answers
413, the others never read a body. The declared Content-Length decides without reading
anything; a body without one is read up to ``MAX_BODY + 1`` bytes, never more.

A body within the limit that nests JSON arrays and objects more than ``MAX_JSON_DEPTH`` deep
is dropped and marked too (the core counts the brackets): Python's ``json`` recurses, and
plone.restapi's login plugin would meet a RecursionError, which nothing catches, while it
authenticates the request (a 500 for anyone who posts ``[[[[…``). UTF-16 and UTF-32 bodies
are counted as the parser will read them. Forms, which that plugin does not parse, are not
looked at here; ``json_object`` answers a form body it cannot parse as JSON (too deep
included) with a 400. The views read bodies through ``json_object`` (the REST services) or
``callback.read_body``, which answer a marked body with a 413 or a 400 that says why.

Only the add-on's own endpoints are guarded: the same body posted as ``application/json``
to another of Plone's paths still meets plone.restapi's plugin unguarded.
"""

import io
import json

from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.errors import OnlyofficeError

#: The largest body the add-on's views accept (1 MiB): Docs' callbacks are a few kilobytes,
#: the forms and REST requests smaller still.
MAX_BODY = 1 << 20
#: The add-on's views and services, as the last step of a path names them (without ``@`` or
#: ``@@``); tests/packaging holds this to the names its ZCML registers.
ENDPOINTS = frozenset(
    {
        "onlyoffice-callback",
        "onlyoffice-changes",
        "onlyoffice-check-file",
        "onlyoffice-config",
        "onlyoffice-connection-check",
        "onlyoffice-content",
        "onlyoffice-controlpanel",
        "onlyoffice-conversion-status",
        "onlyoffice-convert",
        "onlyoffice-create",
        "onlyoffice-download",
        "onlyoffice-download-as",
        "onlyoffice-download-as-file",
        "onlyoffice-edit",
        "onlyoffice-forgotten",
        "onlyoffice-history",
        "onlyoffice-history-data",
        "onlyoffice-insert-image",
        "onlyoffice-lock",
        "onlyoffice-maintenance",
        "onlyoffice-notify",
        "onlyoffice-picker",
        "onlyoffice-reference-data",
        "onlyoffice-reference-open",
        "onlyoffice-rename",
        "onlyoffice-requested-document",
        "onlyoffice-requested-spreadsheet",
        "onlyoffice-restore",
        "onlyoffice-saveas",
        "onlyoffice-status",
        "onlyoffice-unlock",
        "onlyoffice-users",
        "onlyoffice-version",
        "onlyoffice-view",
    }
)
#: The request key that marks a body refused as too large (its declared or read size).
TOO_LARGE = "onlyoffice_plone.body_too_large"
#: Deepest nesting of JSON arrays and objects a body may have: the add-on's own requests
#: nest a few levels; Python's parser fails somewhere under 1000, depending on its stack.
MAX_JSON_DEPTH = 100
#: The request key that marks a body refused as nested too deeply.
TOO_DEEP = "onlyoffice_plone.body_too_deep"
#: Bodies of these types are forms, never parsed as JSON.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def endpoint_of(request):
    """The name of the view the request's path ends with, without ``@`` or ``@@``."""
    path = request.environ.get("PATH_INFO") or ""
    return path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")


def declared_length(request):
    value = request.environ.get("CONTENT_LENGTH") or ""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def bound_body(event):
    """IPubStart: an oversized body to one of the add-on's views is dropped before it is read."""
    request = event.request
    if endpoint_of(request) not in ENDPOINTS:
        return
    length = declared_length(request)
    if length is None or length <= MAX_BODY:
        stream = getattr(request, "stdin", None)
        data = stream.read(MAX_BODY + 1) if stream is not None and length != 0 else b""
        if len(data) <= MAX_BODY:
            if not _too_deep(request, data):
                request.stdin = io.BytesIO(data)
                return
            _mark(request, TOO_DEEP, "1")
        else:
            _mark(request, TOO_LARGE, f"more than {MAX_BODY} bytes")
    else:
        _mark(request, TOO_LARGE, str(length))
    request.stdin = io.BytesIO()
    _mark(request, "CONTENT_LENGTH", "0")


def _mark(request, key, value):
    """Set ``key`` in the request's environment, and in the one Zope builds the request
    from again when it publishes it once more (a conflict's retry: with the empty body)."""
    request.environ[key] = value
    original = getattr(request, "_orig_env", None)
    if isinstance(original, dict):
        original[key] = value


def _too_deep(request, data):
    content_type = (request.environ.get("CONTENT_TYPE") or "").lower()
    if not data or content_type.startswith(FORM_TYPES):
        return False
    return nests_too_deeply(data)


def nests_too_deeply(data):
    """Does JSON text ``data`` (bytes, in any encoding ``json.loads`` reads) nest arrays and
    objects more than MAX_JSON_DEPTH deep?"""
    encoding = json.detect_encoding(data)
    if encoding not in ("utf-8", "utf-8-sig"):
        try:  # UTF-16 or UTF-32: count in the text the parser will see
            data = data.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            return False  # the parser refuses it as it is (a ValueError)
    return core.json_nests_deeper(data, MAX_JSON_DEPTH)


def body_too_large(request):
    """The size of a body ``bound_body`` refused, or None."""
    return request.environ.get(TOO_LARGE)


def body_too_deep(request):
    """Did ``bound_body`` refuse the body as JSON nested too deeply?"""
    return bool(request.environ.get(TOO_DEEP))


def check_body(request):
    """OnlyofficeError 413 or 400 when ``bound_body`` refused the request's body: the view
    must not take the empty body left in its place for one that was sent empty."""
    if body_too_large(request) is not None:
        raise OnlyofficeError("BadRequest", _("The request body is too large."), 413)
    if body_too_deep(request):
        raise _too_deep_error()


def json_object(request, message):
    """The request's JSON body as a dict ({} when there is none).

    OnlyofficeError: 400 with ``message`` when it is not one JSON object, 413 or 400 when
    ``bound_body`` refused it (too large, nested too deeply).
    """
    check_body(request)
    try:
        return json_body(request)
    except RecursionError as exc:  # a form's body, which the guard does not count
        raise _too_deep_error() from exc
    except DeserializationError as exc:
        raise OnlyofficeError("BadRequest", message, 400, detail=str(exc)) from exc


def _too_deep_error():
    return OnlyofficeError("BadRequest", _("The request body nests JSON too deeply."), 400)
