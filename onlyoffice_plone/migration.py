"""Coming from ONLYOFFICE's older add-on ``onlyoffice.plone`` (``onlyoffice.connector`` < 3.0).

The older add-on keeps its settings in registry records ``onlyoffice.plone.<name>`` (4.1.0:
``docUrl``, ``docInnerUrl``, ``ploneUrl``, ``jwtSecret`` as text lines, ``demoEnabled`` and
``docUrlPublicValidation`` as booleans), ``onlyoffice.connector.<name>`` before. ``migrate``
takes over its addresses and secret, clears its plain-text secret and hides its actions, so
that people open documents with one add-on only; it tells the Manager what it did and what is
left to remove. It runs at install, in the upgrade step, and from the control panel's button.
"""

import dataclasses

from plone.registry.interfaces import IRegistry
from Products.CMFCore.utils import getToolByName
from zope.component import queryUtility
from zope.interface import Invalid

from onlyoffice_plone import _
from onlyoffice_plone.interfaces import IOnlyofficeSettings
from onlyoffice_plone.settings import PREFIX
from onlyoffice_plone.settings import get_jwt_secret
from onlyoffice_plone.settings import set_jwt_secret

#: Newest first: a value under onlyoffice.plone wins over one left by onlyoffice.connector.
OLD_PREFIXES = ("onlyoffice.plone", "onlyoffice.connector")
OLD_PROFILES = ("onlyoffice.plone:default", "onlyoffice.connector:default")
#: The older add-on's address records and ours.
ADDRESSES = {
    "docUrl": "docs_url",
    "docInnerUrl": "docs_internal_url",
    "ploneUrl": "plone_internal_url",
}
#: What the older add-on's docUrl holds until someone configures it.
PLACEHOLDER_URL = "https://documentserver/"
#: The older add-on's actions: on content types (4.x) and in portal_actions.
OLD_TYPE_ACTIONS = {
    "File": (
        "onlyoffice-edit",
        "onlyoffice-view",
        "onlyoffice-review",
        "onlyoffice-fill-form",
        "onlyoffice-conversion-file",
    ),
    "Document": ("onlyoffice-conversion-document",),
}
OLD_PORTAL_ACTIONS = {"object_buttons": ("download-as-file", "download-as-document")}


@dataclasses.dataclass
class MigrationReport:
    """What ``migrate`` did (``taken``), what it left (``kept``) and what the Manager should do."""

    taken: list = dataclasses.field(default_factory=list)
    kept: list = dataclasses.field(default_factory=list)
    todo: list = dataclasses.field(default_factory=list)

    @property
    def messages(self):
        return [*self.taken, *self.kept, *self.todo]


def _old_records(registry):
    """{old name: value} of the older add-on's records, newest prefix first."""
    found = {}
    for prefix in reversed(OLD_PREFIXES):
        for name in (*ADDRESSES, "jwtSecret", "demoEnabled"):
            key = f"{prefix}.{name}"
            if key in registry.records:
                value = registry.records[key].value
                if value or name not in found:
                    found[name] = value
    return found


def old_secret_records(registry):
    return [
        f"{prefix}.jwtSecret"
        for prefix in OLD_PREFIXES
        if f"{prefix}.jwtSecret" in registry.records
        and registry.records[f"{prefix}.jwtSecret"].value
    ]


def old_profiles_installed(portal):
    setup = getToolByName(portal, "portal_setup")
    return [p for p in OLD_PROFILES if setup.getLastVersionForProfile(p) != "unknown"]


def _old_actions(portal):
    """The older add-on's actions that are still visible."""
    found = []
    types_tool = getToolByName(portal, "portal_types")
    for type_name, action_ids in OLD_TYPE_ACTIONS.items():
        fti = types_tool.get(type_name)
        for action in fti.listActions() if fti is not None else ():
            if action.getId() in action_ids and action.visible:
                found.append(action)
    actions_tool = getToolByName(portal, "portal_actions")
    for category_id, action_ids in OLD_PORTAL_ACTIONS.items():
        category = actions_tool.get(category_id)
        for action_id in action_ids:
            action = category.get(action_id) if category is not None else None
            if action is not None and action.visible:
                found.append(action)
    return found


def pending(portal):
    """True while something of the older add-on is left to take over or to switch off."""
    registry = queryUtility(IRegistry)
    if registry is None:
        return False
    records = _old_records(registry)
    addresses = any(
        records.get(old)
        and records.get(old) != PLACEHOLDER_URL
        and not registry.get(f"{PREFIX}.{new}")
        for old, new in ADDRESSES.items()
    )
    return bool(addresses or old_secret_records(registry) or _old_actions(portal))


def _hide(action):
    if hasattr(action, "_updateProperty"):
        action._updateProperty("visible", False)
    else:
        action.visible = False


def migrate(portal):
    """Take over the older add-on's settings, clear its secret, hide its actions."""
    report = MigrationReport()
    registry = queryUtility(IRegistry)
    records = _old_records(registry)
    for old, new in ADDRESSES.items():
        value = (records.get(old) or "").strip()
        if not value or value == PLACEHOLDER_URL:
            continue
        key = f"{PREFIX}.{new}"
        title = IOnlyofficeSettings[new].title
        if registry.get(key):
            report.kept.append(
                _(
                    "Kept “${setting}”: it was already set; onlyoffice.plone had ${value}.",
                    mapping={"setting": title, "value": value},
                )
            )
            continue
        try:
            IOnlyofficeSettings[new].validate(value)
        except Invalid:  # zope.schema's ValidationError included
            report.kept.append(
                _(
                    "Not taken over “${setting}”: ${value} is not an address.",
                    mapping={"setting": title, "value": value},
                )
            )
            continue
        registry[key] = value
        report.taken.append(
            _("Taken over “${setting}”: ${value}.", mapping={"setting": title, "value": value})
        )
    secret = records.get("jwtSecret") or ""
    if secret:
        if get_jwt_secret(portal):
            report.kept.append(_("Kept the stored secret key; onlyoffice.plone's differs."))
        else:
            set_jwt_secret(portal, secret)
            report.taken.append(_("Taken over the secret key."))
    for key in old_secret_records(registry):
        registry.records[key].value = None
        report.taken.append(
            _(
                "Cleared ${record}: the secret is no longer kept in plain text.",
                mapping={"record": key},
            )
        )
    if records.get("demoEnabled"):
        report.kept.append(
            _("onlyoffice.plone used ONLYOFFICE's demo server: enter your own ONLYOFFICE Docs.")
        )
    hidden = _old_actions(portal)
    for action in hidden:
        _hide(action)
    if hidden:
        report.taken.append(
            _(
                "Hid onlyoffice.plone's actions (${actions}): documents open with this "
                "add-on only.",
                mapping={"actions": ", ".join(sorted({a.getId() for a in hidden}))},
            )
        )
    if old_profiles_installed(portal) or records:
        report.todo.append(
            _(
                "To finish: uninstall onlyoffice.plone in Site Setup → Add-ons once nobody is "
                "editing with it, then remove it from your buildout or requirements and restart."
            )
        )
    return report
