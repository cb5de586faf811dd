"""``<portal>/@@onlyoffice-download?uid=…[&purpose=reference]&token=…``: the file, for
ONLYOFFICE Docs only.

Public, because Docs has no Plone login: it answers only to the URL token Plone signed for
this one document and this one purpose and, with a JWT secret set, to Docs' header token
made for this very URL (Docs signs ``{"payload": {"url": <the URL it fetches>}}``; any other
token signed with the secret, such as the editor config's that every viewer sees, is
refused). The blob is streamed from the blob storage, never read into memory.

The URL names the document by UID (``docs.urls.download_url``, used by the editor and the
conversions alike), so it survives renames and moves; its token is bound to the content key
of the file it was issued for, so once the file is replaced the old URL downloads nothing.
``purpose=reference`` names the other kind of token it takes: the short-lived one of a linked
spreadsheet's source (``docs.urls.reference_url``); the token's own purpose must match.

Anyone can call it: refusals are short and fixed (400 for a malformed query, 403 for
anything else, whether the document exists or not); the reason goes to the log, bounded and
rate limited.
"""

from plone import api

from onlyoffice_plone.docs.serving import DocsFileView
from onlyoffice_plone.docs.serving import refused
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.docs.urls import download_key
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.state import find
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import form_text

#: The URL tokens the endpoint takes, by the ``purpose`` query parameter (none: "download").
PURPOSES = ("download", "reference")


class DownloadView(DocsFileView):
    """``@@onlyoffice-download`` at the site root: the file of the item named by ``uid``."""

    def find_file(self):
        uid = form_text(self.request, "uid")
        token = form_text(self.request, "token")
        purpose = form_text(self.request, "purpose") or "download"
        if purpose not in PURPOSES:
            raise refused(f"no such purpose: {bounded(purpose, 40)}", 400)
        obj = find(uid) if uid else None
        adapted = office_file(obj) if obj is not None else None
        if adapted is None:
            raise refused("no such document, or it holds no file")
        self._authorize(obj, uid, token, purpose)
        return adapted.file, adapted.filename

    def _authorize(self, obj, uid, token, purpose):
        portal = api.portal.get()
        try:
            check_url_token(portal, token, purpose, uid, key=download_key(portal, obj))
        except UrlTokenError as exc:
            raise refused(f"{purpose} token refused: {exc}") from exc
        self.check_docs_token(token)
