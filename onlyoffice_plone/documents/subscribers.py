"""Keeping the add-on's records of documents in step with the site."""

from plone.uuid.interfaces import IUUID
from zope.component.hooks import getSite

from onlyoffice_plone.documents import state
from onlyoffice_plone.documents.people import names_of


def forget_removed(obj, event):
    """An item left the site: drop what the add-on remembers about its sessions (its
    history records and their changes.zip blobs with them)."""
    uid = IUUID(obj, None)
    site = getSite()
    if uid and site is not None:
        state.forget(site, uid)


def forget_principal(event):
    """PAS says a user or group changed, came or went: forget the name the editor remembers
    (everyone's when the event does not say whose)."""
    site = getSite()
    if site is None or getattr(site, "_p_jar", None) is None:
        return
    principal = event.principal
    if principal is not None and not isinstance(principal, str):
        getter = getattr(principal, "getId", None)
        principal = getter() if getter is not None else None
    names_of(site).forget(principal or None)
