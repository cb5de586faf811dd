"""The small file ONLYOFFICE Docs downloads from Plone during the connection check."""

from Products.Five.browser import BrowserView
from zope.component.hooks import getSite

from onlyoffice_plone import core
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_download_token
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.settings import get_settings

CHECK_FILE_BODY = b"ONLYOFFICE connection check from Plone.\n"


class CheckFileView(BrowserView):
    """Serve the check file to a request that carries a valid check token.

    Public (Docs has no Plone login), so it answers only to the URL token Plone signed
    and, when a JWT secret is set, to Docs' own header token made for this URL.
    """

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        token = self.request.form.get("token")
        try:
            check_url_token(getSite(), token, "connection-check", "")
        except UrlTokenError:
            return self._refuse(403, "invalid or expired check token")
        try:
            check_download_token(self.request, get_settings(), token)
        except core.TokenError as exc:
            return self._refuse(403, f"ONLYOFFICE Docs' token was refused: {exc}")
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        response.setHeader("Content-Length", str(len(CHECK_FILE_BODY)))
        return CHECK_FILE_BODY

    def _refuse(self, status, reason):
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return reason
