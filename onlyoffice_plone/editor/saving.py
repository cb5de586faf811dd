"""Storing what ONLYOFFICE Docs produced: streamed download, new file, version, conflict copy.

The result is downloaded once, in chunks, into a temporary file next to the blob storage,
with the size limit enforced while reading. Each attempt to store it (ZODB conflicts are
retried) hard-links that file and hands the link to a new NamedBlobFile, which moves it into
the blob storage: the document never passes through memory.
"""

import contextlib
import logging
import os
import posixpath
import shutil
import tempfile

import requests
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.CMFEditions.interfaces.IModifier import FileTooLargeToVersionError
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

from onlyoffice_plone import _
from onlyoffice_plone import _core
from onlyoffice_plone.editor.interfaces import IOfficeFile

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds when Plone downloads a result from Docs.
TIMEOUT = (10, 120)
CHUNK = 1024 * 1024


class SaveError(Exception):
    """Saving failed. ``transient`` failures are answered with HTTP 5xx so Docs retries."""

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


def download(url, settings, directory, max_bytes, http=None):
    """Stream ``url`` (already checked to be on a Docs origin) into a file in ``directory``."""
    http = http or requests
    try:
        response = http.get(
            url,
            stream=True,
            allow_redirects=False,
            timeout=TIMEOUT,
            verify=settings.verify_tls,
        )
    except requests.RequestException as exc:
        raise SaveError(f"downloading the result failed: {exc}", transient=True) from exc
    with response:
        if response.is_redirect or 300 <= response.status_code < 400:
            raise SaveError(
                f"the result URL redirects (HTTP {response.status_code}) to "
                f"{response.headers.get('Location', '?')}: refused",
                status=400,
            )
        if response.status_code != 200:
            raise SaveError(
                f"downloading the result answered HTTP {response.status_code}",
                status=502,
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
                    out.write(chunk)
        except requests.RequestException as exc:
            os.unlink(path)
            raise SaveError(f"downloading the result failed: {exc}", transient=True) from exc
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


def store_file(obj, result, filetype, settings):
    """Replace the file of ``obj`` with the downloaded ``result``."""
    adapted = IOfficeFile(obj)
    filename = result_filename(adapted.filename, filetype)
    classification = _core.classify(filename, None)
    content_type = classification.mime_type if classification is not None else adapted.content_type
    with result.linked_copy() as handle:
        blob_file = NamedBlobFile(data=handle, contentType=content_type, filename=filename)
    adapted.replace(blob_file)


def modified_with_version(obj, comment):
    """Fire ObjectModifiedEvent, then save exactly one version with ``comment``.

    The versioning behaviour's own subscriber is held off during the event (it would save a
    version without our comment, or a second one once the catalog bumps the modification
    date); the version is saved right after, so it records the object as modified.
    """
    repository = api.portal.get_tool("portal_repository")
    obj.versioning_enabled = False
    try:
        notify(ObjectModifiedEvent(obj))
    finally:
        del obj.versioning_enabled
    if not repository.isVersionable(obj):
        logger.info("%s is not versionable: saved without a version", obj.absolute_url())
        return None
    try:
        repository.save(obj=obj, comment=comment)
    except FileTooLargeToVersionError:
        logger.warning(
            "%s was saved, but CMFEditions refuses to version a file this large (raise the "
            "limit of its 'Abort versioning of large files' modifier in portal_modifier)",
            obj.absolute_url(),
        )
        return None
    return getattr(obj, "version_id", None)


def conflict_copy(obj, result, filetype, settings):
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
    store_file(copy, result, filetype, settings)
    copy.reindexObject()
    return copy
