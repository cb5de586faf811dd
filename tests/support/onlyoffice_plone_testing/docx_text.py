"""A portal_transforms transform of a docx to its plain text, for tests of full-text search.

Plone ships none, so without it a File's full text is its title and description only. The
text of ``word/document.xml``, tags dropped; ``register()`` is what PortalTransforms loads.
"""

import io
import re
import zipfile

from Products.PortalTransforms.interfaces import ITransform
from zope.interface import implementer

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TAG = re.compile(r"<[^>]+>")


@implementer(ITransform)
class DocxToText:
    __name__ = "onlyoffice_test_docx_to_text"
    inputs = (DOCX,)
    output = "text/plain"

    def name(self):
        return self.__name__

    def convert(self, data, cache, **kwargs):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        cache.setData(" ".join(TAG.sub(" ", xml).split()))
        return cache


def register():
    return DocxToText()


def install(portal):
    """Let ``portal`` index the text of docx files (commit to make the server see it)."""
    transforms = portal.portal_transforms
    if DocxToText.__name__ not in transforms.objectIds():
        transforms.registerTransform(DocxToText())
