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
    assert (info["installedVersion"], info["newVersion"]) == ("1000", "1001")
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
    assert setup.getLastVersionForProfile(PROFILE) == ("1001",)
    assert get_installer(old, old.REQUEST).upgrade_info(PACKAGE)["required"] is False
