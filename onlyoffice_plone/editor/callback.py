"""``<portal>/@@onlyoffice-callback?uid=…&token=…``: what ONLYOFFICE Docs reports about a session.

Public, because Docs has no Plone login: a request is accepted only with Docs' own token
(signed with the JWT secret: without a secret every callback is refused, editing is off)
and the URL token Plone signed for this document and this session key. It then acts with
the rights of the editing user. The document is found by its UID, so a session survives
renames and moves of the item and its folders.

Replies: ``{"error": 0}`` only once the result is committed; otherwise ``{"error": 1}`` with
HTTP 5xx for transient failures (Docs retries, then keeps the file in its forgotten store)
and 4xx for refusals (Docs keeps the file). A document is never lost. After a final refusal
of a save the document is unlocked, so nobody waits a day for the lock to time out.
"""

import datetime
import json
import logging
import time
from contextlib import ExitStack

import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.protect.interfaces import IDisableCSRFProtection
from plone.uuid.interfaces import IUUID
from Products.Five.browser import BrowserView
from ZODB.POSException import ConflictError
from zope.interface import alsoProvides

from onlyoffice_plone import core
from onlyoffice_plone.core import CallbackStatus
from onlyoffice_plone.docs_auth import header_token
from onlyoffice_plone.editor import documents
from onlyoffice_plone.editor import locking
from onlyoffice_plone.editor import saving
from onlyoffice_plone.editor.config import callback_subject
from onlyoffice_plone.editor.config import classification_of
from onlyoffice_plone.editor.config import office_file
from onlyoffice_plone.editor.rights import rights_for
from onlyoffice_plone.editor.saving import SaveError
from onlyoffice_plone.editor.saving import redact
from onlyoffice_plone.editor.saving import redact_text
from onlyoffice_plone.editor.users import display_name
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.url_tokens import UrlTokenError
from onlyoffice_plone.url_tokens import check_url_token

logger = logging.getLogger("onlyoffice_plone")

#: How often one callback's transaction is tried when ZODB reports a conflict.
ATTEMPTS = 4
#: Seconds before the first retry after a conflict; doubled for each further one.
CONFLICT_PAUSE = 0.05
SAVE_STATUSES = (CallbackStatus.MUST_SAVE, CallbackStatus.CORRUPTED)
FORCESAVE_STATUSES = (CallbackStatus.MUST_FORCESAVE, CallbackStatus.CORRUPTED_FORCESAVE)


def in_transaction(work, *args):
    """Run ``work`` and commit, retrying on ZODB conflicts; the reply waits for this."""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(CONFLICT_PAUSE * 2 ** (attempt - 1))
        try:
            result = work(*args)
            transaction.commit()
            return result
        except ConflictError:
            transaction.abort()
            logger.info("ZODB conflict on attempt %s, retrying", attempt + 1)
    raise SaveError("the database stayed busy (conflicts); try again", transient=True)


def release(portal, obj, key):
    """After a refused final save: free ``obj`` from session ``key`` and retire that key.

    In a transaction of its own. Docs keeps the refused edits under the key, so whoever
    opens the document next must get a new one (see documents.retire_key).
    """

    def work():
        locking.release(documents.get_state(portal, obj), obj, key)
        adapted = office_file(obj)
        if adapted is not None:
            documents.retire_key(portal, obj, adapted, key)

    try:
        in_transaction(work)
    except SaveError as exc:
        logger.warning("could not unlock %s after a refused save: %s", obj.absolute_url(), exc)


