"""``<portal>/@@onlyoffice-download?uid=…&token=…``: the file, for ONLYOFFICE Docs only.

Public, because Docs has no Plone login: it answers only to the URL token Plone signed for
this one document and this one purpose and, with a JWT secret set, to Docs' header token
made for this very URL (Docs signs ``{"payload": {"url": <the URL it fetches>}}``; any other
token signed with the secret, such as the editor config's that every viewer sees, is
refused). The blob is streamed from the blob storage, never read into memory.

The URL names the document by UID (``config.download_url``, used by the editor and the
conversions alike), so it survives renames and moves.
"""

import logging

from plone import api
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.uuid.interfaces import IUUID
from Products.Five.browser import BrowserView

from onlyoffice_plone.docs_auth import DocsTokenRefused
from onlyoffice_plone.docs_auth import check_download_token
from onlyoffice_plone.editor import documents
from onlyoffice_plone.editor.config import office_file
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.url_tokens import UrlTokenError
from onlyoffice_plone.url_tokens import check_url_token

logger = logging.getLogger("onlyoffice_plone")


class Refused(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class DownloadView(BrowserView):
    """The file of a document (``SiteDownloadView`` finds it by UID)."""

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Robots-Tag", "noindex")
        try:
            self._authorize(self._uid())
            adapted = office_file(self._document())
            if adapted is None:
                raise Refused(404, "this item holds no file")
        except Refused as exc:
            return self._refuse(exc.status, exc.reason)
        file = adapted.file
        set_headers(file, response, filename=adapted.filename)
        return stream_data(file)

    def _uid(self):
        return IUUID(self.context)

    def _document(self):
        return self.context

    def _authorize(self, uid):
        token = self.request.form.get("token")
        try:
            check_url_token(api.portal.get(), token, "download", uid)
        except UrlTokenError as exc:
            raise Refused(403, f"download token refused: {exc}") from exc
        try:
            check_download_token(self.request, get_settings(), token)
        except DocsTokenRefused as exc:
            raise Refused(403, str(exc)) from exc

    def _refuse(self, status, reason):
        logger.warning("refused a download of %s: %s", self._where(), reason)
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return reason

    def _where(self):
        return self.context.absolute_url()


class SiteDownloadView(DownloadView):
    """The file of the item named by ``uid``."""

    def _uid(self):
        return self.request.form.get("uid")

    def _document(self):
        obj = documents.find(self._uid())
        if obj is None:
            raise Refused(404, "no such document")
        return obj

    def _where(self):
        return f"the document {self.request.form.get('uid')!r}"
