"""Shared fixtures for the editor tests: a site wired to the Docs test double over HTTP.

``site`` configures the add-on for the layer's Docs double, creates users and a File holding
a real docx, commits, and returns a ``Site`` helper; the WSGI server thread then sees it all.
"""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

from onlyoffice_docs_double import DocsDouble
from onlyoffice_docs_double import samples
from onlyoffice_plone.documents import indexing
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.rights import REVIEW
from onlyoffice_plone.settings import JWT_SECRET_KEY
from onlyoffice_plone_testing.content import prepare_site
from onlyoffice_plone_testing.fixtures import browser  # noqa: F401 - a fixture
from onlyoffice_plone_testing.fixtures import page  # noqa: F401 - a fixture

PASSWORD = "secret-password-1234"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
USERS = {
    "jane": ("Jane Editor", ("Editor", "Reader")),
    "john": ("John Editor", ("Editor", "Reader")),
    "rita": ("Rita Reviewer", ("Reviewer", "Reader")),
    "vera": ("Vera Viewer", ("Reader",)),
}


@dataclass
class Site:
    layer: Any
    portal: Any
    double: DocsDouble
    url: str
    folder: Any
    file: Any

    def sync(self):
        """See what the server thread committed, and what a save left for after its reply."""
        indexing.WORKER.join()
        transaction.abort()
        self.portal._p_jar.sync()

    def get(self, path_or_url, user=None, **kwargs):
        return requests.get(self._url(path_or_url), headers=self._auth(user), timeout=30, **kwargs)

    def post(self, path_or_url, user=None, **kwargs):
        headers = {**self._auth(user), **kwargs.pop("headers", {})}
        return requests.post(self._url(path_or_url), headers=headers, timeout=60, **kwargs)

    def config(self, obj=None, user="jane", mode="edit"):
        """The editor config Plone gives ``user`` (over HTTP, from @onlyoffice-config)."""
        obj = obj if obj is not None else self.file
        response = self.get(f"{self.path(obj)}/@onlyoffice-config?mode={mode}", user)
        response.raise_for_status()
        return response.json()["config"]

    def path(self, obj):
        return "/".join(obj.getPhysicalPath()[2:])

    def item_url(self, obj):
        return f"{self.url}/{self.path(obj)}"

    def _url(self, path_or_url):
        if path_or_url.startswith("http"):
            return path_or_url
        return f"{self.url}/{path_or_url.lstrip('/')}"

    def _auth(self, user):
        if user is None:
            return {"Accept": "application/json"}
        password = SITE_OWNER_PASSWORD if user == SITE_OWNER_NAME else PASSWORD
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}", "Accept": "application/json"}

    def file_data(self, obj=None):
        self.sync()
        obj = obj if obj is not None else self.file
        return obj.file.data

    def versions(self, obj=None):
        """The CMFEditions versions of ``obj``: their sys_metadata (comment, principal...)."""
        self.sync()
        obj = obj if obj is not None else self.file
        repository = api.portal.get_tool("portal_repository")
        with api.env.adopt_roles(["Manager"]):
            history = repository.getHistoryMetadata(obj)
            if not history:
                return []
            return [
                history.retrieve(i)["metadata"]["sys_metadata"]
                for i in range(history.getLength(countPurged=False))
            ]

    def text(self, obj=None):
        """The document's text (the docx's word/document.xml), to see edits."""
        data = self.file_data(obj)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("word/document.xml").decode("utf-8")

    def settle(self):
        """Let the server thread finish what Docs sent, then see it: before writing here."""
        self.double.wait_idle()
        self.sync()

    def set_registry(self, **records):
        self.settle()
        for name, value in records.items():
            self.portal.portal_registry[f"onlyoffice_plone.{name}"] = value
        transaction.commit()

    def remove_jwt_secret(self):
        self.settle()
        IAnnotations(self.portal).pop(JWT_SECRET_KEY, None)
        transaction.commit()

    def editors(self, obj=None):
        self.sync()
        state = documents.get_state(self.portal, obj if obj is not None else self.file)
        return list(state.editors) if state is not None else []

    def locked(self, obj=None):
        self.sync()
        return locking.is_locked_by_us(obj if obj is not None else self.file)

    def key(self, obj=None):
        self.sync()
        obj = obj if obj is not None else self.file
        with api.env.adopt_roles(["Manager"]):
            return keys.current_key(self.portal, obj, office_file(obj))

    def round_trip(self, user="jane", text="An edit", obj=None):
        """Open, edit and close as ``user`` through the double; wait for the final callback."""
        config = self.config(obj, user)
        key = config["document"]["key"]
        self.double.open(config, user)
        self.double.edit(key, user, text)
        self.double.close(key, user)
        attempt = self.double.wait_for_callback(2, key)
        self.double.wait_idle()
        return key, attempt


def sign(claims, secret, lifetime=300):
    now = int(time.time())
    return jwt.encode({**claims, "iat": now, "exp": now + lifetime}, secret, algorithm="HS256")


def docs_callback(site, url, fields, secret=None, lifetime=300, body_token=True):
    """POST a callback as Docs does: a body token and a header token."""
    secret = site.double.secret if secret is None else secret
    body = dict(fields)
    headers = {"Content-Type": "application/json"}
    if secret:
        if body_token:
            body["token"] = sign(fields, secret, lifetime)
        headers["Authorization"] = "Bearer " + sign({"payload": fields}, secret, lifetime)
    return site.post(url, data=json.dumps(body), headers=headers)


def assert_unchanged(site, before_versions):
    assert "Original text" in site.text()
    assert "Should never arrive" not in site.text()
    assert "Evil content" not in site.text()
    assert len(site.versions()) == len(before_versions)


def refused(response, status):
    assert response.status_code == status, response.text
    assert response.json()["error"] != 0


def add_file(container, id_, data, filename="report.docx", content_type=DOCX, title=None):
    return api.content.create(
        container=container,
        type="File",
        id=id_,
        title=title or filename,
        file=NamedBlobFile(data=data, contentType=content_type, filename=filename),
    )


@pytest.fixture
def site(editor) -> Site:
    portal = editor["portal"]
    double = editor["docs_double"]
    folder = prepare_site(portal, double, USERS, PASSWORD)
    with api.env.adopt_roles(["Manager"]):
        file = add_file(folder, "report", samples.docx("Original text"))
        # A site grants review-only sessions by giving the permission to a role.
        folder.manage_permission(REVIEW, ["Manager", "Editor", "Owner", "Reviewer"], acquire=1)
    transaction.commit()
    url = f"http://{editor['host']}:{editor['port']}/plone"
    return Site(editor, portal, double, url, folder, file)


@pytest.fixture
def session(site):
    """An open editing session on the file: (key, callback URL)."""
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Should never arrive")
    site.double.wait_idle()
    return key, config["editorConfig"]["callbackUrl"]


@pytest.fixture
def result_url(site):
    """A real result URL on the Docs double (from a session on another document)."""
    other = add_file(site.folder, "scratch", samples.docx("Scratch"), filename="scratch.docx")
    transaction.commit()
    config = site.config(other, "jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Evil content")
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    return attempt.fields["url"]
