"""Plone member portraits, as the editor shows people: a URL or the picture itself.

ONLYOFFICE's editor loads avatars inside its own frame, on Docs' origin and without Plone's
login (its docs: "the request to the user's avatar is sent without authorization"). Pictures
handed over in ``setUsers`` therefore travel as ``data:`` URIs, which always show; the current
user's ``editorConfig.user.image`` is a URL (a picture inside the signed config would bloat
its token), which shows where the browser may load the portrait.
"""

import base64

from Acquisition import aq_base
from plone import api
from Products.PlonePAS.utils import cleanId

#: Plone's stand-in picture for people without a portrait of their own.
DEFAULT_PORTRAIT = "defaultUser.png"
#: The largest portrait sent inline as a data: URI (Plone scales portraits to thumbnails of
#: a few KiB; anything bigger is left out rather than bloating the editor's messages).
MAX_INLINE_BYTES = 64 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def personal_portrait(user_id):
    """The member's own portrait (an OFS image), or None when they have none.

    Read from the member data's portraits as ``getPersonalPortrait`` does, without what it
    does then for people who have none: find Plone's stand-in picture through the skins.
    """
    if not isinstance(user_id, str) or not user_id:
        return None
    portal = api.portal.get()
    portraits = getattr(aq_base(portal.portal_memberdata), "portraits", None)
    if portraits is None:  # another member data tool: ask the membership tool
        portrait = portal.portal_membership.getPersonalPortrait(user_id)
    else:
        portrait = portal.portal_memberdata.portraits.get(cleanId(user_id), None)
    if portrait is None or isinstance(portrait, str):
        return None
    if aq_base(portrait).getId() == DEFAULT_PORTRAIT:
        return None
    return portrait


def portrait_url(user_id):
    """The URL of the member's own portrait, or None."""
    portrait = personal_portrait(user_id)
    return portrait.absolute_url() if portrait is not None else None


def portrait_data_uri(user_id, max_bytes=MAX_INLINE_BYTES):
    """The member's own portrait as a ``data:`` URI, or None (none, too big, not a picture)."""
    portrait = personal_portrait(user_id)
    if portrait is None:
        return None
    content_type = (getattr(portrait, "content_type", "") or "").split(";")[0].strip()
    if content_type not in IMAGE_TYPES:
        return None
    size = portrait.get_size() if hasattr(portrait, "get_size") else None
    if size is not None and size > max_bytes:
        return None
    data = portrait.data
    data = data if isinstance(data, bytes) else bytes(data)
    if len(data) > max_bytes:
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
