"""1002 → 1003: the add-on's actions ask their conditions of Python functions.

The four conditions were paths to views (``object/@@onlyoffice-status/can_edit|nothing``);
they now call ``onlyoffice_plone.browser.conditions``, at half the cost on every page that
lists actions (see that module). Only a condition still as the add-on set it is changed: one
a site administrator rewrote stays hers, and nothing else of the actions (visible, title,
order) is touched.
"""

import logging

from onlyoffice_plone.setuphandlers import portal_of

logger = logging.getLogger("onlyoffice_plone")

CONDITIONS = "python:modules['onlyoffice_plone.browser.conditions']"
#: (category, action): (the condition of profile 1002, the condition of 1003)
CHANGED = {
    ("object", "onlyoffice_edit"): (
        "object/@@onlyoffice-status/can_edit|nothing",
        f"{CONDITIONS}.can_edit(object)",
    ),
    ("object", "onlyoffice_view"): (
        "object/@@onlyoffice-status/can_view|nothing",
        f"{CONDITIONS}.can_view(object)",
    ),
    ("object_buttons", "onlyoffice_convert"): (
        "object/@@onlyoffice-conversion-status/can_convert|nothing",
        f"{CONDITIONS}.can_convert(object)",
    ),
    ("object_buttons", "onlyoffice_download_as"): (
        "object/@@onlyoffice-conversion-status/can_download_as|nothing",
        f"{CONDITIONS}.can_download_as(object)",
    ),
}


def upgrade(context):
    portal = portal_of(context)
    actions = portal.portal_actions
    for (category, name), (old, new) in CHANGED.items():
        action = actions[category].get(name) if category in actions else None
        if action is None:
            continue
        current = action.getProperty("available_expr")
        if current == old:
            action._setPropValue("available_expr", new)
        elif current != new:
            logger.info("Kept the condition of the action %s/%s: it was changed", category, name)
    logger.info("ONLYOFFICE add-on upgraded to profile version 1003")
