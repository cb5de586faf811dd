"""Site Setup → Add-ons → Upgrade: a site of profile version 1000 ends as a fresh install.

Two new sites in the layer's Zope: one installs today's profile, the other gets what the
first profile version (1000) installed and is then upgraded the way the Add-ons page does it
(``upgrade_product``). GenericSetup's own exports of both must be identical: registry,
actions, types, role map, versioning, browser layer and control panel.
"""

import io
import re
import tarfile

import pytest
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.base.utils import get_installer
from plone.registry.interfaces import IRegistry
from Products.CMFPlone.factory import addPloneSite
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.component.hooks import setSite

from onlyoffice_plone.settings import INSTANCE_SECRET_KEY
from onlyoffice_plone.settings import get_jwt_secret
from onlyoffice_plone.setuphandlers import INSTALL_CHANGES_KEY
from onlyoffice_plone.upgrades.v1004 import CONDITIONS_OF_1003
from onlyoffice_plone.upgrades.v1004 import DESCRIPTIONS_OF_1002
from onlyoffice_plone_testing import first_version

PACKAGE = "onlyoffice_plone"
DOCS_URL = "https://docs.example.com/"
PROFILE = f"{PACKAGE}:default"
EXPORT_STEPS = (
    "plone.app.registry",
    "actions",
    "typeinfo",
    "rolemap",
    "repositorytool",
    "browserlayer",
    "controlpanel",
)


def new_site(app, site_id):
    site = addPloneSite(
        app, site_id, extension_ids=("plone.app.contenttypes:default",), setup_content=False
    )
    setSite(site)
    return site


#: Plone's own time stamps (the custom CSS's), which differ between any two sites.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?")


def exported(site):
    """GenericSetup's export of EXPORT_STEPS, file by file, plus the add-on's annotations."""
    setSite(site)
    files = {}
    for step in EXPORT_STEPS:
        result = site.portal_setup.runExportStep(step)
        with tarfile.open(fileobj=io.BytesIO(result["tarball"])) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    text = tar.extractfile(member).read().decode()
                    files[member.name] = TIMESTAMP.sub("<time>", text)
    files["annotations"] = repr(IAnnotations(site).get(INSTALL_CHANGES_KEY))
    return files


def upgrade_to_a_fresh_install(fresh, site, from_version):
    """Upgrade ``site`` (at ``from_version``) as the Add-ons page does; its GenericSetup
    exports, different before, must then equal ``fresh``'s."""
    fresh_state = exported(fresh)
    setSite(site)
    assert exported(site) != fresh_state
    installer = get_installer(site, site.REQUEST)
    assert installer.upgrade_info(PACKAGE)["installedVersion"] == from_version
    assert installer.upgrade_product(PACKAGE)
    upgraded = exported(site)
    setSite(site)
    assert sorted(upgraded) == sorted(fresh_state)
    for name in fresh_state:
        assert upgraded[name] == fresh_state[name], name
    assert site.portal_setup.getLastVersionForProfile(PROFILE) == ("1004",)


@pytest.fixture
def app(integration):
    # GenericSetup's exports need a Manager: the site owner, at the root.
    login(integration["app"], SITE_OWNER_NAME)
    yield integration["app"]
    logout()
    setSite(integration["portal"])


@pytest.fixture
def fresh(app):
    site = new_site(app, "fresh")
    get_installer(site, site.REQUEST).install_product(PACKAGE)
    getUtility(IRegistry)["onlyoffice_plone.docs_url"] = DOCS_URL
    return site


@pytest.fixture
def old(app):
    site = new_site(app, "old")
    first_version.install(site, jwt_secret="first-version-secret")
    getUtility(IRegistry)["onlyoffice_plone.docs_url"] = DOCS_URL
    return site


def test_first_version_is_offered_an_upgrade(old):
    installer = get_installer(old, old.REQUEST)
    assert installer.is_product_installed(PACKAGE)
    info = installer.upgrade_info(PACKAGE)
    assert info["required"] and info["available"]
    assert (info["installedVersion"], info["newVersion"]) == ("1000", "1004")
    assert "onlyoffice_plone.jwt_secret" in getUtility(IRegistry).records


def test_upgraded_site_equals_a_fresh_install(fresh, old):
    fresh_state = exported(fresh)
    setSite(old)
    before = exported(old)
    assert before != fresh_state  # the first version really is different
    assert get_installer(old, old.REQUEST).upgrade_product(PACKAGE)
    upgraded = exported(old)
    # The address given before the upgrade survives it (both sites have it).
    assert DOCS_URL in upgraded["registry.xml"]
    assert sorted(upgraded) == sorted(fresh_state)
    for name in fresh_state:
        assert upgraded[name] == fresh_state[name], name


def test_upgrade_moves_the_secret_out_of_the_registry(old):
    get_installer(old, old.REQUEST).upgrade_product(PACKAGE)
    setSite(old)
    assert "onlyoffice_plone.jwt_secret" not in getUtility(IRegistry).records
    assert get_jwt_secret(old) == "first-version-secret"
    assert IAnnotations(old)[INSTANCE_SECRET_KEY]
    setup = old.portal_setup
    assert setup.getLastVersionForProfile(PROFILE) == ("1004",)
    assert get_installer(old, old.REQUEST).upgrade_info(PACKAGE)["required"] is False


