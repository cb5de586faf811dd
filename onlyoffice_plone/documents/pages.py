"""Where a person goes to see an item: its view page, by Plone's own rule.

A File's bare URL answers with the file as an attachment, so every "back to the document",
"cancel" or "open the result" link goes to the URL Plone's context state gives as the item's
view: ``<url>/view`` for the types in the registry's ``plone.types_use_view_action_in_listings``
(File and Image by default), the bare URL for the others.
"""

from zope.component import getMultiAdapter
from zope.globalrequest import getRequest


def view_url(obj, request=None):
    """The URL of ``obj``'s view page (what Plone links to in its own listings)."""
    request = request if request is not None else getRequest()
    if request is None:  # no request (a script): Plone's rule needs one, keep it simple
        return obj.absolute_url()
    state = getMultiAdapter((obj, request), name="plone_context_state")
    return state.view_url()
