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
looked at here; ``bodies.json_object`` answers a form body it cannot parse as JSON (too deep
included) with a 400. The views read bodies through ``bodies.json_object`` (the REST
services) or ``callback.read_body``, which answer a marked body with a 413 or a 400 that
says why.

Only the add-on's own endpoints are guarded: the same body posted as ``application/json``
to another of Plone's paths still meets plone.restapi's plugin unguarded.

Zope parses a request's query and form after ``IPubStart``, before traversal, and its
converters (``uid:int=x``, ``a:date=…``, ``b.c:record`` beside ``b``) raise there: a 500
whose page echoes the value and whose log holds a traceback, before any view of the add-on
runs. So a request to one of the endpoints that names a converter (a colon in a name, raw or
percent-encoded) is parsed once here, on a copy; if Zope would fail, or the request uses a
method none of the endpoints answers (``OPTIONS``, ``PUT``…, which Zope's traversal turns
into a 500 too), or a ``:method``/``:action`` directive in the query string would take any
path to one of the endpoints (past this guard, which looks at the path), the request is
refused: its query and body are dropped and it is published to ``@@onlyoffice-refused``
beside where it was going, which answers 400 or 405 with a bounded message.
"""

import io
import json
import re
import urllib.parse

from Products.Five.browser import BrowserView
from zExceptions import NotFound
from ZPublisher.HTTPRequest import HTTPRequest
from ZPublisher.HTTPResponse import HTTPResponse

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import json_reply
from onlyoffice_plone.errors import text_reply

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
        "onlyoffice-refused",
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
#: The methods the endpoints answer (HEAD as GET).
METHODS = frozenset({"GET", "HEAD", "POST", "DELETE"})
#: Where a refused request goes, beside the endpoint it asked for.
REFUSED_VIEW = "@@onlyoffice-refused"
#: The request key that says why a request was refused ("input" or "method"), and the name
#: of the parameter (bounded) or the method it was refused for.
REFUSED = "onlyoffice_plone.refused"
REFUSED_NAME = "onlyoffice_plone.refused_name"
#: Zope's converters and directives are written after a colon in a form field's name.
_COLON = re.compile(rb":|%3a", re.I)
#: The directives that append a name to the path Zope traverses.
_DETOURS = ("method", "action", "default_method", "default_action")


def traversed(path):
    """The names of ``path`` as Zope traverses them: empty and ``.`` names dropped, ``..``
    going back one (``BaseRequest.traverse``), so that ``…/@@onlyoffice-callback/.`` is the
    callback too."""
    names = []
    for name in path.split("/"):
        if name in ("", "."):
            continue
        if name == "..":
            if names:
                names.pop()
            continue
        names.append(name)
    return names


def view_name(name):
    """A path name as the view it names: without ``@``, ``@@`` or ``++view++``."""
    if name.startswith("++view++"):
        name = name[len("++view++") :]
    return name.lstrip("@")


def endpoint_of(request):
    """The name of the view the request's path ends with, without ``@`` or ``@@``."""
    names = traversed(request.environ.get("PATH_INFO") or "")
    return view_name(names[-1]) if names else ""


def declared_length(request):
    value = request.environ.get("CONTENT_LENGTH") or ""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def bound_body(event):
    """IPubStart: an oversized body to one of the add-on's views is dropped before it is read;
    a request Zope would fail to parse, or send by a detour or with another method, refused."""
    request = event.request
    environ = request.environ
    if endpoint_of(request) not in ENDPOINTS:
        detour = _detour_to_an_endpoint(environ.get("QUERY_STRING") or "")
        if detour is not None:
            _refuse(request, "input", detour, here=True)
        return
    method = (environ.get("REQUEST_METHOD") or "GET").upper()
    if method not in METHODS:
        if not _cors_preflight(request, method):
            _refuse(request, "method", method)
        return
    length = declared_length(request)
    if length is None or length <= MAX_BODY:
        stream = getattr(request, "stdin", None)
        data = stream.read(MAX_BODY + 1) if stream is not None and length != 0 else b""
        if len(data) <= MAX_BODY:
            if not _too_deep(request, data):
                request.stdin = io.BytesIO(data)
                _refuse_failing_input(request, data)
                return
            _mark(request, TOO_DEEP, "1")
        else:
            _mark(request, TOO_LARGE, f"more than {MAX_BODY} bytes")
    else:
        _mark(request, TOO_LARGE, str(length))
    _drop_body(request)
    _refuse_failing_input(request, b"")  # Zope still parses the query


def _refuse_failing_input(request, data):
    failing = _failing_input(request, data)
    if failing is not None:
        _refuse(request, "input", failing)


