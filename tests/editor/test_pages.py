"""The editor pages and the REST endpoint as a browser or a headless frontend gets them."""

import json
import re

import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobFile

from onlyoffice_docs_double import samples
from onlyoffice_plone.creation import blank
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.rights import COMMENT
from onlyoffice_plone.documents.rights import FILL_FORMS

from .conftest import add_file


def embedded_config(html):
    match = re.search(
        r'<script type="application/json"\s+id="onlyoffice-config">(.*?)</script>', html, re.S
    )
    assert match, "the config is embedded as JSON"
    return json.loads(match.group(1))


def test_edit_page_embeds_the_signed_config_and_the_module(site):
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", "jane")
    assert page.status_code == 200
    config = embedded_config(page.text)
    assert config["editorConfig"]["mode"] == "edit"
    assert config["token"], "signed with the JWT secret"
    assert "++plone++onlyoffice_plone/editor.js" in page.text
    assert f'data-api-url="{site.double.url}/web-apps/apps/api/documents/api.js"' in page.text
    assert 'id="portal-top"' in page.text, "inside Plone's layout"


def test_edit_page_has_no_footer_below_the_editor(site):
    """The editor fills the window below Plone's header: Plone's footer (footer portlets,
    site actions, colophon) is not rendered under it, on both editor pages only; what a
    site puts in the footer for its own sake (web statistics) stays."""
    site.portal.portal_registry["plone.webstats_js"] = "<script>window.statsSeen = 1</script>"
    transaction.commit()
    colophon = "Plone Foundation"
    view = site.get(site.item_url(site.file) + "/view", "jane")
    assert colophon in view.text and 'id="portal-footer-wrapper"' in view.text
    assert "window.statsSeen" in view.text
    for page in ("@@onlyoffice-edit", "@@onlyoffice-view"):
        html = site.get(site.item_url(site.file) + "/" + page, "jane").text
        assert 'id="portal-top"' in html, "still inside Plone's layout"
        assert colophon not in html
        assert "window.statsSeen" in html, "web statistics stay"


def test_edit_page_has_no_document_actions_below_the_editor(site):
    """Plone's document actions (print, RSS) and next/previous links serve a reader of the
    item's page: the editor pages leave them out (they would sit below the editor); what
    else a site shows below the content stays."""
    site.portal.portal_actions.document_actions.print.visible = True
    transaction.commit()
    view = site.get(site.item_url(site.file) + "/view", "jane").text
    assert 'id="document-action-print"' in view
    for page in ("@@onlyoffice-edit", "@@onlyoffice-view"):
        html = site.get(site.item_url(site.file) + "/" + page, "jane").text
        assert 'id="portal-top"' in html, "still inside Plone's layout"
        assert "document-action-print" not in html


def test_edit_page_asks_not_to_be_indexed_and_links_no_feed_or_author(site):
    """The item's own page is the one to index, with its author and feed links; the editor
    pages say noindex and leave those links out."""
    api.portal.set_registry_record("plone.allow_anon_views_about", True)
    transaction.commit()
    view = site.get(site.item_url(site.file) + "/view", "jane")
    assert "X-Robots-Tag" not in view.headers
    assert 'rel="author"' in view.text
    for page in ("@@onlyoffice-edit", "@@onlyoffice-view"):
        reply = site.get(site.item_url(site.file) + "/" + page, "jane")
        assert reply.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert 'rel="author"' not in reply.text
        assert 'rel="canonical"' in reply.text, "Plone's other head links stay"


def test_an_item_without_an_office_file_is_not_found_with_a_message(site):
    for page in ("@@onlyoffice-edit", "@@onlyoffice-view"):
        reply = site.get(site.item_url(site.folder) + "/" + page, "jane")
        assert reply.status_code == 404, (page, reply.status_code)
        assert "it holds no office document" in reply.text
        assert 'id="portal-top"' in reply.text, "inside Plone's layout"


