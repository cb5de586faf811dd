"""REST services for links between spreadsheets, for the editor page and headless frontends.

``POST <item>/@onlyoffice-reference-data`` with the editor's ``onRequestReferenceData`` (or
``onRequestReferenceSource``) data, ``{referenceData, path, link}``: the signed argument of
``setReferenceData`` / ``setReferenceSource`` for the spreadsheet it names. ``POST
<item>/@onlyoffice-reference-open`` with ``onRequestOpen``'s ``{referenceData, path}``: the
URL of that spreadsheet's editor page. ``<item>`` is the linking document (View); the source
is answered only when the user may view it, else 404 "not found, or you may not view it",
whether it exists or not. A malformed request is a 400. Errors have the add-on's JSON shape.
"""

from onlyoffice_plone.editor import references
from onlyoffice_plone.editor.rest_document import DocumentService


class ReferenceDataPost(DocumentService):
    def answer(self):
        request = references.read_request(self.body())
        return references.answer(references.find_source(self.context, request))


class ReferenceOpenPost(DocumentService):
    def answer(self):
        request = references.read_request(self.body())
        return references.open_target(references.find_source(self.context, request))
