"""What the editor needs from a content item, whatever its type."""

from zope.interface import Attribute
from zope.interface import Interface


class IOfficeFile(Interface):
    """An item whose primary field holds a blob file ONLYOFFICE can open.

    The default adapter serves every Dexterity type whose primary field is a blob file
    (Plone's File among them). Register a more specific adapter for types that keep their
    document elsewhere. The add-on keeps an item's adapter for the rest of the request
    (``documents.files.office_file_of``, until an item is modified): whether an item has
    one may depend on its type, not on its file, and ``file`` must read the item's file
    at each access.
    """

    file = Attribute("The current INamedBlobFile, or None")
    filename = Attribute("The file's name (with extension), or ''")
    content_type = Attribute("The file's MIME type, or ''")

    def replace(blob_file):
        """Put ``blob_file`` (an INamedBlobFile) in place of the current file."""