def test_rest_endpoint_answers_docs_url_and_config(site):
    reply = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=view", "vera").json()
    assert reply["docs_url"] == site.double.url + "/"
    assert reply["config"]["document"]["fileType"] == "docx"
    assert reply["config"]["editorConfig"]["mode"] == "view"
    bad = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=delete", "vera")
    assert bad.status_code == 400


def test_new_tab_setting_gives_a_full_window_page_and_new_tab_links(site):
    site.portal.portal_registry["onlyoffice_plone.open_in_new_tab"] = True
    transaction.commit()
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", "jane")
    assert 'class="onlyoffice-tab"' in page.text
    assert 'id="portal-top"' not in page.text
    embedded_config(page.text)
    view = site.get(site.item_url(site.file) + "/view", "jane")
    assert re.search(r'onlyoffice-open-edit"[^>]*target="_blank"', view.text, re.S)


def test_not_configured_page_says_so_and_links_managers(site):
    site.portal.portal_registry["onlyoffice_plone.docs_url"] = None
    transaction.commit()
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-view", SITE_OWNER_NAME)
    assert "ONLYOFFICE Docs is not configured for this site yet." in page.text
    assert "/@@onlyoffice-controlpanel" in page.text
    reader = site.get(site.item_url(site.file) + "/@@onlyoffice-view", "vera")
    assert "/@@onlyoffice-controlpanel" not in reader.text


def test_comment_only_session_when_a_site_grants_it(site):
    site.folder.manage_permission(COMMENT, ["Manager", "Editor", "Owner", "Reader"], acquire=1)
    transaction.commit()
    permissions = site.config(user="vera")["document"]["permissions"]
    assert permissions["edit"] is False
    assert permissions["comment"] is True
    assert permissions["review"] is False


def test_status_3_still_saves_the_last_good_state(site):
    site.double.faults.save_error = True
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Rescued")
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(3, key)
    site.double.wait_idle()
    assert attempt.success
    assert "Rescued" in site.text()
    assert len(site.versions()) == len(before) + 1


def test_status_7_is_logged_and_saves_nothing(site, caplog):
    site.portal.portal_registry["onlyoffice_plone.forcesave"] = True
    transaction.commit()
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Not saved")
    site.double.faults.forcesave_error = True
    site.double.forcesave(key, "jane")
    attempt = site.double.wait_for_callback(7, key)
    site.double.wait_idle()
    assert attempt.success
    assert len(site.versions()) == len(before)
    assert any("could not force-save" in r.getMessage() for r in caplog.records)


def test_history_and_changes_are_kept_for_each_save(site):
    key, _attempt = site.round_trip(text="With history")
    site.sync()
    state = documents.get_state(site.portal, site.file)
    record = state.history[-1]
    assert record["key"] == key
    assert record["version_id"] == site.file.version_id
    assert record["history"]["changes"][0]["user"]["id"] == "jane"
    assert record["changes"].data.startswith(b"PK"), "changes.zip stored as a blob"


def test_rest_endpoint_without_mode_gives_the_best_mode_the_user_has(site):
    for user, mode in (("jane", "edit"), ("rita", "edit"), ("vera", "view")):
        reply = site.get(f"{site.path(site.file)}/@onlyoffice-config", user)
        assert reply.status_code == 200, user
        assert reply.json()["mode"] == mode


def test_anonymous_visitors_learn_no_names_unless_the_site_allows_it(site):
    site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    config = site.config(user="jane")
    site.double.open(config, "jane")
    site.settle()
    view = site.item_url(site.file) + "/view"
    assert "Jane Editor" in site.get(view, "vera").text
    assert site.config(user="vera", mode="view")["document"]["info"]["owner"]

    assert "owner" not in site.config(user=None, mode="view")["document"]["info"]
    assert "Jane Editor" not in site.get(view, None).text

    site.portal.portal_registry["plone.allow_anon_views_about"] = True
    transaction.commit()
    assert site.config(user=None, mode="view")["document"]["info"]["owner"]
    assert "Jane Editor" in site.get(view, None).text


