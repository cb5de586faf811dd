"""Putting files into the site: a new file for an item, a version, a new item, a copy.

Shared by the editor's saves, the conversion (a converted result) and the creation of new
documents (a blank or a template). Files arrive as file objects (a temporary file, a blob)
and go into new blobs without passing through memory: a downloaded file is hard-linked and
the link handed to a NamedBlobFile, which moves it into the blob storage.
"""

import contextlib
import logging
import os
import tempfile

from AccessControl import getSecurityManager
from Acquisition import aq_base
from plone import api
from plone.dexterity.interfaces import IDexterityFTI
from plone.dexterity.utils import addContentToContainer
from plone.dexterity.utils import createContent
from plone.i18n.normalizer.interfaces import IIDNormalizer
from plone.namedfile.file import NamedBlobFile
from Products.CMFEditions.interfaces.IModifier import FileTooLargeToVersionError
from Products.CMFEditions.StandardModifiers import AbortVersioningOfLargeFilesAndImages
from Products.CMFEditions.StandardModifiers import SkipVersioningOfLargeFilesAndImages
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent
from zope.publisher.interfaces.browser import IBrowserRequest

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.documents.files import office_file_of
from onlyoffice_plone.documents.interfaces import IOfficeFile

logger = logging.getLogger("onlyoffice_plone")

ADD_PORTAL_CONTENT = "Add portal content"
MODIFY = "Modify portal content"
#: The request annotation plone.app.versioningbehavior reads the change note from.
CHANGE_NOTE = "plone.app.versioningbehavior-changeNote"


def allowed_type(container, portal_type):
    """May the current user add a ``portal_type`` item to ``container``?

    Needs Add portal content, the type's own add permission and the container's type
    constraints (``allowedContentTypes`` checks the last two).
    """
    if container is None:
        return False
    if not getSecurityManager().checkPermission(ADD_PORTAL_CONTENT, container):
        return False
    allowed = getattr(container, "allowedContentTypes", None)
    if allowed is None:
        return False
    return any(fti.getId() == portal_type for fti in allowed())


def may_modify(obj):
    return bool(getSecurityManager().checkPermission(MODIFY, obj))


def blob_from(handle, filename):
    """A NamedBlobFile holding the bytes of the open file ``handle`` (streamed)."""
    classification = core.classify(filename, None)
    content_type = classification.mime_type if classification else "application/octet-stream"
    return NamedBlobFile(data=handle, contentType=content_type, filename=filename)


def titles_in(container):
    """The titles of the items in ``container`` the current user may see: what a new item's
    title is told apart from (``core.free_name``), as in the folder's listing. An item
    hidden from the user does not number the new one, so its title is not given away."""
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(container.getPhysicalPath())
    brains = catalog.searchResults(path={"query": path, "depth": 1})
    return [brain.Title for brain in brains if isinstance(brain.Title, str) and brain.Title]


def add_item(container, portal_type, title, blob_file):
    """Create a ``portal_type`` item in ``container`` holding ``blob_file``; return it.

    The file is set before the item is added, so every add event sees a complete item.
    Raises Unauthorized / ValueError when the type may not be added there.
    """
    if queryUtility(IDexterityFTI, name=portal_type) is None:
        raise ValueError(f"{portal_type} is not a Dexterity type")
    item = createContent(portal_type, title=title)
    adapted = IOfficeFile(item, None)
    if adapted is None:
        raise ValueError(f"{portal_type} items hold no file")
    adapted.replace(blob_file)
    item = addContentToContainer(container, item, checkConstraints=True)
    item.reindexObject()
    return item


