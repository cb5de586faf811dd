"""The office file of an item: the IOfficeFile adapter and what the core says of its format.

The default IOfficeFile is the primary field of a Dexterity item, when it is a blob file.
"""

from Acquisition import aq_base
from plone.dexterity.interfaces import IDexterityContent
from plone.namedfile.interfaces import INamedBlobFileField
from plone.rfc822.interfaces import IPrimaryFieldInfo
from zope.component import adapter
from zope.interface import implementer

from onlyoffice_plone import core
from onlyoffice_plone.documents.interfaces import IOfficeFile
from onlyoffice_plone.settings import request_cache


@implementer(IOfficeFile)
@adapter(IDexterityContent)
class PrimaryBlobFile:
    def __init__(self, context, field):
        self.context = context
        self.field = field

    def _bound(self):
        return self.field.interface(self.context)

    @property
    def file(self):
        return self.field.query(self._bound())

    @property
    def filename(self):
        file = self.file
        return (getattr(file, "filename", None) or "") if file is not None else ""

    @property
    def content_type(self):
        file = self.file
        return (getattr(file, "contentType", None) or "") if file is not None else ""

    def replace(self, blob_file):
        self.field.set(self._bound(), blob_file)


@implementer(IOfficeFile)
@adapter(IDexterityContent)
def primary_blob_file(context):
    """IOfficeFile for items whose primary field is a blob file; None for any other item."""
    try:
        info = IPrimaryFieldInfo(context, None)
    except TypeError:
        return None
    field = getattr(info, "field", None)
    if field is None or not INamedBlobFileField.providedBy(field):
        return None
    return PrimaryBlobFile(context, field)


def office_file(obj):
    """The IOfficeFile of ``obj`` when it holds a file (now), else None."""
    adapted = office_file_of(obj)
    if adapted is None or adapted.file is None:
        return None
    return adapted


def office_file_of(obj):
    """``IOfficeFile(obj, None)``, looked up once per request and item.

    The default adapter walks every field of every schema of the item's type to find its
    primary field (about 500 Python calls), and a page or a save asks several times. Which
    field holds an item's file does not change within a request; the file in it is read
    from the item on every use. The request's memory is dropped when an item is modified
    (``settings.forget_request_cache``); until then it keeps the items it was asked about,
    which a script looping over many items under one request should know.
    """
    cache = request_cache()
    if cache is None:
        return IOfficeFile(obj, None)
    kept = cache.setdefault("office_files", {})
    base = aq_base(obj)
    # The entry keeps the item alive, so its id() is not reused within the request.
    entry = kept.get(id(base))
    if entry is None or entry[0] is not base:
        entry = kept[id(base)] = (base, IOfficeFile(obj, None))
    return entry[1]


def editor_title(obj, adapted, extension):
    """The document's name as the editor shows it: the item's title with the file's extension.

    The title, not the file name, so that a rename in the editor (which changes only the
    title, never the blob and so never the session's key) is what every later opening shows.
    An item without a title shows its file name.
    """
    suffix = "." + extension.lower() if extension else ""
    title = " ".join((obj.Title() or "").split())
    if not title:
        return adapted.filename or obj.getId()
    if suffix and not title.lower().endswith(suffix):
        return title + suffix
    return title


def classification_of(adapted, settings):
    """What the core says of the office file ``adapted`` (None: not an office document)."""
    if adapted is None:
        return None
    return core.classify(
        adapted.filename or None,
        adapted.content_type or None,
        lossy_edit=settings.lossy_edit_formats,
    )
