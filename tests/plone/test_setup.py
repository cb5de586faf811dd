"""Installing and uninstalling the add-on from Site Setup → Add-ons."""

import pytest
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.browserlayer.utils import registered_layers
from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility

from onlyoffice_plone.interfaces import IOnlyofficePloneLayer
from onlyoffice_plone.interfaces import IOnlyofficeSettings
from onlyoffice_plone.settings import INSTANCE_SECRET_KEY
from onlyoffice_plone.settings import JWT_SECRET_KEY
from onlyoffice_plone.settings import set_jwt_secret
from onlyoffice_plone.setuphandlers import HiddenProfiles

PACKAGE = "onlyoffice_plone"
FIELDS = [
    "docs_url",
    "docs_internal_url",
    "plone_internal_url",
    "jwt_secret",
    "jwt_header",
    "jwt_leeway",
    "verify_tls",
    "max_file_size_mb",
    "forcesave",
    "templates_folder",
    "lossy_edit_formats",
    "open_in_new_tab",
    "chat",
    "comments",
    "help",
    "feedback",
    "compact_header",
    "compact_toolbar",
    "macros",
    "plugins",
]


def configlet_ids(portal):
    return [c.getId() for c in portal.portal_controlpanel.listActions()]


class TestInstalled:
    def test_product_is_installed(self, installer):
        assert installer.is_product_installed(PACKAGE)

    def test_profile_version(self, portal):
        setup = portal.portal_setup
        assert setup.getLastVersionForProfile(f"{PACKAGE}:default") == ("1004",)
        assert setup.listUpgrades(f"{PACKAGE}:default") == []

    def test_browser_layer_registered(self, portal):
        assert IOnlyofficePloneLayer in registered_layers()

    def test_every_setting_but_the_secret_is_a_registry_record(self, portal):
        registry = getUtility(IRegistry)
        assert sorted(IOnlyofficeSettings.names()) == sorted(FIELDS)
        for name in FIELDS:
            if name == "jwt_secret":
                # Kept in the site's annotations, out of every registry view.
                assert f"{PACKAGE}.{name}" not in registry.records
            else:
                assert f"{PACKAGE}.{name}" in registry.records, name

    def test_defaults(self, portal):
        registry = getUtility(IRegistry)
        assert registry[f"{PACKAGE}.jwt_header"] == "Authorization"
        assert registry[f"{PACKAGE}.jwt_leeway"] == 60
        assert registry[f"{PACKAGE}.verify_tls"] is True
        assert registry[f"{PACKAGE}.max_file_size_mb"] == 100
        assert registry[f"{PACKAGE}.forcesave"] is False
        assert registry[f"{PACKAGE}.lossy_edit_formats"] == []
        assert registry[f"{PACKAGE}.docs_url"] is None

    def test_control_panel_listed_for_managers(self, portal):
        assert PACKAGE in configlet_ids(portal)
        configlet = next(
            c for c in portal.portal_controlpanel.listActions() if c.getId() == PACKAGE
        )
        assert configlet.Title() == "ONLYOFFICE Configuration"
        assert configlet.getPermissions() == ("Manage portal",)

    def test_site_has_its_own_secret(self, portal):
        secret = IAnnotations(portal)[INSTANCE_SECRET_KEY]
        assert len(secret) >= 40

    def test_add_ons_offers_install_and_uninstall_profiles(self, installer):
        assert installer.get_install_profile(PACKAGE)["id"] == f"{PACKAGE}:default"
        assert installer.get_uninstall_profile(PACKAGE)["id"] == f"{PACKAGE}:uninstall"
        # Site Setup → Add-ons lists the add-on by its default profile only.
        assert f"{PACKAGE}:uninstall" in HiddenProfiles().getNonInstallableProfiles()


class TestUninstalled:
    @pytest.fixture(autouse=True)
    def uninstall(self, portal, installer):
        setRoles(portal, TEST_USER_ID, ["Manager"])
        set_jwt_secret(portal, "a secret to forget")
        installer.uninstall_product(PACKAGE)

    def test_product_uninstalled(self, installer):
        assert not installer.is_product_installed(PACKAGE)

    def test_browser_layer_removed(self, portal):
        assert IOnlyofficePloneLayer not in registered_layers()

    def test_registry_records_removed(self, portal):
        registry = getUtility(IRegistry)
        assert [r for r in registry.records if r.startswith(f"{PACKAGE}.")] == []
        assert [r for r in registry.records if r.startswith("plone.icon.onlyoffice-")] == []
        assert "plone.icon.pencil-square" in registry.records, "Plone's own icons stay"

    def test_control_panel_removed(self, portal):
        assert PACKAGE not in configlet_ids(portal)

    def test_site_secret_and_jwt_secret_removed(self, portal):
        assert INSTANCE_SECRET_KEY not in IAnnotations(portal)
        assert JWT_SECRET_KEY not in IAnnotations(portal)

    def test_reinstall_restores_everything(self, portal, installer):
        installer.install_product(PACKAGE)
        assert IOnlyofficePloneLayer in registered_layers()
        assert PACKAGE in configlet_ids(portal)
        assert f"{PACKAGE}.docs_url" in getUtility(IRegistry).records
