"""1002 (or 1003) → 1004: the Actions menu's entries of the add-on carry no description.

Plone's Actions menu renders an entry's description as its tooltip and translates it twice:
in the entry's own domain, then the result again in Plone's domain, whose language is
negotiated anew among every language Plone ships, on every page that shows the entry.
Plone's own entries there (Cut, Copy, Delete, Rename…) have none. "Convert to Office Open
XML" and "Download as…" now have none either; a description a site has written itself is
kept. The toolbar's ONLYOFFICE Edit and View keep theirs: the toolbar translates once.

Profile version 1003 was given, for a few hours of development and never released, to
actions whose conditions called ``onlyoffice_plone.browser.conditions`` (a module since
removed). A site upgraded to it gets its path conditions back here, where it still has
those; a condition an administrator rewrote stays hers.
"""

import logging

from onlyoffice_plone.setuphandlers import portal_of

logger = logging.getLogger("onlyoffice_plone")

#: The descriptions profile 1002 gave the Actions menu's entries, by action id.
DESCRIPTIONS_OF_1002 = {
    "onlyoffice_convert": "Convert this document with ONLYOFFICE so that it can be edited.",
    "onlyoffice_download_as": (
        "Download this document in another format, converted by ONLYOFFICE."
    ),
}

_REMOVED = "python:modules['onlyoffice_plone.browser.conditions']"
#: (category, action): (the unreleased 1003's condition, the condition of 1002 and 1004)
CONDITIONS_OF_1003 = {
    ("object", "onlyoffice_edit"): (
        f"{_REMOVED}.can_edit(object)",
        "object/@@onlyoffice-status/can_edit|nothing",
    ),
    ("object", "onlyoffice_view"): (
        f"{_REMOVED}.can_view(object)",
        "object/@@onlyoffice-status/can_view|nothing",
    ),
    ("object_buttons", "onlyoffice_convert"): (
        f"{_REMOVED}.can_convert(object)",
        "object/@@onlyoffice-conversion-status/can_convert|nothing",
    ),
    ("object_buttons", "onlyoffice_download_as"): (
        f"{_REMOVED}.can_download_as(object)",
        "object/@@onlyoffice-conversion-status/can_download_as|nothing",
    ),
}


def _action(portal, category, name):
    actions = portal.portal_actions
    return actions[category].get(name) if category in actions.objectIds() else None


def upgrade(context):
    portal = portal_of(context)
    for name, description in DESCRIPTIONS_OF_1002.items():
        action = _action(portal, "object_buttons", name)
        if action is not None and action.getProperty("description") == description:
            action._setPropValue("description", "")
    for (category, name), (removed, condition) in CONDITIONS_OF_1003.items():
        action = _action(portal, category, name)
        if action is not None and action.getProperty("available_expr") == removed:
            action._setPropValue("available_expr", condition)
    logger.info("ONLYOFFICE add-on upgraded to profile version 1004")
