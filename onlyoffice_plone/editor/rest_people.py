"""REST services for the people in the editor, for the classic page and headless frontends.

``GET <item>/@onlyoffice-users?c=mention|protect|info[&search=…][&ids=a,b]``: the argument
of ``setUsers`` (``{"c", "users"}``), under the rules of ``editor.people``.
``POST <item>/@onlyoffice-notify`` ``{"emails", "message", "actionLink"}`` (the payload of
``onRequestSendNotify``): mails each mentioned person who may view the item; ``{"notified": n}``.
Errors have the add-on's one JSON shape (``BadRequest`` 400, ``Forbidden`` 403,
``TooManyMails`` 429, ``MailNotSetUp`` 503).
"""

from onlyoffice_plone import _
from onlyoffice_plone.editor import people
from onlyoffice_plone.editor.notify import send_notifications
from onlyoffice_plone.editor.rest_document import DocumentService
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import form_text


class UsersGet(DocumentService):
    def answer(self):
        kind = form_text(self.request, "c") or "mention"
        people.check_may_ask(self.context, kind)
        search = people.parse_search(form_text(self.request, "search"))
        ids = people.parse_ids(form_text(self.request, "ids"))
        if kind == "info" and not ids:
            raise OnlyofficeError("BadRequest", _("Name the people to show by their ids."), 400)
        return {"c": kind, "users": people.people(self.context, kind, search, ids)}


class NotifyPost(DocumentService):
    def answer(self):
        body = self.body()
        people.check_may_ask(self.context, "mention")
        return send_notifications(self.context, body)
