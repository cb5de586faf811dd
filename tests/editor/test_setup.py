"""What installing the add-on switches on for editing, and what uninstalling takes back."""

import pytest
from AccessControl.Permission import pname
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.dexterity.fti import DexterityFTI
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

from onlyoffice_docs_double import samples
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.interfaces import IOfficeFile
from onlyoffice_plone.documents.rights import COMMENT
from onlyoffice_plone.documents.rights import FILL_FORMS
from onlyoffice_plone.documents.rights import REVIEW
from onlyoffice_plone.settings import set_jwt_secret
from onlyoffice_plone.setuphandlers import INSTALL_CHANGES_KEY

from .conftest import DOCX
from .conftest import add_file

CONTRACT_MODEL = """<model xmlns="http://namespaces.plone.org/supermodel/schema"
       xmlns:marshal="http://namespaces.plone.org/supermodel/marshal">
  <schema>
    <field name="signed" type="plone.namedfile.field.NamedBlobFile" marshal:primary="true">
      <title>Signed contract</title>
      <required>False</required>
    </field>
  </schema>
</model>"""


@pytest.fixture
def configured(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("onlyoffice_plone.docs_url", "http://docs.example.org/")
    set_jwt_secret(portal, "a-secret-shared-with-docs")
    return portal


def actions_for(obj):
    tool = api.portal.get_tool("portal_actions")
    return [a["id"] for a in tool.listFilteredActionsFor(obj).get("object", [])]


def test_file_is_locked_and_versioned_while_edited(portal):
    fti = api.portal.get_tool("portal_types")["File"]
    assert "plone.locking" in fti.behaviors
    assert "plone.versioning" in fti.behaviors
    repository = api.portal.get_tool("portal_repository")
    assert "File" in repository.getVersionableContentTypes()
    assert "at_edit_autoversion" in repository.getPolicyMap()["File"]


@pytest.mark.parametrize("permission", [REVIEW, COMMENT, FILL_FORMS])
def test_lesser_session_permissions_default_to_the_editing_roles(portal, permission):
    roles = {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}
    assert roles == {"Manager", "Site Administrator", "Owner", "Editor"}


def test_actions_for_an_editable_file(configured):
    file = add_file(configured, "report", samples.docx())
    assert {"onlyoffice_edit", "onlyoffice_view"} <= set(actions_for(file))


def test_no_actions_for_other_items_or_without_docs(configured):
    folder = api.content.create(container=configured, type="Folder", id="f")
    archive = add_file(configured, "a", b"PK\x03\x04", filename="a.zip", content_type="x/zip")
    assert "onlyoffice_edit" not in actions_for(folder)
    assert "onlyoffice_edit" not in actions_for(archive)
    assert "onlyoffice_view" not in actions_for(archive)
    file = add_file(configured, "report", samples.docx())
    api.portal.get_tool("portal_registry")["onlyoffice_plone.docs_url"] = None
    assert "onlyoffice_edit" not in actions_for(file)


def test_view_only_formats_offer_only_view(configured):
    odt = add_file(
        configured,
        "old",
        samples.odt(),
        filename="old.odt",
        content_type="application/vnd.oasis.opendocument.text",
    )
    assert "onlyoffice_view" in actions_for(odt)
    assert "onlyoffice_edit" not in actions_for(odt)


def test_a_custom_type_with_a_primary_blob_file_is_editable(configured):
    types = api.portal.get_tool("portal_types")
    fti = DexterityFTI(
        "Contract", model_source=CONTRACT_MODEL, klass="plone.dexterity.content.Item"
    )
    fti.global_allow = True
    types._setObject("Contract", fti)
    contract = api.content.create(container=configured, type="Contract", id="c1")
    contract.signed = NamedBlobFile(samples.docx(), contentType=DOCX, filename="contract.docx")
    adapted = IOfficeFile(contract)
    assert adapted.filename == "contract.docx"
    assert "onlyoffice_edit" in actions_for(contract)
    page = contract.restrictedTraverse("@@onlyoffice-edit")()
    assert 'id="onlyoffice-config"' in page


def test_new_tab_setting_moves_the_actions_to_a_new_tab(configured):
    api.portal.set_registry_record("onlyoffice_plone.open_in_new_tab", True)
    actions = api.portal.get_tool("portal_actions")["object"]
    assert actions["onlyoffice_edit"].link_target == "_blank"
    api.portal.set_registry_record("onlyoffice_plone.open_in_new_tab", False)
    assert actions["onlyoffice_edit"].link_target == ""


def test_uninstall_takes_back_what_install_switched_on(configured, installer):
    file = add_file(configured, "report", samples.docx())
    state = documents.get_state(configured, file, create=True)
    state.editors.append(TEST_USER_ID)
    locking.lock(file)
    assert locking.is_locked_by_us(file)

    installer.uninstall_product("onlyoffice_plone")

    assert "onlyoffice_edit" not in api.portal.get_tool("portal_actions")["object"]
    assert "onlyoffice_view" not in api.portal.get_tool("portal_actions")["object"]
    fti = api.portal.get_tool("portal_types")["File"]
    assert "plone.locking" not in fti.behaviors
    assert "plone.versioning" not in fti.behaviors
    repository = api.portal.get_tool("portal_repository")
    assert "File" not in repository.getVersionableContentTypes()
    assert not repository.getPolicyMap().get("File")
    for permission in (REVIEW, COMMENT, FILL_FORMS):
        assert pname(permission) not in configured.__dict__
    annotations = IAnnotations(configured)
    assert documents.STATE_KEY not in annotations
    assert INSTALL_CHANGES_KEY not in annotations
    assert not IAnnotations(file).get("plone.locking"), "ONLYOFFICE locks are released"


def test_uninstall_keeps_versioning_the_site_had_before(configured, installer):
    installer.uninstall_product("onlyoffice_plone")
    repository = api.portal.get_tool("portal_repository")
    repository.setVersionableContentTypes([*repository.getVersionableContentTypes(), "File"])
    repository.addPolicyForContentType("File", "at_edit_autoversion")
    installer.install_product("onlyoffice_plone")
    installer.uninstall_product("onlyoffice_plone")
    assert "File" in repository.getVersionableContentTypes()
    assert repository.getPolicyMap()["File"] == ["at_edit_autoversion"]
