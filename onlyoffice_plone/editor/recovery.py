"""Results ONLYOFFICE Docs gave up delivering, and locks of sessions Docs no longer knows.

When Plone answers no callback of a final save within Docs' retry window (about 7 s), Docs
keeps the result in its *forgotten store*. Recovery asks for that list (``getForgottenList``),
matches each key to its document (status 1 callbacks record which document a key edits, see
``documents.state.record_session``), downloads the file (``getForgotten``) and stores it
exactly as a late status 2 would: a new version by the session's last editor, nothing stored
twice (a final save already stored is only removed from Docs), a conflict copy when the
document was replaced meanwhile. Then ``deleteForgotten``. A key whose document is unknown
or whose save Plone refuses stays in Docs' store.

The lock sweep asks Docs (``info``) about every session holding an ONLYOFFICE lock: a session
Docs does not know (or whose result it forgot) no longer holds the lock, and a forgotten
session's key is retired so nobody reopens Docs' stale copy. Docs answers ``info`` for a live
session with a status 1 callback, which refreshes the lock: the lock lives as long as Docs'
session does.
"""

import logging
import posixpath
import urllib.parse
from dataclasses import dataclass
from dataclasses import field

import transaction
from plone import api

from onlyoffice_plone.core import CallbackStatus
from onlyoffice_plone.docs import commands
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.transactions import committed
from onlyoffice_plone.editor.session import Session
from onlyoffice_plone.errors import OnlyofficeError

logger = logging.getLogger("onlyoffice_plone")

#: What recovery would do with (or did with) a forgotten result.
NEW_VERSION = "new-version"
CONFLICT_COPY = "conflict-copy"
ALREADY_STORED = "already-stored"
UNKNOWN = "unknown-document"
REFUSED = "refused"
FAILED = "failed"


@dataclass
class RecoveredSave:
    """A forgotten result, as the final save (status 2) Docs could not deliver."""

    key: str
    url: str
    filetype: str
    users: list = field(default_factory=list)
    status: int = CallbackStatus.MUST_SAVE
    is_final_save: bool = True
    is_forcesave: bool = False
    notmodified: bool = False
    history: dict | None = None
    changesurl: str | None = None
    lastsave: str | None = None
    actions: list = field(default_factory=list)


def _url(obj):
    return obj.absolute_url() if obj is not None else None


def describe(portal, key):
    """``(document or None, what recovery would do)`` for the forgotten result ``key``."""
    record = documents.session_record(portal, key)
    obj = documents.find(record[0]) if record else None
    if obj is None:
        return None, UNKNOWN
    state = documents.get_state(portal, obj)
    if state is not None and state.final_saved(key):
        return obj, ALREADY_STORED
    adapted = office_file(obj)
    if adapted is None:
        return obj, UNKNOWN
    if keys.current_key(portal, obj, adapted) == key:
        return obj, NEW_VERSION
    return obj, CONFLICT_COPY


def forgotten(portal, settings):
    """Docs' forgotten store as Plone sees it: one dict per key."""
    result = commands.send(settings, "getForgottenList")
    entries = []
    for key in result.keys:
        obj, action = describe(portal, key)
        entries.append(
            {
                "key": key,
                "document": _url(obj),
                "title": obj.Title() if obj is not None else None,
                "action": action,
            }
        )
    return entries


def _filetype(url, obj):
    path = urllib.parse.urlsplit(url).path
    ext = posixpath.splitext(posixpath.basename(path))[1].lstrip(".").lower()
    if ext:
        return ext
    adapted = office_file(obj)
    return posixpath.splitext(adapted.filename if adapted else "")[1].lstrip(".").lower()


def recover_one(portal, settings, key):
    """Store the forgotten result ``key`` and remove it from Docs; what happened (a dict)."""
    obj, action = describe(portal, key)
    outcome = {"key": key, "document": _url(obj), "action": action, "stored_in": None}
    if action == UNKNOWN:
        outcome["message"] = "no document of this site is known for this key: left in Docs"
        return outcome
    if action != ALREADY_STORED:
        reply = commands.send(settings, "getForgotten", key=key)
        if not reply.url:
            outcome.update(action=FAILED, message="ONLYOFFICE Docs gave no link to the file")
            return outcome
        record = documents.session_record(portal, key)
        save = RecoveredSave(
            key=key,
            url=reply.url,
            filetype=_filetype(reply.url, obj),
            users=list(record[1]) if record else [],
        )
        try:
            Session(obj, portal, settings, save).handle()
        except OnlyofficeError as exc:
            transaction.abort()
            logger.warning("recovering the forgotten result %s failed: %s", key, exc.detail)
            outcome.update(
                action=REFUSED if exc.status < 500 else FAILED,
                message=exc.detail or str(exc.message),
            )
            return outcome
        state = documents.get_state(portal, obj)
        copy_uid = state.diverted.get(key) if state is not None else None
        copy = documents.find(copy_uid) if copy_uid else None
        outcome["stored_in"] = _url(copy if copy is not None else obj)
        logger.info(
            "recovered ONLYOFFICE Docs' forgotten result %s into %s", key, outcome["stored_in"]
        )
    commands.send(settings, "deleteForgotten", key=key)
    return outcome


def recover(portal, settings, key=None):
    """Recover every forgotten result (or only ``key``); what happened to each."""
    wanted = [key] if key else commands.send(settings, "getForgottenList").keys
    outcomes = []
    for each in wanted:
        try:
            outcomes.append(recover_one(portal, settings, each))
        except OnlyofficeError as exc:
            transaction.abort()
            outcomes.append(
                {"key": each, "action": FAILED, "message": exc.detail or str(exc.message)}
            )
    return outcomes


def sweep_locks(portal, settings, forgotten_keys=()):
    """Release the ONLYOFFICE locks of sessions Docs no longer knows; the URLs released."""
    released = []
    for uid, state in documents.locked_states(portal):
        key = state.lock_key
        obj = documents.find(uid)
        if obj is None or key is None:
            continue
        pending = key in forgotten_keys
        if not pending:
            try:
                known = commands.send(settings, "info", key=key).error == 0
            except commands.CommandFailed as exc:
                logger.info("lock sweep: cannot ask Docs about %s: %s", key, exc.detail)
                continue
            if known:
                # Docs calls back with status 1 (refreshes the lock) or 4 (releases it).
                continue
        committed(_release, portal, obj, key, pending)
        logger.info(
            "released the ONLYOFFICE lock of %s: ONLYOFFICE Docs no longer knows session %s",
            obj.absolute_url(),
            key,
        )
        released.append(obj.absolute_url())
    return released


def _release(portal, obj, key, retire):
    state = documents.get_state(portal, obj)
    if state is None or state.lock_key != key:
        return
    locking.release(state, obj, key)
    adapted = office_file(obj)
    if retire and adapted is not None:
        keys.retire_key(portal, obj, adapted, key)


def maintain(portal, settings):
    """One maintenance run with ONLYOFFICE Docs: recover forgotten results, sweep locks,
    prune session records. (Reindexing what a crash left undone needs no Docs:
    ``indexing.reindex_pending``, which the maintenance service runs first.)"""
    recovered = recover(portal, settings)
    still_forgotten = {
        outcome["key"] for outcome in recovered if outcome["action"] in (UNKNOWN, REFUSED, FAILED)
    }
    released = sweep_locks(portal, settings, still_forgotten)
    with api.env.adopt_roles(["Manager"]):
        pruned = committed(documents.prune_sessions, portal)
    return {"recovered": recovered, "unlocked": released, "pruned_sessions": pruned}
