"""Storing what ONLYOFFICE Docs produced: streamed download, new file, version, conflict copy.

The result is downloaded once, in chunks, into a temporary file next to the blob storage,
with the size limit enforced while reading. Each attempt to store it (ZODB conflicts are
retried) hard-links that file and hands the link to a new NamedBlobFile, which moves it into
the blob storage: the document never passes through memory.

Docs' result URLs are signed links (``?md5=…&expires=…``): they never go into a log line or
an error message with their query.
"""

import contextlib
import logging
import os
import posixpath
import re
import shutil
import tempfile
import time
import urllib.parse

import requests
from Acquisition import aq_base
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.CMFEditions.interfaces.IModifier import FileTooLargeToVersionError
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent
from zope.publisher.interfaces.browser import IBrowserRequest

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.editor.interfaces import IOfficeFile

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds when Plone downloads a result from Docs.
TIMEOUT = (10, 60)
#: Seconds one whole download may take. Docs waits 10 minutes for the callback's reply, and
#: a callback may download the result and its changes: both, each with a last slow read,
#: stay below that.
DEADLINE = 180
CHUNK = 1024 * 1024
#: The request annotation plone.app.versioningbehavior reads the change note from.
CHANGE_NOTE = "plone.app.versioningbehavior-changeNote"


def redact(url):
    """``url`` without its query and fragment: Docs' links are signed there."""
    parts = urllib.parse.urlsplit(url or "")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


#: The query of a URL inside an error message (up to a space, quote or parenthesis).
QUERY = re.compile(r"""\?[^\s)'"]*""")


def redact_text(text):
    """``text`` (an error message) without the query of any URL in it."""
    return QUERY.sub("?…", text)


def _describe(exc):
    """A network error for a log line, without the signed query of the URL it names."""
    return f"{type(exc).__name__}: {redact_text(str(exc))}"


class SaveError(Exception):
    """Saving failed. ``transient`` failures are answered with HTTP 5xx so Docs retries;
    the others with ``status`` (a 4xx): Docs gives up at once and keeps the file."""

    def __init__(self, message, status=400, transient=False):
        super().__init__(message)
        self.message = message
        self.status = 503 if transient else status
        self.transient = transient


class Download:
    """A result downloaded to a temporary file; delete() removes it."""

    def __init__(self, path, size):
        self.path = path
        self.size = size

    @contextlib.contextmanager
    def linked_copy(self):
        """A file object on a fresh name for the same bytes, for a blob to consume."""
        directory = os.path.dirname(self.path)
        fd, link = tempfile.mkstemp(prefix="onlyoffice-", dir=directory)
        os.close(fd)
        os.unlink(link)
        try:
            os.link(self.path, link)
        except OSError:
            shutil.copyfile(self.path, link)
        try:
            with open(link, "rb") as handle:
                yield handle
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)

    def delete(self):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def temporary_directory(obj):
    """The blob storage's own temporary directory, so consuming a file is a rename."""
    with contextlib.suppress(Exception):
        directory = obj._p_jar.db().storage.temporaryDirectory()
        if directory and os.path.isdir(directory):
            return directory
    return tempfile.gettempdir()


