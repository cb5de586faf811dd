"""1000 → 1001: from the first profile to the settings, actions and permissions of today.

Sites installed with profile version 1000 have the browser layer, the control panel and the
first settings only, with the JWT secret as a plain registry record. This step brings them to
what a fresh install of 1001 gives: every record (``templates_folder`` added, the fields' titles
and descriptions of today), the secret in the site's annotations, the actions, the role map,
locking and versioning for File; and it takes over onlyoffice.plone's settings when present.
"""

import logging

from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from onlyoffice_plone.settings import PREFIX
from onlyoffice_plone.settings import get_jwt_secret
from onlyoffice_plone.settings import set_jwt_secret
from onlyoffice_plone.setuphandlers import finish_install
from onlyoffice_plone.setuphandlers import portal_of

logger = logging.getLogger("onlyoffice_plone")

PROFILE = "profile-onlyoffice_plone:default"
#: Every import step of profiles/default (metadata.xml aside).
STEPS = ("browserlayer", "controlpanel", "plone.app.registry", "actions", "rolemap")


def move_secret_out_of_the_registry(portal):
    """Version 1000 kept the secret as the record onlyoffice_plone.jwt_secret: move it."""
    registry = getUtility(IRegistry)
    name = f"{PREFIX}.jwt_secret"
    if name in registry.records:
        value = registry.records[name].value
        if value and not get_jwt_secret(portal):
            set_jwt_secret(portal, value)
        del registry.records[name]


def upgrade(context):
    portal = portal_of(context)
    move_secret_out_of_the_registry(portal)
    for step in STEPS:
        context.runImportStepFromProfile(PROFILE, step, run_dependencies=False)
    finish_install(portal)
    logger.info("ONLYOFFICE add-on upgraded to profile version 1001")
