"""``<portal>/@@onlyoffice-version`` and ``@@onlyoffice-changes`` (``?uid=…&version=…&token=…``):
an old version's file, and the changes.zip Docs made it with, for ONLYOFFICE Docs only.

The editor's version history hands these URLs to Docs (``setHistoryData``). As for the current
file (``docs.download``): public, because Docs has no Plone login; each answers only to a URL
token the core scoped to this document, this version and this purpose, and, with a JWT
secret set, to Docs' header token made for this very URL. Blobs are streamed.
"""

from plone import api

from onlyoffice_plone import core
from onlyoffice_plone.docs.serving import DocsFileView
from onlyoffice_plone.docs.serving import refused
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.documents.state import find
from onlyoffice_plone.documents.state import get_state
from onlyoffice_plone.documents.versions import version_file
from onlyoffice_plone.errors import form_text


def changes_file(portal, obj, version_id):
    """The changes.zip kept for the ONLYOFFICE save that made ``version_id``, or None."""
    state = get_state(portal, obj)
    for record in reversed(state.history if state is not None else ()):
        if record.get("version_id") == version_id and record.get("changes") is not None:
            return record["changes"]
    return None


class VersionFileView(DocsFileView):
    """One version's file (``purpose`` "version") or its changes (``purpose`` "changes")."""

    purpose = "version"

    @property
    def what(self):
        return f"a {self.purpose} of the document"

    def find_file(self):
        uid = form_text(self.request, "uid")
        version = form_text(self.request, "version")
        token = form_text(self.request, "token")
        self._authorize(uid, version, token)
        obj = find(uid)
        if obj is None:
            raise refused("no such document", 404)
        file, filename = self._file(obj, int(version))
        if file is None:
            raise refused(f"no {self.purpose} {version} of this document", 404)
        return file, filename

    def _file(self, obj, version_id):
        if self.purpose == "changes":
            return changes_file(api.portal.get(), obj, version_id), "changes.zip"
        return version_file(obj, version_id)

    def _authorize(self, uid, version, token):
        if not version or not version.isascii() or not version.isdigit() or len(version) > 9:
            raise refused("no version named", 400)
        try:
            check_url_token(api.portal.get(), token, self.purpose, uid, key=version)
        except UrlTokenError as exc:
            raise refused(f"{self.purpose} token refused: {exc}") from exc
        except core.InvalidArgumentError as exc:
            raise refused(f"{self.purpose} token refused: {exc}", 400) from exc
        self.check_docs_token(token)


class ChangesFileView(VersionFileView):
    purpose = "changes"
