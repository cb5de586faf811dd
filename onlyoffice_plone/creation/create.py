"""New documents: the kinds offered, the site's own templates, and making the item.

A new document is a File holding a blank the project generates (``blank.py``) in the user's
language, or a copy of one of the office files in the folder the administrator chose as the
templates folder (setting ``templates_folder``). Only templates (File items) the user may view
are offered; a template the user may not view is refused exactly like a missing one.
"""

import contextlib
import os
import re
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass

from AccessControl import getSecurityManager
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.uuid.interfaces import IUUID
from Products.CMFCore.interfaces import IFolderish
from zope.interface import implementer

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.creation import blank
from onlyoffice_plone.docs.fetch import CHUNK
from onlyoffice_plone.documents import storing as store
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.pages import view_url
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.documents.titles import clean_title
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import is_text
from onlyoffice_plone.interfaces import INewDocumentMenu
from onlyoffice_plone.settings import get_settings

#: The type new documents are made as.
PORTAL_TYPE = "File"


@dataclass(frozen=True)
class Kind:
    """A kind of new document: a document type of Docs, offered under a name of its own."""

    id: str
    document_type: str
    title: object
    default_title: object
    icon: str

    @property
    def extension(self):
        """The format new documents of this kind are made in, as the core decides."""
        return core.new_file_extension(self.document_type)


KINDS = {
    kind.id: kind
    for kind in (
        Kind("document", "word", _("Text document"), _("New document"), "file-earmark-word"),
        Kind(
            "spreadsheet",
            "cell",
            _("Spreadsheet"),
            _("New spreadsheet"),
            "file-earmark-spreadsheet",
        ),
        Kind(
            "presentation",
            "slide",
            _("Presentation"),
            _("New presentation"),
            "file-earmark-slides",
        ),
        Kind("form", "pdf", _("PDF form"), _("New form"), "file-earmark-pdf"),
    )
}
BY_DOCUMENT_TYPE = {kind.document_type: kind for kind in KINDS.values()}


class CreationFailed(OnlyofficeError):
    """A new document cannot be made as asked; ``message`` says why."""


def can_create(container):
    """May the current user create new documents (Files) in ``container``?"""
    return (
        container is not None
        and IFolderish.providedBy(container)
        and store.allowed_type(container, PORTAL_TYPE)
    )


def templates_folder(settings=None):
    """The templates folder, when the setting names an existing folder; else None."""
    settings = settings or get_settings()
    path = (settings.templates_folder or "").strip().strip("/")
    if not path:
        return None
    portal = api.portal.get()
    with contextlib.suppress(Exception):
        folder = portal.unrestrictedTraverse(path, None)
        if folder is not None and folder is not portal and IFolderish.providedBy(folder):
            return folder
    return None


@dataclass(frozen=True)
class Template:
    uid: str
    title: str
    kind: str
    extension: str
    url: str


def templates(settings=None, kind=None):
    """The office files in the templates folder the current user may view."""
    settings = settings or get_settings()
    folder = templates_folder(settings)
    if folder is None:
        return []
    # The catalog returns only what the user may view; only Files can be templates.
    brains = api.portal.get_tool("portal_catalog")(
        path="/".join(folder.getPhysicalPath()),
        portal_type=PORTAL_TYPE,
        sort_on="sortable_title",
    )
    found = []
    for brain in brains:
        try:
            obj = brain.getObject()
        except Exception:  # noqa: S112 - an item the user cannot reach is no template
            continue
        template = _as_template(obj, settings)
        if template is not None and (kind is None or template.kind == kind):
            found.append(template)
    return found


def _as_template(obj, settings):
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    if classification is None:
        return None
    # A template is in the format new documents of its kind are made in: the copy keeps it.
    kind = BY_DOCUMENT_TYPE.get(classification.document_type)
    if kind is None or kind.extension != classification.extension:
        return None
    if not getSecurityManager().checkPermission("View", obj):
        return None
    return Template(IUUID(obj), obj.Title(), kind.id, kind.extension, obj.absolute_url())


def find_template(uid, settings=None):
    """The template object with ``uid`` if it is one of the offered templates, else None."""
    settings = settings or get_settings()
    folder = templates_folder(settings)
    if folder is None or not uid or not isinstance(uid, str):
        return None, None
    # Unrestricted, so that a template the user may not view is "unknown" like a missing
    # one (api.content.get would raise Unauthorized and tell that it exists).
    obj = uuidToObject(uid, unrestricted=True)
    if obj is None or not getSecurityManager().checkPermission("View", obj):
        return None, None
    folder_path = folder.getPhysicalPath()
    if obj.getPhysicalPath()[: len(folder_path)] != folder_path:
        return None, None
    template = _as_template(obj, settings)
    return (obj, template) if template is not None else (None, None)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def filename_for(title, extension):
    stem = _UNSAFE.sub(" ", title).strip().strip(".") or "document"
    return f"{stem[:120].strip()}.{extension}"


