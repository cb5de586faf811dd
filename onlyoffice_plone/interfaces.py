"""Interfaces: the browser layer, the settings schema, and what features offer each other.

The field names of ``IOnlyofficeSettings`` are a public contract: registry records are
``onlyoffice_plone.<field>``, and REST clients read and write them by these names.
"""

import re
import unicodedata

from plone.autoform import directives
from plone.supermodel import model
from Products.CMFCore.interfaces import IFolderish
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.component.hooks import getSite
from zope.interface import Interface
from zope.interface import Invalid
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.errors import is_text


class IOnlyofficePloneLayer(IDefaultBrowserLayer):
    """Marker for requests on a site where the add-on is installed."""


class IEditorPage(Interface):
    """The editor pages (``@@onlyoffice-edit``, ``@@onlyoffice-view``): an application page
    that fills the window below Plone's header, so Plone's footer is not rendered there."""


class INewDocumentMenu(Interface):
    """The editor's "Create new" menu (a utility: the creation feature provides it)."""

    def entries(obj, document_type):
        """``(templates, create_url)`` for ``editorConfig`` of ``obj`` (being edited).

        ``templates`` lists the new documents of ``document_type`` the current user may
        create in ``obj``'s folder; ``([], None)`` when there are none.
        """


#: What the settings form says when the core refuses an address (``InvalidUrlError.reason``).
ADDRESS_PROBLEMS = {
    "credentials": _("The address must not contain a user name or password."),
    "query": _("The address must not contain a query (?) or fragment (#)."),
}
ADDRESS_REQUIRED = _("Enter an address starting with http:// or https://, with a host name.")


def http_url(value):
    """A URL the add-on can call or hand to a browser, as the core decides (``check_base_url``)."""
    if not is_text(value or ""):  # a lone surrogate the core cannot take
        raise Invalid(ADDRESS_REQUIRED)
    try:
        core.check_base_url(value or "")
    except core.InvalidUrlError as exc:
        raise Invalid(ADDRESS_PROBLEMS.get(exc.reason, ADDRESS_REQUIRED)) from exc
    return True


def site_folder(value):
    """A path to a folder of this site, such as ``/templates``.

    The folder must really be at that path: traversal would also acquire ``/templates`` for
    ``/docs/templates``, and whoever later adds ``docs/templates`` would take it over.
    """
    portal = getSite()
    path = value.strip().strip("/") if is_text(value) else ""
    found = portal.unrestrictedTraverse(path, None) if path else None
    if found is None or not IFolderish.providedBy(found) or found is portal:
        raise Invalid(_("There is no folder at this path in the site."))
    below_site = found.getPhysicalPath()[len(portal.getPhysicalPath()) :]
    if "/".join(below_site) != path:
        raise Invalid(_("There is no folder at this path in the site."))
    return True


HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def http_header_name(value):
    """An HTTP header name (RFC 9110 token): no spaces, colons or other separators."""
    if not HEADER_NAME.match(value or ""):
        raise Invalid(_("Enter an HTTP header name, such as Authorization."))
    return True


#: The longest JWT secret the settings take (Docs makes 32 characters).
MAX_SECRET = 256


def jwt_secret_text(value):
    """A JWT secret that signs: text the core can encode as UTF-8 (no lone surrogates, which
    JSON's ``\\udcff`` and form bytes that are not UTF-8 become), no control characters, at
    most ``MAX_SECRET`` characters. Checked here, the form and ``@controlpanels`` both refuse
    what would otherwise be stored and break every editor page."""
    if not (
        is_text(value)
        and len(value) <= MAX_SECRET
        and not any(unicodedata.category(c) == "Cc" for c in value)
    ):
        raise Invalid(
            _(
                "Enter a secret key of at most ${max} characters, without control characters.",
                mapping={"max": MAX_SECRET},
            )
        )
    return True


