"""1002 → 1003: the Actions menu's entries of the add-on carry no description.

Plone's Actions menu renders an entry's description as its tooltip and translates it twice:
in the entry's own domain, then the result again in Plone's domain, whose language is
negotiated anew among every language Plone ships, on every page that shows the entry.
Plone's own entries there (Cut, Copy, Delete, Rename…) have none. "Convert to Office Open
XML" and "Download as…" now have none either; a description a site has written itself is
kept. The toolbar's ONLYOFFICE Edit and View keep theirs: the toolbar translates once.
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


def upgrade(context):
    portal = portal_of(context)
    category = portal.portal_actions.get("object_buttons")
    for action_id, description in DESCRIPTIONS_OF_1002.items():
        action = category.get(action_id) if category is not None else None
        if action is not None and action.getProperty("description") == description:
            action._setPropValue("description", "")
    logger.info("ONLYOFFICE add-on upgraded to profile version 1003")
