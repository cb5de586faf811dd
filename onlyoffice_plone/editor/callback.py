"""``<item>/@@onlyoffice-callback``: what ONLYOFFICE Docs reports about an editing session.

Public, because Docs has no Plone login: a request is accepted only with the URL token
Plone signed for this document and this session key, and (with a JWT secret set) Docs' own
token. It then acts with the rights of the editing user.

Replies: ``{"error": 0}`` only once the result is committed; otherwise ``{"error": 1}`` with
HTTP 5xx for transient failures (Docs retries, then keeps the file in its forgotten store)
and 4xx for refusals (Docs keeps the file). A document is never lost.
"""

import datetime
import json
import logging
from contextlib import ExitStack

import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.protect.interfaces import IDisableCSRFProtection
from plone.uuid.interfaces import IUUID
from Products.Five.browser import BrowserView
from ZODB.POSException import ConflictError
from zope.interface import alsoProvides

from onlyoffice_plone import _core
from onlyoffice_plone.docs_auth import header_token
from onlyoffice_plone.editor import documents
from onlyoffice_plone.editor import locking
from onlyoffice_plone.editor import saving
from onlyoffice_plone.editor.config import callback_subject
from onlyoffice_plone.editor.config import classification_of
from onlyoffice_plone.editor.config import office_file
from onlyoffice_plone.editor.rights import rights_for
from onlyoffice_plone.editor.saving import SaveError
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.url_tokens import UrlTokenError
from onlyoffice_plone.url_tokens import check_url_token

logger = logging.getLogger("onlyoffice_plone")

#: How often one callback's transaction is tried when ZODB reports a conflict.
ATTEMPTS = 4
SAVE_STATUSES = (2, 3)
FORCESAVE_STATUSES = (6, 7)


class CallbackView(BrowserView):
    def __call__(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        if self.request.method != "POST":
            return self._reply(405, "POST only")
        settings = get_settings()
        portal = api.portal.get()
        try:
            callback = self._parse(settings)
        except _core.TokenError as exc:
            return self._refuse(403, f"ONLYOFFICE Docs' token was refused: {exc}")
        except _core.CallbackError as exc:
            return self._refuse(400, f"invalid callback: {exc}")
        uid = IUUID(self.context)
        try:
            check_url_token(
                portal,
                self.request.form.get("token"),
                "callback",
                callback_subject(uid, callback.key),
            )
        except UrlTokenError as exc:
            return self._refuse(403, f"callback URL token refused: {exc}")
        try:
            Session(self.context, self.request, portal, settings, callback).handle()
        except SaveError as exc:
            transaction.abort()
            logger.warning(
                "callback status %s for %s (key %s) failed: %s",
                callback.status,
                self.context.absolute_url(),
                callback.key,
                exc.message,
            )
            return self._reply(exc.status, exc.message)
        except Exception:
            transaction.abort()
            logger.exception(
                "callback status %s for %s (key %s) failed",
                callback.status,
                self.context.absolute_url(),
                callback.key,
            )
            return self._reply(500, "internal error while handling the callback")
        return self._reply(200)

    def _parse(self, settings):
        body = self.request.get("BODY") or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        return _core.parse_callback(
            body,
            header_token(self.request, settings.jwt_header),
            secret=settings.jwt_secret or None,
            leeway=settings.jwt_leeway,
            allowed_origins=list(settings.docs_origins),
        )

    def _refuse(self, status, message):
        logger.warning("refused a callback for %s: %s", self.context.absolute_url(), message)
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

    def __init__(self, obj, request, portal, settings, callback):
        self.obj = obj
        self.request = request
        self.portal = portal
        self.settings = settings
        self.callback = callback

    def handle(self):
        status = self.callback.status
        if status == 1:
            self._in_transaction(self._editing)
        elif status == 4:
            self._in_transaction(self._closed)
        elif status in SAVE_STATUSES or status == 6:
            self._save()
        elif status == 7:
            logger.warning(
                "ONLYOFFICE Docs could not force-save %s (key %s, users %s)",
                self.obj.absolute_url(),
                self.callback.key,
                ", ".join(self.callback.users),
            )

    # --- the transaction ---

    def _in_transaction(self, work, *args):
        """Run ``work`` and commit, retrying on ZODB conflicts; the reply waits for this."""
        for attempt in range(ATTEMPTS):
            try:
                result = work(*args)
                transaction.commit()
                return result
            except ConflictError:
                transaction.abort()
                logger.info("ZODB conflict on attempt %s, retrying", attempt + 1)
        raise SaveError("the database stayed busy (conflicts); try again", transient=True)

    def _state(self):
        return documents.get_state(self.portal, self.obj, create=True)

    # --- statuses 1 and 4 ---

    def _editing(self):
        state = self._state()
        state.editors[:] = list(self.callback.users)
        user = self._first_user(self.callback.users)
        if user is None:
            return
        with api.env.adopt_user(user=user):
            if not locking.lock(self.obj):
                logger.info(
                    "%s is locked by someone else; ONLYOFFICE session %s goes on unlocked",
                    self.obj.absolute_url(),
                    self.callback.key,
                )

    def _closed(self):
        state = self._state()
        del state.editors[:]
        if state.session is not None and state.session[0] == self.callback.key:
            state.session = None
        locking.unlock(self.obj)

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
                self._in_transaction(self._closed)
            return
        author = self._author()
        directory = saving.temporary_directory(self.obj)
        result = saving.download(
            callback.url, self.settings, directory, self.settings.max_file_size
        )
        changes = None
        try:
            if callback.changesurl:
                changes = self._download_changes(directory)
            self._in_transaction(self._store, author, result, changes)
        finally:
            result.delete()
            if changes is not None:
                changes.delete()

    def _download_changes(self, directory):
        try:
            return saving.download(
                self.callback.changesurl, self.settings, directory, self.settings.max_file_size
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
        adapted = office_file(self.obj)
        current = documents.current_key(self.portal, self.obj, adapted)
        forcesave = callback.status in FORCESAVE_STATUSES
        with ExitStack() as stack:
            stack.enter_context(api.env.adopt_user(user=author))
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
                    state.session = None
                    del state.editors[:]
                    locking.unlock(target)
            else:
                self._store_stale(state, result, changes, forcesave)
                if not forcesave:
                    locking.unlock(self.obj)
                    if state.session is not None and state.session[0] == callback.key:
                        state.session = None
        state.remember(self._marker())

    def _store_stale(self, state, result, changes, forcesave):
        """The session's key is no longer the document's: keep both, never overwrite."""
        callback = self.callback
        copy_uid = state.diverted.get(callback.key)
        copy = api.content.get(UID=copy_uid) if copy_uid else None
        if copy is None:
            copy = saving.conflict_copy(self.obj, result, callback.filetype, self.settings)
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
        saving.store_file(target, result, self.callback.filetype, self.settings)
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
        state.history.append(
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
        settings = self.settings
        classification = classification_of(office_file(self.obj), settings)
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
                user = api.user.get(userid=user_id)
                name = (user.getProperty("fullname", "") if user else "") or user_id
                if name not in names:
                    names.append(name)
        who = ", ".join(names) or "?"
        if forcesave:
            return f"Saved in ONLYOFFICE by {who} (session goes on)"
        return f"Edited in ONLYOFFICE by {who}"
