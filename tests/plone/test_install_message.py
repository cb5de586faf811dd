"""After installing, Managers are told where the add-on is configured."""

from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from Products.statusmessages.interfaces import IStatusMessage

from onlyoffice_plone.settings import get_settings

PACKAGE = "onlyoffice_plone"


def test_installing_says_where_to_configure(portal, installer):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    installer.uninstall_product(PACKAGE)
    IStatusMessage(portal.REQUEST).show()  # start from no messages
    installer.install_product(PACKAGE)
    assert not get_settings().configured
    messages = [m.message for m in IStatusMessage(portal.REQUEST).show()]
    controlpanel = f"{portal.absolute_url()}/@@onlyoffice-controlpanel"
    assert any("ONLYOFFICE Configuration" in m and controlpanel in m for m in messages), messages
