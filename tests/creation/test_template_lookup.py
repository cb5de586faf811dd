"""Templates are found by type in the catalog; one the user may not view stays unknown."""

from __future__ import annotations

import pytest
import transaction
from plone import api

from onlyoffice_docs_double import samples

from .test_create import _templates
from .test_create import create

pytestmark = pytest.mark.slow


def test_a_private_template_is_unknown(site):
    folder = _templates(site)
    secret = site.add(
        "secret", samples.docx("Board only"), "board-salaries.docx", container=folder
    )
    secret.manage_permission("View", ["Manager"], acquire=0)
    secret.reindexObjectSecurity()
    transaction.commit()
    info = site.get(f"{site.path(site.folder)}/@onlyoffice-create").json()
    assert "board-salaries.docx" not in [t["title"] for t in info["templates"]]
    response = create(site, kind="document", title="Copy", template=api.content.get_uuid(secret))
    assert response.status_code == 404, response.text
    assert response.json()["error"]["type"] == "UnknownTemplate"
    assert "board" not in response.text.lower()
    missing = create(site, kind="document", title="Copy", template="0" * 32)
    assert missing.status_code == 404
    assert missing.json() == response.json()
    site.sync()
    assert site.folder.objectIds() == []


def test_templates_are_found_by_type_in_the_catalog(site, monkeypatch):
    from zope.component.hooks import setSite

    from onlyoffice_plone.creation import create as creation

    folder = _templates(site)
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=folder, type="Document", id="page", title="A page")
    transaction.commit()
    site.sync()
    setSite(site.portal)
    catalog = api.portal.get_tool("portal_catalog")
    queries = []

    def spy(**kwargs):
        queries.append(kwargs)
        return catalog(**kwargs)

    real_get_tool = creation.api.portal.get_tool
    monkeypatch.setattr(
        creation.api.portal,
        "get_tool",
        lambda name: spy if name == "portal_catalog" else real_get_tool(name),
    )
    with api.env.adopt_user(username="jane"):
        found = creation.templates()
    assert [t.title for t in found] == ["budget.xlsx", "letter.docx"]
    assert queries and queries[0].get("portal_type") == creation.PORTAL_TYPE
