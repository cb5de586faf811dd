"""REST services for the editor's document events, for the classic page and headless frontends.

``GET <item>/@onlyoffice-history``: the argument of ``refreshHistory`` (View and CMFEditions'
"Access previous versions"). ``GET <item>/@onlyoffice-history-data?version=N``: the signed
argument of ``setHistoryData`` (the same rights). ``POST <item>/@onlyoffice-restore``
``{"version": N}`` (Modify portal content), ``POST <item>/@onlyoffice-rename`` ``{"title": …}``
(Modify portal content), ``POST <item>/@onlyoffice-saveas`` ``{"url", "title", "fileType"}``
(adding to the item's folder). Errors have the add-on's one JSON shape.

These are JSON services: plone.restapi only dispatches them for ``Accept: application/json``,
which a cross-site form cannot send, so they take the REST API's authentication (and the
page's login cookie) without Plone's CSRF token.
"""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

from onlyoffice_plone import _
from onlyoffice_plone.docs.bodies import json_object
from onlyoffice_plone.documents.versions import may_see_versions
from onlyoffice_plone.editor import history
from onlyoffice_plone.editor.rename import rename
from onlyoffice_plone.editor.restore import restore
from onlyoffice_plone.editor.saveas import save_as
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import json_reply


def _version_number(value):
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.isdigit() and len(value) <= 9:
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= 999_999_999:
        raise OnlyofficeError("BadRequest", _("Name a version by its number."), 400)
    return value


class DocumentService(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            return self.answer()
        except OnlyofficeError as exc:
            return json_reply(self.request, exc)

    def body(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        return json_object(self.request, _("Send a JSON object."))

    def check_history_rights(self):
        if not may_see_versions(self.context):
            raise OnlyofficeError(
                "Forbidden", _("You may not see the versions of this document."), 403
            )


class HistoryGet(DocumentService):
    def answer(self):
        self.check_history_rights()
        return history.history(self.context)


class HistoryDataGet(DocumentService):
    def answer(self):
        self.check_history_rights()
        number = _version_number(self.request.form.get("version"))
        return history.history_data(self.context, number)


class RestorePost(DocumentService):
    def answer(self):
        number = _version_number(self.body().get("version"))
        new_version = restore(self.context, number)
        return {"restored": number, "version": new_version}


class RenamePost(DocumentService):
    def answer(self):
        return rename(self.context, self.body().get("title"))


class SaveAsPost(DocumentService):
    def answer(self):
        body = self.body()
        return save_as(self.context, body.get("url"), body.get("title"), body.get("fileType"))
