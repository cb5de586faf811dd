"""The settings schema as profile version 1000 registered it (commit 5302856), verbatim."""

import urllib.parse

from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

from onlyoffice_plone import _


class IOnlyofficePloneLayer(IDefaultBrowserLayer):
    """Marker for requests on a site where the add-on is installed."""


def http_url(value):
    """A URL the add-on can call or hand to a browser: http(s), a host, nothing else."""
    parts = urllib.parse.urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(_("Enter an address starting with http:// or https://, with a host name."))
    if parts.username or parts.password:
        raise Invalid(_("The address must not contain a user name or password."))
    if parts.query or parts.fragment:
        raise Invalid(_("The address must not contain a query (?) or fragment (#)."))
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
    )

    jwt_header = schema.ASCIILine(
        title=_("Authorization header"),
        description=_("The HTTP header ONLYOFFICE Docs carries its token in (JWT_HEADER)."),
        required=True,
        default="Authorization",
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
        required=False,
        default=False,
    )

    chat = schema.Bool(title=_("Chat"), required=False, default=True)
    comments = schema.Bool(title=_("Comments"), required=False, default=True)
    help = schema.Bool(title=_("Help menu"), required=False, default=True)
    feedback = schema.Bool(title=_("Feedback and support button"), required=False, default=False)
    compact_header = schema.Bool(title=_("Compact header"), required=False, default=False)
    compact_toolbar = schema.Bool(title=_("Compact toolbar"), required=False, default=False)
    macros = schema.Bool(title=_("Run document macros"), required=False, default=True)
    plugins = schema.Bool(title=_("Editor plugins"), required=False, default=True)

    @invariant
    def docs_url_needed_for_internal(data):
        if getattr(data, "docs_internal_url", None) and not getattr(data, "docs_url", None):
            raise Invalid(_("Enter the ONLYOFFICE Docs address before its address for Plone."))
