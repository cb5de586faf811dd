"""The one way the add-on's REST services read a JSON request body.

``json_object`` reads one JSON object, bounded in size and depth by the guard (else a 413
or 400), every text in it, keys included and at any depth, valid Unicode. JSON may spell a
lone surrogate (``"\\udcff"``), and Python's parser keeps it in the string; nothing can
encode it as UTF-8, so it would fail deep inside a request (a title sent to Docs, a mail
header, the core), after other work was done, as a 500. Refused here, it is a 400 before the
service does anything.
"""

from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError

from onlyoffice_plone import _
from onlyoffice_plone.docs import guard
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import is_text


def all_text_valid(value):
    """Is every string in the JSON value ``value`` (keys too, at any depth) valid UTF-8?"""
    pending = [value]
    while pending:  # no recursion: the guard bounds the depth, this need not trust it
        item = pending.pop()
        if isinstance(item, str):
            if not is_text(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def check_text(data):
    """OnlyofficeError 400 unless every text in ``data`` is valid UTF-8."""
    if not all_text_valid(data):
        raise OnlyofficeError(
            "BadRequest",
            _("The request holds text that is not valid Unicode."),
            400,
            detail=f"a lone surrogate in the JSON body {bounded(data, 120)}",
        )
    return data


def json_object(request, message):
    """The request's JSON body as a dict ({} when there is none), every text in it valid.

    OnlyofficeError: 400 with ``message`` when it is not one JSON object, 400 when a text in
    it is not valid Unicode, 413 or 400 when the guard refused it (too large, too deep).
    """
    guard.check_body(request)
    try:
        data = json_body(request)
    except RecursionError as exc:  # a form's body, which the guard does not count
        raise guard.too_deep_error() from exc
    except DeserializationError as exc:
        raise OnlyofficeError("BadRequest", message, 400, detail=str(exc)) from exc
    return check_text(data)
