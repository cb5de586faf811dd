"""Document keys and what the add-on remembers about each document's editing sessions.

The key of a document is ``core.document_key(site secret, UID, revision)``. The revision is
the identity of the stored file object: its ZODB oid and the serial of the transaction that
last wrote it. Any replacement of the file, by any means (edit form, REST, a script, a revert
to an older version, our own save), commits a new file object or state and so changes the key;
edits of title, description or other metadata do not touch the file object and keep the key,
so they never split a live co-editing session. Nothing is written to compute it.

A force save (status 6) replaces the file while the session goes on under the same key: the
state remembers that session so its key stays current until the session ends.

The ONLYOFFICE lock and the list of editors belong to one session: the state remembers its
key (``lock_key``), so that callbacks of another session (an older key, after the file was
replaced) never release or overwrite them.
"""

import binascii

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone.app.uuid.utils import uuidToObject
from plone.uuid.interfaces import IUUID
from zope.annotation.interfaces import IAnnotations

from onlyoffice_plone import core
from onlyoffice_plone.settings import instance_secret

STATE_KEY = "onlyoffice_plone.documents"
#: How many handled callbacks each document remembers, to recognise repeats.
PROCESSED_MEMORY = 200
#: How many saves each document keeps for the in-editor history (with their changes.zip);
#: older records are dropped, and their blobs go with the next pack. The versions
#: themselves stay in CMFEditions.
HISTORY_MEMORY = 50


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


class DocumentState(Persistent):
    """Per-document memory: handled callbacks, a force-saved session, diverted sessions."""

    # The key of the session that holds the ONLYOFFICE lock and the editors list (a class
    # default, so states stored before it existed read None: "any session").
    lock_key = None
    # Bumped when Docs' final save of the current session is refused: Docs keeps that
    # session's edits under its key, so the key is retired and the next person to open the
    # document starts from Plone's file instead of joining the refused edits.
    generation = 0

    def __init__(self):
        self.processed = PersistentList()
        # (key, file oid) of a session whose force save wrote the current file: the file
        # changed, the session (and its key) goes on.
        self.session = None
        # session key -> UID of the conflict copy that session's saves go to.
        self.diverted = PersistentMapping()
        self.editors = PersistentList()
        # One record per stored save: version id, key, Docs' history, changes.zip (a blob),
        # for the in-editor version history.
        self.history = PersistentList()

    def seen(self, marker):
        return marker in self.processed

    def remember(self, marker):
        self.processed.append(marker)
        if len(self.processed) > PROCESSED_MEMORY:
            del self.processed[: len(self.processed) - PROCESSED_MEMORY]

    def add_history(self, record):
        self.history.append(record)
        if len(self.history) > HISTORY_MEMORY:
            del self.history[: len(self.history) - HISTORY_MEMORY]


def _store(portal, create):
    annotations = IAnnotations(portal)
    store = annotations.get(STATE_KEY)
    if store is None and create:
        store = annotations[STATE_KEY] = OOBTree()
    return store


def get_state(portal, obj, create=False):
    """The DocumentState of ``obj`` (None when there is none and ``create`` is false)."""
    uid = IUUID(obj)
    store = _store(portal, create)
    if store is None:
        return None
    state = store.get(uid)
    if state is None and create:
        state = store[uid] = DocumentState()
    return state


def find(uid):
    """The item with this UID, whoever asks (Docs has no Plone login), or None."""
    if not uid or not isinstance(uid, str):
        return None
    return uuidToObject(uid, unrestricted=True)


def forget(portal, uid):
    store = _store(portal, False)
    if store is not None and uid in store:
        del store[uid]


def forget_all(portal):
    IAnnotations(portal).pop(STATE_KEY, None)


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
