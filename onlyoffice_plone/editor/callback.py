"""``<portal>/@@onlyoffice-callback?uid=…&token=…``: what ONLYOFFICE Docs reports about a session.

Public, because Docs has no Plone login: a request is accepted only with Docs' own token
(signed with the JWT secret: without a secret every callback is refused, editing is off)
and the URL token Plone signed for this document and this session key. It then acts with
the rights of the editing user. The document is found by its UID, so a session survives
renames and moves of the item and its folders.

Replies: ``{"error": 0}`` only once the result is committed; otherwise ``{"error": 1}`` with
HTTP 5xx for transient failures (Docs retries, then keeps the file in its forgotten store)
and 4xx for refusals (Docs keeps the file). A document is never lost. After a final refusal
of a save the document is unlocked, so nobody waits a day for the lock to time out.

Anyone can post here, so nothing is read, echoed or logged unbounded: a body over
``MAX_BODY`` is dropped before Plone reads it (``docs.guard``) and refused (413), and never
more than ``MAX_BODY`` bytes are read from the request's body file; callers not yet
authenticated get a short fixed refusal, the reason goes to the log (bounded, and rate
limited per process).
"""

import json
import logging

import transaction
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

from onlyoffice_plone import core
from onlyoffice_plone.docs.fetch import redact_text
from onlyoffice_plone.docs.guard import MAX_BODY
from onlyoffice_plone.docs.guard import MAX_JSON_DEPTH
from onlyoffice_plone.docs.guard import body_too_deep
from onlyoffice_plone.docs.guard import body_too_large
from onlyoffice_plone.docs.guard import declared_length
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.docs.tokens import header_token
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.transactions import committed
from onlyoffice_plone.editor.session import Session
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import RefusalLog
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import clipped
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")
refusals = RefusalLog(logger)


class BodyTooLarge(Exception):
    pass


class BodyTooDeep(Exception):
    pass


def read_body(request, limit=MAX_BODY):
    """The request body, at most ``limit`` bytes; BodyTooLarge when it is longer, BodyTooDeep
    when ``docs.guard`` found its JSON nested too deeply.

    ``docs.guard`` has already dropped a body over the limit before Plone could read it;
    this refuses by the declared Content-Length before reading anything, then reads at most
    ``limit + 1`` bytes from the body file Zope keeps the request's body in (never
    ``request["BODY"]``, which reads all of it into memory).
    """
    refused = body_too_large(request)
    if refused is not None:
        raise BodyTooLarge(f"body of {bounded(refused, 40)} bytes")
    if body_too_deep(request):
        raise BodyTooDeep(f"JSON nested more than {MAX_JSON_DEPTH} deep")
    length = declared_length(request)
    if length is not None and length > limit:
        raise BodyTooLarge(f"Content-Length {length}")
    stream = request.get("BODYFILE")
    if stream is None:
        return b""
    stream.seek(0)
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge(f"more than {limit} bytes")
    return body


def release(portal, obj, key):
    """After a refused final save: free ``obj`` from session ``key`` and retire that key.

    In a transaction of its own. Docs keeps the refused edits under the key, so whoever
    opens the document next must get a new one (see documents.keys.retire_key).
    """

    def work():
        locking.release(documents.get_state(portal, obj), obj, key)
        adapted = office_file(obj)
        if adapted is not None:
            keys.retire_key(portal, obj, adapted, key)

    try:
        committed(work)
    except OnlyofficeError as exc:
        logger.warning("could not unlock %s after a refused save: %s", obj.absolute_url(), exc)


class CallbackView(BrowserView):
    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        if self.request.method != "POST":
            return self._reply(405, "POST only")
        settings = get_settings()
        if not settings.editing_enabled:
            return self._refuse(
                403, "no JWT secret is set: editing is switched off, callbacks are refused"
            )
        if not settings.configured or not settings.docs_origins:
            return self._refuse(403, "ONLYOFFICE Docs is not configured for this site")
        portal = api.portal.get()
        try:
            uid = form_text(self.request, "uid")
            token = form_text(self.request, "token")
        except OnlyofficeError as exc:
            return self._refuse(400, "malformed query", exc.detail)
        self.url_token = token
        try:
            callback = self._parse(settings)
        except BodyTooLarge as exc:
            return self._refuse(413, "request body too large", exc)
        except BodyTooDeep as exc:
            return self._refuse(400, "invalid callback", exc)
        except core.CallbackUrlError as exc:
            self._release_after_refused_url(portal, uid, exc)
            return self._refuse(400, "invalid callback", redact_text(str(exc)))
        except core.TokenError as exc:
            return self._refuse(403, "callback refused", f"ONLYOFFICE Docs' token: {exc}")
        except core.CallbackError as exc:
            return self._refuse(400, "invalid callback", redact_text(str(exc)))
        try:
            self._check_url_token(portal, uid, callback.key)
        except UrlTokenError as exc:
            return self._refuse(403, "callback refused", f"callback URL token: {exc}")
        obj = documents.find(uid)
        if obj is None:
            return self._refuse(404, "the document is no longer in this site")
        try:
            Session(obj, portal, settings, callback).handle()
        except OnlyofficeError as exc:
            transaction.abort()
            logger.warning(
                "callback status %s for %s (key %s) failed: %s",
                callback.status,
                obj.absolute_url(),
                callback.key,
                bounded(str(exc.detail or exc.message)),
            )
            if exc.status < 500 and callback.is_final_save:
                # Final: Docs keeps the file in its forgotten store and will not call again.
                release(portal, obj, callback.key)
            return self._reply(exc.status, str(exc.message))
        except Exception:
            transaction.abort()
            logger.exception(
                "callback status %s for %s (key %s) failed",
                callback.status,
                obj.absolute_url(),
                callback.key,
            )
            return self._reply(500, "internal error while handling the callback")
        return self._reply(200)

    def _parse(self, settings):
        return core.parse_callback(
            read_body(self.request),
            header_token(self.request, settings.jwt_header),
            secret=settings.jwt_secret,
            leeway=settings.jwt_leeway,
            allowed_origins=list(settings.docs_origins),
            max_bytes=MAX_BODY,
        )

    def _check_url_token(self, portal, uid, key):
        check_url_token(portal, self.url_token, "callback", uid, key=key)

    def _release_after_refused_url(self, portal, uid, refusal):
        """A final callback whose result URL is refused is a refused save: unlock.

        ``refusal`` carries the key and status Docs signed; the URL token must name them.
        """
        if not refusal.is_final_save or not refusal.key:
            return
        try:
            self._check_url_token(portal, uid, refusal.key)
        except UrlTokenError:
            return  # not a callback Plone asked for about this document: nothing to release
        obj = documents.find(uid)
        if obj is not None:
            release(portal, obj, refusal.key)

    def _refuse(self, status, message, reason=None):
        """A short fixed ``message`` for the caller; the ``reason`` goes to the log, bounded."""
        refusals.warning(
            "refused a callback for the document %s: %s",
            bounded(self.request.form.get("uid"), 80),
            bounded(str(reason or message)),
        )
        return self._reply(status, message)

    def _reply(self, status, message=None):
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "application/json")
        if status == 200:
            return json.dumps({"error": 0})
        return json.dumps({"error": 1, "message": clipped(message)})
