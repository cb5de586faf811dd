"""1001 → 1002: the add-on's actions name their own icons.

The actions' icons are now ``onlyoffice-edit``, ``-view``, ``-convert`` and ``-download-as``,
registry records pointing at Bootstrap's SVGs (a site may point them elsewhere), so that the
add-on's icon resolver can keep their SVG instead of Plone reading it on every page
(browser/icons.py). Re-importing the registry and the actions keeps the settings' values.
"""

import logging

from onlyoffice_plone.setuphandlers import portal_of

logger = logging.getLogger("onlyoffice_plone")

PROFILE = "profile-onlyoffice_plone:default"
STEPS = ("plone.app.registry", "actions")


def upgrade(context):
    portal_of(context)  # the step runs in a Plone site
    for step in STEPS:
        context.runImportStepFromProfile(PROFILE, step, run_dependencies=False)
    logger.info("ONLYOFFICE add-on upgraded to profile version 1002")