class CallbackView(BrowserView):
    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        if self.request.method != "POST":
            return self._reply(405, "POST only")
        settings = get_settings()
        if not settings.editing_enabled:
            return self._refuse(
                403, "no JWT secret is set: editing is switched off, callbacks are refused"
            )
        if not settings.configured or not settings.docs_origins:
            return self._refuse(403, "ONLYOFFICE Docs is not configured for this site")
        portal = api.portal.get()
        uid = self.request.form.get("uid")
        try:
            callback = self._parse(settings)
        except core.CallbackUrlError as exc:
            self._release_after_refused_url(settings, portal, uid)
            return self._refuse(400, f"invalid callback: {redact_text(str(exc))}")
        except core.TokenError as exc:
            return self._refuse(403, f"ONLYOFFICE Docs' token was refused: {exc}")
        except core.CallbackError as exc:
            return self._refuse(400, f"invalid callback: {redact_text(str(exc))}")
        try:
            self._check_url_token(portal, uid, callback.key)
        except UrlTokenError as exc:
            return self._refuse(403, f"callback URL token refused: {exc}")
        obj = documents.find(uid)
        if obj is None:
            return self._refuse(404, "the document is no longer in this site")
        try:
            Session(obj, portal, settings, callback).handle()
        except SaveError as exc:
            transaction.abort()
            logger.warning(
                "callback status %s for %s (key %s) failed: %s",
                callback.status,
                obj.absolute_url(),
                callback.key,
                exc.message,
            )
            if not exc.transient and callback.status in SAVE_STATUSES:
                # Final: Docs keeps the file in its forgotten store and will not call again.
                release(portal, obj, callback.key)
            return self._reply(exc.status, exc.message)
        except Exception:
            transaction.abort()
            logger.exception(
                "callback status %s for %s (key %s) failed",
                callback.status,
                obj.absolute_url(),
                callback.key,
            )
            return self._reply(500, "internal error while handling the callback")
        return self._reply(200)

    def _body(self):
        body = self.request.get("BODY") or b""
        return body.encode("utf-8") if isinstance(body, str) else body

    def _parse(self, settings):
        return core.parse_callback(
            self._body(),
            header_token(self.request, settings.jwt_header),
            secret=settings.jwt_secret,
            leeway=settings.jwt_leeway,
            allowed_origins=list(settings.docs_origins),
        )

    def _check_url_token(self, portal, uid, key):
        token = self.request.form.get("token")
        check_url_token(portal, token, "callback", callback_subject(uid, key))

    def _release_after_refused_url(self, settings, portal, uid):
        """A final callback whose result URL is refused is a refused save: unlock."""
        try:
            fields = core.incoming_payload(
                json.loads(self._body()),
                header_token(self.request, settings.jwt_header),
                settings.jwt_secret,
                leeway=settings.jwt_leeway,
            )
            key = fields.get("key")
            if fields.get("status") not in SAVE_STATUSES or not isinstance(key, str):
                return
            self._check_url_token(portal, uid, key)
        except (ValueError, TypeError, AttributeError, core.CoreError, UrlTokenError):
            return  # not a callback Docs signed for this document: nothing to release
        obj = documents.find(uid)
        if obj is not None:
            release(portal, obj, key)

    def _refuse(self, status, message):
        logger.warning(
            "refused a callback for the document %r: %s", self.request.form.get("uid"), message
        )
        return self._reply(status, message)

    def _reply(self, status, message=None):
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "application/json")
        if status == 200:
            return json.dumps({"error": 0})
        return json.dumps({"error": 1, "message": message})


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
            in_transaction(self._editing)
        elif status == CallbackStatus.CLOSED:
            in_transaction(self._closed)
        elif status in SAVE_STATUSES or status == CallbackStatus.MUST_FORCESAVE:
            self._save()
        elif status == CallbackStatus.CORRUPTED_FORCESAVE:
            logger.warning(
                "ONLYOFFICE Docs could not force-save %s (key %s, users %s)",
                self.obj.absolute_url(),
                self.callback.key,
                ", ".join(self.callback.users),
            )

    def _state(self):
        return documents.get_state(self.portal, self.obj, create=True)

    def _current_key(self):
        adapted = office_file(self.obj)
        return documents.current_key(self.portal, self.obj, adapted) if adapted else None

    # --- statuses 1 and 4 ---

    def _editing(self):
        state = self._state()
        key = self.callback.key
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
        state.editors[:] = list(self.callback.users)
        user = self._first_user(self.callback.users)
        if user is None:
            return
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
        kind = "forcesave" if self.callback.status in FORCESAVE_STATUSES else "save"
        return (self.callback.key, kind, self.callback.lastsave or self.callback.url or "")

    def _save(self):
        callback = self.callback
        state = documents.get_state(self.portal, self.obj)
        if state is not None and state.seen(self._marker()):
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
            if callback.status in SAVE_STATUSES:
                in_transaction(self._closed)
            return
        author = self._author()
        # Before downloading anything: refused results are left to Docs.
        with api.env.adopt_user(user=author):
            self._check_may_save(author)
        directory = saving.temporary_directory(self.obj)
        result = saving.download(
            self._plone_url(callback.url), self.settings, directory, self.settings.max_file_size
        )
        changes = None
        try:
            if callback.changesurl:
                changes = self._download_changes(directory)
            in_transaction(self._store, author, result, changes)
        finally:
            result.delete()
            if changes is not None:
                changes.delete()

    def _plone_url(self, url):
        """Docs' ``url`` on the address Plone reaches Docs at, checked to be on Docs."""
        url = self.settings.docs_url_for_plone(url)
        try:
            core.check_url(url, list(self.settings.docs_origins))
        except core.InvalidUrlError as exc:
            raise SaveError(
                f"the result URL {redact(url)} is refused: {redact_text(str(exc))}", 400
            ) from exc
        return url

    def _download_changes(self, directory):
        try:
            return saving.download(
                self._plone_url(self.callback.changesurl),
                self.settings,
                directory,
                self.settings.max_file_size,
            )
        except SaveError as exc:
            logger.warning(
                "could not fetch the changes of key %s (%s): history without them",
                self.callback.key,
                exc.message,
            )
            return None

    def _store(self, author, result, changes):
        callback = self.callback
        state = self._state()
        if state.seen(self._marker()):
            return
        current = self._current_key()
        forcesave = callback.status in FORCESAVE_STATUSES
        with ExitStack() as stack:
            stack.enter_context(api.env.adopt_user(user=author))
            # Again inside the transaction: rights may have changed during the download.
            self._check_may_save(author)
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
                    state.session = (callback.key, documents.oid(file))
                else:
                    locking.release(state, target, callback.key)
            else:
                self._store_stale(state, result, changes, forcesave)
                if not forcesave:
                    locking.release(state, self.obj, callback.key)
        state.remember(self._marker())

    def _store_stale(self, state, result, changes, forcesave):
        """The session's key is no longer the document's: keep both, never overwrite."""
        callback = self.callback
        copy_uid = state.diverted.get(callback.key)
        copy = api.content.get(UID=copy_uid) if copy_uid else None
        if copy is None:
            copy = saving.conflict_copy(self.obj, result, callback.filetype)
            state.diverted[callback.key] = IUUID(copy)
            saving.modified_with_version(copy, self._comment(forcesave))
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
        saving.store_file(target, result, self.callback.filetype)
        file = office_file(target).file
        if target._p_jar is not None and file._p_jar is None:
            # Give the new file its oid now: a force-saved session is bound to it.
            target._p_jar.add(file)
        return saving.modified_with_version(target, self._comment(forcesave))

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
                "users": list(self.callback.users),
                "history": json.loads(json.dumps(history)) if history else None,
                "changes": changes_file,
            }
        )

    # --- who ---

    def _first_user(self, user_ids):
        for user_id in user_ids:
            user = api.user.get(userid=user_id)
            if user is not None:
                return user
        return None

    def _author(self):
        """The Plone user the changes are saved for: Docs' ``users`` (the last changer)."""
        candidates = list(self.callback.users)
        for change in (self.callback.history or {}).get("changes") or ():
            user_id = (change.get("user") or {}).get("id")
            if user_id and user_id not in candidates:
                candidates.append(user_id)
        if not candidates:
            raise SaveError("the callback names no user: nobody to save the changes for", 403)
        user = api.user.get(userid=candidates[0])
        if user is None:
            raise SaveError(
                f"{candidates[0]!r}, who made the changes, is not a user of this site", 403
            )
        return user

    def _check_may_save(self, author):
        classification = classification_of(office_file(self.obj), self.settings)
        if not rights_for(self.obj, classification).can_open_editor:
            logger.warning(
                "%s may no longer edit %s: result of key %s refused, ONLYOFFICE Docs keeps it",
                author.getId(),
                self.obj.absolute_url(),
                self.callback.key,
            )
            raise SaveError(f"{author.getId()} may no longer edit this document", 403)

    def _comment(self, forcesave):
        names = []
        for change in (self.callback.history or {}).get("changes") or ():
            user = change.get("user") or {}
            name = user.get("name") or user.get("id")
            if name and name not in names:
                names.append(name)
        if not names:
            for user_id in self.callback.users:
                name = display_name(user_id)
                if name not in names:
                    names.append(name)
        who = ", ".join(names) or "?"
        if forcesave:
            return f"Saved in ONLYOFFICE by {who} (session goes on)"
        return f"Edited in ONLYOFFICE by {who}"
