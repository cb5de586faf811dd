"""``<portal>/@@onlyoffice-download?uid=…&token=…``: the file, for ONLYOFFICE Docs only.

Public, because Docs has no Plone login: it answers only to the URL token Plone signed for
this one document and this one purpose and, with a JWT secret set, to Docs' header token
made for this very URL (Docs signs ``{"payload": {"url": <the URL it fetches>}}``; any other
token signed with the secret, such as the editor config's that every viewer sees, is
refused). The blob is streamed from the blob storage, never read into memory.

The URL names the document by UID (``docs.urls.download_url``, used by the editor and the
conversions alike), so it survives renames and moves.
"""

import logging

from plone import api
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from Products.Five.browser import BrowserView

from onlyoffice_plone import core
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_download_token
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.state import find
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import text_reply
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")


def refused(status, reason):
    return OnlyofficeError("Refused", reason, status, detail=reason)


class DownloadView(BrowserView):
    """``@@onlyoffice-download`` at the site root: the file of the item named by ``uid``."""

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Robots-Tag", "noindex")
        uid = self.request.form.get("uid")
        try:
            self._authorize(uid)
            obj = find(uid)
            if obj is None:
                raise refused(404, "no such document")
            adapted = office_file(obj)
            if adapted is None:
                raise refused(404, "this item holds no file")
        except OnlyofficeError as exc:
            logger.warning("refused a download of the document %r: %s", uid, exc.detail)
            return text_reply(self.request, exc)
        file = adapted.file
        set_headers(file, response, filename=adapted.filename)
        return stream_data(file)

    def _authorize(self, uid):
        token = self.request.form.get("token")
        try:
            check_url_token(api.portal.get(), token, "download", uid)
        except UrlTokenError as exc:
            raise refused(403, f"download token refused: {exc}") from exc
        try:
            check_download_token(self.request, get_settings(), token)
        except core.TokenError as exc:
            raise refused(403, f"ONLYOFFICE Docs' token was refused: {exc}") from exc
