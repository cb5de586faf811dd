"""While ONLYOFFICE Docs is not configured, office files tell Managers, and only them, where to
configure it."""

from __future__ import annotations

from plone.app.testing import SITE_OWNER_NAME

NOTICE = "onlyoffice-not-configured"


def test_managers_see_a_link_to_the_control_panel_until_docs_is_configured(site):
    view = site.item_url(site.file) + "/view"
    assert NOTICE not in site.get(view, SITE_OWNER_NAME).text  # configured: no notice

    site.set_registry(docs_url=None)
    page = site.get(view, SITE_OWNER_NAME).text
    assert NOTICE in page
    assert f'href="{site.url}/@@onlyoffice-controlpanel"' in page
    for user in ("jane", "vera"):
        assert NOTICE not in site.get(view, user).text