#: What profile 1001 had where 1002 names the add-on's own icons (upgrades/v1002.py).
ICONS_OF_1001 = {
    ("object", "onlyoffice_edit"): ("onlyoffice-edit", "pencil-square"),
    ("object", "onlyoffice_view"): ("onlyoffice-view", "eye"),
    ("object_buttons", "onlyoffice_convert"): ("onlyoffice-convert", "arrow-repeat"),
    ("object_buttons", "onlyoffice_download_as"): ("onlyoffice-download-as", "download"),
}


@pytest.fixture
def version_1001(app):
    """A site as profile 1001 left it: the actions showing Bootstrap's icons by their names."""
    site = new_site(app, "v1001")
    get_installer(site, site.REQUEST).install_product(PACKAGE)
    registry = getUtility(IRegistry)
    registry["onlyoffice_plone.docs_url"] = DOCS_URL
    for (category, action), (name, old) in ICONS_OF_1001.items():
        site.portal_actions[category][action]._setPropValue("icon_expr", f"string:{old}")
        del registry.records[f"plone.icon.{name}"]
    site.portal_setup.setLastVersionForProfile(PROFILE, "1001")
    return site


def test_a_1001_site_gets_the_actions_own_icons(fresh, version_1001):
    site = version_1001
    # A setting made before the upgrade survives it (both sites have it).
    for each in (fresh, site):
        setSite(each)
        getUtility(IRegistry)["onlyoffice_plone.max_file_size_mb"] = 77
    upgrade_to_a_fresh_install(fresh, site, "1001")
    registry = getUtility(IRegistry)
    assert registry["onlyoffice_plone.max_file_size_mb"] == 77
    assert registry["plone.icon.onlyoffice-edit"] == "++plone++bootstrap-icons/pencil-square.svg"
    assert site.portal_actions.object.onlyoffice_edit.icon_expr == "string:onlyoffice-edit"


def site_with_1002_actions(app, site_id):
    """A fresh install whose Actions menu's entries carry 1002's descriptions."""
    site = new_site(app, site_id)
    get_installer(site, site.REQUEST).install_product(PACKAGE)
    getUtility(IRegistry)["onlyoffice_plone.docs_url"] = DOCS_URL
    for action, description in DESCRIPTIONS_OF_1002.items():
        site.portal_actions.object_buttons[action]._setPropValue("description", description)
    return site


@pytest.fixture
def version_1002(app):
    """A site as profile 1002 left it: the Actions menu's entries with their descriptions."""
    site = site_with_1002_actions(app, "v1002")
    site.portal_setup.setLastVersionForProfile(PROFILE, "1002")
    return site


def test_a_1002_site_loses_the_actions_menus_tooltips(fresh, version_1002):
    site = version_1002
    upgrade_to_a_fresh_install(fresh, site, "1002")
    for action in ("onlyoffice_convert", "onlyoffice_download_as"):
        assert site.portal_actions.object_buttons[action].description == ""
    # The toolbar's entries keep theirs.
    assert site.portal_actions.object.onlyoffice_edit.description


def test_a_description_the_site_wrote_survives_the_upgrade(version_1002):
    site = version_1002
    download_as = site.portal_actions.object_buttons.onlyoffice_download_as
    download_as._setPropValue("description", "Get a PDF for the archive")
    assert get_installer(site, site.REQUEST).upgrade_product(PACKAGE)
    setSite(site)
    assert download_as.description == "Get a PDF for the archive"
    assert site.portal_actions.object_buttons.onlyoffice_convert.description == ""


@pytest.fixture
def version_1003(app):
    """A site as the unreleased profile 1003 left it: conditions calling a removed module."""
    site = site_with_1002_actions(app, "v1003")
    for (category, action), (removed, _condition) in CONDITIONS_OF_1003.items():
        site.portal_actions[category][action]._setPropValue("available_expr", removed)
    site.portal_setup.setLastVersionForProfile(PROFILE, "1003")
    return site


def test_a_1003_site_gets_its_conditions_back(fresh, version_1003):
    site = version_1003
    # An administrator's own condition stays hers.
    view = site.portal_actions.object.onlyoffice_view
    view._setPropValue("available_expr", "python:False")
    fresh.portal_actions.object.onlyoffice_view._setPropValue("available_expr", "python:False")
    upgrade_to_a_fresh_install(fresh, site, "1003")
    edit = site.portal_actions.object.onlyoffice_edit
    assert edit.available_expr == "object/@@onlyoffice-status/can_edit|nothing"
    assert edit.available_expr_object.text == edit.available_expr
    assert view.available_expr == "python:False"


def test_the_upgrade_passes_over_actions_a_site_deleted(version_1003):
    site = version_1003
    site.portal_actions.object.manage_delObjects(["onlyoffice_view"])
    site.portal_actions.manage_delObjects(["object_buttons"])
    assert get_installer(site, site.REQUEST).upgrade_product(PACKAGE)
    setSite(site)
    assert "object_buttons" not in site.portal_actions.objectIds()
    assert "onlyoffice_view" not in site.portal_actions.object.objectIds()
    edit = site.portal_actions.object.onlyoffice_edit
    assert edit.available_expr == "object/@@onlyoffice-status/can_edit|nothing"
    assert site.portal_setup.getLastVersionForProfile(PROFILE) == ("1004",)
