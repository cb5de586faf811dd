"""One callback of ONLYOFFICE Docs about one editing session of one document: what it means
for Plone (who edits, the lock, a save, a force save, a conflict copy) and storing it.

Every change is committed before the callback is answered (``documents.transactions``).
"""

import datetime
import json
import logging
from contextlib import ExitStack

from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.core import CallbackStatus
from onlyoffice_plone.docs import fetch
from onlyoffice_plone.docs.fetch import redact
from onlyoffice_plone.docs.fetch import redact_text
from onlyoffice_plone.documents import indexing
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import storing
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.people import display_name
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.documents.state import get_state
from onlyoffice_plone.documents.state import record_session
from onlyoffice_plone.documents.state import remembered_users
from onlyoffice_plone.documents.transactions import committed
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bounded

COMMENT_NAMES = 10  #: how many authors a version comment names (then "…")
logger = logging.getLogger("onlyoffice_plone")


class SaveRefused(OnlyofficeError):
    """Plone will not store this result (a 4xx): Docs gives up at once and keeps the file."""

    def __init__(self, message, status=403):
        super().__init__("SaveRefused", message, status, detail=message)


#: Docs' ``forcesavetype`` of a press of the Save button (0 is the command service, 2 Docs'
#: own timer, 3 a form's submission).
FORCESAVE_BUTTON = 1


