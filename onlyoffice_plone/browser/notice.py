"""Telling Managers that the add-on needs its configuration, where they will see it.

Until ONLYOFFICE Docs' address is set, office files show no ONLYOFFICE action at all; a
Manager looking at one is told so, with a link to the control panel. Nobody else sees it.
Installing the add-on says the same once, as a status message (``install_message``).
"""

from plone import api
from plone.app.layout.viewlets import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.globalrequest import getRequest
from zope.publisher.interfaces.browser import IBrowserRequest

from onlyoffice_plone import _
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.rights import may
from onlyoffice_plone.settings import get_settings

CONTROLPANEL = "@@onlyoffice-controlpanel"
MANAGE_PORTAL = "Manage portal"


def controlpanel_url():
    return f"{api.portal.get().absolute_url()}/{CONTROLPANEL}"


class NotConfiguredViewlet(ViewletBase):
    """On an office file's page, for Managers, while Docs' address is not set."""

    index = ViewPageTemplateFile("templates/not_configured.pt")

    def update(self):
        # Registered public (configure.zcml): Docs configured, the notice is nobody's, and
        # nobody's roles need asking; otherwise it is for those who manage the site.
        settings = get_settings()
        self.show = (
            not settings.configured
            and may(MANAGE_PORTAL, self.context)
            and classification_of(office_file(self.context), settings) is not None
        )
        self.url = controlpanel_url() if self.show else None

    def render(self):
        return self.index() if self.show else ""

    def available(self):
        return self.show


def install_message(request=None):
    """After install, while Docs' address is not set: say where to configure the add-on."""
    request = request if request is not None else getRequest()
    if not IBrowserRequest.providedBy(request) or get_settings().configured:
        return  # a script's install: nobody to tell
    api.portal.show_message(
        _(
            "ONLYOFFICE is installed. Enter the address of ONLYOFFICE Docs and its secret key "
            "in Site Setup → ONLYOFFICE Configuration (${url}): until then office files "
            "show no ONLYOFFICE actions.",
            mapping={"url": controlpanel_url()},
        ),
        request=request,
        type="warning",
    )
