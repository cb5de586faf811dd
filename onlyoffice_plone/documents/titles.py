"""The rule for a document's title as a person gives it: renaming in the editor, saving a copy,
creating a new document.

Runs of white space become one space (a tab or line break pasted with a name included), and
the rest must be 1 to ``MAX_TITLE`` characters of text: no control characters (NUL, escape
sequences, DEL and the C1 block, which no listing or file name shows), no lone surrogates.
A title over the limit is refused, never cut short: the person learns why.
"""

import unicodedata

from onlyoffice_plone import _
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import is_text

MAX_TITLE = 200


def bad_title():
    return OnlyofficeError(
        "BadRequest", _("Give the document a name of 1 to 200 characters."), 400
    )


def clean_title(title):
    """``title`` with its white space collapsed; OnlyofficeError 400 when it breaks the rule."""
    if not is_text(title):
        raise bad_title()
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise bad_title()
    if any(unicodedata.category(c) == "Cc" for c in title):
        raise OnlyofficeError(
            "BadRequest", _("A document's name cannot contain control characters."), 400
        )
    return title
