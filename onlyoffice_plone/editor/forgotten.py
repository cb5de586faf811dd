"""Managers recover what ONLYOFFICE Docs kept in its forgotten store (see ``recovery``).

- ``GET <site>/@onlyoffice-forgotten``: the forgotten results, each with its document and
  what recovery would do (``new-version``, ``conflict-copy``, ``already-stored``,
  ``unknown-document``).
- ``POST <site>/@onlyoffice-forgotten``: recover all; ``{"key": …}`` recovers one. Answers
  what was stored where.
- ``POST <site>/@onlyoffice-maintenance``: recovery, the lock sweep and the temporary-file
  cleanup at once, for a scheduled job (cron with a Manager's credentials).
- ``@@onlyoffice-forgotten``: the same list as a page, linked from the control panel.

All need Manage portal.
"""

from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import alsoProvides

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs import temporary
from onlyoffice_plone.docs.bodies import json_object
from onlyoffice_plone.docs.guard import check_body
from onlyoffice_plone.documents import indexing
from onlyoffice_plone.editor import recovery
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import json_reply
from onlyoffice_plone.settings import get_settings

#: Bytes a recovery request's JSON body may have.
MAX_BODY = 4096


def _configured_settings():
    settings = get_settings()
    if not settings.configured:
        raise OnlyofficeError(
            "NotConfigured", _("ONLYOFFICE Docs is not configured for this site."), 503
        )
    return settings


def _requested_key(request):
    """The ``key`` of a JSON body ``{"key": …}``, or None for "all"."""
    length = request.get_header("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise OnlyofficeError("BadRequest", _("The request body is too large."), 413)
    check_body(request)
    body = request.get("BODY") or b""
    if len(body) > MAX_BODY:  # a body sent without a length
        raise OnlyofficeError("BadRequest", _("The request body is too large."), 413)
    if not body.strip():
        return None
    data = json_object(request, _("The request body is not JSON."))
    key = data.get("key")
    if key is None and not data:
        return None
    if not isinstance(key, str) or not core.is_valid_key(key):
        raise OnlyofficeError(
            "BadRequest", _("Give the key of one forgotten result, or no body for all."), 400
        )
    return key


class ForgottenGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            settings = _configured_settings()
            return {"items": recovery.forgotten(api.portal.get(), settings)}
        except OnlyofficeError as exc:
            return json_reply(self.request, exc)


class ForgottenPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            key = _requested_key(self.request)
            settings = _configured_settings()
            return {"items": recovery.recover(api.portal.get(), settings, key)}
        except OnlyofficeError as exc:
            return json_reply(self.request, exc)


class MaintenancePost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        self.request.response.setHeader("Cache-Control", "no-store")
        portal = api.portal.get()
        result = {"removed_temporary_files": temporary.clean(portal)}
        # What a crash left unindexed is redone even while Docs is away or not configured.
        with api.env.adopt_roles(["Manager"]):
            result["reindexed"] = indexing.reindex_pending(portal)
        try:
            settings = _configured_settings()
            result.update(recovery.maintain(portal, settings))
        except OnlyofficeError as exc:
            return json_reply(self.request, exc)
        return result


class ForgottenView(BrowserView):
    """The forgotten results as a page, with buttons to recover them."""

    index = ViewPageTemplateFile("templates/forgotten.pt")

    def __call__(self):
        self.items = []
        self.outcomes = []
        self.problem = None
        try:
            settings = _configured_settings()
            portal = api.portal.get()
            if self.request.method == "POST":
                CheckAuthenticator(self.request)
                check_body(self.request)  # a refused form is no request to recover all
                key = self.request.form.get("key") or None
                if key is not None and (not isinstance(key, str) or not core.is_valid_key(key)):
                    raise OnlyofficeError("BadRequest", _("This is not a document key."), 400)
                self.outcomes = recovery.recover(portal, settings, key)
            self.items = recovery.forgotten(portal, settings)
        except OnlyofficeError as exc:
            self.request.response.setStatus(exc.status)
            self.problem = exc.translated()
        return self.index()
