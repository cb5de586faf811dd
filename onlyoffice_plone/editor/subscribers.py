"""Keeping the add-on's own records in step with the site."""

from plone import api
from plone.uuid.interfaces import IUUID
from zope.component.hooks import getSite

from onlyoffice_plone.editor import documents

ACTION_IDS = ("onlyoffice_edit", "onlyoffice_view")


def forget_removed(obj, event):
    """An item left the site: drop what the add-on remembers about its sessions (its
    history records and their changes.zip blobs with them)."""
    uid = IUUID(obj, None)
    site = getSite()
    if uid and site is not None:
        documents.forget(site, uid)


def open_in_new_tab_changed(event):
    """Keep the toolbar actions' link target in step with "open in a new tab"."""
    if event.record.__name__ != "onlyoffice_plone.open_in_new_tab":
        return
    set_action_targets(bool(event.newValue))


def set_action_targets(new_tab):
    category = api.portal.get_tool("portal_actions").get("object")
    if category is None:
        return
    for action_id in ACTION_IDS:
        action = category.get(action_id)
        if action is not None:
            action._updateProperty("link_target", "_blank" if new_tab else "")