class IOnlyofficeSettings(model.Schema):
    """Settings of the ONLYOFFICE integration (Site Setup → ONLYOFFICE Configuration)."""

    model.fieldset(
        "editor",
        label=_("Editor"),
        fields=[
            "forcesave",
            "open_in_new_tab",
            "chat",
            "comments",
            "help",
            "feedback",
            "compact_header",
            "compact_toolbar",
            "macros",
            "plugins",
        ],
    )
    model.fieldset(
        "advanced",
        label=_("Advanced"),
        fields=["jwt_header", "jwt_leeway", "verify_tls", "max_file_size_mb"],
    )

    docs_url = schema.URI(
        title=_("ONLYOFFICE Docs address"),
        description=_(
            "The address of ONLYOFFICE Docs as users' browsers reach it, "
            "for example https://docs.example.com/."
        ),
        required=False,
        constraint=http_url,
    )

    docs_internal_url = schema.URI(
        title=_("ONLYOFFICE Docs address for Plone"),
        description=_(
            "Optional. The address Plone uses to reach ONLYOFFICE Docs when it differs "
            "from the public one, for example http://onlyoffice/ inside a private network."
        ),
        required=False,
        constraint=http_url,
    )

    plone_internal_url = schema.URI(
        title=_("Plone address for ONLYOFFICE Docs"),
        description=_(
            "Optional. The address ONLYOFFICE Docs uses to reach this Plone site when it "
            "differs from the public one, for example http://plone:8080/Plone."
        ),
        required=False,
        constraint=http_url,
    )

    jwt_secret = schema.Password(
        title=_("Secret key"),
        description=_(
            "The JWT secret configured in ONLYOFFICE Docs (JWT_SECRET). It is never shown "
            "again: leave the field empty to keep the stored secret."
        ),
        required=False,
        constraint=jwt_secret_text,
    )

    jwt_header = schema.ASCIILine(
        title=_("Authorization header"),
        description=_("The HTTP header ONLYOFFICE Docs carries its token in (JWT_HEADER)."),
        required=True,
        default="Authorization",
        constraint=http_header_name,
    )

    jwt_leeway = schema.Int(
        title=_("Clock tolerance (seconds)"),
        description=_("How far the clocks of Plone and ONLYOFFICE Docs may differ."),
        required=True,
        default=60,
        min=0,
        max=3600,
    )

    verify_tls = schema.Bool(
        title=_("Verify TLS certificates"),
        description=_(
            "Check the certificate of ONLYOFFICE Docs when Plone calls it. Turn this off "
            "only for test servers with self-signed certificates."
        ),
        required=False,
        default=True,
    )

    max_file_size_mb = schema.Int(
        title=_("Largest file (MB)"),
        description=_("The largest file sent to or accepted from ONLYOFFICE Docs."),
        required=True,
        default=100,
        min=1,
        max=10240,
    )

    directives.widget("lossy_edit_formats", CheckBoxFieldWidget)
    lossy_edit_formats = schema.List(
        title=_("Formats editable with loss"),
        description=_(
            "Formats that may be edited although saving them can lose features "
            "(OpenDocument, csv, txt, rtf…). Files of other such formats open read-only "
            "and can be converted to Office Open XML."
        ),
        required=False,
        default=[],
        missing_value=[],
        value_type=schema.Choice(vocabulary="onlyoffice_plone.LossyEditFormats"),
    )

    templates_folder = schema.TextLine(
        title=_("Templates folder"),
        description=_(
            "Optional. The path of a folder in this site, for example /templates, whose "
            "office files users may start new documents from, besides the blank ones."
        ),
        required=False,
        constraint=site_folder,
    )

    forcesave = schema.Bool(
        title=_("Show the Save button"),
        description=_(
            "Editors get a Save button that stores a new version while the session "
            "goes on. Without it, the document is saved when the last editor closes it."
        ),
        required=False,
        default=False,
    )

    open_in_new_tab = schema.Bool(
        title=_("Open the editor in a new browser tab"),
        description=_(
            "ONLYOFFICE Edit and View open in a tab of their own, and the document's page "
            "stays open."
        ),
        required=False,
        default=False,
    )

    chat = schema.Bool(
        title=_("Chat"),
        description=_("People editing a document together can write to each other."),
        required=False,
        default=True,
    )
    comments = schema.Bool(
        title=_("Comments"),
        description=_("The editor shows its Comments button."),
        required=False,
        default=True,
    )
    help = schema.Bool(
        title=_("Help menu"),
        description=_("The editor shows its Help button."),
        required=False,
        default=True,
    )
    feedback = schema.Bool(
        title=_("Feedback and support button"),
        description=_(
            "The editor shows a button that leads to ONLYOFFICE's feedback and support."
        ),
        required=False,
        default=False,
    )
    compact_header = schema.Bool(
        title=_("Compact header"),
        description=_("The buttons of the editor's header move into its toolbar."),
        required=False,
        default=False,
    )
    compact_toolbar = schema.Bool(
        title=_("Compact toolbar"),
        description=_("The editor shows its compact toolbar instead of the full one."),
        required=False,
        default=False,
    )
    macros = schema.Bool(
        title=_("Run document macros"),
        description=_("Macros saved in a document run when the editor opens it."),
        required=False,
        default=True,
    )
    plugins = schema.Bool(
        title=_("Editor plugins"),
        description=_("The editor starts the plugins installed in ONLYOFFICE Docs."),
        required=False,
        default=True,
    )
