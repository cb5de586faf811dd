"""The lock an item carries while it is open for editing in ONLYOFFICE.

A dedicated plone.locking lock type: not stealable and not unlockable by users, so nobody
uploads another file through Plone while the co-editing session is open. Docs refreshes it
with every status 1 (someone joins or leaves) and removes it when the session ends (status 2,
3 or 4, or a save Plone refuses). The maintenance run (``editor.recovery.sweep_locks``)
asks Docs about every locked session: one Docs no longer knows loses its lock, a live one is
refreshed by the status 1 Docs sends in answer; so the lock lives as long as Docs' session.
Its timeout only matters when no maintenance runs and Docs never reports the end.

The lock belongs to one session: ``DocumentState.lock_key`` is that session's key, and a
callback of another session neither takes nor releases it while it is held.

plone.locking's own ways to remove a lock (the "Unlock" button, ``@@plone_lock_operations/
force_unlock``, ``DELETE @lock`` with ``force``) only ever remove its default lock type, so
they cannot remove this one, whatever its ``stealable``/``user_unlockable`` flags say; and
letting every editor break a live co-editing session would split it. Managers (Manage
portal) remove it with ``@@onlyoffice-unlock`` (a button beside "Being edited in
ONLYOFFICE by …") or ``DELETE <item>/@onlyoffice-lock``; Plone then asks Docs to drop the
session's editors, so Docs saves their edits (see ``editor.views.remove_lock``).
"""

from Acquisition import aq_base
from plone.locking.interfaces import ILockable
from plone.locking.interfaces import LockType

from onlyoffice_plone.settings import forget_request_cache

#: Minutes. A day, the ceiling: status 1 callbacks (someone joins or leaves, or Docs answers
#: the maintenance run's ``info``) refresh the lock.
LOCK_TIMEOUT = 24 * 60

ONLYOFFICE_LOCK = LockType(
    "onlyoffice_plone.editing", stealable=False, user_unlockable=False, timeout=LOCK_TIMEOUT
)


def lockable(obj):
    return ILockable(obj, None)


def never_locked(obj):
    """Has ``obj`` never held a lock? Then plone.locking's ``lock_info()`` is empty.

    plone.locking keeps its locks in Zope's WebDAV lock mapping, which an item only gets
    with its first lock; until then ``lock_info()`` reads that no mapping is there, through
    an adapter, the item's annotations and ten more calls. Installing the add-on switches
    plone.locking on for File, and every view of a file asks (Plone's toolbar twice): this
    answers those that were never locked without asking.
    """
    return getattr(aq_base(obj), "_dav_writelocks", None) is None


def lock_info(obj):
    """plone.locking's ``lock_info()`` of ``obj`` (empty when it cannot be locked)."""
    if never_locked(obj):
        return []
    target = lockable(obj)
    return target.lock_info() if target is not None else []


def lock(obj):
    """Lock ``obj`` for the current (editing) user, or refresh the lock it already has."""
    target = lockable(obj)
    if target is None:
        return False
    forget_request_cache()  # what the pages showed of the lock (documents/status.py)
    if is_locked_by_us(obj):
        target.refresh_lock(ONLYOFFICE_LOCK)
        return True
    target.lock(ONLYOFFICE_LOCK)
    return is_locked_by_us(obj)


def unlock(obj):
    target = lockable(obj)
    if target is not None:
        forget_request_cache()
        target.unlock(ONLYOFFICE_LOCK, stealable_only=False)


def is_locked_by_us(obj):
    return is_onlyoffice_lock(lock_info(obj))


def is_onlyoffice_lock(lock_info):
    """Does plone.locking's ``lock_info()`` hold the ONLYOFFICE lock?"""
    return any(
        getattr(info["type"], "__name__", None) == ONLYOFFICE_LOCK.__name__ for info in lock_info
    )


def holds(state, obj, key):
    """May session ``key`` change the lock and the editors of ``obj``?

    Yes when it owns them, when no ONLYOFFICE lock is held, or when the owner is unknown
    (a lock taken before owners were recorded).
    """
    return state.lock_key in (None, key) or not is_locked_by_us(obj)


def release(state, obj, key=None):
    """End what session ``key`` holds on ``obj``: its lock, editors, force-save binding.

    ``key=None`` releases whatever session holds them (a Manager's unlock). Returns False
    when another session holds the lock and nothing was released.
    """
    if state is not None and state.session is not None and key in (None, state.session[0]):
        state.session = None
    if state is not None:
        if key is not None and not holds(state, obj, key):
            return False
        del state.editors[:]
        state.lock_key = None
    unlock(obj)
    return True