def test_anonymous_visitors_find_download_as_on_the_page(site):
    """They have no toolbar, so no Actions menu: the page itself offers it."""
    site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    view = site.item_url(site.file) + "/view"
    link = 'class="btn btn-secondary onlyoffice-download-as"'
    page = site.get(view, None).text
    assert link in page
    target = site.item_url(site.file) + "/@@onlyoffice-download-as"
    assert re.search(rf'{link} rel="nofollow" href="{re.escape(target)}"', page), "no crawler"
    offered = site.get(target, None)
    assert offered.status_code == 200
    assert "pdf" in offered.text.lower()
    assert offered.headers["X-Robots-Tag"] == "noindex, nofollow"
    formats = re.findall(r'<a class="[^"]*onlyoffice-format"[^>]*>', offered.text)
    assert formats and all('rel="nofollow"' in a for a in formats)
    # Those with the toolbar find it in its Actions menu, once.
    jane = site.get(view, "jane").text
    assert link not in jane
    assert 'id="plone-contentmenu-actions-onlyoffice_download_as"' in jane


def test_a_read_only_format_says_why_and_offers_its_conversion(site):
    """No ONLYOFFICE Edit on a legacy file: its page says why, and to whoever may convert
    it, offers Convert beside ONLYOFFICE View."""
    with api.env.adopt_roles(["Manager"]):
        minutes = add_file(
            site.folder,
            "minutes",
            samples.odt("Minutes"),
            "minutes.odt",
            "application/vnd.oasis.opendocument.text",
        )
    transaction.commit()
    hint = "This format opens read-only in ONLYOFFICE: convert it to edit it."
    convert = f'href="{site.item_url(minutes)}/@@onlyoffice-convert"'
    jane = site.get(site.item_url(minutes) + "/view", "jane").text
    assert "onlyoffice-open-view" in jane and "onlyoffice-open-edit" not in jane
    assert hint in jane and convert in jane
    vera = site.get(site.item_url(minutes) + "/view", "vera").text
    assert "onlyoffice-open-view" in vera
    assert hint not in vera and convert not in vera, "a reader may not convert it"
    docx = site.get(site.item_url(site.file) + "/view", "jane").text
    assert hint not in docx and "onlyoffice-convert" not in docx
    # A contributor may convert it (into a new item) but not edit it.
    site.folder.manage_setLocalRoles("vera", ["Contributor"])
    transaction.commit()
    assert hint in site.get(site.item_url(minutes) + "/view", "vera").text
    # Where the site edits .odt (with loss), only her rights stand in the way: no hint.
    api.portal.set_registry_record("onlyoffice_plone.lossy_edit_formats", ["odt"])
    transaction.commit()
    assert "onlyoffice-open-edit" in site.get(site.item_url(minutes) + "/view", "jane").text
    contributor = site.get(site.item_url(minutes) + "/view", "vera").text
    assert "onlyoffice-open-view" in contributor and hint not in contributor
    api.portal.set_registry_record("onlyoffice_plone.lossy_edit_formats", [])
    transaction.commit()
    # Where nobody edits (no JWT secret), converting would not make it editable: no hint.
    site.remove_jwt_secret()
    unsigned = site.get(site.item_url(minutes) + "/view", "jane").text
    assert "onlyoffice-open-view" in unsigned and hint not in unsigned


def test_fill_forms_only_session_on_a_pdf_form_when_a_site_grants_it(site):
    form = api.content.create(
        container=site.folder,
        type="File",
        id="application.pdf",
        title="Application",
        file=NamedBlobFile(blank.pdf_form("en"), contentType="application/pdf", filename="a.pdf"),
    )
    site.folder.manage_permission(FILL_FORMS, ["Manager", "Editor", "Owner", "Reader"], acquire=1)
    transaction.commit()
    permissions = site.config(form, user="vera")["document"]["permissions"]
    assert permissions["fillForms"] is True
    assert permissions["edit"] is False
    assert permissions["review"] is False
    assert permissions["comment"] is False
    # The same right opens no session on a document that is no form.
    response = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=edit", "vera")
    assert response.status_code == 401
