"""A site as the add-on's first profile version (1000, commit 5302856) left it.

``profile/`` holds that version's profiles/default verbatim, except that registry.xml names
the copy of that version's settings schema in ``interfaces.py`` (today's schema has other
fields); the records are then renamed to the add-on's interface, as 1000 had registered them.
``install`` applies that profile and runs what 1000's post_install ran, then records the
profile as installed at version 1000, as GenericSetup does.
"""

import pathlib

from plone.registry.interfaces import IRegistry
from Products.GenericSetup.interfaces import EXTENSION
from Products.GenericSetup.registry import _profile_registry
from zope.component import getUtility

from onlyoffice_plone.settings import PREFIX
from onlyoffice_plone.settings import instance_secret

PROFILE_NAME = "onlyoffice_plone_testing:first_version"
ADDON_PROFILE = "onlyoffice_plone:default"
ADDON_INTERFACE = "onlyoffice_plone.interfaces.IOnlyofficeSettings"


def _register_profile():
    if PROFILE_NAME not in _profile_registry.listProfiles():
        _profile_registry.registerProfile(
            "first_version",
            "ONLYOFFICE, profile version 1000",
            "",
            str(pathlib.Path(__file__).parent / "profile"),
            product="onlyoffice_plone_testing",
            profile_type=EXTENSION,
        )


def install(portal, jwt_secret=""):
    setup = portal.portal_setup
    _register_profile()
    setup.runAllImportStepsFromProfile(f"profile-{PROFILE_NAME}")
    registry = getUtility(IRegistry)
    for name, record in registry.records.items():
        if name.startswith(f"{PREFIX}.") and hasattr(record.field, "interfaceName"):
            record.field.interfaceName = ADDON_INTERFACE
            registry.records[name] = record
    if jwt_secret:
        registry[f"{PREFIX}.jwt_secret"] = jwt_secret
    # Version 1000's post_install.
    instance_secret(portal)
    setup.setLastVersionForProfile(ADDON_PROFILE, "1000")
    setup.setLastVersionForProfile(PROFILE_NAME, "unknown")