class Session:
    """One callback about one editing session of one document."""

    def __init__(self, obj, portal, settings, callback):
        self.obj = obj
        self.portal = portal
        self.settings = settings
        self.callback = callback

    def handle(self):
        status = self.callback.status
        if status == CallbackStatus.EDITING:
            committed(self._editing)
        elif status == CallbackStatus.CLOSED:
            committed(self._closed)
        elif self.callback.is_final_save:
            self._save()
        elif status == CallbackStatus.MUST_FORCESAVE:
            self._check_forcesave_allowed()
            self._save()
        elif status == CallbackStatus.CORRUPTED_FORCESAVE:
            logger.warning(
                "ONLYOFFICE Docs could not force-save %s (key %s, users %s)",
                self.obj.absolute_url(),
                self.callback.key,
                bounded(", ".join(self.callback.users)),
            )

    def _check_forcesave_allowed(self):
        """A press of Save is stored only while *Show the Save button* is on.

        The button is the site's choice: a session opened while it was on and still running
        after it was switched off gets no version per press (refused: the changes stay in
        the session and are saved when it ends). Force saves Docs makes on its own timer
        (its administrator's choice), through the command service and by a form's
        submission are stored whatever the setting.
        """
        kind = self.callback.forcesavetype
        if kind in (None, FORCESAVE_BUTTON) and not self.settings.forcesave:
            logger.info(
                "force save (Save button) of %s (key %s) refused: the Save button is off",
                self.obj.absolute_url(),
                self.callback.key,
            )
            raise SaveRefused("the Save button is switched off on this site", 403)

    def _state(self):
        return get_state(self.portal, self.obj, create=True)

    def _current_key(self):
        adapted = office_file(self.obj)
        return keys.current_key(self.portal, self.obj, adapted) if adapted else None

    # --- statuses 1 and 4 ---

    def _editing(self):
        state = self._state()
        key = self.callback.key
        record_session(self.portal, key, IUUID(self.obj), self.callback.users)
        if not locking.holds(state, self.obj, key):
            if key != self._current_key():
                logger.info(
                    "ONLYOFFICE session %s holds the lock of %s: status 1 of the older "
                    "session %s changes nothing",
                    state.lock_key,
                    self.obj.absolute_url(),
                    key,
                )
                return
            # The holder is a stale session (its results go to a conflict copy): the
            # session on the current file takes the lock over.
            locking.unlock(self.obj)
        users = remembered_users(self.callback.users)
        known = [u for u in map(self._user, users) if u is not None]
        if not known:
            return
        # The save-time rights check, at the lock: a config replayed by someone who lost
        # their editing rights must not lock the document against those who have them.
        user = next((u for u in known if self._may_edit(u)), None)
        if user is None:
            who = ", ".join(u.getId() for u in known)
            logger.warning(
                "%s may no longer edit %s: ONLYOFFICE session %s gets no lock",
                who,
                self.obj.absolute_url(),
                key,
            )
            raise SaveRefused(f"{who} may no longer edit this document", 403)
        state.editors[:] = remembered_users(self.callback.users)
        with api.env.adopt_user(user=user):
            if locking.lock(self.obj):
                state.lock_key = key
            else:
                logger.info(
                    "%s is locked by someone else; ONLYOFFICE session %s goes on unlocked",
                    self.obj.absolute_url(),
                    key,
                )

    def _closed(self):
        locking.release(self._state(), self.obj, self.callback.key)

    # --- statuses 2, 3 and 6 ---

    def _marker(self):
        kind = "forcesave" if self.callback.is_forcesave else "save"
        return (self.callback.key, kind, self.callback.lastsave or self.callback.url or "")

    def _handled(self, state):
        """Was this result stored already? A final save: whatever its URL (a recovery's link
        to a forgotten file differs from the callback's)."""
        if self.callback.is_final_save and state.final_saved(self.callback.key):
            return True
        return state.seen(self._marker())

    def _save(self):
        callback = self.callback
        state = get_state(self.portal, self.obj)
        if state is not None and self._handled(state):
            logger.info(
                "callback status %s for key %s was already handled: acknowledged again",
                callback.status,
                callback.key,
            )
            return
        if not callback.url:
            logger.warning(
                "callback status %s for %s (key %s) carries no file: nothing to save",
                callback.status,
                self.obj.absolute_url(),
                callback.key,
            )
            if callback.is_final_save:
                committed(self._closed)
            return
        author = self._author()
        # Before downloading anything: refused results are left to Docs.
        with api.env.adopt_user(user=author):
            self._check_may_save(author)
        directory = storing.temporary_directory(self.obj)
        result_url = self._plone_url(callback.url)
        # The changes (for the in-editor history) are fetched beside the result, not after
        # it, yet still before the reply: once Plone answers {"error": 0}, Docs cleans the
        # session's files from its cache, changes.zip with them.
        pending = None
        if callback.changesurl:
            changes_url = self._plone_url(callback.changesurl)
            pending = fetch.Background(self._download_changes, changes_url, directory)
        try:
            result = fetch.download(
                result_url, self.settings, directory, self.settings.max_file_size
            )
        except BaseException:
            if pending is not None:
                pending.discard()
            raise
        changes = None
        try:
            if pending is not None:
                changes = pending.result()
            committed(self._store, author, result, changes, jar=self.obj._p_jar)
        finally:
            result.delete()
            if changes is not None:
                changes.delete()

    def _plone_url(self, url):
        """Docs' ``url`` on the address Plone reaches Docs at, checked to be on Docs."""
        try:
            url = self.settings.addresses.docs_url_for_plone(url)
        except core.InvalidUrlError as exc:
            raise SaveRefused(
                f"the result URL {redact(url)} is refused: {redact_text(str(exc))}", 400
            ) from exc
        return url

    def _download_changes(self, url, directory):
        """In a thread of its own (``fetch.Background``): no ZODB here."""
        try:
            return fetch.download(url, self.settings, directory, self.settings.max_file_size)
        except fetch.FetchError as exc:
            logger.warning(
                "could not fetch the changes of key %s (%s): history without them",
                self.callback.key,
                bounded(exc.message),
            )
            return None

    def _store(self, author, result, changes):
        callback = self.callback
        state = self._state()
        if self._handled(state):
            return
        current = self._current_key()
        forcesave = callback.is_forcesave
        with ExitStack() as stack:
            stack.enter_context(api.env.adopt_user(user=author))
            # Again inside the transaction: rights may have changed during the download.
            self._check_may_save(author)
            if callback.key != current:
                self._check_may_add_copy(author, state)
            stack.enter_context(api.env.adopt_roles(["Manager"]))
            if callback.key == current:
                target = self.obj
                unchanged = (
                    callback.notmodified
                    and state.session is not None
                    and state.session[0] == callback.key
                )
                if not unchanged:
                    version_id = self._replace(target, result, forcesave)
                    self._remember_history(state, version_id, changes)
                if forcesave:
                    file = office_file(target).file
                    state.session = (callback.key, keys.oid(file))
                else:
                    locking.release(state, target, callback.key)
            else:
                self._store_stale(state, result, changes, forcesave)
                if not forcesave:
                    locking.release(state, self.obj, callback.key)
        state.remember(self._marker())

    def _existing_copy(self, state):
        copy_uid = state.diverted.get(self.callback.key)
        return api.content.get(UID=copy_uid) if copy_uid else None

    def _check_may_add_copy(self, author, state):
        """A new conflict copy needs the author's right to add the item beside the original:
        else the result is refused and stays with Docs (nothing is lost)."""
        if self._existing_copy(state) is not None:
            return
        if not storing.allowed_type(self.obj.aq_parent, self.obj.portal_type):
            logger.warning(
                "%s was replaced while ONLYOFFICE session %s was open, and %s may not add a "
                "conflict copy beside it: the result is refused, ONLYOFFICE Docs keeps it",
                self.obj.absolute_url(),
                self.callback.key,
                author.getId(),
            )
            raise SaveRefused(
                f"{author.getId()} may not add a conflict copy of this replaced document", 403
            )

    def _store_stale(self, state, result, changes, forcesave):
        """The session's key is no longer the document's: keep both, never overwrite."""
        callback = self.callback
        copy = self._existing_copy(state)
        if copy is None:
            copy = storing.conflict_copy(self.obj, result, callback.filetype)
            state.diverted[callback.key] = IUUID(copy)
            storing.modified_with_version(copy, self._comment(forcesave))
            logger.warning(
                "%s was replaced in Plone while ONLYOFFICE session %s was open: its result "
                "is kept as %s instead of overwriting the newer file",
                self.obj.absolute_url(),
                callback.key,
                copy.absolute_url(),
            )
        else:
            self._replace(copy, result, forcesave)
            logger.warning(
                "result of stale ONLYOFFICE session %s saved to its conflict copy %s",
                callback.key,
                copy.absolute_url(),
            )

    def _replace(self, target, result, forcesave):
        storing.store_file(target, result, self.callback.filetype)
        file = office_file(target).file
        if target._p_jar is not None and file._p_jar is None:
            # Give the new file its oid now: a force-saved session is bound to it.
            target._p_jar.add(file)
        version_id = storing.modified_with_version(target, self._comment(forcesave))
        # Committed before the reply: the file and its version. The catalog is not.
        indexing.defer_reindex(self.portal, target)
        return version_id

    def _remember_history(self, state, version_id, changes):
        changes_file = None
        if changes is not None:
            with changes.linked_copy() as handle:
                changes_file = NamedBlobFile(
                    data=handle, contentType="application/zip", filename="changes.zip"
                )
        history = self.callback.history
        state.add_history(
            {
                "version_id": version_id,
                "key": self.callback.key,
                "status": self.callback.status,
                "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                "users": list(remembered_users(self.callback.users)),
                "history": json.loads(json.dumps(history)) if history else None,
                "changes": changes_file,
            }
        )

    # --- who ---

    def _user(self, user_id):
        return api.user.get(userid=user_id) if isinstance(user_id, str) and user_id else None

    def _author(self):
        """The Plone user the changes are saved for: Docs' ``users`` (the last changer)."""
        changes = (self.callback.history or {}).get("changes") or ()
        changers = ((change.get("user") or {}).get("id") for change in changes)
        author_id = (self.callback.users or [next(filter(None, changers), None)])[0]
        if author_id is None:
            raise SaveRefused("the callback names no user: nobody to save the changes for", 403)
        user = api.user.get(userid=author_id)
        if user is None:
            raise SaveRefused(
                f"{bounded(author_id, 80)}, who made the changes, is not a user of this site",
                403,
            )
        return user

    def _may_edit(self, user):
        """May ``user`` open an editing session on the document now?"""
        classification = classification_of(office_file(self.obj), self.settings)
        with api.env.adopt_user(user=user):
            return rights_for(self.obj, classification).can_open_editor

    def _check_may_save(self, author):
        if not self._may_edit(author):
            logger.warning(
                "%s may no longer edit %s: result of key %s refused, ONLYOFFICE Docs keeps it",
                author.getId(),
                self.obj.absolute_url(),
                self.callback.key,
            )
            raise SaveRefused(f"{author.getId()} may no longer edit this document", 403)

    def _comment(self, forcesave):
        changes = (self.callback.history or {}).get("changes") or ()
        users = [change.get("user") or {} for change in changes]
        names = [name for user in users if (name := user.get("name") or user.get("id"))]
        names = names or [display_name(u) for u in remembered_users(self.callback.users)]
        names = list(dict.fromkeys(names))
        shown = names[:COMMENT_NAMES] + (["…"] if len(names) > COMMENT_NAMES else [])
        who = {"names": ", ".join(shown) or "?"}
        comment = (
            _("Saved in ONLYOFFICE by ${names} (session goes on)", mapping=who)
            if forcesave
            else _("Edited in ONLYOFFICE by ${names}", mapping=who)
        )
        return storing.version_comment(comment)