def _cors_preflight(request, method):
    """A browser's CORS preflight to one of the REST services (``@name``), which plone.rest
    answers itself: let through."""
    environ = request.environ
    names = traversed(environ.get("PATH_INFO") or "")
    return (
        method == "OPTIONS"
        and bool(names)
        and names[-1].startswith("@")
        and not names[-1].startswith("@@")
        and bool(environ.get("HTTP_ORIGIN"))
        and bool(environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"))
    )


def _drop_body(request):
    request.stdin = io.BytesIO()
    _mark(request, "CONTENT_LENGTH", "0")


#: The bodies Zope parses as a form (``ZopeFieldStorage``), a missing type included.
_ZOPE_FORMS = ("", "application/x-www-form-urlencoded", "application/x-url-encoded")
_MULTIPART = "multipart/form-data"


def _form_kind(request, data):
    """How Zope reads this request's body: "multipart", "urlencoded" or None (not a form)."""
    environ = request.environ
    if (environ.get("REQUEST_METHOD") or "GET").upper() != "POST" or not data:
        return None
    content_type = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
    if content_type == _MULTIPART:
        return "multipart"
    return "urlencoded" if content_type in _ZOPE_FORMS else None


def _failing_input(request, data):
    """The name of a field Zope would fail to convert (bounded), when it would; else None.

    Only a request naming a converter is parsed (on a copy, as Zope will): the callback's
    JSON and the download's plain ``uid``/``token`` never are."""
    query = (request.environ.get("QUERY_STRING") or "").encode("latin-1", "replace")
    form = _form_kind(request, data)
    # Every multipart body has colons (its headers), and Zope may fail on its framing.
    names_converter = bool(_COLON.search(query)) or (
        form == "urlencoded" and bool(_COLON.search(data))
    )
    if not names_converter and form != "multipart":
        return None
    environ = {key: value for key, value in request.environ.items() if isinstance(key, str)}
    body = data if form else b""
    trial = HTTPRequest(io.BytesIO(body), environ, HTTPResponse())
    try:
        trial.processInputs()
    except Exception:  # whatever Zope raises for the caller's input
        return _converted_name(query, body if form == "urlencoded" else b"")
    else:
        # A :method directive (Zope sets the path it makes in ``other``) would take the
        # request on past the endpoint: not ours to take.
        path = request.environ.get("PATH_INFO")
        if trial.other.get("PATH_INFO", path) != path:
            return _converted_name(query, body if form == "urlencoded" else b"")
        return None
    finally:
        trial.clear()  # not close(): that would notify the end of a request


def _converted_name(query, data):
    """The first field name with a colon in the query or the urlencoded body: what to tell
    the caller to send plainly ("?" when none can be named, as in a multipart body)."""
    for source in (query, data):
        for name, _value in urllib.parse.parse_qsl(
            source.decode("latin-1"), keep_blank_values=True
        ):
            if ":" in name:
                return bounded(name.split(":", 1)[0] or name, 60)
    return "?"


def _detour_to_an_endpoint(query):
    """The ``:method``/``:action`` field of a query string that would take the request to
    one of the endpoints, or None."""
    if ":" not in query and "%3a" not in query.lower():
        return None
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        base, *modifiers = name.split(":")
        if not any(modifier in _DETOURS for modifier in modifiers):
            continue
        for target in (base, value):  # Zope takes the name, else the value
            names = traversed(target)
            if names and view_name(names[-1]) in ENDPOINTS:
                return bounded(base or name, 60)
    return None


def _refuse(request, why, name, here=False):
    """Publish the request to ``@@onlyoffice-refused`` (beside the endpoint it asked for, or
    ``here``: at its own path), without its query or body, as a GET."""
    names = traversed(request.environ.get("PATH_INFO") or "")
    parent = "/".join(["", *(names if here else names[:-1])])
    _mark(request, REFUSED, why)
    _mark(request, REFUSED_NAME, name)
    _mark(request, "PATH_INFO", f"{parent}/{REFUSED_VIEW}")
    _mark(request, "REQUEST_METHOD", "GET")
    _mark(request, "QUERY_STRING", "")
    request.other["method"] = "GET"
    _drop_body(request)


class RefusedView(BrowserView):
    """``@@onlyoffice-refused``: the answer to a request the guard refused (400, 405)."""

    def __call__(self):
        environ = self.request.environ
        why = environ.get(REFUSED)
        if why == "method":
            self.request.response.setHeader("Allow", ", ".join(sorted(METHODS)))
            error = OnlyofficeError(
                "MethodNotAllowed", _("This address does not answer that method."), 405
            )
        elif why == "input":
            name = environ.get(REFUSED_NAME) or "?"
            error = OnlyofficeError(
                "BadRequest",
                _("Malformed request: give “${name}” once, as text.", mapping={"name": name}),
                400,
            )
        else:  # asked for by name: nothing was refused
            raise NotFound(REFUSED_VIEW)
        self.request.response.setHeader("Cache-Control", "no-store")
        accept = (self.request.getHeader("Accept") or "").lower()
        if "application/json" in accept:
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps(json_reply(self.request, error))
        return text_reply(self.request, error)


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
        raise too_deep_error()


def too_deep_error():
    return OnlyofficeError("BadRequest", _("The request body nests JSON too deeply."), 400)
