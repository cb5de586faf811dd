"""``<portal>/@@onlyoffice-content?uid=…&user=…&token=…``: the file of an item a user picked to
bring into a document (an image to insert, a document to compare or combine, a mail-merge
spreadsheet), for ONLYOFFICE Docs only.

The editor hands Docs these URLs (``insertImage``, ``setRequestedDocument``,
``setRequestedSpreadsheet``) and Docs fetches them server-side, without a Plone login. So,
as for the document's own file (``docs.download``), the endpoint is public and answers only
to the URL token the core scoped to the purpose "content" and to this item, and, with a JWT
secret set, to Docs' header token made for this very URL.

The token's key binds the URL to the revision of the file it was issued for and to the user
who picked it (``content_key``): it was issued only after checking that this user may view
the item, and the check is made again when Docs fetches it, so a URL replayed after the user
lost access, after the file changed, for another item or by another user's name fetches
nothing. Refusals are short and fixed (400 for a malformed query, 403 for anything else,
whether the item exists or not); the reason goes to the log, bounded and rate limited.
"""

import urllib.parse

from plone import api
from plone.namedfile.interfaces import INamedField
from plone.rfc822.interfaces import IPrimaryFieldInfo
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import core
from onlyoffice_plone.docs.serving import DocsFileView
from onlyoffice_plone.docs.serving import refused
from onlyoffice_plone.docs.tokens import UrlTokenError
from onlyoffice_plone.docs.tokens import check_url_token
from onlyoffice_plone.docs.tokens import make_url_token
from onlyoffice_plone.documents.keys import revision
from onlyoffice_plone.documents.people import find_user
from onlyoffice_plone.documents.state import find
from onlyoffice_plone.errors import bounded
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import instance_secret

#: Lifetime (seconds) of a picked item's URL and of the signed answer that carries it: Docs
#: fetches it as soon as the page hands it over, so minutes are plenty.
CONTENT_LIFETIME = 10 * 60
#: The longest user id a content URL names (Plone's own are far shorter).
MAX_USER_ID = 200


class ContentFile:
    """The primary file (or image) of an item: the blob, its file name and MIME type."""

    def __init__(self, file):
        self.file = file
        self.filename = getattr(file, "filename", None) or ""
        self.content_type = getattr(file, "contentType", None) or ""


def content_file(obj):
    """The primary file or image of ``obj`` (a Plone Image, a File…), or None."""
    try:
        info = IPrimaryFieldInfo(obj, None)
    except TypeError:
        return None
    field = getattr(info, "field", None)
    if field is None or not INamedField.providedBy(field):
        return None
    file = getattr(info, "value", None)
    if file is None or not getattr(file, "size", 0):
        return None
    return ContentFile(file)


def content_key(portal, obj, file, user_id):
    """The key a content URL is bound to: the file's revision and the user who picked it."""
    return core.document_key(
        instance_secret(portal), IUUID(obj), f"content.{revision(file)}.{user_id}"
    )


def may_view(user, obj):
    return user is not None and bool(user.has_permission("View", obj))


def content_url(obj, user_id, settings=None):
    """The URL Docs fetches the picked item ``obj`` from, for the user ``user_id``.

    The caller has checked that this user may view ``obj``.
    """
    settings = settings or get_settings()
    portal = api.portal.get()
    picked = content_file(obj)
    if picked is None:
        raise ValueError("the item holds no file")
    uid = IUUID(obj)
    key = content_key(portal, obj, picked.file, user_id)
    token = make_url_token(portal, "content", uid, CONTENT_LIFETIME, key=key)
    portal_url = portal.absolute_url()
    query = urllib.parse.urlencode({"uid": uid, "user": user_id, "token": token})
    return settings.url_for_docs(f"{portal_url}/@@onlyoffice-content?{query}", portal_url)


class ContentView(DocsFileView):
    """``@@onlyoffice-content`` at the site root: the file of the item named by ``uid``."""

    what = "the picked item"

    def find_file(self):
        uid = form_text(self.request, "uid")
        user_id = form_text(self.request, "user")
        token = form_text(self.request, "token")
        if not uid or not user_id or len(user_id) > MAX_USER_ID or len(uid) > 100:
            raise refused("no item or no user named", 400)
        picked = self._authorize(uid, user_id, token)
        return picked.file, picked.filename

    def _authorize(self, uid, user_id, token):
        portal = api.portal.get()
        obj = find(uid)
        picked = content_file(obj) if obj is not None else None
        if picked is None:
            raise refused("no such item, or it holds no file")
        try:
            key = content_key(portal, obj, picked.file, user_id)
            check_url_token(portal, token, "content", uid, key=key)
        except UrlTokenError as exc:
            raise refused(f"content token refused: {exc}") from exc
        self.check_docs_token(token)
        # Checked when the URL was issued; checked again now, the user may have lost access.
        if not may_view(find_user(user_id, portal), obj):
            raise refused(f"the user {bounded(user_id, 80)} may no longer view the item")
        return picked
