"""Creating new documents: REST, the add form, the Add menu, templates, permissions."""

from __future__ import annotations

import io
import zipfile

import pytest
import transaction
from plone import api

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow

KINDS = {
    "document": ("docx", "word"),
    "spreadsheet": ("xlsx", "cell"),
    "presentation": ("pptx", "slide"),
    "form": ("pdf", "pdf"),
}


def token(site, container=None, user="jane"):
    container = container if container is not None else site.folder
    return site.get(f"{site.path(container)}/@onlyoffice-create", user).json()["csrf_token"]


def create(site, user="jane", container=None, **data):
    container = container if container is not None else site.folder
    return site.post(
        f"{site.path(container)}/@onlyoffice-create",
        user,
        json=data,
        headers={"X-CSRF-TOKEN": token(site, container, user) or ""},
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_created_and_opens_in_the_editor(site, kind):
    extension, document_type = KINDS[kind]
    response = create(site, kind=kind, title="Quarterly plan")
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["filename"] == f"Quarterly plan.{extension}"
    assert answer["edit_url"] == f"{answer['@id']}/@@onlyoffice-edit"
    config = site.get(answer["@id"] + "/@onlyoffice-config?mode=edit").json()["config"]
    assert config["document"]["fileType"] == extension
    assert config["documentType"] == document_type
    assert config["editorConfig"]["mode"] == "edit"
    # Docs (the double) downloads it from Plone and opens it for editing.
    session = site.double.open(config, "jane")
    assert session is not None
    site.sync()
    item = api.content.get(UID=answer["uid"])
    assert item.portal_type == "File"
    assert item.Title() == "Quarterly plan"


def test_a_second_document_of_the_same_title_is_numbered(site):
    """As a converted copy beside a namesake: "Trial letter (2)", its file named so too."""
    first = create(site, kind="document", title="Trial letter").json()
    second = create(site, kind="document", title="trial letter").json()
    third = create(site, kind="spreadsheet", title="Trial letter").json()
    site.sync()
    titles = [api.content.get(UID=a["uid"]).Title() for a in (first, second, third)]
    assert titles == ["Trial letter", "trial letter (2)", "Trial letter (3)"]
    assert second["filename"] == "trial letter (2).docx"
    assert third["filename"] == "Trial letter (3).xlsx"


def test_the_blank_is_in_the_users_language(site):
    site.portal.portal_registry["plone.available_languages"] = ["en", "de"]
    site.portal.portal_registry["plone.use_request_negotiation"] = True
    transaction.commit()
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        json={"kind": "document", "title": "Brief"},
        headers={"X-CSRF-TOKEN": token(site), "Accept-Language": "de"},
    )
    assert response.status_code == 201, response.text
    site.sync()
    item = api.content.get(UID=response.json()["uid"])
    with zipfile.ZipFile(io.BytesIO(item.file.data)) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert 'w:val="de-DE"' in styles


def test_title_and_kind_are_required(site):
    response = create(site, kind="document", title="   ")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "TitleRequired"
    response = create(site, kind="movie", title="Film")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "UnknownKind"


def test_unsafe_characters_do_not_reach_the_filename(site):
    response = create(site, kind="document", title='a/b\\c:"d"')
    assert response.status_code == 201
    assert response.json()["filename"] == "a b c d.docx"


def test_nobody_creates_without_the_right_to_add_files(site):
    # vera may only view; eddy may edit but not add.
    readable = site.add("readable", samples.odt("Readable"), "readable.odt")
    for user in ("vera", "eddy"):
        info = site.get(f"{site.path(site.folder)}/@onlyoffice-create", user).json()
        assert info["can_create"] is False
        # With a valid CSRF token for that user: refused for lack of rights, not the token.
        valid = site.csrf(readable, user)
        response = site.post(
            f"{site.path(site.folder)}/@onlyoffice-create",
            user,
            json={"kind": "document", "title": "Nope"},
            headers={"X-CSRF-TOKEN": valid},
        )
        assert response.status_code == 401, (user, response.text)
        page = site.get(
            f"{site.path(site.folder)}/@@onlyoffice-create", user, headers={"Accept": "text/html"}
        )
        assert page.status_code in (401, 403) or "insufficient-privileges" in page.url
    site.sync()
    assert site.folder.objectIds() == ["readable"]


