"""Run by ``zconsole run`` from ``scripts/instance.py``: create the site, apply settings.

``app`` is bound by zconsole. Idempotent: a second start finds the site and only updates
the settings given in the environment (and the admin's password when ADMIN_PASSWORD is set).

Which ONLYOFFICE Docs (``scripts/instance.py`` passes ONLYOFFICE_RUN_STATE, a folder of the
instance, and without ONLYOFFICE_DOCS_URL also ONLYOFFICE_RUN_DOUBLE_URL): the Docs test
double is configured (its address, the secret in STATE/double-secret) when the site has no
Docs address yet or still the double's from an earlier start; an address someone entered in
the control panel is kept. STATE/docs-in-use then says "double" or the address kept. The
sample folder is added once (STATE/samples-added remembers it, also when it is deleted),
unless SAMPLES=0.
"""

import mimetypes
import os
import sys
from pathlib import Path

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


def configure_docs(settings, state):
    """Point the site at the test double when it should be; say which Docs is in use."""
    double_url = os.environ.get("ONLYOFFICE_RUN_DOUBLE_URL")
    if not double_url:
        return
    previous = state / "double-url"
    current = settings.docs_url or ""
    if current and current != (previous.read_text() if previous.exists() else ""):
        print(f"  keeping the ONLYOFFICE Docs of the site's settings: {current}")
        (state / "docs-in-use").write_text(current)
        return
    if os.environ.get("ONLYOFFICE_JWT_SECRET"):
        print("  ONLYOFFICE_JWT_SECRET is not used: the test double has a secret of its own")
    settings.docs_url = double_url
    if settings.docs_internal_url and not os.environ.get("ONLYOFFICE_DOCS_INTERNAL_URL"):
        settings.docs_internal_url = None  # Plone reaches the double at its address
    settings.jwt_secret = (state / "double-secret").read_text().strip()
    settings.jwt_header = "Authorization"
    previous.write_text(double_url)
    (state / "docs-in-use").write_text("double")
    print(f"  docs_url = {double_url}  (the ONLYOFFICE Docs test double, with its own secret)")


def add_samples(site, state):
    """Add the folder of sample documents, once."""
    marker = state / "samples-added"
    if marker.exists():
        return
    sys.path.insert(0, str(Path(os.environ["ONLYOFFICE_RUN_SCRIPTS"])))
    import first_run_samples
    from plone import api
    from plone.namedfile.file import NamedBlobFile

    if first_run_samples.FOLDER_ID not in site.objectIds():
        folder = api.content.create(
            container=site,
            type="Folder",
            id=first_run_samples.FOLDER_ID,
            title=first_run_samples.FOLDER_TITLE,
            description=first_run_samples.FOLDER_DESCRIPTION,
        )
        for filename, title, data in first_run_samples.sample_files():
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            api.content.create(
                container=folder,
                type="File",
                id=filename,
                title=title,
                file=NamedBlobFile(data=data, contentType=content_type, filename=filename),
            )
        print(f"  added the folder {first_run_samples.FOLDER_TITLE!r} with sample documents")
    marker.write_text(first_run_samples.FOLDER_ID)


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
    state = os.environ.get("ONLYOFFICE_RUN_STATE")
    if state:
        configure_docs(settings, Path(state))
        if os.environ.get("SAMPLES", "1") != "0":
            add_samples(site, Path(state))
    transaction.commit()
    # Close cleanly so the server that starts next finds an up-to-date index.
    app._p_jar.db().close()


setup(app)  # noqa: F821 - bound by zconsole
