"""Run by ``zconsole run`` from ``scripts/instance.py``: create the site, apply settings.

``app`` is bound by zconsole. Idempotent: a second start finds the site and only updates
the settings given in the environment (and the admin's password when ADMIN_PASSWORD is set).
"""

import os

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from Products.CMFPlone.factory import addPloneSite
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

ENVIRONMENT_SETTINGS = {
    "ONLYOFFICE_DOCS_URL": "docs_url",
    "ONLYOFFICE_DOCS_INTERNAL_URL": "docs_internal_url",
    "ONLYOFFICE_PLONE_INTERNAL_URL": "plone_internal_url",
    "ONLYOFFICE_JWT_SECRET": "jwt_secret",
}


def setup(app):
    site_id = os.environ.get("ONLYOFFICE_SITE_ID", "Plone")
    app = makerequest(app)
    password = os.environ.get("ADMIN_PASSWORD")
    if password and os.environ.get("ONLYOFFICE_RESET_ADMIN_PASSWORD"):
        # Once Plone has a site, the root user folder is a PluggableAuthService whose
        # "users" plugin holds admin; before that it is Zope's plain user folder.
        users = getattr(app.acl_users.aq_base, "users", None)
        if users is not None:
            app.acl_users.users.updateUserPassword("admin", password)
        else:
            app.acl_users._doChangeUser("admin", password, ["Manager"], [])
    admin = app.acl_users.getUser("admin")
    newSecurityManager(None, admin.__of__(app.acl_users))

    site = app.get(site_id)
    if site is None:
        print(f"Creating the Plone site {site_id!r} with the ONLYOFFICE add-on")
        site = addPloneSite(
            app,
            site_id,
            title="Plone with ONLYOFFICE",
            setup_content=False,
            default_language="en",
            portal_timezone="UTC",
            distribution_name="classic",
            extension_ids=["onlyoffice_plone:default"],
        )
        # Plone leaves requests to 127.0.0.1 unthemed (a developer's escape hatch), and
        # 127.0.0.1 is exactly where this site is served: theme it like any other host.
        site.portal_registry["plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist"] = []
    setSite(site)

    from plone.base.utils import get_installer

    from onlyoffice_plone.settings import SettingsProxy

    installer = get_installer(site, site.REQUEST)
    if not installer.is_product_installed("onlyoffice_plone"):
        installer.install_product("onlyoffice_plone")

    settings = SettingsProxy(site)
    for variable, name in ENVIRONMENT_SETTINGS.items():
        value = os.environ.get(variable)
        if value:
            setattr(settings, name, value)
            shown = "(set)" if name == "jwt_secret" else value
            print(f"  {name} = {shown}  (from {variable})")
    transaction.commit()
    # Close cleanly so the server that starts next finds an up-to-date index.
    app._p_jar.db().close()


setup(app)  # noqa: F821 - bound by zconsole