def replace_file(obj, blob_file, comment_before, comment_after):
    """Give ``obj`` a new file, keeping its current file as a version first.

    The state before is saved as a version unless the newest version already is it, then the
    new file is stored, ObjectModifiedEvent fired and a version with ``comment_after`` saved.
    A title that was the old file's name becomes the new one's, in the same version (the
    editor would show ``report.doc`` holding a .docx file as ``report.doc.docx``).
    """
    repository = api.portal.get_tool("portal_repository")
    if repository.isVersionable(obj) and not repository.isUpToDate(obj):
        if too_large_to_version(obj):
            logger.warning(
                "%s: CMFEditions refuses to version a file this large; the old file is "
                "not kept as a version",
                obj.absolute_url(),
            )
        else:
            repository.save(obj=obj, comment=comment_before)
    adapted = office_file_of(obj)
    if adapted is None:
        raise TypeError(f"{obj.portal_type} items hold no office file")
    old_filename = adapted.filename
    adapted.replace(blob_file)
    new_filename = adapted.filename
    if old_filename and new_filename and obj.Title() == old_filename:
        obj.setTitle(new_filename)
    return modified_with_version(obj, comment_after)


def _id_from(filename):
    return queryUtility(IIDNormalizer).normalize(filename or "", max_length=200)


def rename_after_filename(obj, old_filename, new_filename):
    """Give ``obj`` the id of its new file when its id was its old file's name.

    ``budget.xls`` now holding ``budget.xlsx`` becomes ``budget.xlsx`` (a unique variant when
    that id is taken). The item keeps its UID, and plone.app.redirector sends the old URL to
    the new one. An id chosen otherwise, or a user who may not rename here, keeps the id.
    Returns the item (renamed or not).
    """
    old_id = obj.getId()
    if not old_filename or not new_filename or old_filename == new_filename:
        return obj
    if old_id not in (old_filename, _id_from(old_filename)):
        return obj
    new_id = _id_from(new_filename) if old_id != old_filename else new_filename
    container = obj.aq_parent
    security = getSecurityManager()
    if not (
        security.checkPermission("Copy or Move", obj)
        and security.checkPermission("Delete objects", container)
        and security.checkPermission(ADD_PORTAL_CONTENT, container)
    ):
        return obj
    try:
        return api.content.rename(obj=obj, new_id=new_id, safe_id=True)
    except Exception:  # the file is stored; an id that stays as it was is no failure
        logger.warning("could not rename %s to %s", obj.absolute_url(), new_id, exc_info=True)
        return obj


def temporary_directory(obj):
    """The blob storage's own temporary directory, so consuming a file is a rename."""
    with contextlib.suppress(Exception):
        directory = obj._p_jar.db().storage.temporaryDirectory()
        if directory and os.path.isdir(directory):
            return directory
    return tempfile.gettempdir()


def store_file(obj, result, filetype):
    """Replace the file of ``obj`` with the downloaded ``result``."""
    adapted = office_file_of(obj)
    if adapted is None:
        raise TypeError(f"{obj.portal_type} items hold no office file")
    filename = core.result_filename(adapted.filename or "", filetype or "")
    classification = core.classify(filename, None)
    content_type = classification.mime_type if classification is not None else adapted.content_type
    with result.linked_copy() as handle:
        blob_file = NamedBlobFile(data=handle, contentType=content_type, filename=filename)
    adapted.replace(blob_file)


def too_large_to_version(obj):
    """Would CMFEditions refuse to version ``obj`` (a file over its size limit)?

    Asked of its "Abort versioning of large files" modifiers, the size first (cheap), their
    condition only for a large file; before CMFEditions prepares a version: it would
    otherwise take a savepoint, register the item and start cloning it before refusing.
    """
    modifiers = api.portal.get_tool("portal_modifier")
    portal = None
    for modifier in modifiers.objectValues():
        if not isinstance(modifier, AbortVersioningOfLargeFilesAndImages) or isinstance(
            modifier, SkipVersioningOfLargeFilesAndImages
        ):
            continue
        if not _has_file_over(obj, modifier.field_names, modifier.max_size):
            continue
        portal = portal if portal is not None else api.portal.get()
        if modifier.isApplicable(obj, portal):
            return True
    return False


def _has_file_over(obj, field_names, max_size):
    for name in field_names:
        value = getattr(aq_base(obj), name, None)
        get_size = getattr(value, "getSize", None)
        size = get_size() if callable(get_size) else None
        if isinstance(size, int) and size >= max_size:
            return True
    return False


