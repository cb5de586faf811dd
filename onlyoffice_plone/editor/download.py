"""``<item>/@@onlyoffice-download``: the file, for ONLYOFFICE Docs only.

Public, because Docs has no Plone login: it answers only to the URL token Plone signed for
this one document and this one purpose and, with a JWT secret set, to Docs' header token.
The blob is streamed from the blob storage, never read into memory.
"""

import logging

from plone import api
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.uuid.interfaces import IUUID
from Products.Five.browser import BrowserView

from onlyoffice_plone import _core
from onlyoffice_plone.docs_auth import header_token
from onlyoffice_plone.editor.config import office_file
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.url_tokens import UrlTokenError
from onlyoffice_plone.url_tokens import check_url_token

logger = logging.getLogger("onlyoffice_plone")


class DownloadView(BrowserView):
    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Robots-Tag", "noindex")
        try:
            check_url_token(
                api.portal.get(), self.request.form.get("token"), "download", IUUID(self.context)
            )
        except UrlTokenError as exc:
            return self._refuse(403, f"download token refused: {exc}")
        settings = get_settings()
        if settings.jwt_secret:
            header = header_token(self.request, settings.jwt_header)
            try:
                _core.incoming_payload(
                    None, header, settings.jwt_secret, leeway=settings.jwt_leeway
                )
            except _core.TokenError as exc:
                return self._refuse(403, f"ONLYOFFICE Docs' token was refused: {exc}")
        adapted = office_file(self.context)
        if adapted is None:
            return self._refuse(404, "this item holds no file")
        file = adapted.file
        set_headers(file, response, filename=adapted.filename)
        return stream_data(file)

    def _refuse(self, status, reason):
        logger.warning("refused a download of %s: %s", self.context.absolute_url(), reason)
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return reason
