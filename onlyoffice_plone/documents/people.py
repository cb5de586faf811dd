"""The people ONLYOFFICE Docs names: Plone users by id, and what others may learn of them."""

from plone import api


def display_name(user_id):
    """The user's full name, or the id when there is none (or no such user)."""
    user = api.user.get(userid=user_id)
    return (user.getProperty("fullname", "") if user is not None else "") or user_id


def may_see_people():
    """May the current user learn who created or edits an item?

    Anonymous visitors only when the site allows them "about" information
    (``plone.allow_anon_views_about``), as Plone's own byline does.
    """
    if not api.user.is_anonymous():
        return True
    return bool(api.portal.get_registry_record("plone.allow_anon_views_about", default=False))
