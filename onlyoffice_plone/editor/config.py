"""The editor config for one user, one item and one mode: what the page and REST hand out.

Everything the protocol decides (format, key format, permissions defaults, the signed token)
comes from the core; this module gathers the Plone facts it needs.
"""

import re
import secrets
from dataclasses import dataclass

from AccessControl import getSecurityManager
from plone import api
from zope.component import queryUtility

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.urls import DOWNLOAD_LIFETIME
from onlyoffice_plone.docs.urls import VIEW_LIFETIME
from onlyoffice_plone.docs.urls import callback_url
from onlyoffice_plone.docs.urls import download_url
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import editor_title
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import current_key
from onlyoffice_plone.documents.language import translated
from onlyoffice_plone.documents.pages import view_url
from onlyoffice_plone.documents.people import current_name
from onlyoffice_plone.documents.people import may_see_people
from onlyoffice_plone.documents.portraits import portrait_url
from onlyoffice_plone.documents.rights import Rights
from onlyoffice_plone.documents.rights import is_anonymous
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.editor.references import reference_data
from onlyoffice_plone.editor.sharing import may_see_sharing
from onlyoffice_plone.editor.sharing import sharing_settings
from onlyoffice_plone.interfaces import INewDocumentMenu
from onlyoffice_plone.settings import get_settings

#: Lifetime (seconds) of the config's token: as long as the download URL it carries, by mode
#: (a viewer's is short: a saved view config must not outlive the right to view for long).
CONFIG_LIFETIME = {"edit": DOWNLOAD_LIFETIME, "view": VIEW_LIFETIME}

API_JS_PATH = "web-apps/apps/api/documents/api.js"

#: Phones (not tablets) by their user agent: they get Docs' ``mobile`` editor.
PHONE = re.compile(r"Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|BlackBerry|Opera Mini", re.I)


def editor_type(request):
    """``mobile`` on a phone, ``desktop`` elsewhere (tablets have room for the desktop one)."""
    agent = request.getHeader("User-Agent") or ""
    return "mobile" if PHONE.search(agent[:512]) else "desktop"


@dataclass
class EditorConfig:
    docs_url: str
    api_js_url: str
    config_json: str
    mode: str
    rights: Rights
    key: str


def resolve_mode(obj, requested, settings=None):
    """(mode, rights, office file, classification) for the current user; mode None = refused.

    ``requested`` None asks for the best mode the user may have. Without a JWT secret,
    every session is a view (see ``Settings.editing_enabled``).
    """
    settings = settings or get_settings()
    # The key handed out below must follow every save committed, on any instance.
    keys.see_latest(obj)
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    rights = rights_for(obj, classification)
    if requested in ("edit", None) and rights.can_open_editor and settings.editing_enabled:
        return "edit", rights, adapted, classification
    if rights.view:
        return "view", rights, adapted, classification
    return None, rights, adapted, classification


def build(obj, request, mode, rights, adapted, classification, settings=None, action_link=None):
    """The config; ``action_link`` (checked by ``core.action_link``) opens it at a comment."""
    settings = settings or get_settings()
    if mode == "edit" and not settings.editing_enabled:
        raise ValueError("an editing session needs the JWT secret")
    portal = api.portal.get()
    key = current_key(portal, obj, adapted)
    url = download_url(obj, CONFIG_LIFETIME[mode], settings)
    callback = callback_url(obj, key, settings) if mode == "edit" else None

    permissions = rights.permissions() if mode == "edit" else {"edit": False}
    permissions["chat"] = settings.chat

    user_image = None
    if is_anonymous():
        user_id = "anonymous-" + secrets.token_hex(6)
        # A message, so that i18ndude extracts it into the catalogues.
        user_name = translated(_("Anonymous"), request)
    else:
        user_id = getSecurityManager().getUser().getId()
        user_name = current_name()
        user_image = portrait_url(user_id)

    language = request.get("LANGUAGE") or api.portal.get_default_language() or "en"
    customization = {
        "forcesave": bool(settings.forcesave),
        "comments": bool(settings.comments),
        "help": bool(settings.help),
        "feedback": bool(settings.feedback),
        "compactHeader": bool(settings.compact_header),
        "compactToolbar": bool(settings.compact_toolbar),
        "macros": bool(settings.macros),
        "plugins": bool(settings.plugins),
        # Back to the item's page: its bare URL would download a File.
        "goback": {"url": view_url(obj, request), "blank": False},
        # The editor's close button; the page answers onRequestClose (back to the item).
        "close": {"visible": True},
        # A mention notifies people who may view the document already; it shares nothing.
        "mentionShare": False,
    }
    info = {"uploaded": _created(obj)}
    if may_see_people():
        info["owner"] = _owner(obj)
    if may_see_sharing(obj):
        info["sharingSettings"] = sharing_settings(obj)
    templates, create_url = [], None
    menu = queryUtility(INewDocumentMenu) if mode == "edit" else None
    if menu is not None:
        templates, create_url = menu.entries(obj, classification.document_type)
    document = core.EditorDocument(
        key,
        url,
        editor_title(obj, adapted, classification.extension),
        classification.extension,
        document_type=classification.document_type,
        info=info,
        # Names the document for good: what a spreadsheet linking to it asks for.
        reference_data=reference_data(obj),
        is_form=classification.is_form or None,
    )
    options = core.EditorOptions(
        mode=mode,
        callback_url=callback,
        editor_type=editor_type(request),
        language=language,
        permissions=permissions,
        customization=customization,
        templates=templates or None,
        create_url=create_url,
        editor_extra={"actionLink": action_link} if action_link else None,
    )
    config_json = core.build_editor_config(
        document,
        core.EditorUser(user_id, name=user_name, image=user_image),
        options,
        secret=settings.jwt_secret or None,
        expires_in=CONFIG_LIFETIME[mode],
    )
    docs_url = settings.public_docs_url
    return EditorConfig(
        docs_url=docs_url,
        api_js_url=docs_url + API_JS_PATH,
        config_json=config_json,
        mode=mode,
        rights=rights,
        key=key,
    )


def _owner(obj):
    creators = getattr(obj, "creators", None) or ()
    return creators[0] if creators else ""


def _created(obj):
    created = getattr(obj, "created", None)
    try:
        return created().ISO8601() if created else ""
    except (AttributeError, TypeError):
        return ""
