"""Keeping the add-on's records of documents in step with the site."""

from plone.uuid.interfaces import IUUID
from zope.component.hooks import getSite

from onlyoffice_plone.documents import state


def forget_removed(obj, event):
    """An item left the site: drop what the add-on remembers about its sessions (its
    history records and their changes.zip blobs with them)."""
    uid = IUUID(obj, None)
    site = getSite()
    if uid and site is not None:
        state.forget(site, uid)
