"""What ONLYOFFICE's older add-on, onlyoffice.plone 4.1.0, leaves in a site.

Its profile registers the records of ``IOnlyofficeControlPanel`` under the prefix
``onlyoffice.plone`` (text lines but for two booleans; ``docUrl`` defaults to
``https://documentserver/``), adds actions to the File and Document types and two
"Download as" actions to ``object_buttons``, and installs at profile version 4010.
``install`` writes exactly these, without the older add-on's code.
"""

from plone.registry import field
from plone.registry.interfaces import IRegistry
from plone.registry.record import Record
from Products.CMFCore.ActionInformation import Action
from zope.component import getUtility

PREFIX = "onlyoffice.plone"
INTERFACE = "onlyoffice.plone.browser.controlpanel.IOnlyofficeControlPanel"
PROFILE = "onlyoffice.plone:default"
FIELDS = {
    "docUrl": (field.TextLine, "https://documentserver/"),
    "docUrlPublicValidation": (field.Bool, True),
    "demoEnabled": (field.Bool, False),
    "jwtSecret": (field.TextLine, None),
    "ploneUrl": (field.TextLine, None),
    "docInnerUrl": (field.TextLine, None),
}
TYPE_ACTIONS = {
    "File": (
        "onlyoffice-edit",
        "onlyoffice-view",
        "onlyoffice-review",
        "onlyoffice-fill-form",
        "onlyoffice-conversion-file",
    ),
    "Document": ("onlyoffice-conversion-document",),
}
PORTAL_ACTIONS = ("download-as-file", "download-as-document")


def install(portal, prefix=PREFIX, **values):
    """Records as 4.1.0 writes them (``values`` as the Manager saved them), its actions."""
    registry = getUtility(IRegistry)
    for name, (kind, default) in FIELDS.items():
        persistent = kind(title=name, required=False, default=default)
        persistent.interfaceName = INTERFACE.replace("onlyoffice.plone", prefix)
        persistent.fieldName = name
        registry.records[f"{prefix}.{name}"] = Record(persistent, values.get(name, default))
    for type_name, action_ids in TYPE_ACTIONS.items():
        fti = portal.portal_types[type_name]
        for action_id in action_ids:
            fti.addAction(
                action_id,
                action_id,
                f"string:${{object_url}}/{action_id}",
                "",
                ("View",),
                "object",
                visible=True,
            )
    category = portal.portal_actions.object_buttons
    for action_id in PORTAL_ACTIONS:
        action = Action(
            action_id,
            title="Download as",
            url_expr=f"string:$object_url/onlyoffice-{action_id}",
            permissions=("View",),
            visible=True,
        )
        category._setObject(action_id, action)
    if prefix == PREFIX:
        portal.portal_setup.setLastVersionForProfile(PROFILE, "4010")