def test_a_folder_that_does_not_allow_files(site):
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=site.folder, type="Folder", id="pages")
        from plone.base.interfaces.constrains import ENABLED
        from plone.base.interfaces.constrains import ISelectableConstrainTypes

        constraints = ISelectableConstrainTypes(folder)
        constraints.setConstrainTypesMode(ENABLED)
        constraints.setLocallyAllowedTypes(["Document"])
        constraints.setImmediatelyAddableTypes(["Document"])
    transaction.commit()
    info = site.get(f"{site.path(folder)}/@onlyoffice-create").json()
    assert info["can_create"] is False
    menu = site.get(f"{site.path(folder)}/folder_factories", headers={"Accept": "text/html"})
    assert "onlyoffice-new-document" not in menu.text


def test_csrf_protection_stays_on(site):
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        json={"kind": "document", "title": "Forged"},
    )
    assert response.status_code == 403
    site.sync()
    assert site.folder.objectIds() == []


def test_add_menu_offers_the_four_kinds_where_files_may_be_added(site):
    page = site.get(f"{site.path(site.folder)}/folder_contents", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for kind in KINDS:
        assert f"onlyoffice-new-{kind}" in page.text
        assert f"@@onlyoffice-create?kind={kind}" in page.text
    factories = site.get(
        f"{site.path(site.folder)}/folder_factories", "carl", headers={"Accept": "text/html"}
    )
    assert "onlyoffice-new-spreadsheet" in factories.text


def test_add_form_creates_and_redirects_to_the_editor(site):
    authenticator = site.form_authenticator(
        f"{site.path(site.folder)}/@@onlyoffice-create?kind=presentation"
    )
    response = site.post(
        f"{site.path(site.folder)}/@@onlyoffice-create",
        headers={"Accept": "text/html"},
        data={
            "_authenticator": authenticator,
            "kind": "presentation",
            "title": "Kick-off",
            "form.buttons.create": "create",
        },
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith("/@@onlyoffice-edit")
    site.sync()
    assert [o.file.filename for o in site.folder.objectValues()] == ["Kick-off.pptx"]


def _post_form(site, **fields):
    authenticator = site.form_authenticator(f"{site.path(site.folder)}/@@onlyoffice-create")
    return site.post(
        f"{site.path(site.folder)}/@@onlyoffice-create",
        headers={"Accept": "text/html"},
        data={"_authenticator": authenticator, "form.buttons.create": "create", **fields},
        allow_redirects=False,
    )


def test_add_form_left_empty_makes_the_placeholders_title(site):
    """The title field shows the kind's default title as its placeholder: left empty (or
    blank), that is the title the new document gets, of the kind the form makes."""
    form = site.get(
        f"{site.path(site.folder)}/@@onlyoffice-create?kind=spreadsheet",
        headers={"Accept": "text/html"},
    )
    assert 'placeholder="New spreadsheet"' in form.text
    assert 'required="required"' not in form.text
    assert 'data-default-title="New presentation"' in form.text
    assert "create.js" in form.text
    assert _post_form(site, kind="spreadsheet", title="").status_code == 303
    assert _post_form(site, kind="spreadsheet", title="   ").status_code == 303
    assert _post_form(site, kind="document").status_code == 303
    site.sync()
    assert sorted(o.file.filename for o in site.folder.objectValues()) == [
        "New document.docx",
        "New spreadsheet (2).xlsx",
        "New spreadsheet.xlsx",
    ]


# --- templates folder -------------------------------------------------------------------------


def _templates(site):
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=site.portal, type="Folder", id="templates", title="Templates"
        )
        api.user.grant_roles(username="jane", obj=folder, roles=["Reader"])
    transaction.commit()
    site.add("letter", samples.docx("Dear reader"), "letter.docx", container=folder)
    site.add("budget", samples.xlsx("Budget line"), "budget.xlsx", container=folder)
    site.add("old", samples.odt("Old"), "old.odt", container=folder)  # not offered
    site.set(templates_folder="/templates")
    return folder


def test_templates_are_offered_and_copied(site):
    _templates(site)
    info = site.get(f"{site.path(site.folder)}/@onlyoffice-create").json()
    offered = {t["title"]: t for t in info["templates"]}
    assert sorted(offered) == ["budget.xlsx", "letter.docx"]
    assert offered["letter.docx"]["kind"] == "document"
    response = create(
        site, kind="spreadsheet", title="From letter", template=offered["letter.docx"]["uid"]
    )
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "From letter.docx"  # the template decides the kind
    site.sync()
    item = api.content.get(UID=response.json()["uid"])
    with zipfile.ZipFile(io.BytesIO(item.file.data)) as archive:
        assert "Dear reader" in archive.read("word/document.xml").decode()
    # The template itself is untouched.
    template = site.portal["templates"]["letter"]
    assert template.file.getSize() > 0
    # The form lists them too.
    form = site.get(
        f"{site.path(site.folder)}/@@onlyoffice-create", headers={"Accept": "text/html"}
    )
    assert offered["budget.xlsx"]["uid"] in form.text
    # Left without a title, a document from a template gets its kind's default title.
    assert (
        _post_form(site, kind="document", template=offered["budget.xlsx"]["uid"]).status_code
        == 303
    )
    site.sync()
    assert "New spreadsheet.xlsx" in [o.file.filename for o in site.folder.objectValues()]


def test_a_file_outside_the_templates_folder_is_no_template(site):
    _templates(site)
    outsider = site.add("private", samples.docx("Private"), "private.docx")
    response = create(site, kind="document", title="Copy", template=api.content.get_uuid(outsider))
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "UnknownTemplate"


def test_a_missing_templates_folder_is_no_error(site):
    site.set(templates_folder="/gone")
    info = site.get(f"{site.path(site.folder)}/@onlyoffice-create").json()
    assert info["templates"] == []
    form = site.get(
        f"{site.path(site.folder)}/@@onlyoffice-create", headers={"Accept": "text/html"}
    )
    assert form.status_code == 200


def test_the_creation_feature_offers_the_editor_its_create_new_menu(site):
    from zope.component import getUtility
    from zope.component.hooks import setSite

    from onlyoffice_plone.interfaces import INewDocumentMenu

    editor_templates = getUtility(INewDocumentMenu).entries

    _templates(site)
    site.add("report", samples.docx("Report"), "report.docx")
    site.sync()
    setSite(site.portal)
    with api.env.adopt_user(username="jane"):
        entries, create_url = editor_templates(site.folder["report"], "word")
    assert create_url.endswith("/docs/@@onlyoffice-create?kind=document")
    assert [e["title"] for e in entries] == ["Text document", "letter.docx"]
    assert all(e["url"].startswith(site.folder.absolute_url()) for e in entries)
    with api.env.adopt_user(username="vera"):
        assert editor_templates(site.folder["report"], "word") == ([], None)


def test_the_editor_config_offers_create_new(site):
    _templates(site)
    source = site.add("minutes", samples.docx("Minutes"), "minutes.docx")
    config = site.get(f"{site.path(source)}/@onlyoffice-config?mode=edit", "jane").json()
    editor_config = config["config"]["editorConfig"]
    assert editor_config["createUrl"].endswith("/docs/@@onlyoffice-create?kind=document")
    assert [t["title"] for t in editor_config["templates"]] == ["Text document", "letter.docx"]
    viewer = site.get(f"{site.path(source)}/@onlyoffice-config?mode=view", "vera").json()
    assert "createUrl" not in viewer["config"]["editorConfig"]
    assert "templates" not in viewer["config"]["editorConfig"]


def test_a_numbered_title_still_fits(site):
    """200 characters is the longest title; numbered beside a namesake it would be 204:
    refused as a rename of that length is, never cut short."""
    title = "T" * 200
    assert create(site, kind="document", title=title).status_code == 201
    response = create(site, kind="document", title=title)
    assert response.status_code == 400, response.text
    site.sync()
    assert [item.Title() for item in site.folder.objectValues()] == [title]
