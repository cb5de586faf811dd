"""Classic UI: the "Convert to Office Open XML" and "Download as" pages, and the file download.

The pages are driven by ``conversion.js`` through the REST services (``rest.py``): the browser
polls, Plone asks Docs one step at a time, so the user sees progress and can cancel.
``@@onlyoffice-download-as-file`` also works on its own (a plain link): it waits for Docs
server-side (bounded) and streams the result.
"""

import contextlib
import logging
import os

from plone import api
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zExceptions import Unauthorized
from ZPublisher.Iterators import filestream_iterator

from onlyoffice_plone import _
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")


class TemporaryFileIterator(filestream_iterator):
    """Streams a temporary file and removes it: unlinked as soon as it is open (POSIX)."""

    def __init__(self, path):
        super().__init__(path, "rb")
        with contextlib.suppress(OSError):
            os.unlink(path)


class _Page(BrowserView):
    error = None

    @property
    def portal_url(self):
        return api.portal.get().absolute_url()

    @property
    def item_url(self):
        return self.context.absolute_url()

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
        return self.index()


class DownloadAsView(_Page):
    """``@@onlyoffice-download-as``: every format Docs can produce from this file."""

    index = ViewPageTemplateFile("templates/download_as.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.formats = flow.download_formats(self.context)
        if not self.formats:
            raise NotFound("No office document here.")
        if not get_settings().configured:
            self.error = engine.not_configured()
        return self.index()

    def file_url(self, outputtype):
        return f"{self.item_url}/@@onlyoffice-download-as-file?outputtype={outputtype}"


class DownloadAsFileView(_Page):
    """``@@onlyoffice-download-as-file?outputtype=pdf``: the converted file, streamed."""

    error_page = ViewPageTemplateFile("templates/conversion_error.pt")

    def __call__(self):
        outputtype = (self.request.form.get("outputtype") or "").lower()
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        try:
            filename, content_type, download = flow.fetch_for_user(
                self.context, outputtype, wait=engine.MAX_WAIT
            )
        except engine.ConversionFailed as failure:
            logger.info(
                "download as %s of %s failed: %s (%s)",
                outputtype,
                self.context.absolute_url(),
                failure.kind,
                failure.detail,
            )
            self.error = failure
            response.setStatus(failure.status)
            return self.error_page()
        response.setHeader("Content-Type", content_type)
        response.setHeader("Content-Length", str(download.size))
        response.setHeader("Content-Disposition", engine.attachment_disposition(filename))
        response.setHeader("X-Content-Type-Options", "nosniff")
        return TemporaryFileIterator(download.path)


class ConversionStatus(BrowserView):
    """What the actions' conditions ask: offer Convert / Download as on this item?"""

    def can_convert(self):
        try:
            return flow.can_convert(self.context)
        except Exception:  # an action condition must never break a page
            logger.exception("can_convert failed on %s", self.context.absolute_url())
            return False

    def can_download_as(self):
        try:
            return get_settings().configured and bool(flow.download_formats(self.context))
        except Exception:
            logger.exception("can_download_as failed on %s", self.context.absolute_url())
            return False
