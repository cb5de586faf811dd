"""The one error base of the add-on, and the one way a reply shows it.

Every refusal or failure a user, a REST client or ONLYOFFICE Docs may see is an
``OnlyofficeError`` carrying a ``kind`` (a stable name for clients), an HTTP ``status`` and a
plain-language ``message`` (a translatable message id). ``detail`` is the technical reason: it
goes to the log only, never into a reply, since it may name internal addresses or signed URLs.

REST services answer ``{"error": {"type": kind, "message": …, "code": …}}`` (``json_reply``);
pages and the endpoints Docs calls answer the message as text (``text_reply``).
"""

from plone import api


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