@contextlib.contextmanager
def _versioning_off(obj):
    """Keep the versioning behaviour's subscriber from trying (its own per-item switch)."""
    base = aq_base(obj)
    missing = object()
    previous = base.__dict__.get("versioning_enabled", missing)
    base.versioning_enabled = False
    try:
        yield
    finally:
        if previous is missing:
            del base.versioning_enabled
        else:
            base.versioning_enabled = previous


def version_comment(message):
    """``message`` as a version comment: in the site's language, whoever's request saves it
    (a save's is Docs', which names no language), since the history shows it to everyone."""
    return api.portal.translate(message, lang=api.portal.get_default_language())


def modified_with_version(obj, comment):
    """Fire ObjectModifiedEvent with ``comment`` as the change note; the new version id or None.

    The versioning behaviour's own subscriber saves the version, exactly as after Plone's
    edit form: only when the item is versionable (its type, and its own "versioning
    enabled" setting), and with the comment, which it reads from the request.
    """
    request = getattr(obj, "REQUEST", None)
    annotations = IAnnotations(request) if IBrowserRequest.providedBy(request) else {}
    before = getattr(aq_base(obj), "version_id", None)
    missing = object()
    previous = annotations.get(CHANGE_NOTE, missing)
    annotations[CHANGE_NOTE] = comment
    repository = api.portal.get_tool("portal_repository")
    refused = repository.isVersionable(obj) and too_large_to_version(obj)
    try:
        if refused:
            with _versioning_off(obj):
                notify(ObjectModifiedEvent(obj))
            logger.warning(
                "%s was saved, but CMFEditions refuses to version a file this large (raise "
                "the limit of its 'Abort versioning of large files' modifier in "
                "portal_modifier)",
                obj.absolute_url(),
            )
        else:
            notify(ObjectModifiedEvent(obj))
    except FileTooLargeToVersionError:
        # Another modifier refused late, from the versioning subscriber: the subscribers
        # after it did not run.
        obj.reindexObject()
        logger.warning(
            "%s was saved, but CMFEditions refuses to version a file this large",
            obj.absolute_url(),
        )
    finally:
        if previous is missing:
            annotations.pop(CHANGE_NOTE, None)
        else:
            annotations[CHANGE_NOTE] = previous
    after = getattr(aq_base(obj), "version_id", None)
    return after if after != before else None


def conflict_copy(obj, result, filetype):
    """A sibling of ``obj`` holding ``result``, for a session whose file was replaced.

    Owned as ``obj`` is (owner, Owner local role and creators), whoever creates it: the
    caller checks that the session's author may add it there, then creates it with the
    roles the save needs.
    """
    parent = obj.aq_parent
    title = api.portal.translate(
        _("${title} (ONLYOFFICE conflict copy)", mapping={"title": obj.Title()}),
    )
    copy = api.content.create(
        container=parent,
        type=obj.portal_type,
        id=f"{obj.getId()}-conflict",
        title=title,
        safe_id=True,
    )
    store_file(copy, result, filetype)
    own_as(copy, obj)
    copy.reindexObject()
    return copy


def own_as(item, original):
    """Give ``item`` the owner, the Owner local roles and the creators of ``original``."""
    owner = original.getOwner()
    if owner is not None:
        item.changeOwnership(owner, recursive=False)
    owners = {p for p, roles in original.get_local_roles() if "Owner" in roles}
    for principal, roles in item.get_local_roles():
        if "Owner" in roles and principal not in owners:
            kept = [role for role in roles if role != "Owner"]
            if kept:
                item.manage_setLocalRoles(principal, kept)
            else:
                item.manage_delLocalRoles([principal])
    for principal in owners:
        roles = set(dict(item.get_local_roles()).get(principal, ())) | {"Owner"}
        item.manage_setLocalRoles(principal, sorted(roles))
    creators = getattr(original, "creators", None)
    if creators is not None:
        item.creators = tuple(creators)
    item.reindexObjectSecurity()
