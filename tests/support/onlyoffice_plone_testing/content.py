"""Test content: a functional site pointed at the Docs test double, with people and a folder.

Imports the test extras' Plone layers indirectly (plone.api); only tests use this module.
"""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.component.hooks import setSite

from onlyoffice_plone.settings import set_jwt_secret


def prepare_site(portal, double, users, password):
    """Point ``portal`` at ``double`` and make a "Docs" folder where each user has their roles.

    ``users`` maps a user id to ``(full name, roles in the folder)``. Returns the folder;
    the caller commits.
    """
    setSite(portal)
    getUtility(IRegistry)["onlyoffice_plone.docs_url"] = double.url + "/"
    set_jwt_secret(portal, double.secret)
    with api.env.adopt_roles(["Manager"]):
        for user_id, (fullname, _roles) in users.items():
            api.user.create(
                email=f"{user_id}@example.org",
                username=user_id,
                password=password,
                properties={"fullname": fullname},
            )
        folder = api.content.create(container=portal, type="Folder", id="docs", title="Docs")
        for user_id, (_fullname, roles) in users.items():
            api.user.grant_roles(username=user_id, obj=folder, roles=list(roles))
    return folder
