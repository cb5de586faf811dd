"""The editor pages, the actions' availability and the "open in ONLYOFFICE" viewlet."""

import logging

import transaction
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.app.viewletmanager.manager import BaseOrderedViewletManager
from plone.app.viewletmanager.manager import OrderedViewletManager
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import MethodNotAllowed
from zExceptions import Unauthorized
from zope.component import queryMultiAdapter
from zope.interface import implementer

from onlyoffice_plone import _
from onlyoffice_plone.docs import commands
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.language import target_language
from onlyoffice_plone.documents.pages import view_url
from onlyoffice_plone.documents.people import session_people
from onlyoffice_plone.documents.rights import is_anonymous
from onlyoffice_plone.documents.rights import may
from onlyoffice_plone.documents.status import status_of
from onlyoffice_plone.editor import config as editor_config
from onlyoffice_plone.editor.actions import document_rights
from onlyoffice_plone.editor.people import action_link_of
from onlyoffice_plone.editor.people import people_rights
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import text_reply
from onlyoffice_plone.interfaces import IEditorPage
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")

MANAGE_PORTAL = "Manage portal"
#: The parts of Plone's footer the editor pages leave out (see EditorPageFooter).
HIDDEN_FOOTER = frozenset({"plone.footer", "plone.site_actions", "plone.colophon"})
#: What the editor pages leave out below the content (see EditorPageBelowContent).
HIDDEN_BELOW_CONTENT = frozenset({"plone.documentactions", "plone.nextprevious"})
#: The links in the page's head the editor pages leave out (see EditorPageHeadLinks).
HIDDEN_HEAD_LINKS = frozenset(
    {"plone.links.author", "plone.links.RSS", "plone.nextprevious.links"}
)
#: The editor events the page may declare, as ``(feature, data-can-… name)``.
FRAME_FEATURES = (
    ("history", "history"),
    ("restore", "restore"),
    ("rename", "rename"),
    ("saveas", "save-as"),
    ("mention", "mention"),
    ("protect", "protect"),
    ("info", "info"),
    ("share", "share"),
)


@implementer(IEditorPage)
class EditorView(BrowserView):
    """``@@onlyoffice-edit`` and ``@@onlyoffice-view``: ONLYOFFICE inside Plone.

    Without a JWT secret, ``@@onlyoffice-edit`` opens the document read-only and says why.
    """

    requested_mode = "edit"
    index = ViewPageTemplateFile("templates/editor.pt")
    tab = ViewPageTemplateFile("templates/editor_tab.pt")
    body = ViewPageTemplateFile("templates/editor_body.pt")

    def __call__(self):
        self.settings = get_settings()
        self.editor = None
        self.problem = None
        self.editing_disabled = False
        self.request.response.setHeader("Cache-Control", "no-store")
        # An application page: the item's own page is the one to index.
        self.request.response.setHeader("X-Robots-Tag", "noindex, nofollow")
        try:
            action_link = action_link_of(self.request)
        except OnlyofficeError as exc:
            return text_reply(self.request, exc)
        mode, rights, adapted, classification = editor_config.resolve_mode(
            self.context, self.requested_mode, self.settings
        )
        if classification is None:
            self.problem = "not-office"
            self.request.response.setStatus(404)  # the page says so, in Plone's layout
        elif mode is None or (self.requested_mode == "edit" and not rights.can_open_editor):
            if mode == "view":
                return self._read_only_instead()
            raise Unauthorized("You may not open this document in ONLYOFFICE this way.")
        elif not self.settings.configured:
            self.problem = "not-configured"
        else:
            self.editing_disabled = self.requested_mode == "edit" and mode != "edit"
            self.editor = editor_config.build(
                self.context,
                self.request,
                mode,
                rights,
                adapted,
                classification,
                self.settings,
                action_link=action_link,
            )
        if self.settings.open_in_new_tab:
            return self.tab()
        return self.index()

    def _read_only_instead(self):
        """Someone who may read the document, not edit it (a reader, a format ONLYOFFICE
        only views, a lock from Plone's edit form) followed an edit link: the viewer, saying
        so, rather than Plone's "Insufficient privileges"."""
        api.portal.show_message(
            _("This document opens read-only for you in ONLYOFFICE."),
            request=self.request,
            type="info",
        )
        query = self.request.environ.get("QUERY_STRING")
        url = f"{self.context.absolute_url()}/@@onlyoffice-view"
        self.request.response.redirect(f"{url}?{query}" if query else url)
        return ""

    def frame_data(self):
        """The editor frame's ``data-`` attributes: what editor.js needs besides the config
        (one expression in the template, not one per attribute)."""
        editor = self.editor
        item_url = self.context.absolute_url()
        data = {
            "data-api-url": editor.api_js_url,
            "data-docs-url": editor.docs_url,
            "data-item-url": item_url,
            "data-view-url": self.item_view_url,
            "data-controlpanel-url": self.controlpanel_url if self.is_manager else None,
            "data-mode": editor.mode,
            "data-new-tab": "true" if self.settings.open_in_new_tab else "false",
        }
        for feature, name in FRAME_FEATURES:
            data[f"data-can-{name}"] = "true" if self.can(feature) else "false"
        data["data-can-pick"] = "true" if editor.mode == "edit" else "false"
        data["data-sharing-url"] = f"{item_url}/@@sharing"
        return data

    def can(self, feature):
        """Does the page declare the editor event of ``feature`` for this user?"""
        if self.editor is None:
            return False
        if getattr(self, "_features", None) is None:
            self._features = {
                **document_rights(self.context, self.editor.mode),
                **people_rights(self.context, self.editor.mode, self.editor.rights),
            }
        return self._features.get(feature, False)

    @property
    def portal_url(self):
        return api.portal.get().absolute_url()

    @property
    def item_view_url(self):
        """Where "close" goes: the item's page (its bare URL would download a File)."""
        return view_url(self.context, self.request)

    @property
    def target_language(self):
        """The language of the page's texts, negotiated once (not once per text)."""
        return target_language(self.request)

    @property
    def is_manager(self):
        if getattr(self, "_is_manager", None) is None:
            self._is_manager = may(MANAGE_PORTAL, api.portal.get())
        return self._is_manager

    @property
    def controlpanel_url(self):
        return api.portal.get().absolute_url() + "/@@onlyoffice-controlpanel"


