"""The small file ONLYOFFICE Docs downloads from Plone during the connection check."""

import logging

from Products.Five.browser import BrowserView
from zope.component.hooks import getSite

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_download_token
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import RefusalLog
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.errors import text_reply
from onlyoffice_plone.settings import get_settings

CHECK_FILE_BODY = b"ONLYOFFICE connection check from Plone.\n"

logger = logging.getLogger("onlyoffice_plone")
refusals = RefusalLog(logger)


class CheckFileView(BrowserView):
    """Serve the check file to a request that carries a valid check token.

    Public (Docs has no Plone login), so it answers only to the URL token Plone signed
    and, when a JWT secret is set, to Docs' own header token made for this URL. Refusals
    are short and fixed; the reason goes to the log, bounded and rate limited.
    """

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        try:
            token = form_text(self.request, "token")
            self._authorize(token)
        except OnlyofficeError as exc:
            refusals.warning("refused the connection-check file: %s", bounded(exc.detail))
            return text_reply(self.request, exc)
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        response.setHeader("Content-Length", str(len(CHECK_FILE_BODY)))
        return CHECK_FILE_BODY

    def _authorize(self, token):
        try:
            check_url_token(getSite(), token, "connection-check", "")
        except UrlTokenError as exc:
            raise OnlyofficeError(
                "Refused", _("Download refused."), 403, detail=f"check token: {exc}"
            ) from exc
        try:
            check_download_token(self.request, get_settings(), token)
        except core.TokenError as exc:
            raise OnlyofficeError(
                "Refused", _("Download refused."), 403, detail=f"ONLYOFFICE Docs' token: {exc}"
            ) from exc
