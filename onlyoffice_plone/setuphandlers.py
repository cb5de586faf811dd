"""Install and uninstall steps that GenericSetup's XML cannot express."""

import logging

from plone.app.uuid.utils import uuidToObject
from plone.base.interfaces import INonInstallable
from Products.CMFCore.utils import getToolByName
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.interface import implementer

from onlyoffice_plone import migration
from onlyoffice_plone.browser.notice import install_message
from onlyoffice_plone.documents import locking
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.editor.subscribers import set_action_targets
from onlyoffice_plone.settings import INSTANCE_SECRET_KEY
from onlyoffice_plone.settings import JWT_SECRET_KEY
from onlyoffice_plone.settings import forget_request_cache
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import instance_secret

logger = logging.getLogger("onlyoffice_plone")

#: What post_install switched on, so that uninstall switches off exactly that.
INSTALL_CHANGES_KEY = "onlyoffice_plone.install_changes"
#: Types the editor locks and versions out of the box (any other type: enable the
#: plone.locking and plone.versioning behaviours and versioning yourself).
EDITED_TYPES = ("File",)
EDITOR_BEHAVIORS = ("plone.locking", "plone.versioning")
VERSION_POLICIES = ("at_edit_autoversion", "version_on_revert")
PERMISSIONS = (
    "onlyoffice_plone: Review documents",
    "onlyoffice_plone: Comment documents",
    "onlyoffice_plone: Fill in forms",
)


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """Keep the uninstall profile out of Site Setup → Add-ons."""
        return ["onlyoffice_plone:uninstall"]

    def getNonInstallableProducts(self):
        return []


def portal_of(setup_tool):
    return getToolByName(setup_tool, "portal_url").getPortalObject()


def finish_install(portal):
    """What install and every upgrade step end with: what the profile's XML cannot say.

    The site's own secret is created here rather than on first use, so that a request Docs
    makes while another request is still open already finds it committed. When the older
    add-on onlyoffice.plone left settings or actions, they are taken over (see migration.py).
    """
    instance_secret(portal)
    _enable_locking_and_versioning(portal)
    set_action_targets(get_settings().open_in_new_tab)
    if migration.pending(portal):
        report = migration.migrate(portal)
        for message in report.messages:
            logger.info("onlyoffice.plone migration: %s", translate(message))


def post_install(context):
    """Run after the default profile."""
    portal = portal_of(context)
    finish_install(portal)
    install_message(getattr(portal, "REQUEST", None))
    logger.info("ONLYOFFICE add-on installed")


def _enable_locking_and_versioning(portal):
    """Lock File items while they are edited and keep a version per save.

    Records what was off before, so that uninstalling restores exactly the site's own choice.
    """
    annotations = IAnnotations(portal)
    changes = dict(annotations.get(INSTALL_CHANGES_KEY) or {})
    behaviors_added = dict(changes.get("behaviors", {}))
    policies_added = dict(changes.get("policies", {}))
    versionable_added = list(changes.get("versionable", []))
    types_tool = getToolByName(portal, "portal_types")
    repository = getToolByName(portal, "portal_repository")
    for type_name in EDITED_TYPES:
        fti = types_tool.get(type_name)
        if fti is None:
            continue
        behaviors = list(fti.behaviors)
        added = [b for b in EDITOR_BEHAVIORS if b not in behaviors]
        if added:
            fti.manage_changeProperties(behaviors=tuple(behaviors + added))
            behaviors_added[type_name] = sorted(
                set(behaviors_added.get(type_name, [])) | set(added)
            )
        versionable = list(repository.getVersionableContentTypes())
        if type_name not in versionable:
            repository.setVersionableContentTypes([*versionable, type_name])
            if type_name not in versionable_added:
                versionable_added.append(type_name)
        existing = repository.getPolicyMap().get(type_name, [])
        for policy in VERSION_POLICIES:
            if policy not in existing:
                repository.addPolicyForContentType(type_name, policy)
                policies_added.setdefault(type_name, []).append(policy)
    annotations[INSTALL_CHANGES_KEY] = {
        "behaviors": behaviors_added,
        "policies": policies_added,
        "versionable": versionable_added,
    }


def _disable_locking_and_versioning(portal):
    """Undo what _enable_locking_and_versioning switched on (and nothing else)."""
    changes = IAnnotations(portal).pop(INSTALL_CHANGES_KEY, None) or {}
    types_tool = getToolByName(portal, "portal_types")
    repository = getToolByName(portal, "portal_repository")
    for type_name, added in changes.get("behaviors", {}).items():
        fti = types_tool.get(type_name)
        if fti is not None:
            kept = tuple(b for b in fti.behaviors if b not in added)
            fti.manage_changeProperties(behaviors=kept)
    for type_name, added in changes.get("policies", {}).items():
        for policy in added:
            if policy in repository.getPolicyMap().get(type_name, []):
                repository.removePolicyFromContentType(type_name, policy)
    versionable = list(repository.getVersionableContentTypes())
    for type_name in changes.get("versionable", []):
        if type_name in versionable:
            versionable.remove(type_name)
    repository.setVersionableContentTypes(versionable)


def _remove_editor_records(portal):
    """Release ONLYOFFICE locks and drop the add-on's per-document records."""
    store = IAnnotations(portal).get(documents.STATE_KEY)
    for uid in list(store or ()):
        obj = uuidToObject(uid, unrestricted=True)
        if obj is not None:
            locking.unlock(obj)
    documents.forget_all(portal)


def _remove_permission_settings(portal):
    """Forget the site's role mappings of the add-on's permissions."""
    from AccessControl.Permission import pname

    for permission in PERMISSIONS:
        attribute = pname(permission)
        if attribute in portal.__dict__:
            delattr(portal, attribute)


def uninstall(context):
    """Run after the uninstall profile: undo what XML cannot, forget the secrets."""
    portal = portal_of(context)
    _remove_editor_records(portal)
    _disable_locking_and_versioning(portal)
    _remove_permission_settings(portal)
    annotations = IAnnotations(portal)
    annotations.pop(INSTANCE_SECRET_KEY, None)
    annotations.pop(JWT_SECRET_KEY, None)
    forget_request_cache()
    logger.info("ONLYOFFICE add-on uninstalled")
