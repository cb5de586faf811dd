"""An item's ONLYOFFICE status as the pages around it ask: decided once per request.

Every page of a site asks of the item it shows whether to offer "ONLYOFFICE Edit", "View",
"Convert", "Download as" (four action conditions), and the viewlet asks again, with who is
editing it. ``status_of(obj)`` answers all of them from one object per request, item and user
(kept in the request's memory, ``settings.request_cache()``), each fact computed at most
once and only when asked, the cheap facts first: is ONLYOFFICE Docs configured at all, does
the item hold a file, what kind of file, then the permission checks and the lock.

For the pages only: code that changes an item (a save, a conversion) decides from the item as
it is then, not from here. Changing the settings, modifying an item or taking or releasing
the ONLYOFFICE lock drops what the request remembers.
"""

import functools

from AccessControl import getSecurityManager
from Acquisition import aq_base

from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.settings import forget_request_cache
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import request_cache

MANAGE_PORTAL = "Manage portal"


class ItemStatus:
    """What the current user may do with one item in ONLYOFFICE, computed lazily."""

    def __init__(self, obj, settings):
        self.obj = obj
        self.settings = settings

    @functools.cached_property
    def classification(self):
        """What the core says of the item's file; None: no office document, or no Docs."""
        if not self.settings.configured:
            return None
        return classification_of(office_file(self.obj), self.settings)

    @functools.cached_property
    def rights(self):
        if self.classification is None:
            return None
        return rights_for(self.obj, self.classification)

    @property
    def can_edit(self):
        rights = self.rights
        return bool(rights and rights.can_open_editor and self.settings.editing_enabled)

    @property
    def can_view(self):
        rights = self.rights
        return bool(rights and rights.view)

    @functools.cached_property
    def locked_by_us(self):
        return locking.is_locked_by_us(self.obj)

    @property
    def can_unlock(self):
        """Is the item locked for ONLYOFFICE, and may the current user remove that lock?"""
        return self.locked_by_us and bool(
            getSecurityManager().checkPermission(MANAGE_PORTAL, self.obj)
        )


def status_of(obj):
    """The ItemStatus of ``obj`` for the current user, once per request."""
    cache = request_cache()
    settings = get_settings()
    if cache is None:
        return ItemStatus(obj, settings)
    statuses = cache.setdefault("statuses", {})
    # The status keeps the item alive, so its id() is not reused within the request.
    key = (id(aq_base(obj)), getSecurityManager().getUser().getId())
    status = statuses.get(key)
    if status is None or status.settings is not settings:
        status = statuses[key] = ItemStatus(obj, settings)
    return status


def item_changed(obj, event):
    """An item was modified: what the request remembers of items may be out of date."""
    forget_request_cache()
