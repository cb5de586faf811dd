"""One conversion through ONLYOFFICE Docs' conversion API, in short steps.

Plone never converts anything itself: it asks Docs (``POST <docs>/converter``, asynchronous)
and repeats the identical request to poll, as Docs' protocol says. Every decision about the
protocol (the request, its token, the reply, the formats) comes from the core; this module
does the I/O around it:

- the source URL Docs downloads the file from is the editor's ``@@onlyoffice-download``
  endpoint with a short-lived URL token, rewritten by ``Settings.url_for_docs``;
- the conversion key is derived (by the core) from the document key and the output type, so
  the same file converted to the same format is the same Docs job, whoever asks and however
  often;
- every call has a timeout, never follows redirects and honours ``verify_tls``;
- the result URL is accepted only on a Docs origin and is downloaded in chunks into a
  temporary file, with the size limit enforced while reading (never into memory);
- every failure becomes a ``ConversionFailed`` with a plain-language message and an HTTP
  status, never an unhandled error.
"""

import contextlib
import logging
import threading
import time
import urllib.parse
from dataclasses import dataclass

import requests
from plone import api

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs import fetch
from onlyoffice_plone.docs.fetch import redact
from onlyoffice_plone.docs.fetch import redact_text
from onlyoffice_plone.docs.urls import download_url
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import content_key
from onlyoffice_plone.documents.storing import temporary_directory
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds for one request to the conversion service. Requests are
#: asynchronous: Docs answers at once, the work goes on between polls.
TIMEOUT = (5, 30)
#: Lifetime (seconds) of the URL Docs downloads the source from: Docs fetches it when the
#: job starts, right after our first request.
SOURCE_LIFETIME = 15 * 60
#: Upper bound of a wait inside one HTTP request (REST ``wait``, "Download as" links): a
#: user never holds one of Plone's few worker threads for longer; clients poll again.
#: Anonymous users never wait (``flow``): their requests each make one short step.
MAX_WAIT = 15
#: How many requests of this Plone process may talk to Docs' conversion service at once (a
#: step or a wait). A request that finds them all busy does not queue: it answers "still
#: converting, ask again" at once, so conversions never hold more than this many of Plone's
#: worker threads, however many visitors ask.
MAX_DOCS_CALLS = 2
_docs_calls = threading.BoundedSemaphore(MAX_DOCS_CALLS)


@dataclass(frozen=True)
class NotAsked:
    """The result of a step that found no free slot: not sent to Docs, poll again."""

    end_convert: bool = False
    percent: int = 0
    file_url: str | None = None
    file_type: str | None = None


@contextlib.contextmanager
def docs_slot():
    """One of the ``MAX_DOCS_CALLS`` slots (True), or False at once when all are taken."""
    acquired = _docs_calls.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            _docs_calls.release()


class ConversionFailed(OnlyofficeError):
    """A conversion could not be done; ``message`` says why in plain words.

    ``kind`` names the family (for REST clients), ``code`` is Docs' error code when Docs gave
    one, ``status`` the HTTP status to answer with, ``detail`` the technical reason: for the
    log only (``log``), never in a reply, since it may name internal addresses or signed URLs.
    """

    def __init__(self, kind, message, status=502, code=None, detail=""):
        super().__init__(kind, message, status, code=code, detail=detail)

    def log(self, what, obj):
        """Log this failure (the technical detail, with signed queries removed)."""
        logger.info(
            "%s of %s failed: %s %s (%s)",
            what,
            redact(obj.absolute_url()),
            self.kind,
            self.code if self.code is not None else "",
            redact_text(str(self.detail or "")),
        )


#: What people read when Docs answers a conversion with an error, by the kind the core
#: gives the code (``core.conversion_failure``).
DOCS_FAILURES = {
    "Timeout": _("ONLYOFFICE Docs took too long to convert this file. Try again later."),
    "DownloadFailed": _(
        "ONLYOFFICE Docs could not download the file from Plone. An administrator "
        "should check Plone's address for ONLYOFFICE Docs in the ONLYOFFICE settings."
    ),
    "PasswordProtected": _(
        "This file is protected by a password (or DRM), so it cannot be converted. "
        "Remove the protection in an office application and upload it again."
    ),
    "TooLarge": _("This file is larger than ONLYOFFICE Docs accepts for conversion."),
    "TokenRefused": _(
        "ONLYOFFICE Docs refused Plone's request: the secret key or the clocks of "
        "the two servers differ. An administrator should check the ONLYOFFICE settings."
    ),
    "BadRequest": _("ONLYOFFICE Docs cannot produce this format from this file."),
    "ConversionError": _(
        "ONLYOFFICE Docs could not convert this file. It may be damaged, or in a form "
        "the converter cannot read."
    ),
}


def _docs_failure(code, detail):
    """The ConversionFailed for Docs' error ``code``: one plain message per kind."""
    kind, status = core.conversion_failure(code)
    message = DOCS_FAILURES.get(kind, DOCS_FAILURES["ConversionError"])
    return ConversionFailed(kind, message, status, code, detail)


def still_converting():
    """The result is not there yet, or no slot is free to ask for it: ask again (202)."""
    return ConversionFailed(
        "StillConverting",
        _("ONLYOFFICE Docs is still converting the document. Try again in a moment."),
        202,
        None,
        "still converting",
    )


def unreachable(detail):
    return ConversionFailed(
        "DocsUnreachable",
        _(
            "ONLYOFFICE Docs cannot be reached right now. Try again later, or ask an "
            "administrator to check the ONLYOFFICE settings."
        ),
        503,
        None,
        detail,
    )


def not_configured():
    return ConversionFailed(
        "NotConfigured",
        _("ONLYOFFICE Docs is not configured for this site."),
        503,
        None,
        "no Docs address in the settings",
    )


