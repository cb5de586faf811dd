"""The editor pages, the actions' availability and the "open in ONLYOFFICE" viewlet."""

from plone import api
from plone.app.layout.viewlets import ViewletBase
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Unauthorized

from onlyoffice_plone.editor import config as editor_config
from onlyoffice_plone.editor import documents
from onlyoffice_plone.editor import locking
from onlyoffice_plone.settings import get_settings


class EditorView(BrowserView):
    """``@@onlyoffice-edit`` and ``@@onlyoffice-view``: ONLYOFFICE inside Plone."""

    requested_mode = "edit"
    index = ViewPageTemplateFile("templates/editor.pt")
    tab = ViewPageTemplateFile("templates/editor_tab.pt")
    body = ViewPageTemplateFile("templates/editor_body.pt")

    def __call__(self):
        self.settings = get_settings()
        self.editor = None
        self.problem = None
        self.request.response.setHeader("Cache-Control", "no-store")
        mode, rights, adapted, classification = editor_config.resolve_mode(
            self.context, self.requested_mode, self.settings
        )
        if classification is None:
            self.problem = "not-office"
        elif mode is None or (self.requested_mode == "edit" and mode != "edit"):
            raise Unauthorized("You may not open this document in ONLYOFFICE this way.")
        elif not self.settings.configured:
            self.problem = "not-configured"
        else:
            self.editor = editor_config.build(
                self.context, self.request, mode, rights, adapted, classification, self.settings
            )
        if self.settings.open_in_new_tab:
            return self.tab()
        return self.index()

    @property
    def portal_url(self):
        return api.portal.get().absolute_url()

    @property
    def is_manager(self):
        return api.user.has_permission("Manage portal", obj=api.portal.get())

    @property
    def controlpanel_url(self):
        return api.portal.get().absolute_url() + "/@@onlyoffice-controlpanel"


class EditView(EditorView):
    requested_mode = "edit"


class ViewView(EditorView):
    requested_mode = "view"


class StatusView(BrowserView):
    """What the actions' conditions ask: may the current user edit / view it in ONLYOFFICE?"""

    def _rights(self):
        cached = getattr(self, "_cached", None)
        if cached is None:
            settings = get_settings()
            if not settings.configured:
                cached = None
            else:
                adapted = editor_config.office_file(self.context)
                classification = editor_config.classification_of(adapted, settings)
                cached = editor_config.rights_for(self.context, classification)
            self._cached = cached
        return cached

    def can_edit(self):
        rights = self._rights()
        return bool(rights and rights.can_open_editor)

    def can_view(self):
        rights = self._rights()
        return bool(rights and rights.view)

    def editors(self):
        """Names of the people editing the item in ONLYOFFICE now (when it is locked)."""
        if not locking.is_locked_by_us(self.context):
            return []
        state = documents.get_state(api.portal.get(), self.context)
        names = []
        for user_id in state.editors if state is not None else ():
            user = api.user.get(userid=user_id)
            names.append((user.getProperty("fullname", "") if user else "") or user_id)
        return names


class OpenViewlet(ViewletBase):
    """On an office file's view: open it in ONLYOFFICE, and who is editing it there."""

    index = ViewPageTemplateFile("templates/viewlet.pt")

    def update(self):
        super().update()
        status = StatusView(self.context, self.request)
        self.can_edit = status.can_edit()
        self.can_view = status.can_view()
        self.editors = status.editors() if (self.can_edit or self.can_view) else []
        self.target = "_blank" if get_settings().open_in_new_tab else None
        self.url = self.context.absolute_url()

    def available(self):
        return self.can_edit or self.can_view or bool(self.editors)
