"""``onRequestSaveAs``: "Save copy as…" makes a new item beside the document.

The copy is a new item of the document's type in the same folder, for a user who may add one
there (otherwise a clear refusal). Its file is downloaded from the URL the editor hands over,
by the same rules as a save: only from ONLYOFFICE Docs' own origin (any other URL is refused
before anything is fetched), streamed into a temporary file with the site's size limit, never
through memory.
"""

import re

from Acquisition import aq_parent
from plone import api

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs import fetch
from onlyoffice_plone.docs.fetch import redact
from onlyoffice_plone.documents import storing
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.titles import clean_title
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bad_request_on
from onlyoffice_plone.settings import get_settings

#: The ``fileType`` of the copy, as the editor names it: an extension ("docx", "pdf"), or
#: empty (the title's own).
FILE_TYPE = re.compile(r"[A-Za-z0-9]{0,10}\Z")


def save_as(obj, url, title, file_type):
    """A new sibling of ``obj`` holding the file at ``url``; {"url", "title"} of the copy."""
    container = aq_parent(obj)
    if not storing.allowed_type(container, obj.portal_type):
        raise OnlyofficeError(
            "Forbidden",
            _("You may not add a copy to the folder of this document."),
            403,
        )
    settings = get_settings()
    # Everything that can be checked is checked before anything is downloaded.
    if classification_of(office_file(obj), settings) is None:
        raise OnlyofficeError(
            "NotAnOfficeFile", _("This item holds no document ONLYOFFICE can open."), 404
        )
    if not isinstance(url, str) or not url:
        raise OnlyofficeError("BadRequest", _("Name the file to save as a copy."), 400)
    if file_type is not None and not (isinstance(file_type, str) and FILE_TYPE.match(file_type)):
        raise OnlyofficeError(
            "BadRequest", _("Name the format of the copy by its file extension."), 400
        )
    with bad_request_on(
        core.InvalidUrlError,
        _("Only a file from ONLYOFFICE Docs can be saved as a copy."),
        detail=f"{redact(url)} refused",
    ):
        plone_url = settings.addresses.docs_url_for_plone(url)
    title = clean_title(title)
    if file_type and not title.lower().endswith("." + file_type.lower()):
        title = core.result_filename(title, file_type.lower())
    result = fetch.download(
        plone_url, settings, storing.temporary_directory(obj), settings.max_file_size
    )
    try:
        with result.linked_copy() as handle:
            blob = storing.blob_from(handle, title)
        copy = storing.add_item(container, obj.portal_type, title, blob)
    finally:
        result.delete()
    return {"url": copy.absolute_url(), "title": copy.Title(), "uid": api.content.get_uuid(copy)}
