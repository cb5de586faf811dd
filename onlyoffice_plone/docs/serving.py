"""What every endpoint that hands ONLYOFFICE Docs a file shares: the current file
(``docs.download``), an old version or its changes (``docs.versions``) and an item a user
picked (``docs.content``).

They are public, because Docs has no Plone login, and each answers only to its own URL token
and, with a JWT secret set, to Docs' header token made for that very URL. Anyone can call
them, so a refusal is one short fixed text (400 for a malformed query, 403 or 404 for the
rest) and its reason goes to the log, bounded and rate limited. The file is streamed from the
blob storage, never read into memory, and never cached or indexed.
"""

import logging

from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from Products.Five.browser import BrowserView

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.tokens import check_download_token
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import RefusalLog
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import text_reply
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")
#: One rate-limited log of refusals for all of these endpoints (per process).
refusals = RefusalLog(logger)


def refused(reason, status=403):
    """The one short refusal anyone without a valid URL gets (``reason`` is only logged)."""
    return OnlyofficeError("Refused", _("Download refused."), status, detail=reason)


class DocsFileView(BrowserView):
    """Serve the file :meth:`find_file` names, or the short refusal it raises."""

    #: What the log calls the file refused ("the document", "the picked item", …).
    what = "the document"

    def find_file(self):
        """``(file, filename)`` once the request is authorized; else raise :func:`refused`."""
        raise NotImplementedError

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Robots-Tag", "noindex")
        try:
            file, filename = self.find_file()
        except OnlyofficeError as exc:
            refusals.warning(
                "refused a download of %s %s: %s",
                self.what,
                bounded(self.request.form.get("uid"), 80),
                bounded(exc.detail),
            )
            return text_reply(self.request, exc)
        set_headers(file, response, filename=filename or None)
        return stream_data(file)

    def check_docs_token(self, url_token):
        """With a secret set, Docs' header token must be made for this very URL."""
        try:
            check_download_token(self.request, get_settings(), url_token)
        except core.TokenError as exc:
            raise refused(f"ONLYOFFICE Docs' token was refused: {exc}") from exc
