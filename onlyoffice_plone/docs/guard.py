"""Bounded request bodies for the add-on's views and services, before Plone reads them.

Anyone may post to ``@@onlyoffice-callback`` (and send a body to every other view), and Plone
reads a JSON body before any view runs: plone.restapi's login plugin reads the whole body of
every ``application/json`` request into memory while it authenticates the request. So at the
start of publication (``IPubStart``), before authentication, a request to one of the add-on's
views or services (``onlyoffice-…``, ``@@onlyoffice-…``, ``@onlyoffice-…``: none takes more
than a small form or JSON object) whose body is over ``MAX_BODY`` gets an empty body instead
and is marked; the callback answers 413, the others never read a body. The declared
Content-Length decides without reading anything; a body without one is read up to
``MAX_BODY + 1`` bytes, never more.
"""

import io

#: The largest body the add-on's views accept (1 MiB): Docs' callbacks are a few kilobytes,
#: the forms and REST requests smaller still.
MAX_BODY = 1 << 20
#: The names of the add-on's views and services start so (after their ``@`` or ``@@``).
PREFIX = "onlyoffice-"
#: The request key that marks a body refused as too large (its declared or read size).
TOO_LARGE = "onlyoffice_plone.body_too_large"


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
    if not endpoint_of(request).startswith(PREFIX):
        return
    length = declared_length(request)
    if length is not None and length <= MAX_BODY:
        return
    if length is None:
        stream = getattr(request, "stdin", None)
        data = stream.read(MAX_BODY + 1) if stream is not None else b""
        if len(data) <= MAX_BODY:
            request.stdin = io.BytesIO(data)
            return
        length = f"more than {MAX_BODY} bytes"
    request.stdin = io.BytesIO()
    request.environ["CONTENT_LENGTH"] = "0"
    request.other[TOO_LARGE] = length


def body_too_large(request):
    """The size of a body ``bound_body`` refused, or None."""
    return request.other.get(TOO_LARGE)
