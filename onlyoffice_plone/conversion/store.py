"""Putting a file into the site: a new item beside another, or a new file for an item.

Shared by the conversion (a converted result) and the creation of new documents (a blank or
a template). Files arrive as file objects (a temporary file, a blob) and go into new blobs
without passing through memory.
"""

import logging

from AccessControl import getSecurityManager
from plone import api
from plone.dexterity.interfaces import IDexterityFTI
from plone.dexterity.utils import addContentToContainer
from plone.dexterity.utils import createContent
from plone.namedfile.file import NamedBlobFile
from Products.CMFEditions.interfaces.IModifier import FileTooLargeToVersionError
from zope.component import queryUtility

from onlyoffice_plone import _core
from onlyoffice_plone.editor import saving
from onlyoffice_plone.editor.interfaces import IOfficeFile

logger = logging.getLogger("onlyoffice_plone")

ADD_PORTAL_CONTENT = "Add portal content"
MODIFY = "Modify portal content"


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
    classification = _core.classify(filename, None)
    content_type = classification.mime_type if classification else "application/octet-stream"
    return NamedBlobFile(data=handle, contentType=content_type, filename=filename)


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
    """
    repository = api.portal.get_tool("portal_repository")
    if repository.isVersionable(obj) and not repository.isUpToDate(obj):
        try:
            repository.save(obj=obj, comment=comment_before)
        except FileTooLargeToVersionError:
            logger.warning(
                "%s: CMFEditions refuses to version a file this large; the old file is "
                "not kept as a version",
                obj.absolute_url(),
            )
    IOfficeFile(obj).replace(blob_file)
    return saving.modified_with_version(obj, comment_after)
