"""The conditions of the add-on's actions (profiles/default/actions.xml).

Plone evaluates the condition of every action it lists on every page: on an office file's
view, the add-on's four. A path expression to a view (``object/@@onlyoffice-status/
can_edit``, as they were) traverses to the view, makes it and checks its security: about
180 Python calls each. ``python:modules['onlyoffice_plone.browser.conditions'].can_edit(
object)`` calls one of these functions instead, in half of that.

They are open to restricted code (the declaration below), as the views they replace are to
anyone who may view the item: each answers a question about the current user's own rights
on an item, from the item's status decided once per request (documents/status.py). A
condition must never break a page: a failure is logged and answers False.
"""

import logging

from AccessControl import ModuleSecurityInfo

from onlyoffice_plone.conversion import flow
from onlyoffice_plone.documents.status import status_of

logger = logging.getLogger("onlyoffice_plone")

ModuleSecurityInfo(__name__).declarePublic(
    "can_edit", "can_view", "can_convert", "can_download_as"
)


def _safely(question):
    def condition(obj):
        try:
            return bool(question(obj))
        except Exception:
            url = getattr(obj, "absolute_url", lambda: repr(obj))()
            logger.exception("The condition %s failed on %s", question.__name__, url)
            return False

    condition.__name__ = question.__name__
    condition.__doc__ = question.__doc__
    return condition


@_safely
def can_edit(obj):
    """May the current user edit ``obj`` in ONLYOFFICE?"""
    return status_of(obj).can_edit


@_safely
def can_view(obj):
    """May the current user open ``obj`` in ONLYOFFICE to read it?"""
    return status_of(obj).can_view


@_safely
def can_convert(obj):
    """Offer "Convert to Office Open XML": a format to convert, and a place for the result
    the current user may use (a new item beside it, or its own file replaced)."""
    classification = status_of(obj).classification
    return classification and classification.convert_to and flow.allowed_targets(obj)


@_safely
def can_download_as(obj):
    """Offer "Download as…": a format Docs converts the file from (the status has no
    classification while Docs is not configured)."""
    classification = status_of(obj).classification
    return classification and classification.download_as
