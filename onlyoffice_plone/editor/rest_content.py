"""REST services of the content picker, for the editor page and headless frontends.

``GET <site or item>/@onlyoffice-picker?kind=…&path=…&q=…&b_start=…&b_size=…``: folders and
files of the site the user may view, of one kind (see ``picker.py``).

``GET <item>/@onlyoffice-insert-image?c=add&uid=…[&uid=…]``: the signed argument of
``insertImage`` for one or several images; ``GET <item>/@onlyoffice-requested-document?c=
compare|combine|insert-text&uid=…``: of ``setRequestedDocument``; ``GET <item>/
@onlyoffice-requested-spreadsheet?c=mailmerge&uid=…``: of ``setRequestedSpreadsheet``
(see ``requested.py``). ``<item>`` is the document being edited; each picked item must be one
the user may view. Errors have the add-on's one JSON shape.
"""

from Products.ZCTextIndex.ParseTree import ParseError

from onlyoffice_plone import _
from onlyoffice_plone.editor import picker
from onlyoffice_plone.editor import requested
from onlyoffice_plone.editor.rest_document import DocumentService
from onlyoffice_plone.errors import bad_request_on


class ContentService(DocumentService):
    """The services behind the content picker and the answers built from what it picked."""


class PickerGet(ContentService):
    def answer(self):
        with bad_request_on(ParseError, _("Search for words.")):
            return picker.search(self.request)


class InsertImageGet(ContentService):
    def answer(self):
        return requested.answer(self.context, self.request, "image")


class RequestedDocumentGet(ContentService):
    def answer(self):
        return requested.answer(self.context, self.request, "document")


class RequestedSpreadsheetGet(ContentService):
    def answer(self):
        return requested.answer(self.context, self.request, "spreadsheet")
