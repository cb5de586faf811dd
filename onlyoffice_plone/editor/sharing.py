"""Sharing in the editor: who has access (``document.info.sharingSettings``) and the
*Change access rights* button (``onRequestSharingSettings``), which opens Plone's Sharing page.

The list comes from Plone's local roles on the item and the folders above it (up to where
inheritance is switched off), and whether anonymous visitors may view it. It is shown to
people who may edit the item or change its sharing; the button only to the latter (the
Sharing page's own permission).
"""

from AccessControl.PermissionRole import rolesForPermissionOn
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from plone.base.interfaces import IPloneSiteRoot

from onlyoffice_plone import _
from onlyoffice_plone.documents.language import translated
from onlyoffice_plone.documents.people import principal_name
from onlyoffice_plone.documents.rights import is_anonymous
from onlyoffice_plone.documents.rights import may

#: The permission of Plone's @@sharing page.
DELEGATE_ROLES = "Sharing page: Delegate roles"
MODIFY = "Modify portal content"
#: Most entries listed.
MAX_ENTRIES = 50

FULL = _("Full Access")
REVIEW = _("Review")
READ = _("Read Only")
#: The access each local role gives, strongest first.
ROLE_ACCESS = (
    ("Owner", FULL),
    ("Manager", FULL),
    ("Site Administrator", FULL),
    ("Editor", FULL),
    ("Reviewer", REVIEW),
    ("Contributor", READ),
    ("Reader", READ),
)


def may_share(obj):
    """May the current user open Plone's Sharing page of ``obj``?"""
    return may(DELEGATE_ROLES, obj)


def may_see_sharing(obj):
    return not is_anonymous() and (may_share(obj) or may(MODIFY, obj))


def _local_roles(obj):
    """``{principal: roles}`` on ``obj`` and above it, as far as roles are inherited."""
    found = {}
    current = aq_inner(obj)
    while current is not None:
        for principal, roles in current.get_local_roles():
            found.setdefault(principal, set()).update(roles)
        if getattr(aq_base(current), "__ac_local_roles_block__", False):
            break
        if IPloneSiteRoot.providedBy(current):
            break
        current = aq_parent(current)
    return found


def sharing_settings(obj):
    """``document.info.sharingSettings``: ``[{user, permissions, isLink?}]``, translated."""
    entries = []
    if "Anonymous" in (rolesForPermissionOn("View", obj) or ()):
        entries.append(
            {
                "user": translated(_("Anyone (the item is public)")),
                "permissions": translated(READ),
                "isLink": True,
            }
        )
    roles = _local_roles(obj)
    portal = api.portal.get()
    for principal in sorted(roles):
        access = next((a for role, a in ROLE_ACCESS if role in roles[principal]), None)
        if access is None:
            continue
        if principal == "AuthenticatedUsers":
            name = translated(_("Logged-in users"))
        else:
            name = principal_name(principal, portal)
        if not name:
            continue
        entries.append({"user": name, "permissions": translated(access)})
        if len(entries) >= MAX_ENTRIES:
            break
    return entries
