"""The editor config for one user, one item and one mode: what the page and REST hand out.

Everything the protocol decides (format, key format, permissions defaults, the signed token)
comes from the core; this module gathers the Plone facts it needs.
"""

import secrets
import urllib.parse
from dataclasses import dataclass

from plone import api
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import core
from onlyoffice_plone.editor.documents import current_key
from onlyoffice_plone.editor.interfaces import IOfficeFile
from onlyoffice_plone.editor.rights import Rights
from onlyoffice_plone.editor.rights import rights_for
from onlyoffice_plone.editor.users import display_name
from onlyoffice_plone.editor.users import may_see_people
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.url_tokens import make_url_token

#: Lifetime (seconds) of the download URL and of the config's token. Docs downloads the file
#: when the first editor opens a key, and again when someone opens or reconnects to a key it
#: no longer holds in memory (e.g. an editor page left open for hours after a "closed without
#: changes"). Eight hours keep a page opened in the morning usable all working day, while a
#: leaked URL stops working the same day and only ever reads this one document.
DOWNLOAD_LIFETIME = 8 * 3600
CONFIG_LIFETIME = DOWNLOAD_LIFETIME
#: Lifetime (seconds) of the callback URL. Docs posts the final callback when the last editor
#: leaves, possibly days after the page was opened (a session left open over a weekend keeps
#: its key, and force saves come meanwhile). The token is also bound to the session's key, so
#: it can only ever post about that one content revision of this one document; if a session
#: outlives it, Docs keeps the result in its "forgotten" store, nothing is lost.
CALLBACK_LIFETIME = 7 * 24 * 3600

API_JS_PATH = "web-apps/apps/api/documents/api.js"


def office_file(obj):
    adapted = IOfficeFile(obj, None)
    if adapted is None or adapted.file is None:
        return None
    return adapted


def classification_of(adapted, settings):
    if adapted is None:
        return None
    return core.classify(
        adapted.filename or None,
        adapted.content_type or None,
        lossy_edit=settings.lossy_edit_formats,
    )


def callback_subject(uid, key):
    """The subject of a callback URL token: one document, one session key."""
    return f"{uid}:{key}"


def endpoint_url(portal, name, uid, token, settings):
    """``<portal>/@@<name>?uid=…&token=…``, on the address Docs reaches Plone at.

    By UID at the site root, not by the item's path: a session outlives renames and moves
    of the item or its folders.
    """
    portal_url = portal.absolute_url()
    query = urllib.parse.urlencode({"uid": uid, "token": token})
    return settings.url_for_docs(f"{portal_url}/@@{name}?{query}", portal_url)


def download_url(obj, lifetime=None, settings=None):
    """The URL Docs downloads the file of ``obj`` from (editor, conversion)."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    token = make_url_token(portal, "download", uid, lifetime or DOWNLOAD_LIFETIME)
    return endpoint_url(portal, "onlyoffice-download", uid, token, settings)


def callback_url(obj, key, settings=None):
    """The URL Docs posts the callbacks of session ``key`` on ``obj`` to."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    token = make_url_token(portal, "callback", callback_subject(uid, key), CALLBACK_LIFETIME)
    return endpoint_url(portal, "onlyoffice-callback", uid, token, settings)


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
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    rights = rights_for(obj, classification)
    if requested in ("edit", None) and rights.can_open_editor and settings.editing_enabled:
        return "edit", rights, adapted, classification
    if rights.view:
        return "view", rights, adapted, classification
    return None, rights, adapted, classification


def build(obj, request, mode, rights, adapted, classification, settings=None):
    settings = settings or get_settings()
    if mode == "edit" and not settings.editing_enabled:
        raise ValueError("an editing session needs the JWT secret")
    portal = api.portal.get()
    obj_url = obj.absolute_url()
    key = current_key(portal, obj, adapted)
    url = download_url(obj, DOWNLOAD_LIFETIME, settings)
    callback = callback_url(obj, key, settings) if mode == "edit" else None

    permissions = rights.permissions() if mode == "edit" else {"edit": False}
    permissions["chat"] = settings.chat

    if api.user.is_anonymous():
        user_id = "anonymous-" + secrets.token_hex(6)
        user_name = api.portal.translate("Anonymous", domain="onlyoffice_plone")
    else:
        user_id = api.user.get_current().getId()
        user_name = display_name(user_id)

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
        "goback": {"url": obj_url, "blank": False},
    }
    info = {"uploaded": _created(obj)}
    if may_see_people():
        info["owner"] = _owner(obj)
    templates, create_url = [], None
    if mode == "edit":
        # The editor's "Create new" menu. The creation package builds on this one, so it
        # is imported here, keeping imports one-way when the packages load.
        from onlyoffice_plone.creation.create import editor_templates

        templates, create_url = editor_templates(obj, classification.document_type)
    config_json = core.build_editor_config(
        key=key,
        url=url,
        title=adapted.filename or obj.Title(),
        file_type=classification.extension,
        document_type=classification.document_type,
        callback_url=callback,
        mode=mode,
        lang=language,
        user_id=user_id,
        user_name=user_name,
        permissions=permissions,
        customization=customization,
        is_form=classification.is_form or None,
        info=info,
        templates=templates or None,
        create_url=create_url,
        secret=settings.jwt_secret or None,
        expires_in=CONFIG_LIFETIME,
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
