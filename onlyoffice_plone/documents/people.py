"""The people ONLYOFFICE Docs names: Plone users by id, and what others may learn of them.

Naming someone asks the user folders (PAS), about a millisecond a principal; the editor page
names the current user and everyone its item is shared with. The current user's name comes
from the request's own user; other principals' names are remembered across requests by
``Names``: per site, bounded, thread-safe, forgotten when PAS says a principal changed
(properties set through Plone, a user or group deleted or created: ``subscribers``) and
after ``Names.LIFETIME`` seconds in any case, for what changes without telling this process
(another ZEO client, an LDAP directory, a group's title).
"""

import threading
import time
import weakref
from collections import OrderedDict

from AccessControl import getSecurityManager
from plone import api

from onlyoffice_plone.documents.rights import is_anonymous


def find_user(user_id, portal=None):
    """The user ``user_id`` of the site (or of Zope's root), wrapped for permission checks;
    None when there is none. One lookup per user folder (``api.user.get`` makes two, through
    the membership tool)."""
    if not user_id:
        return None
    portal = portal if portal is not None else api.portal.get()
    for acl in (portal.acl_users, portal.getPhysicalRoot().acl_users):
        user = acl.getUserById(user_id)
        if user is not None:
            return user.__of__(acl)
    return None


def _look_up_name(principal, portal):
    """The principal's name from the user folders: a user's full name (or id), a group's
    title (or id); None when there is no such principal."""
    user = find_user(principal, portal)
    if user is not None:
        return user.getProperty("fullname", "") or principal
    group = portal.portal_groups.getGroupById(principal)
    if group is not None:
        return group.getProperty("title", "") or principal
    return None


class Names:
    """Principals' names of one site, remembered across requests (least recently used
    first out)."""

    #: Most principals remembered per site.
    SIZE = 2000
    #: Seconds a name is trusted without PAS saying anything.
    LIFETIME = 60.0

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._names = OrderedDict()

    def get(self, principal, look_up):
        """``principal``'s name, from ``look_up(principal)`` when not remembered (or stale)."""
        now = self._clock()
        with self._lock:
            found = self._names.get(principal)
            if found is not None and found[0] > now:
                self._names.move_to_end(principal)
                return found[1]
        name = look_up(principal)  # outside the lock: PAS may be slow (LDAP)
        with self._lock:
            self._names[principal] = (now + self.LIFETIME, name)
            self._names.move_to_end(principal)
            while len(self._names) > self.SIZE:
                self._names.popitem(last=False)
        return name

    def forget(self, principal=None):
        """Forget ``principal``'s name (everyone's without one)."""
        with self._lock:
            if principal is None:
                self._names.clear()
            else:
                self._names.pop(principal, None)


#: ``{database: {site path: Names}}``: a test's or another database's site is another site.
_sites = weakref.WeakKeyDictionary()
_sites_lock = threading.Lock()


def names_of(portal):
    """The ``Names`` of ``portal``."""
    database = portal._p_jar.db() if portal._p_jar is not None else None
    path = portal.getPhysicalPath()
    with _sites_lock:
        per_database = _sites.setdefault(database, {}) if database is not None else {}
        return per_database.setdefault(path, Names())


def principal_name(principal, portal=None):
    """The name of a user or group of the site: full name or title, else the id; None when
    there is no such principal."""
    if not principal:
        return None
    portal = portal if portal is not None else api.portal.get()
    return names_of(portal).get(principal, lambda p: _look_up_name(p, portal))


def current_name():
    """The current user's full name (or id), from the request's own user: no lookup."""
    user = getSecurityManager().getUser()
    user_id = user.getId()
    getter = getattr(user, "getProperty", None)
    return (getter("fullname", "") if getter is not None else "") or user_id


def display_name(user_id):
    """The user's full name, or the id when there is none (or no such user)."""
    user = find_user(user_id)
    return (user.getProperty("fullname", "") if user is not None else "") or user_id


def may_see_people():
    """May the current user learn who created or edits an item?

    Anonymous visitors only when the site allows them "about" information
    (``plone.allow_anon_views_about``), as Plone's own byline does.
    """
    if not is_anonymous():
        return True
    return bool(api.portal.get_registry_record("plone.allow_anon_views_about", default=False))


def session_people(editor_ids):
    """Of the people in an item's ONLYOFFICE session (``editor_ids``): is the current user
    one of them, and the names of the others, as far as the current user may see people."""
    me = None if is_anonymous() else getSecurityManager().getUser().getId()
    in_session = me in editor_ids
    if not may_see_people():
        return in_session, []
    return in_session, [display_name(uid) for uid in editor_ids if uid != me]
