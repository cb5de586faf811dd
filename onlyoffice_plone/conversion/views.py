"""Classic UI: the "Convert to Office Open XML" and "Download as" pages, and the file download.

The pages are driven by ``conversion.js`` through the REST services (``rest.py``): the browser
polls, Plone asks Docs one step at a time, so the user sees progress and can cancel.
``@@onlyoffice-download-as-file`` also works on its own (a plain link): it waits for Docs
server-side for at most ``engine.MAX_WAIT`` seconds and streams the result, or answers 202 with
a small page that retries by itself (``Retry-After`` and a meta refresh), so that no viewer
holds one of Plone's worker threads for long. Without JavaScript the convert page's form
posts to the page itself, which runs one bounded step of the conversion.
"""

import contextlib
import logging
import os

from plone import api
from plone.protect.authenticator import check
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Forbidden
from zExceptions import NotFound
from zExceptions import Unauthorized
from ZPublisher.Iterators import filestream_iterator

from onlyoffice_plone import _
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow
from onlyoffice_plone.conversion import rest
from onlyoffice_plone.documents.pages import view_url
from onlyoffice_plone.documents.status import status_of
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")
#: Seconds the "still converting" page waits before it asks again.
RETRY_AFTER = 3


class TemporaryFileIterator(filestream_iterator):
    """Streams a temporary file and removes it: unlinked as soon as it is open (POSIX)."""

    def __init__(self, path):
        super().__init__(path, "rb")
        with contextlib.suppress(OSError):
            os.unlink(path)


class _Page(BrowserView):
    error = None
    notice = None
    earlier_url = None

    @property
    def portal_url(self):
        return api.portal.get().absolute_url()

    @property
    def item_url(self):
        return self.context.absolute_url()

    @property
    def view_url(self):
        """Where "Back to the document" and "Cancel" go: the item's page, not its file."""
        return view_url(self.context, self.request)

    @property
    def csrf_token(self):
        return createToken()

    @property
    def static_url(self):
        return f"{self.portal_url}/++plone++onlyoffice_plone.conversion"


class ConvertView(_Page):
    """``@@onlyoffice-convert``: choose new item or replace, then watch the conversion."""

    index = ViewPageTemplateFile("templates/convert.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.info = flow.conversion_info(self.context)
        if not self.info["output_format"]:
            self.error = engine.ConversionFailed(
                "NothingToConvert",
                _("This document does not need a conversion to be edited."),
                409,
            )
        elif not self.info["configured"]:
            self.error = engine.not_configured()
        elif not self.info["targets"]:
            raise Unauthorized("You may neither add items here nor modify this one.")
        elif self.request.method == "POST" and self.request.form.get("target"):
            return self.convert_without_javascript()
        elif "new" in self.info["targets"]:
            # Said before the user presses Convert, not after: the copy is there already.
            copy, self.notice = flow.earlier_copy(self.context)
            self.earlier_url = view_url(copy, self.request) if copy is not None else None
        return self.index()

    def convert_without_javascript(self):
        """The form posted without JavaScript: one bounded step, then the result or a note."""
        try:
            check(self.request)
        except Forbidden:
            self.notice = _("Your session changed: press “Convert” again.")
            return self.index()
        target = self.request.form.get("target")
        try:
            if not isinstance(target, str):
                raise rest.bad_request(_("Choose to create a new item or to replace the file."))
            state = flow.convert_step(self.context, target, wait=engine.MAX_WAIT)
        except engine.ConversionFailed as failure:
            failure.log("conversion", self.context)
            self.request.response.setStatus(failure.status)
            self.notice = failure.message
            return self.index()
        if state["status"] != "done":
            self.request.response.setStatus(202)
            self.notice = _(
                "ONLYOFFICE Docs is still converting the document. Press “Convert” again in "
                "a moment to continue."
            )
            return self.index()
        if state.get("message"):
            api.portal.show_message(state["message"], request=self.request, type="info")
        self.request.response.redirect(state["edit_url"] or state["view_url"], status=303)
        return ""


#: Formats whose name is not their extension in capitals.
FORMAT_LABELS = {"pdfa": "PDF/A"}


class DownloadAsView(_Page):
    """``@@onlyoffice-download-as``: every format Docs can produce from this file."""

    index = ViewPageTemplateFile("templates/download_as.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        # Each format's link starts a conversion: no crawler is to follow them.
        self.request.response.setHeader("X-Robots-Tag", "noindex, nofollow")
        self.formats = flow.download_formats(self.context)
        if not self.formats:
            raise NotFound("No office document here.")
        if not get_settings().configured:
            self.error = engine.not_configured()
        return self.index()

    def file_url(self, outputtype):
        return f"{self.item_url}/@@onlyoffice-download-as-file?outputtype={outputtype}"

    @staticmethod
    def label(outputtype):
        """A format as people name it: its extension in capitals, but PDF/A for ``pdfa``."""
        return FORMAT_LABELS.get(outputtype, outputtype.upper())


class DownloadAsFileView(_Page):
    """``@@onlyoffice-download-as-file?outputtype=pdf``: the converted file, streamed."""

    error_page = ViewPageTemplateFile("templates/conversion_error.pt")
    pending_page = ViewPageTemplateFile("templates/conversion_pending.pt")
    retry_after = RETRY_AFTER
    retry_url = None

    @property
    def refresh(self):
        return f"{self.retry_after}; url={self.retry_url}"

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("X-Robots-Tag", "noindex, nofollow")
        outputtype = ""
        try:
            outputtype = rest.outputtype_of(self.request.form)
            filename, content_type, download = flow.fetch_for_user(
                self.context, outputtype, wait=engine.MAX_WAIT
            )
        except engine.ConversionFailed as failure:
            response.setStatus(failure.status)
            if failure.kind == "StillConverting":
                self.retry_url = (
                    f"{self.item_url}/@@onlyoffice-download-as-file?outputtype={outputtype}"
                )
                response.setHeader("Retry-After", str(self.retry_after))
                return self.pending_page()
            failure.log(f"download as {outputtype}", self.context)
            self.error = failure
            return self.error_page()
        response.setHeader("Content-Type", content_type)
        response.setHeader("Content-Length", str(download.size))
        response.setHeader("Content-Disposition", engine.attachment_disposition(filename))
        response.setHeader("X-Content-Type-Options", "nosniff")
        return TemporaryFileIterator(download.path)


class ConversionStatus(BrowserView):
    """What the actions' conditions ask: offer Convert / Download as on this item?

    From the item's status, decided once per request (documents/status.py).
    """

    def can_convert(self):
        try:
            classification = status_of(self.context).classification
            return bool(classification and classification.convert_to) and bool(
                flow.allowed_targets(self.context)
            )
        except Exception:  # an action condition must never break a page
            logger.exception("can_convert failed on %s", self.context.absolute_url())
            return False

    def can_download_as(self):
        # The status says None when Docs is not configured: nothing to offer then.
        try:
            classification = status_of(self.context).classification
            return bool(classification and classification.download_as)
        except Exception:
            logger.exception("can_download_as failed on %s", self.context.absolute_url())
            return False
