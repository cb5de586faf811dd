"""Temporary files of the add-on that a crash left behind.

Results downloaded from Docs and copies of templates go to files named ``onlyoffice-…`` in
the blob storage's temporary directory, and are removed once stored. A process killed in
between leaves them there, and with a blob directory shared by several instances every
instance sees them. They are removed at start (when the database opens) and by every
maintenance run, once older than ``MAX_AGE``: far longer than any download may take (its
deadline, ``fetch.DEADLINE``) plus Docs' own 10 minutes for a callback, so no instance can
still be using them. Removing a file another instance removed first is harmless.
"""

import contextlib
import logging
import os
import time

from onlyoffice_plone.docs.fetch import DEADLINE
from onlyoffice_plone.documents.storing import temporary_directory

logger = logging.getLogger("onlyoffice_plone")

PREFIX = "onlyoffice-"
#: Seconds after which a temporary file of the add-on is an orphan.
MAX_AGE = 2 * DEADLINE + 20 * 60


def clean_directory(directory, max_age=MAX_AGE, now=None):
    """Remove the add-on's files older than ``max_age`` seconds in ``directory``; how many."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < max_age:
                continue
            os.unlink(entry.path)
            removed += 1
    if removed:
        logger.info(
            "removed %s orphaned temporary files of ONLYOFFICE from %s", removed, directory
        )
    return removed


def clean(obj):
    """Clean the temporary directory of the storage ``obj`` lives in."""
    return clean_directory(temporary_directory(obj))


def clean_at_start(event):
    """IDatabaseOpenedWithRoot: clean the opened storage's temporary directory."""
    with contextlib.suppress(Exception):
        directory = event.database.storage.temporaryDirectory()
        if directory and os.path.isdir(directory):
            clean_directory(directory)
