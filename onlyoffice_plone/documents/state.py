"""What the add-on remembers about each document's editing sessions.

The ONLYOFFICE lock and the list of editors belong to one session: the state remembers its
key (``lock_key``), so that callbacks of another session (an older key, after the file was
replaced) never release or overwrite them. The state also remembers the callbacks already
handled (so a repeated one is acknowledged, never stored twice), a session whose force save
wrote the current file, and the saves kept for the in-editor history.
"""

import time

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone.app.uuid.utils import uuidToObject
from plone.uuid.interfaces import IUUID
from zope.annotation.interfaces import IAnnotations

STATE_KEY = "onlyoffice_plone.documents"
#: How many handled callbacks each document remembers, to recognise repeats.
PROCESSED_MEMORY = 200
#: How many saves each document keeps for the in-editor history (with their changes.zip);
#: older records are dropped, and their blobs go with the next pack. The versions
#: themselves stay in CMFEditions.
HISTORY_MEMORY = 50
#: Where the site remembers which document each session key belongs to.
SESSIONS_KEY = "onlyoffice_plone.sessions"
#: Seconds a session's record is kept after its last status 1: a result Docs forgot is
#: matched to its document by it, for that long.
SESSION_MEMORY = 90 * 24 * 3600
#: How many of a session's users Plone remembers, newest first (its editors, and the
#: authors of a result Docs could not deliver): a callback may name any number, and each
#: status 1 adds its own to the record's.
MAX_SESSION_USERS = 500


def remembered_users(users):
    """The first ``MAX_SESSION_USERS`` of ``users`` (newest first), as a tuple."""
    return tuple(users)[:MAX_SESSION_USERS]


class DocumentState(Persistent):
    """Per-document memory: handled callbacks, a force-saved session, diverted sessions."""

    #: A save committed the file while its catalog reindex waits for after the reply
    #: (``documents.indexing``); cleared by the reindex. (A class default: older states.)
    unindexed = False

    def __init__(self):
        # The key of the session that holds the ONLYOFFICE lock and the editors list.
        self.lock_key = None
        # Bumped when Docs' final save of the current session is refused: Docs keeps that
        # session's edits under its key, so the key is retired and the next person to open
        # the document starts from Plone's file instead of joining the refused edits.
        self.generation = 0
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

    def final_saved(self, key):
        """Was the final save of session ``key`` already stored (by a callback or a recovery)?

        Docs saves a session's final result once: whatever its URL, a second one is the same.
        """
        return any(marker[0] == key and marker[1] == "save" for marker in self.processed)

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
    return state_of_uid(portal, IUUID(obj), create)


def state_of_uid(portal, uid, create=False):
    """The DocumentState of the item ``uid``, which need not exist any more (or None)."""
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


def record_session(portal, key, uid, users):
    """Remember that session ``key`` edits the document ``uid`` with ``users`` (newest first).

    Written by status 1 callbacks, so a result Docs kept in its forgotten store can be matched
    to its document and its authors. Rewritten only when something changed (or hourly).
    """
    annotations = IAnnotations(portal)
    store = annotations.get(SESSIONS_KEY)
    if store is None:
        store = annotations[SESSIONS_KEY] = OOBTree()
    old = store.get(key)
    users = remembered_users(users)
    if old is not None and old[0] == uid and len(users) < MAX_SESSION_USERS:
        named = set(users)
        users = remembered_users(users + tuple(u for u in old[1] if u not in named))
    now = time.time()
    if old is None or old[0] != uid or old[1] != users or now - old[2] > 3600:
        store[key] = (uid, users, now)


def session_record(portal, key):
    """``(uid, users, last seen)`` of session ``key``, or None."""
    store = IAnnotations(portal).get(SESSIONS_KEY)
    return store.get(key) if store is not None else None


def prune_sessions(portal, max_age=SESSION_MEMORY):
    """Drop the records of sessions not seen for ``max_age`` seconds; how many went."""
    store = IAnnotations(portal).get(SESSIONS_KEY)
    if store is None:
        return 0
    limit = time.time() - max_age
    old = [key for key, record in store.items() if record[2] < limit]
    for key in old:
        del store[key]
    return len(old)


def locked_states(portal):
    """(uid, state) of every document whose state names a session holding its lock."""
    store = _store(portal, False)
    if store is None:
        return []
    return [(uid, state) for uid, state in store.items() if state.lock_key is not None]


def pending_states(portal):
    """(uid, state) of every document whose catalog reindex is still to be done."""
    store = _store(portal, False)
    if store is None:
        return []
    return [(uid, state) for uid, state in store.items() if state.unindexed]


def forget(portal, uid):
    store = _store(portal, False)
    if store is not None and uid in store:
        del store[uid]


def forget_all(portal):
    IAnnotations(portal).pop(STATE_KEY, None)