def user_language(request):
    return (
        (request.get("LANGUAGE") if request is not None else None)
        or api.portal.get_current_language()
        or api.portal.get_default_language()
        or "en"
    )


def create(container, kind_id, title, template_uid=None, request=None, untitled=False):
    """Create a new document in ``container``; return the new item. With ``untitled``, an
    empty title is the default title of the kind made (the add form's placeholder).

    Raises Unauthorized when the user may not add Files there, CreationFailed when the
    request is not valid.
    """
    from zExceptions import Unauthorized

    if not can_create(container):
        raise Unauthorized("You may not add documents here.")
    for value, name in ((kind_id, "kind"), (title, "title"), (template_uid, "template")):
        if value is not None and not is_text(value):
            raise CreationFailed(
                "BadRequest",
                _("“${name}” must be a text.", mapping={"name": name}),
            )
    settings = get_settings()
    template_obj = None
    if template_uid:
        template_obj, template = find_template(template_uid, settings)
        if template_obj is None:
            raise CreationFailed(
                "UnknownTemplate", _("This template is not available (any more)."), 404
            )
        kind_id = template.kind
    kind = KINDS.get(kind_id or "")
    if kind is None:
        raise CreationFailed(
            "UnknownKind",
            _("Choose a text document, a spreadsheet, a presentation or a PDF form."),
        )
    if not " ".join((title or "").split()):
        if not untitled:
            raise CreationFailed("TitleRequired", _("Give the new document a title."))
        title = api.portal.translate(kind.default_title)
    try:  # the rule a rename follows: too long or with control characters is refused
        title = clean_title(title)
        # Beside an item of the same title the new one is numbered, "Minutes (2)", as a
        # converted copy is: the folder's listing and the editor's title tell them apart.
        # Numbered, it must still fit.
        title = clean_title(core.free_name(title, kind.extension, store.titles_in(container)))
    except OnlyofficeError as exc:
        raise CreationFailed(exc.kind, exc.message, exc.status) from exc
    filename = filename_for(title, kind.extension)
    if template_obj is None:
        data = blank.blank(kind.extension, user_language(request))
        return store.add_item(container, PORTAL_TYPE, title, store.blob_from(data, filename))
    return _from_template(container, template_obj, title, filename)


def _from_template(container, template_obj, title, filename):
    """Copy the template's file (streamed, through a temporary file) into a new item."""
    source = office_file(template_obj).file
    directory = store.temporary_directory(container)
    fd, path = tempfile.mkstemp(prefix="onlyoffice-template-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, source.open() as handle:
            shutil.copyfileobj(handle, out, CHUNK)
        with open(path, "rb") as handle:
            blob = store.blob_from(handle, filename)
        return store.add_item(container, PORTAL_TYPE, title, blob)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def created_answer(item):
    """What the add form and REST report about a new document."""
    classification = classification_of(office_file(item), get_settings())
    rights = rights_for(item, classification)
    url = item.absolute_url()
    return {
        "@id": url,
        "uid": IUUID(item),
        "title": item.Title(),
        "filename": office_file(item).filename,
        "view_url": view_url(item),
        "edit_url": f"{url}/@@onlyoffice-edit" if rights.can_open_editor else None,
    }


def create_url(container, kind_id, template_uid=None):
    query = {"kind": kind_id}
    if template_uid:
        query["template"] = template_uid
    return f"{container.absolute_url()}/@@onlyoffice-create?{urllib.parse.urlencode(query)}"


@implementer(INewDocumentMenu)
class NewDocumentMenu:
    """The editor's "Create new" menu: a blank of the same kind, and the site's templates of
    that kind, each created in the edited document's folder (a utility, see configure.zcml).
    """

    def entries(self, obj, document_type):
        kind = BY_DOCUMENT_TYPE.get(document_type)
        container = aq_parent(aq_inner(obj))
        if kind is None or not can_create(container):
            return [], None
        portal_url = api.portal.get().absolute_url()
        icon = f"{portal_url}/++plone++onlyoffice_plone.creation/{kind.id}.svg"
        entries = [
            {
                "image": icon,
                "title": str(api.portal.translate(kind.title)),
                "url": create_url(container, kind.id),
            }
        ]
        for template in templates(kind=kind.id):
            entries.append(
                {
                    "image": icon,
                    "title": template.title,
                    "url": create_url(container, kind.id, template.uid),
                }
            )
        return entries, create_url(container, kind.id)
