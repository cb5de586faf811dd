"""Install and uninstall steps that GenericSetup's XML cannot express."""

import logging

from plone.base.interfaces import INonInstallable
from Products.CMFCore.utils import getToolByName
from zope.annotation.interfaces import IAnnotations
from zope.interface import implementer

from onlyoffice_plone.settings import INSTANCE_SECRET_KEY
from onlyoffice_plone.settings import instance_secret

logger = logging.getLogger("onlyoffice_plone")


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """Keep the uninstall profile out of Site Setup → Add-ons."""
        return ["onlyoffice_plone:uninstall"]

    def getNonInstallableProducts(self):
        return []


def _portal(setup_tool):
    return getToolByName(setup_tool, "portal_url").getPortalObject()


def post_install(context):
    """Run after the default profile: give the site its own secret now.

    Created here rather than on first use, so that a request Docs makes while another
    request is still open already finds it committed.
    """
    instance_secret(_portal(context))
    logger.info("ONLYOFFICE add-on installed")


def uninstall(context):
    """Run after the uninstall profile: forget the site's secret."""
    IAnnotations(_portal(context)).pop(INSTANCE_SECRET_KEY, None)
    logger.info("ONLYOFFICE add-on uninstalled")
