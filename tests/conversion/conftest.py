"""A site wired to the Docs test double (with LibreOffice) for the conversion tests.

Uses the editor layer (Plone over a real WSGI server, the double beside it): ``site``
configures the add-on for the double, creates users and a folder, commits, and returns a
helper that talks to Plone over HTTP as a given user.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.namedfile.file import NamedBlobFile
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from onlyoffice_docs_double import DocsDouble
from onlyoffice_plone import _core
from onlyoffice_plone_testing.content import prepare_site
from onlyoffice_plone_testing.fixtures import browser  # noqa: F401 - a fixture
from onlyoffice_plone_testing.fixtures import page  # noqa: F401 - a fixture

PASSWORD = "secret-password-1234"
#: user -> (full name, local roles on the folder)
USERS = {
    "jane": ("Jane Editor", ("Editor", "Contributor", "Reader")),
    "carl": ("Carl Contributor", ("Contributor", "Reader")),
    "eddy": ("Eddy Editor", ("Editor", "Reader")),
    "vera": ("Vera Viewer", ("Reader",)),
}


@dataclass
class Site:
    layer: Any
    portal: Any
    double: DocsDouble
    url: str
    folder: Any

    def sync(self):
        transaction.abort()
        self.portal._p_jar.sync()

    def headers(self, user, **extra):
        headers = {"Accept": "application/json", **extra}
        if user is not None:
            password = SITE_OWNER_PASSWORD if user == SITE_OWNER_NAME else PASSWORD
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers

    def full(self, path_or_url):
        if path_or_url.startswith("http"):
            return path_or_url
        return f"{self.url}/{path_or_url.lstrip('/')}"

    def get(self, path, user="jane", **kwargs):
        headers = self.headers(user, **kwargs.pop("headers", {}))
        return requests.get(self.full(path), headers=headers, timeout=120, **kwargs)

    def post(self, path, user="jane", **kwargs):
        headers = self.headers(user, **kwargs.pop("headers", {}))
        return requests.post(self.full(path), headers=headers, timeout=120, **kwargs)

    def path(self, obj):
        return "/".join(obj.getPhysicalPath()[2:])

    def form_authenticator(self, path, user="jane", **kwargs):
        """The ``_authenticator`` of the HTML form at ``path``, as a browser would send it."""
        form = self.get(path, user, headers={"Accept": "text/html"}, **kwargs)
        assert form.status_code == 200, form.text
        return re.search(r'name="_authenticator" value="([^"]+)"', form.text).group(1)

    def csrf(self, obj, user="jane"):
        response = self.get(f"{self.path(obj)}/@onlyoffice-convert", user)
        response.raise_for_status()
        return response.json()["csrf_token"]

    def convert(self, obj, target="new", user="jane", wait=60, token=None):
        """POST @onlyoffice-convert until it is done (or fails); the last response."""
        token = token or self.csrf(obj, user)
        for _round in range(60):
            response = self.post(
                f"{self.path(obj)}/@onlyoffice-convert",
                user,
                json={"target": target, "wait": wait},
                headers={"X-CSRF-TOKEN": token},
            )
            if response.status_code != 202:
                return response
        raise AssertionError("the conversion never finished")

    def add(self, id_, data, filename, container=None, title=None):
        container = container if container is not None else self.folder
        with api.env.adopt_roles(["Manager"]):
            classification = _core.classify(filename, None)
            item = api.content.create(
                container=container,
                type="File",
                id=id_,
                title=title or filename,
                file=NamedBlobFile(
                    data=data,
                    contentType=classification.mime_type if classification else "",
                    filename=filename,
                ),
            )
        transaction.commit()
        return item

    def set(self, **records):
        registry = getUtility(IRegistry)
        for name, value in records.items():
            registry[f"onlyoffice_plone.{name}"] = value
        transaction.commit()


@pytest.fixture
def site(editor) -> Site:
    portal = editor["portal"]
    double = editor["docs_double"]
    folder = prepare_site(portal, double, USERS, PASSWORD)
    transaction.commit()
    url = f"http://{editor['host']}:{editor['port']}/plone"
    return Site(editor, portal, double, url, folder)
