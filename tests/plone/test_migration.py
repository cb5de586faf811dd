"""Coming from onlyoffice.plone: its records as 4.1.0 writes them are taken over."""

import pytest
from plone.base.utils import get_installer
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component.hooks import setSite

from onlyoffice_plone import migration
from onlyoffice_plone.settings import get_jwt_secret
from onlyoffice_plone.settings import set_jwt_secret
from onlyoffice_plone_testing import old_addon

OLD_SETTINGS = {
    "docUrl": "https://docs.example.com/",
    "docInnerUrl": "http://onlyoffice/",
    "ploneUrl": "http://plone:8080/Plone",
    "jwtSecret": "old-add-on-secret",
}


def visible_old_actions(portal):
    found = [
        action.getId()
        for type_name in ("File", "Document")
        for action in portal.portal_types[type_name].listActions()
        if action.getId().startswith("onlyoffice-") and action.visible
    ]
    buttons = portal.portal_actions.object_buttons
    found += [a for a in old_addon.PORTAL_ACTIONS if buttons[a].visible]
    return sorted(found)


@pytest.fixture
def old_site(integration):
    portal = integration["portal"]
    setSite(portal)
    old_addon.install(portal, **OLD_SETTINGS)
    return portal


def test_records_of_4_1_0_are_taken_over(old_site):
    registry = getUtility(IRegistry)
    assert migration.pending(old_site)
    report = migration.migrate(old_site)
    assert registry["onlyoffice_plone.docs_url"] == "https://docs.example.com/"
    assert registry["onlyoffice_plone.docs_internal_url"] == "http://onlyoffice/"
    assert registry["onlyoffice_plone.plone_internal_url"] == "http://plone:8080/Plone"
    assert get_jwt_secret(old_site) == "old-add-on-secret"
    # The plain-text record is cleared; the older add-on's other records stay for it.
    assert registry["onlyoffice.plone.jwtSecret"] is None
    assert registry["onlyoffice.plone.docUrl"] == "https://docs.example.com/"
    assert len(report.taken) == 6  # three addresses, secret, cleared record, actions
    assert visible_old_actions(old_site) == []
    assert any("uninstall onlyoffice.plone" in str(m) for m in report.todo)
    assert not migration.pending(old_site)


def test_the_sites_own_settings_are_kept(old_site):
    registry = getUtility(IRegistry)
    registry["onlyoffice_plone.docs_url"] = "https://mine.example.com/"
    set_jwt_secret(old_site, "my-secret")
    report = migration.migrate(old_site)
    assert registry["onlyoffice_plone.docs_url"] == "https://mine.example.com/"
    assert get_jwt_secret(old_site) == "my-secret"
    assert registry["onlyoffice.plone.jwtSecret"] is None
    assert len(report.kept) == 2


def test_placeholder_and_bad_addresses_are_not_taken(integration):
    portal = integration["portal"]
    setSite(portal)
    old_addon.install(portal, docUrl="https://documentserver/", ploneUrl="not an address")
    report = migration.migrate(portal)
    registry = getUtility(IRegistry)
    assert registry["onlyoffice_plone.docs_url"] is None
    assert registry["onlyoffice_plone.plone_internal_url"] is None
    assert any("not an address" in str(m.mapping) for m in report.kept)


def test_onlyoffice_connector_records_are_read_too(integration):
    portal = integration["portal"]
    setSite(portal)
    old_addon.install(
        portal, prefix="onlyoffice.connector", docUrl="https://old.example.com/", jwtSecret="s"
    )
    migration.migrate(portal)
    assert getUtility(IRegistry)["onlyoffice_plone.docs_url"] == "https://old.example.com/"
    assert get_jwt_secret(portal) == "s"


def test_installing_takes_over_by_itself(integration):
    """Install-time hook: the add-on installed on a site that has onlyoffice.plone."""
    portal = integration["portal"]
    setSite(portal)
    installer = get_installer(portal, portal.REQUEST)
    installer.uninstall_product("onlyoffice_plone")
    old_addon.install(portal, **OLD_SETTINGS)
    installer.install_product("onlyoffice_plone")
    assert getUtility(IRegistry)["onlyoffice_plone.docs_url"] == "https://docs.example.com/"
    assert get_jwt_secret(portal) == "old-add-on-secret"
    assert visible_old_actions(portal) == []