class EditView(EditorView):
    pass


class ViewView(EditorView):
    requested_mode = "view"


class StatusView(BrowserView):
    """What the actions' conditions ask: may the current user edit / view it in ONLYOFFICE?

    Every condition makes a new view: the answers come from the item's status, decided
    once per request (documents/status.py).
    """

    def can_edit(self):
        return status_of(self.context).can_edit

    def can_view(self):
        return status_of(self.context).can_view

    def can_unlock(self):
        """Is the item locked for ONLYOFFICE, and may the current user remove that lock?"""
        return status_of(self.context).can_unlock


def remove_lock(obj):
    """A Manager's unlock: the ONLYOFFICE lock and the session Plone remembers, whoever holds
    them, and the session itself: Docs is asked to disconnect its editors (command ``drop``),
    so it saves their edits (a status 2 with the session's key: a new version) and no later
    status 1 brings the lock back. Returns False when Docs could not be asked (unreachable:
    a session still open there saves to the document or a conflict copy later, nothing is
    lost)."""
    state = documents.get_state(api.portal.get(), obj)
    key = state.lock_key if state is not None else None
    editors = list(state.editors) if state is not None else []
    locking.release(state, obj)
    if key is None:
        return True
    settings = get_settings()
    if not settings.configured:
        return False
    # Docs calls back while this request runs: it must find the lock gone.
    transaction.commit()
    try:
        commands.send(settings, "drop", key=key, users=editors or None)
    except commands.CommandFailed as exc:
        if exc.code == 1:
            return True  # Docs has no session with this key any more
        logger.warning("could not ask Docs to close session %s: %s", key, exc.detail)
        return False
    return True


class UnlockView(BrowserView):
    """``@@onlyoffice-unlock`` (POST, Manage portal): remove the ONLYOFFICE lock."""

    def __call__(self):
        if self.request.method != "POST":
            raise MethodNotAllowed("POST only")
        CheckAuthenticator(self.request)
        if remove_lock(self.context):
            message = _("The ONLYOFFICE lock is removed.")
        else:
            message = _(
                "The ONLYOFFICE lock is removed, but ONLYOFFICE Docs could not be asked to "
                "close the session: its editors may go on and their edits are saved later."
            )
        api.portal.show_message(message, request=self.request, type="info")
        self.request.response.redirect(self.context.absolute_url() + "/view")
        return ""


