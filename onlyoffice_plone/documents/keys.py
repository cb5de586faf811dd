"""Document keys: which key everyone who opens a document now joins.

The key of a document is ``core.document_key(site secret, UID, revision)``. The revision is
the identity of the stored file object: its ZODB oid and the serial of the transaction that
last wrote it. Any replacement of the file, by any means (edit form, REST, a script, a revert
to an older version, our own save), commits a new file object or state and so changes the key;
edits of title, description or other metadata do not touch the file object and keep the key,
so they never split a live co-editing session. Nothing is written to compute it.

A force save (status 6) replaces the file while the session goes on under the same key: the
state remembers that session so its key stays current until the session ends.
"""

import binascii
import contextlib

import transaction
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import core
from onlyoffice_plone.documents.state import get_state
from onlyoffice_plone.settings import instance_secret


def revision(file):
    """The identity of a stored file's content: oid and serial of the file object."""
    if file is None:
        return "empty"
    if getattr(file, "_p_oid", None) is None:
        return "uncommitted"
    file._p_activate()
    return f"{oid(file)}.{binascii.hexlify(file._p_serial).decode()}"


def oid(file):
    """The file object's ZODB oid (hex), or "" before it is added to a connection."""
    value = getattr(file, "_p_oid", None)
    return binascii.hexlify(value).decode() if value else ""


def see_latest(obj):
    """Make this request see every transaction committed anywhere before now.

    A key handed to an editor must follow every committed save, whichever instance stored
    it. FileStorage and RelStorage (which polls at each transaction start) see them already.
    A ZEO client without ``server-sync`` learns of other clients' commits asynchronously, so
    a request starting just after a save elsewhere may read the old file and hand out the old
    key. Here the ZEO server is asked for a round trip (what ``server-sync`` does at every
    transaction start): once it answers, every invalidation sent before has arrived; then,
    when this request has written nothing, its view is renewed.
    """
    jar = getattr(obj, "_p_jar", None)
    if jar is None:
        return
    storage = jar.db().storage
    ping = getattr(storage, "ping", None)
    if ping is None or getattr(storage, "server_sync", True):
        return
    with contextlib.suppress(Exception):
        ping()
        if not getattr(jar, "_registered_objects", None) and not getattr(jar, "_added", None):
            transaction.abort()


def current_key(portal, obj, office_file):
    """The key everyone who opens ``obj`` now joins."""
    file = office_file.file
    state = get_state(portal, obj)
    if state is not None and state.session is not None and state.session[1] == oid(file):
        return state.session[0]
    return content_key(portal, obj, office_file, state)


def content_key(portal, obj, office_file, state=None):
    """A key of the stored file's content itself, never a live session's key.

    Unlike ``current_key`` it changes when a force save replaces the file during a session:
    for anything cached by key that must follow the file (conversions).
    """
    if state is None:
        state = get_state(portal, obj)
    content = revision(office_file.file)
    if state is not None and state.generation:
        content = f"{content}.g{state.generation}"
    return core.document_key(instance_secret(portal), IUUID(obj), content)


def retire_key(portal, obj, office_file, key):
    """After Docs' final save of session ``key`` was refused: never hand that key out again.

    Only the current session's key is retired; an older session's refusal leaves the
    session people are editing now alone.
    """
    if key != current_key(portal, obj, office_file):
        return
    state = get_state(portal, obj, create=True)
    state.generation += 1
    state.session = None
