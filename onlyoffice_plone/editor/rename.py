"""``onRequestRename``: a new title for the item, seen by every co-editor.

Needs Modify portal content. The editor shows the file's name with its extension and sends
the new name without it (ONLYOFFICE's "how it works" pages; the events page says only "the new
title": a name ending in the extension is taken as it is). The item keeps the extension in
its title when its title showed it. Then Docs' command service gets a ``meta`` command (the
core builds it) so that every editor of the session shows the new name (``onMetaChange``).
Only the title changes, never the file object: the session and its key go on.
"""

import logging

import requests
from plone import api

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.documents import storing
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import current_key
from onlyoffice_plone.documents.titles import clean_title
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds for the meta command.
TIMEOUT = (5, 20)


def rename(obj, title):
    """Give ``obj`` the name ``title`` (from the editor); its new title and the editor's name."""
    if not storing.may_modify(obj):
        raise OnlyofficeError("Forbidden", _("You may not rename this document."), 403)
    settings = get_settings()
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    if classification is None:
        raise OnlyofficeError(
            "NotAnOfficeFile", _("This item holds no document ONLYOFFICE can open."), 404
        )
    suffix = "." + classification.extension
    name = clean_title(title)
    if name.lower().endswith(suffix):
        name = name[: -len(suffix)].rstrip() or name
    shows_extension = obj.Title().lower().endswith(suffix)
    new_title = name + suffix if shows_extension else name
    obj.setTitle(new_title)
    obj.reindexObject(idxs=["Title", "SearchableText", "sortable_title"])
    editor_name = name + suffix
    _tell_docs(obj, adapted, editor_name, settings)
    return {"title": new_title, "editor_title": editor_name}


def _tell_docs(obj, adapted, editor_name, settings):
    """The meta command to the session's key; a failure only means co-editors see it later."""
    if not settings.configured:
        return
    key = current_key(api.portal.get(), obj, adapted)
    request = core.command_request(
        settings.server_docs_url,
        "meta",
        key=key,
        meta={"title": editor_name},
        secret=settings.jwt_secret or None,
        header=settings.jwt_header,
    )
    try:
        response = requests.post(
            request.url, data=request.body, headers=request.headers, timeout=TIMEOUT
        )
        core.parse_command_response("meta", response.content)
    except (requests.RequestException, core.CoreError) as exc:
        # Error 1 (no session for the key) is the common case: nobody has it open.
        logger.info("meta command for %s not applied: %s", obj.absolute_url(), exc)
