"""Keeping the editor's toolbar actions in step with the settings."""

from plone import api

ACTION_IDS = ("onlyoffice_edit", "onlyoffice_view")


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
