"""The URLs Plone gives to ONLYOFFICE Docs: where to download a file, where to post callbacks.

Each carries a short-lived URL token (``docs.tokens``) and is built on the address Docs
reaches Plone at (``plone_internal_url``). Documents are named by UID at the site root, not
by the item's path: a session outlives renames and moves of the item or its folders.
"""

import urllib.parse

from plone import api
from plone.uuid.interfaces import IUUID

from onlyoffice_plone.docs.tokens import make_url_token
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import content_key
from onlyoffice_plone.settings import get_settings

#: Lifetime (seconds) of an editing session's download URL and of its config's token. Docs
#: downloads the file when the first editor opens a key, and again when someone opens or
#: reconnects to a key it no longer holds in memory (e.g. an editor page left open for hours
#: after a "closed without changes"). Eight hours keep a page opened in the morning usable all
#: working day, while a leaked URL stops working the same day. Every download URL is bound to
#: the content key of the file it was issued for: once the file is replaced, it downloads
#: nothing, so it only ever reads the one revision its holder was allowed to open.
DOWNLOAD_LIFETIME = 8 * 3600
#: Lifetime (seconds) of a view session's download URL and config token: a viewer needs the
#: file once, when the viewer opens (a page kept open longer is reloaded to view again), and
#: a saved view config must not outlive the right to view for long.
VIEW_LIFETIME = 30 * 60
#: Lifetime (seconds) of the callback URL. Docs posts the final callback when the last editor
#: leaves, possibly days after the page was opened (a session left open over a weekend keeps
#: its key, and force saves come meanwhile). The token is also bound to the session's key, so
#: it can only ever post about that one content revision of this one document; if a session
#: outlives it, Docs keeps the result in its "forgotten" store, nothing is lost.
CALLBACK_LIFETIME = 7 * 24 * 3600
#: Lifetime (seconds) of a version's file URL and its changes URL (the editor's history):
#: Docs fetches them as soon as the user picks the version, so minutes are plenty.
VERSION_LIFETIME = 15 * 60
#: Lifetime (seconds) of the URL of a linked spreadsheet's source (``setReferenceData``,
#: ``setReferenceSource``) and of the answer's token: Docs fetches it as soon as the page
#: answers, so minutes are plenty; every update of the link asks for a new one.
REFERENCE_LIFETIME = 10 * 60
#: Lifetime (seconds) of the URL of the connection check's file.
CHECK_FILE_LIFETIME = 300


def endpoint_url(portal, name, uid, token, settings, version=None, purpose=None):
    """``<portal>/@@<name>?uid=…[&version=…][&purpose=…]&token=…``, on the address Docs
    reaches Plone at."""
    portal_url = portal.absolute_url()
    fields = {"uid": uid}
    if version is not None:
        fields["version"] = str(version)
    if purpose is not None:
        fields["purpose"] = purpose
    query = urllib.parse.urlencode({**fields, "token": token})
    return settings.url_for_docs(f"{portal_url}/@@{name}?{query}", portal_url)


def download_key(portal, obj):
    """The content key a download URL of ``obj`` is bound to: it changes with the file."""
    adapted = office_file(obj)
    return content_key(portal, obj, adapted) if adapted is not None else None


def download_url(obj, lifetime=None, settings=None):
    """The URL Docs downloads the file of ``obj`` from (editor, conversion), bound to the
    content key of the file ``obj`` holds now."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    key = download_key(portal, obj)
    token = make_url_token(portal, "download", uid, lifetime or DOWNLOAD_LIFETIME, key=key)
    return endpoint_url(portal, "onlyoffice-download", uid, token, settings)


def reference_url(obj, settings=None):
    """The URL Docs downloads ``obj`` from as the source of a link between spreadsheets: the
    download endpoint, with a token of its own purpose ("reference"), short-lived and bound to
    the content key of the file ``obj`` holds now."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    key = download_key(portal, obj)
    token = make_url_token(portal, "reference", uid, REFERENCE_LIFETIME, key=key)
    return endpoint_url(portal, "onlyoffice-download", uid, token, settings, purpose="reference")


def callback_url(obj, key, settings=None):
    """The URL Docs posts the callbacks of session ``key`` on ``obj`` to."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    token = make_url_token(portal, "callback", uid, CALLBACK_LIFETIME, key=key)
    return endpoint_url(portal, "onlyoffice-callback", uid, token, settings)


def version_url(obj, version_id, purpose="version", settings=None):
    """The URL Docs downloads version ``version_id`` of ``obj`` from (``purpose`` "version"),
    or the changes that produced it (``purpose`` "changes")."""
    settings = settings or get_settings()
    portal = api.portal.get()
    uid = IUUID(obj)
    token = make_url_token(portal, purpose, uid, VERSION_LIFETIME, key=str(version_id))
    name = "onlyoffice-version" if purpose == "version" else "onlyoffice-changes"
    return endpoint_url(portal, name, uid, token, settings, version=version_id)


def check_file_url(portal, settings):
    """The URL Docs downloads during the connection check, as Docs must reach it."""
    token = make_url_token(portal, "connection-check", "", CHECK_FILE_LIFETIME)
    url = f"{portal.absolute_url()}/@@onlyoffice-check-file?token={token}"
    return settings.url_for_docs(url, portal.absolute_url())