class _Without:
    """One of Plone's viewlet managers on the editor pages, without the viewlets named in
    ``hidden``."""

    hidden = frozenset()

    def filter(self, viewlets):
        return [(name, v) for name, v in super().filter(viewlets) if name not in self.hidden]


class EditorPageFooter(_Without, OrderedViewletManager):
    """Plone's footer on the editor pages, without what it shows. The editor fills the
    window below the header, so the footer portlets, site actions and colophon would only
    be reached by scrolling past it (and the footer portlets are about a tenth of the page's
    work); what a site or another add-on puts there for its own sake (web statistics, a
    cookie notice) stays. The editor's stylesheet hides the footer's box."""

    hidden = HIDDEN_FOOTER


class EditorPageBelowContent(_Without, OrderedViewletManager):
    """What Plone shows below an item's content, on the editor pages without the document
    actions (print, RSS) and the links to the next and previous item: they serve a reader of
    the item's page and would sit below an editor that fills the window (their actions'
    conditions were a twentieth of the page's work). What a site or another add-on puts
    there stays."""

    hidden = HIDDEN_BELOW_CONTENT


class EditorPageHeadLinks(_Without, BaseOrderedViewletManager):
    """The links in the head of the editor pages, without the item's author, RSS feed and
    next and previous items: they describe the item's page, which is what search engines
    and feed readers are pointed to (the editor pages ask not to be indexed)."""

    hidden = HIDDEN_HEAD_LINKS


class OpenViewlet(ViewletBase):
    """On an office file's view: open it in ONLYOFFICE, and who is editing it there."""

    index = ViewPageTemplateFile("templates/viewlet.pt")

    def update(self):
        # Not ViewletBase.update: the portal state and URLs it looks up go unused here.
        status = status_of(self.context)
        self.can_edit = status.can_edit
        self.can_view = status.can_view
        self.can_unlock = status.can_unlock
        self.in_session, self.editors = False, []
        if (self.can_edit or self.can_view) and status.locked_by_us:
            self.in_session, self.editors = self._session()
        self.target = "_blank" if status.settings.open_in_new_tab else None
        self.url = self.context.absolute_url()
        self.download_as = self._download_as() if self.can_view else None
        self.convert = self._convert(status) if self.can_view and not self.can_edit else None

    def _session(self):
        """Is the current user in the item's ONLYOFFICE session, and who else is: told
        apart as the lock banner does on other pages, so that someone back from the editor
        is not told that she herself is editing it."""
        state = documents.get_state(api.portal.get(), self.context)
        return session_people(list(state.editors) if state is not None else [])

    def _convert(self, status):
        """A file ONLYOFFICE opens read-only for its format (a legacy one, where the site
        edits): why there is no Edit, and the conversion feature's page, for those who may
        convert it. Not where nobody edits (no JWT secret), nor where only the user's rights
        stand in the way."""
        classification = status.classification
        if not (
            status.settings.editing_enabled
            and classification is not None
            and classification.convert_to
            and not classification.can_edit
        ):
            return None
        return self._offered("can_convert", "onlyoffice-convert")

    def _download_as(self):
        """ "Download as…" for anonymous visitors: Plone shows them no toolbar, so no Actions
        menu to find it in. The conversion feature's page for it, when it offers the item's
        file in other formats."""
        if not is_anonymous():
            return None
        return self._offered("can_download_as", "onlyoffice-download-as")

    def _offered(self, question, page):
        """The conversion feature's ``page`` for this item when its status view (the one the
        actions' conditions ask) answers ``question`` yes, else None."""
        offers = queryMultiAdapter(
            (self.context, self.request), name="onlyoffice-conversion-status"
        )
        if offers is None or not getattr(offers, question)():
            return None
        return f"{self.url}/@@{page}"

    def available(self):
        return self.can_edit or self.can_view or self.can_unlock

    def unlock_script(self):
        """The unlock button's confirmation (a file, not an inline handler, which a strict
        Content-Security-Policy would skip); only pages with the button load it."""
        return f"{api.portal.get().absolute_url()}/++plone++onlyoffice_plone/unlock.js"

    def render(self):
        # Most items offer nothing: no template to render for them.
        return self.index() if self.available() else ""
