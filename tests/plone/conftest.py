"""Helpers for tests that talk to the functional Plone site over HTTP."""

import html.parser
import urllib.parse

import pytest
import requests
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.component.hooks import setSite

from onlyoffice_docs_double.testing.fixtures import docs_double_factory  # noqa: F401


class FormParser(html.parser.HTMLParser):
    """Collect the fields of one HTML form the way a browser submits them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.action = None
        self.fields = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            self.action = attrs.get("action")
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind == "submit":
                return
            self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class SiteClient:
    """A logged-in HTTP client for the functional site."""

    def __init__(self, portal_url, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        self.portal_url = portal_url
        self.session = requests.Session()
        if auth:
            self.session.auth = auth

    def get(self, path, **kwargs):
        return self.session.get(f"{self.portal_url}/{path}", timeout=60, **kwargs)

    def submit(self, path, form_id, changes, button):
        """Load the form at ``path``, apply ``changes`` ({name: value or [values]}), press it."""
        page = self.get(path)
        page.raise_for_status()
        parser = FormParser(form_id)
        parser.feed(page.text)
        assert parser.action, f"no form #{form_id} at {path}"
        fields = [(n, v) for n, v in parser.fields if n not in changes]
        for name, value in changes.items():
            for item in value if isinstance(value, list) else [value]:
                fields.append((name, item))
        fields.append((button, "Save"))
        action = urllib.parse.urljoin(page.url, parser.action)
        return self.session.post(action, data=fields, timeout=120), page


@pytest.fixture
def site(functional):
    """The functional site's URL, with its registry reachable for setup and assertions."""
    portal = functional["portal"]
    # Other layers of the session may have left their own site active.
    setSite(portal)
    url = f"http://{functional['host']}:{functional['port']}/plone"
    return portal, url


@pytest.fixture
def client(site):
    return SiteClient(site[1])


def set_settings(client, **values):
    """Store settings the way a REST client does: PATCH @controlpanels/onlyoffice.

    Writing through the server keeps the test's own ZODB connection out of the way of the
    server's (a test connection can hold stale objects and conflict with the server).
    """
    response = client.session.patch(
        f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
        json=values,
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 204, response.text
