"""What the editor page answers when the editor asks for content of the site: the signed
argument of ``insertImage`` (``onRequestInsertImage``), ``setRequestedDocument``
(``onRequestSelectDocument``: compare, combine, insert text) and ``setRequestedSpreadsheet``
(``onRequestSelectSpreadsheet``: mail merge).

The user names the items by UID (picked in the content picker). Each must be one the user may
view, found through the catalog's restricted search and checked again; an item that does not
exist and one the user may not see get the same 404. Each URL handed to Docs is a content URL
(``docs.content``) scoped to that item, its current file and this user; with a JWT secret the
whole answer is signed, as Docs reads ``c``, ``images``, ``fileType`` and ``url`` from its
token only.
"""

import re

from plone import api
from Products.CMFCore.utils import getToolByName

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.content import CONTENT_LIFETIME
from onlyoffice_plone.docs.content import content_file
from onlyoffice_plone.docs.content import content_url
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.errors import is_text
from onlyoffice_plone.settings import get_settings

#: The most images one answer inserts.
MAX_IMAGES = 20
UID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def bad(message):
    return OnlyofficeError("BadRequest", message, 400)


def _uids(request, most):
    value = request.form.get("uid")
    values = value if isinstance(value, list) else [value]
    if value is None or not values:
        raise bad(_("Name the item by its UID."))
    if len(values) > most:
        raise bad(_("Name at most ${count} items.", mapping={"count": most}))
    if not all(is_text(v) and UID.match(v) for v in values):
        raise bad(_("Name the item by its UID."))
    return values


def _command(request, kind):
    command = form_text(request, "c")
    allowed = core.requested_commands(kind)
    if command not in allowed:
        raise bad(_("Ask for one of: ${commands}.", mapping={"commands": ", ".join(allowed)}))
    return command


def viewable(context, uid):
    """The item with this UID if the current user may view it; else a 404 (either way)."""
    catalog = getToolByName(context, "portal_catalog")
    found = catalog(UID=uid)
    obj = found[0].getObject() if len(found) == 1 else None
    if obj is None or not api.user.has_permission("View", obj=obj):
        raise OnlyofficeError("NotFound", _("There is no such item, or you may not view it."), 404)
    return obj


def _picked(context, uid, kind, user_id, settings):
    obj = viewable(context, uid)
    picked = content_file(obj)
    file_type = (
        core.requested_file_type(kind, picked.filename or None, picked.content_type or None)
        if picked is not None
        else None
    )
    if file_type is None:
        messages = {
            "image": _("This item is not an image ONLYOFFICE can insert."),
            "document": _("This item is not a text document ONLYOFFICE can open here."),
            "spreadsheet": _("This item is not a spreadsheet ONLYOFFICE can read."),
        }
        raise OnlyofficeError("WrongKind", messages[kind], 400)
    return {"fileType": file_type, "url": content_url(obj, user_id, settings)}


def _current_user_id():
    if api.user.is_anonymous():
        raise OnlyofficeError("Unauthorized", _("Log in to bring content into a document."), 401)
    return api.user.get_current().getId()


def _signed(data, settings):
    if settings.jwt_secret:
        data["token"] = core.sign_token(data, settings.jwt_secret, expires_in=CONTENT_LIFETIME)
    return data


def answer(context, request, kind):
    """The argument of ``insertImage``, ``setRequestedDocument`` or ``setRequestedSpreadsheet``."""
    command = _command(request, kind)
    uids = _uids(request, MAX_IMAGES if kind == "image" else 1)
    user_id = _current_user_id()
    settings = get_settings()
    picked = [_picked(context, uid, kind, user_id, settings) for uid in uids]
    if kind == "image":
        return _signed({"c": command, "images": picked}, settings)
    return _signed({"c": command, **picked[0]}, settings)
