"""The lock an item carries while it is open for editing in ONLYOFFICE.

A dedicated plone.locking lock type: not stealable and not unlockable by users, so nobody
uploads another file through Plone while the co-editing session is open. Docs refreshes it
with every status 1 (someone joins or leaves) and removes it when the session ends (status 2,
3 or 4). Its timeout only matters when Docs never reports the end of a session.
"""

from plone.locking.interfaces import ILockable
from plone.locking.interfaces import LockType

#: Minutes. A day: status 1 callbacks refresh the lock whenever someone joins or leaves.
LOCK_TIMEOUT = 24 * 60

ONLYOFFICE_LOCK = LockType(
    "onlyoffice_plone.editing", stealable=False, user_unlockable=False, timeout=LOCK_TIMEOUT
)


def lockable(obj):
    return ILockable(obj, None)


def lock(obj):
    """Lock ``obj`` for the current (editing) user, or refresh the lock it already has."""
    target = lockable(obj)
    if target is None:
        return False
    if is_locked_by_us(obj):
        target.refresh_lock(ONLYOFFICE_LOCK)
        return True
    target.lock(ONLYOFFICE_LOCK)
    return is_locked_by_us(obj)


def unlock(obj):
    target = lockable(obj)
    if target is not None:
        target.unlock(ONLYOFFICE_LOCK, stealable_only=False)


def is_locked_by_us(obj):
    target = lockable(obj)
    if target is None:
        return False
    return any(
        getattr(info["type"], "__name__", None) == ONLYOFFICE_LOCK.__name__
        for info in target.lock_info()
    )
