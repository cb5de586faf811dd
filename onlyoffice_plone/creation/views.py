"""Classic UI: the Add menu entries and the "new document" form.

The Add menu (toolbar) and ``folder_factories`` list what ``folder_factories.addable_types``
returns; this add-on's layer gets a subclass that adds one entry per kind of new document
right after File, wherever the user may add Files.
"""

import logging
import os

from plone import api
from plone.app.content.browser import folderfactories
from plone.protect.authenticator import check
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Forbidden
from zExceptions import Unauthorized

from onlyoffice_plone import _
from onlyoffice_plone.creation import create
from onlyoffice_plone.errors import is_text
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")

_FACTORIES_TEMPLATE = os.path.join(os.path.dirname(folderfactories.__file__), "folderfactories.pt")


class FolderFactoriesView(folderfactories.FolderFactoriesView):
    """Plone's ``folder_factories`` plus "new ONLYOFFICE document" entries."""

    index = ViewPageTemplateFile(_FACTORIES_TEMPLATE)

    def addable_types(self, include=None):
        results = super().addable_types(include=include)
        try:
            add_context = self.add_context()
            if not any(entry.get("id") == create.PORTAL_TYPE for entry in results):
                return results
            if not get_settings().configured or not create.can_create(add_context):
                return results
        except Exception:  # the Add menu must never break a page, but say why it is short
            logger.exception(
                "could not add the ONLYOFFICE entries to the Add menu of %s",
                self.context.absolute_url(),
            )
            return results
        position = next(
            i + 1 for i, entry in enumerate(results) if entry.get("id") == create.PORTAL_TYPE
        )
        results[position:position] = [
            self._entry(add_context, kind) for kind in create.KINDS.values()
        ]
        return results

    def _entry(self, add_context, kind):
        css_id = f"onlyoffice-new-{kind.id}"
        return {
            "id": css_id,
            "title": kind.title,
            "description": _("A new ONLYOFFICE document, opened in the editor"),
            "action": create.create_url(add_context, kind.id),
            "selected": False,
            "icon": kind.icon,
            "extra": {"id": css_id, "separator": None, "class": f"contenttype-{css_id}"},
            "submenu": None,
        }


class CreateView(BrowserView):
    """``<folder>/@@onlyoffice-create?kind=document``: title, template, create, edit."""

    index = ViewPageTemplateFile("templates/create.pt")

    def __call__(self):
        if not create.can_create(self.context):
            raise Unauthorized("You may not add documents here.")
        self.request.response.setHeader("Cache-Control", "no-store")
        form = self.request.form
        self.error = None
        kind = form.get("kind")
        self.kind_id = kind if isinstance(kind, str) and kind in create.KINDS else "document"
        self.title = form.get("title", "")
        self.template_uid = form.get("template", "")
        self.configured = get_settings().configured
        if not is_text(self.title) or not is_text(self.template_uid):
            self.title = self.title if is_text(self.title) else ""
            self.template_uid = self.template_uid if is_text(self.template_uid) else ""
            self.error = _("Give one title and at most one template.")
            self.request.response.setStatus(400)
            return self.index()
        if self.request.method == "POST" and form.get("form.buttons.create"):
            try:
                check(self.request)
            except Forbidden:
                self.error = _("Your session changed: press “Create” again.")
                return self.index()
            try:  # an empty title is the placeholder's: the default of the kind made
                item = create.create(
                    self.context,
                    self.kind_id,
                    self.title,
                    self.template_uid,
                    self.request,
                    untitled=True,
                )
            except create.CreationFailed as failure:
                self.error = failure.message
                self.request.response.setStatus(failure.status)
                return self.index()
            answer = create.created_answer(item)
            self.request.response.redirect(answer["edit_url"] or answer["view_url"], status=303)
            return ""
        return self.index()

    @property
    def kinds(self):
        return list(create.KINDS.values())

    @property
    def kind(self):
        return create.KINDS[self.kind_id]

    @property
    def templates(self):
        return create.templates()

    @property
    def csrf_token(self):
        return createToken()

    @property
    def default_title(self):
        return self.default_title_of(self.kind)

    def default_title_of(self, kind):
        return api.portal.translate(kind.default_title)

    @property
    def static_url(self):
        return f"{api.portal.get().absolute_url()}/++plone++onlyoffice_plone.creation"
