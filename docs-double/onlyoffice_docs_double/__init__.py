"""A protocol-faithful test double of ONLYOFFICE Docs 9.x, with a stand-in editor.

Start it from Python (``DocsDouble(...).start()``), from pytest (the ``docs_double`` fixture in
``onlyoffice_docs_double.testing.fixtures``), from a plone.testing layer
(``onlyoffice_docs_double.testing.layers.DOCS_DOUBLE_FIXTURE``) or from a shell
(``python -m onlyoffice_docs_double --help``). It imports neither Plone, nor Zope, nor the
add-on (``onlyoffice_plone``).
"""

from .callbacks import CallbackAttempt
from .callbacks import CallbackLog
from .editorconfig import EditorError
from .edits import UneditableFormat
from .edits import apply_edit
from .faults import Faults
from .server import DOCS_DOUBLE_SECRET
from .server import DocsDouble
from .sessions import Change
from .sessions import Connection
from .sessions import DoubleError
from .sessions import Session

__all__ = [
    "DOCS_DOUBLE_SECRET",
    "CallbackAttempt",
    "CallbackLog",
    "Change",
    "Connection",
    "DocsDouble",
    "DoubleError",
    "EditorError",
    "Faults",
    "Session",
    "UneditableFormat",
    "apply_edit",
]
