"""``onRequestRestore``: an older version becomes the current file, as a new version.

The same right as editing the file (Modify portal content). Nothing is lost: the file that
was current stays a version of its own (saved first if it was not yet), and the restored
bytes become a new version "Restored version N in ONLYOFFICE by …". The file object is new,
so the document's key changes: an editor still open on the old key saves to a conflict copy
instead of writing over the restored file. A whole version is restored: the ``url`` Docs
adds when someone restores a single change inside a version is not used. A title that was
the current file's name takes the restored file's name (``storing.replace_file``): restoring
the ``budget.xls`` of before a conversion titles the item ``budget.xls`` again; its id stays.
"""

import os
import shutil
import tempfile

from plone import api

from onlyoffice_plone import _
from onlyoffice_plone.documents import storing
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.people import display_name
from onlyoffice_plone.documents.transactions import committed
from onlyoffice_plone.documents.versions import version_file
from onlyoffice_plone.errors import OnlyofficeError

CHUNK = 1024 * 1024


def _copy_to_temporary(obj, file):
    """A temporary file next to the blob storage holding ``file``'s bytes (streamed)."""
    fd, path = tempfile.mkstemp(prefix="onlyoffice-restore-", dir=storing.temporary_directory(obj))
    with os.fdopen(fd, "wb") as target, file.open() as source:
        shutil.copyfileobj(source, target, CHUNK)
    return path


def restore(obj, number):
    """Make version ``number`` (as the editor counts, 1 = first) the current file.

    Returns the number of the new version. Raises OnlyofficeError (403, 404).
    """
    if not storing.may_modify(obj) or office_file(obj) is None:
        raise OnlyofficeError(
            "Forbidden", _("You may not change this document, so you may not restore it."), 403
        )
    file, filename = version_file(obj, number - 1)
    if file is None:
        raise OnlyofficeError(
            "NoSuchVersion",
            _("This document has no version ${number}.", mapping={"number": number}),
            404,
        )
    user = api.user.get_current()
    comment = storing.version_comment(
        _(
            "Restored version ${number} in ONLYOFFICE by ${name}",
            mapping={"number": number, "name": display_name(user.getId())},
        )
    )
    path = _copy_to_temporary(obj, file)
    try:

        def work():
            # The blob consumes (moves) the file it is given: a link of its own per attempt.
            link = f"{path}.{os.urandom(4).hex()}"
            os.link(path, link)
            with open(link, "rb") as handle:
                blob = storing.blob_from(handle, filename or office_file(obj).filename)
            if os.path.exists(link):
                os.unlink(link)
            before = storing.version_comment(_("Before a restore in ONLYOFFICE"))
            return storing.replace_file(obj, blob, before, comment)

        new_version = committed(work)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return None if new_version is None else new_version + 1
