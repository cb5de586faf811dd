"""Without a JWT secret the add-on only views; a site without Docs takes no callback at all."""

import re

from plone.app.testing import SITE_OWNER_NAME

from .conftest import assert_unchanged
from .conftest import docs_callback
from .conftest import refused
from .test_pages import embedded_config

EDIT_ACTION = "contentview-onlyoffice_edit"
EXPLANATION = "Set the secret key in ONLYOFFICE Configuration to enable editing"


def test_without_a_secret_there_is_no_edit_action_and_the_edit_page_views(site):
    assert EDIT_ACTION in site.get(site.item_url(site.file) + "/view", "jane").text
    site.remove_jwt_secret()

    view = site.get(site.item_url(site.file) + "/view", "jane").text
    assert EDIT_ACTION not in view
    assert "onlyoffice-open-edit" not in view
    assert "onlyoffice-open-view" in view

    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", "jane")
    assert page.status_code == 200
    config = embedded_config(page.text)
    assert config["editorConfig"]["mode"] == "view"
    assert "callbackUrl" not in config["editorConfig"]
    assert "Editing in ONLYOFFICE is switched off on this site" in page.text
    assert EXPLANATION not in page.text, "only managers are told what to set"

    manager = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", SITE_OWNER_NAME).text
    assert EXPLANATION in manager
    assert re.search(r'href="[^"]*/@@onlyoffice-controlpanel"', manager)


def test_without_a_secret_a_review_only_user_gets_no_edit_session(site):
    site.remove_jwt_secret()
    for query in ("?mode=edit", ""):
        reply = site.get(f"{site.path(site.file)}/@onlyoffice-config{query}", "rita").json()
        config = reply["config"]
        assert reply["mode"] == config["editorConfig"]["mode"] == "view"
        assert "callbackUrl" not in config["editorConfig"]
        permissions = config["document"]["permissions"]
        assert not any(permissions.get(p) for p in ("edit", "review", "comment", "fillForms"))
        assert EXPLANATION in reply["editing_disabled"]
    page = site.get(site.item_url(site.file) + "/@@onlyoffice-edit", "rita")
    assert embedded_config(page.text)["editorConfig"]["mode"] == "view"


def test_without_a_secret_every_callback_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    site.remove_jwt_secret()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, url, fields, secret=""), 403)
    refused(docs_callback(site, url, fields), 403)
    assert_unchanged(site, before)


def test_a_site_without_docs_refuses_every_callback(site, session, result_url):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    site.set_registry(docs_url=None)
    refused(docs_callback(site, url, fields), 403)
    # Configured, but on no http(s) origin Plone could accept a result from.
    site.set_registry(docs_url="ftp://docs.example.org/")
    refused(docs_callback(site, url, fields), 403)
    assert_unchanged(site, before)
