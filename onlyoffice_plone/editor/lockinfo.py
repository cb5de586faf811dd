"""Plone's "Locked" notice, without its cost on items nobody has locked.

Installing the add-on switches plone.locking on for File, and with it Plone's lock notice
viewlet (``plone.lockinfo``), whose template asks plone.locking three times (and looks up
icons and the lock owner) on every view of every unlocked file. This one asks once: an
unlocked item gets the same empty placeholder, a locked one Plone's own notice.
"""

from plone.app.layout.viewlets.locking import LockInfoViewlet
from plone.locking.interfaces import ILockable

EMPTY = '<div id="plone-lock-status"></div>'


class CheapLockInfoViewlet(LockInfoViewlet):
    def render(self):
        lockable = ILockable(self.context, None)
        if lockable is None or not lockable.lock_info():
            return EMPTY
        return super().render()
