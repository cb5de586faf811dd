"""REST services for creating documents (Volto, headless clients).

- ``GET <folder>/@onlyoffice-create``: the kinds, the templates the user may use, whether the
  user may create documents here, and a CSRF token.
- ``POST <folder>/@onlyoffice-create`` ``{"kind", "title", "template"?}``: 201 with the new
  item's ``@id``, ``uid`` and ``edit_url``. Send the CSRF token as ``X-CSRF-TOKEN``
  (plone.protect stays on).
"""

from plone import api
from plone.protect.authenticator import createToken
from plone.restapi.services import Service

from onlyoffice_plone import _
from onlyoffice_plone.creation import create
from onlyoffice_plone.docs.bodies import json_object
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import checked_csrf
from onlyoffice_plone.errors import json_reply


class CreateGet(Service):
    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        allowed = create.can_create(self.context)
        return {
            "can_create": allowed,
            "kinds": [
                {
                    "id": kind.id,
                    "title": str(api.portal.translate(kind.title)),
                    "extension": kind.extension,
                }
                for kind in create.KINDS.values()
            ],
            "templates": [
                {
                    "uid": t.uid,
                    "title": t.title,
                    "kind": t.kind,
                    "extension": t.extension,
                    "@id": t.url,
                }
                for t in (create.templates() if allowed else [])
            ],
            "csrf_token": createToken() if allowed else None,
        }


class CreatePost(Service):
    def reply(self):
        try:
            try:
                checked_csrf(self.request)
                data = json_object(self.request, _("Send a JSON object as the request body."))
            except OnlyofficeError as exc:
                raise create.CreationFailed(exc.kind, exc.message, exc.status) from exc
            item = create.create(
                self.context,
                data.get("kind"),
                data.get("title"),
                data.get("template"),
                self.request,
            )
        except create.CreationFailed as failure:
            return json_reply(self.request, failure)
        self.request.response.setStatus(201)
        answer = create.created_answer(item)
        self.request.response.setHeader("Location", answer["@id"])
        return answer