def attachment_disposition(filename):
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    fallback = filename.encode("ascii", "replace").decode("ascii")
    fallback = "".join(c if c.isprintable() and c not in '"\\;%/' else "_" for c in fallback)
    fallback = fallback.replace("?", "_") or "download"
    quoted = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


@dataclass
class Job:
    """A conversion of one item's file to one output type, as the current user asks it."""

    obj: object
    adapted: object
    classification: object
    outputtype: str
    key: str
    settings: object

    @property
    def source_filename(self):
        return self.adapted.filename or self.obj.getId()

    @property
    def result_filename(self):
        """The name of the result (before Docs says its type)."""
        return self.result_filename_for(None)

    def result_filename_for(self, result):
        """The name of the finished ``result``: the one place that names a result."""
        filetype = getattr(result, "file_type", None) or self.outputtype
        return core.result_filename(self.source_filename, filetype)

    def request(self):
        source = download_url(self.obj, SOURCE_LIFETIME, self.settings)
        return core.conversion_request(
            self.settings.server_docs_url,
            key=self.key,
            filetype=self.classification.extension,
            outputtype=self.outputtype,
            url=source,
            title=self.source_filename,
            async_=True,
            secret=self.settings.jwt_secret or None,
            header=self.settings.jwt_header,
        )

    def step(self, http=None):
        """Send the conversion request once; the ConversionResult (poll again until done).

        ``NotAsked`` when ``MAX_DOCS_CALLS`` requests are talking to Docs already."""
        with docs_slot() as free:
            return self._step(http) if free else NotAsked()

    def _step(self, http=None):
        http = http or requests
        request = self.request()
        try:
            response = http.post(
                request.url,
                data=request.body,
                headers=request.headers,
                timeout=TIMEOUT,
                verify=self.settings.verify_tls,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise unreachable(f"{request.url}: {exc}") from exc
        if response.status_code != 200:
            if response.status_code in (401, 403):
                raise _docs_failure(-8, f"HTTP {response.status_code} from {request.url}")
            raise unreachable(f"{request.url} answered HTTP {response.status_code}")
        try:
            return core.parse_conversion_response(
                response.content, response.headers.get("Content-Type")
            )
        except core.DocsError as exc:
            logger.info(
                "conversion %s of %s failed: %s %s",
                self.key,
                redact(self.obj.absolute_url()),
                exc.code,
                redact_text(str(exc.message)),
            )
            raise _docs_failure(exc.code, exc.message) from exc
        except core.CoreError as exc:
            raise unreachable(f"{request.url} did not answer like ONLYOFFICE Docs: {exc}") from exc

    def wait(self, seconds, http=None, interval=0.5):
        """Poll up to ``seconds``; the last ConversionResult (done or not)."""
        deadline = time.monotonic() + min(max(seconds, 0), MAX_WAIT)
        with docs_slot() as free:
            if not free:
                return NotAsked()
            while True:
                result = self._step(http)
                if result.end_convert or time.monotonic() >= deadline:
                    return result
                time.sleep(interval)

    def fetch(self, result, directory=None, http=None):
        """Download the finished result into a temporary file: a ``fetch.Download``.

        Takes one of the ``MAX_DOCS_CALLS`` slots for the download (which may take minutes
        from a slow Docs): ConversionFailed ``StillConverting`` (202, ask again) at once
        when they are all taken."""
        with docs_slot() as free:
            if not free:
                raise still_converting()
            return self._fetch(result, directory, http)

    def _fetch(self, result, directory=None, http=None):
        # Docs builds the URL on its public address; Plone may reach it by another one.
        url = result.file_url or ""
        try:
            url = self.settings.addresses.docs_url_for_plone(url)
        except core.InvalidUrlError as exc:
            logger.warning(
                "refused conversion result URL %r: %s", redact(url), redact_text(str(exc))
            )
            raise ConversionFailed(
                "BadResultUrl",
                _("ONLYOFFICE Docs returned a result Plone does not accept."),
                502,
                None,
                f"result URL refused: {exc}",
            ) from exc
        directory = directory or temporary_directory(self.obj)
        try:
            return fetch.download(
                url, self.settings, directory, self.settings.max_file_size, http=http
            )
        except fetch.FetchError as exc:
            if exc.status == 413:
                raise ConversionFailed(
                    "TooLarge",
                    _("The converted file is larger than this site accepts."),
                    413,
                    None,
                    exc.message,
                ) from exc
            raise unreachable(exc.message) from exc


def prepare(obj, outputtype=None, settings=None):
    """A Job for ``obj`` (to ``outputtype``, default: the OOXML format the core says).

    Raises ConversionFailed (404/409/422) when there is nothing to convert this way.
    """
    settings = settings or get_settings()
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    if classification is None:
        raise ConversionFailed(
            "NotAnOfficeFile",
            _("This item holds no document ONLYOFFICE can convert."),
            404,
        )
    if outputtype is None:
        outputtype = classification.convert_to
        if not outputtype:
            raise ConversionFailed(
                "NothingToConvert",
                _("This document is already in an Office Open XML format."),
                409,
            )
    elif outputtype not in classification.download_as:
        raise ConversionFailed(
            "UnknownFormat",
            _(
                "ONLYOFFICE Docs cannot produce ${format} from this document.",
                mapping={"format": outputtype},
            ),
            422,
        )
    if not settings.configured:
        raise not_configured()
    # The key follows the stored file's content, not the editing session's key: a force save
    # replaces the file while the session key stays, and Docs caches results by key.
    key = core.conversion_key(content_key(api.portal.get(), obj, adapted), outputtype)
    return Job(obj, adapted, classification, outputtype, key, settings)