def download(url, settings, directory, max_bytes, http=None, deadline=DEADLINE):
    """Stream ``url`` (already checked to be on a Docs origin) into a file in ``directory``.

    Gives up (transiently) when the whole download takes more than ``deadline`` seconds.
    """
    http = http or requests
    shown = redact(url)
    end = time.monotonic() + deadline
    try:
        response = http.get(
            url,
            stream=True,
            allow_redirects=False,
            timeout=TIMEOUT,
            verify=settings.verify_tls,
        )
    except requests.RequestException as exc:
        raise SaveError(
            f"downloading the result from {shown} failed: {_describe(exc)}", transient=True
        ) from exc
    with response:
        if response.is_redirect or 300 <= response.status_code < 400:
            raise SaveError(
                f"the result URL {shown} redirects (HTTP {response.status_code}) to "
                f"{redact(response.headers.get('Location', '?'))}: refused",
                status=400,
            )
        if response.status_code != 200:
            # 429 and 5xx may pass: Docs retries. Anything else (404, 410: the link expired
            # or is wrong) will not, so Docs should not retry; 424 = a request we depend on
            # failed.
            raise SaveError(
                f"downloading the result from {shown} answered HTTP {response.status_code}",
                status=424,
                transient=response.status_code >= 500 or response.status_code == 429,
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise SaveError(
                f"the result has {declared} bytes, more than the limit of {max_bytes}",
                status=413,
            )
        fd, path = tempfile.mkstemp(prefix="onlyoffice-result-", dir=directory)
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise SaveError(
                            f"the result is larger than the limit of {max_bytes} bytes",
                            status=413,
                        )
                    if time.monotonic() > end:
                        raise SaveError(
                            f"downloading the result from {shown} took more than "
                            f"{deadline} seconds",
                            transient=True,
                        )
                    out.write(chunk)
        except requests.RequestException as exc:
            os.unlink(path)
            raise SaveError(
                f"downloading the result from {shown} failed: {_describe(exc)}", transient=True
            ) from exc
        except BaseException:
            os.unlink(path)
            raise
    return Download(path, size)


def result_filename(filename, filetype):
    """The stored file's name: unchanged, unless Docs returned another format."""
    if not filetype:
        return filename
    stem, ext = posixpath.splitext(filename or "document")
    if ext.lstrip(".").lower() == filetype.lower():
        return filename
    return f"{stem}.{filetype.lower()}"


def store_file(obj, result, filetype):
    """Replace the file of ``obj`` with the downloaded ``result``."""
    adapted = IOfficeFile(obj)
    filename = result_filename(adapted.filename, filetype)
    classification = core.classify(filename, None)
    content_type = classification.mime_type if classification is not None else adapted.content_type
    with result.linked_copy() as handle:
        blob_file = NamedBlobFile(data=handle, contentType=content_type, filename=filename)
    adapted.replace(blob_file)


def modified_with_version(obj, comment):
    """Fire ObjectModifiedEvent with ``comment`` as the change note; the new version id or None.

    The versioning behaviour's own subscriber saves the version, exactly as after Plone's
    edit form: only when the item is versionable (its type, and its own "versioning
    enabled" setting), and with the comment, which it reads from the request.
    """
    request = getattr(obj, "REQUEST", None)
    annotations = IAnnotations(request) if IBrowserRequest.providedBy(request) else {}
    before = getattr(aq_base(obj), "version_id", None)
    missing = object()
    previous = annotations.get(CHANGE_NOTE, missing)
    annotations[CHANGE_NOTE] = comment
    try:
        notify(ObjectModifiedEvent(obj))
    except FileTooLargeToVersionError:
        # Raised from the versioning subscriber: subscribers after it did not run.
        obj.reindexObject()
        logger.warning(
            "%s was saved, but CMFEditions refuses to version a file this large (raise the "
            "limit of its 'Abort versioning of large files' modifier in portal_modifier)",
            obj.absolute_url(),
        )
    finally:
        if previous is missing:
            annotations.pop(CHANGE_NOTE, None)
        else:
            annotations[CHANGE_NOTE] = previous
    after = getattr(aq_base(obj), "version_id", None)
    return after if after != before else None


def conflict_copy(obj, result, filetype):
    """A sibling of ``obj`` holding ``result``, for a session whose file was replaced."""
    parent = obj.aq_parent
    title = api.portal.translate(
        _("${title} (ONLYOFFICE conflict copy)", mapping={"title": obj.Title()}),
    )
    copy = api.content.create(
        container=parent,
        type=obj.portal_type,
        id=f"{obj.getId()}-conflict",
        title=title,
        safe_id=True,
    )
    store_file(copy, result, filetype)
    copy.reindexObject()
    return copy
