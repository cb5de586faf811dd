"""Plone's lock banner, told right for an ONLYOFFICE lock, and cheap on unlocked items.

Plone's ``plone.lockinfo`` viewlet names the lock's creator only and tells everyone else the
item is "locked": above her own editor, a co-editor read "locked by" the colleague who opened
the document first. An ONLYOFFICE lock is a co-editing session, which everyone who may edit
joins by opening the document: the banner names the people in it and says how to join, and
to someone in the session it says who else is there. Other locks keep Plone's banner. On an
item's own page the "Being edited in ONLYOFFICE by …" line of the open viewlet says it
already, so the banner stays away there; and so it does above the editor itself, which shows
who is in the session as they come and go, where a line drawn before the user joined could
only be out of date (it told a co-editor opening the document to open it to join).

Installing the add-on switches plone.locking on for File, and with it this viewlet, whose
template asks plone.locking three times (and looks up icons and the lock owner) on every view
of every unlocked file: this one asks once (not at all for an item never locked), and an
unlocked item gets the same empty placeholder, as do people who may not modify the item,
locked or not. It is registered public and checks that permission itself, on a locked item
only, so that an unlocked item's page asks nobody's roles.
"""

from plone import api
from plone.app.layout.globals.interfaces import IViewView
from plone.app.layout.viewlets.locking import LockInfoViewlet as PloneLockInfoViewlet
from plone.locking.browser.locking import LockingInformation as PloneLockingInformation
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.people import session_people
from onlyoffice_plone.documents.rights import MODIFY
from onlyoffice_plone.documents.rights import may
from onlyoffice_plone.interfaces import IEditorPage

EMPTY = '<div id="plone-lock-status"></div>'


class LockInfoViewlet(PloneLockInfoViewlet):
    onlyoffice_template = ViewPageTemplateFile("templates/lockinfo.pt")

    def render(self):
        info = locking.lock_info(self.context)
        if not info:
            return EMPTY
        # Registered public (configure.zcml), so that an unlocked item's page asks nobody's
        # roles: a locked item's banner is, as Plone's, for those who may modify it; the
        # others get the same placeholder as for an unlocked item (nothing tells them).
        if not may(MODIFY, self.context):
            return EMPTY
        if not locking.is_onlyoffice_lock(info):
            return super().render()
        if IViewView.providedBy(self.view) or IEditorPage.providedBy(self.view):
            return ""
        state = documents.get_state(api.portal.get(), self.context)
        editor_ids = list(state.editors) if state is not None else []
        self.in_session, self.others = session_people(editor_ids)
        return self.onlyoffice_template()


class LockingInformation(PloneLockingInformation):
    """plone.locking's ``@@plone_lock_info``, answering for an item never locked without
    asking plone.locking (Plone's toolbar asks twice on every view of a lockable item)."""

    def is_locked(self):
        return False if locking.never_locked(self.context) else super().is_locked()

    def is_locked_for_current_user(self):
        if locking.never_locked(self.context):
            return False
        return super().is_locked_for_current_user()
