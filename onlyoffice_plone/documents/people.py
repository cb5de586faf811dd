"""The people ONLYOFFICE Docs names: Plone users by id, and what others may learn of them."""

from plone import api


def find_user(user_id, portal=None):
    """The user ``user_id`` of the site (or of Zope's root), wrapped for permission checks;
    None when there is none. One lookup per user folder (``api.user.get`` makes two, through
    the membership tool): the editor page asks this for everyone it names."""
    if not user_id:
        return None
    portal = portal if portal is not None else api.portal.get()
    for acl in (portal.acl_users, portal.getPhysicalRoot().acl_users):
        user = acl.getUserById(user_id)
        if user is not None:
            return user.__of__(acl)
    return None


def display_name(user_id):
    """The user's full name, or the id when there is none (or no such user)."""
    user = find_user(user_id)
    return (user.getProperty("fullname", "") if user is not None else "") or user_id


def may_see_people():
    """May the current user learn who created or edits an item?

    Anonymous visitors only when the site allows them "about" information
    (``plone.allow_anon_views_about``), as Plone's own byline does.
    """
    if not api.user.is_anonymous():
        return True
    return bool(api.portal.get_registry_record("plone.allow_anon_views_about", default=False))
