"""The add-on's settings as one immutable value, and the secrets kept beside them.

Code that talks to ONLYOFFICE Docs reads ``get_settings()`` instead of poking at registry
records, so every decision in a request sees the same values. The value is read once per
request and site: it is kept on the request (``request_cache()``, which also
holds each item's status, see documents/status.py), and dropped whenever a setting changes
(a registry record of the add-on, the JWT secret).

Every setting is a registry record ``onlyoffice_plone.<field>`` except ``jwt_secret``: the
Configuration Registry page, ``@registry`` and GenericSetup exports show every record's
value, so the secret lives in the site's annotations instead, where only the add-on's own
write-only form and REST control panel reach it (through ``SettingsProxy``).
"""

import functools
import secrets
from dataclasses import dataclass
from dataclasses import field

from Acquisition import aq_base
from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.component.hooks import getSite
from zope.globalrequest import getRequest
from zope.interface import implementer

from onlyoffice_plone import core
from onlyoffice_plone.interfaces import IOnlyofficeSettings

PREFIX = "onlyoffice_plone"
# Annotation keys on the site, not secrets themselves.
INSTANCE_SECRET_KEY = "onlyoffice_plone.instance_secret"  # noqa: S105
JWT_SECRET_KEY = "onlyoffice_plone.jwt_secret"  # noqa: S105
#: Fields stored outside the registry.
ANNOTATED_FIELDS = ("jwt_secret",)
#: The request's attribute holding what this request already read, per site.
REQUEST_CACHE_KEY = "_onlyoffice_plone.request_cache"


@dataclass(frozen=True)
class Settings:
    docs_url: str = ""
    docs_internal_url: str = ""
    plone_internal_url: str = ""
    #: Not in the value's repr: logs and error reports show the settings without it.
    jwt_secret: str = field(default="", repr=False)
    jwt_header: str = "Authorization"
    jwt_leeway: int = 60
    verify_tls: bool = True
    max_file_size_mb: int = 100
    lossy_edit_formats: tuple = ()
    forcesave: bool = False
    templates_folder: str = ""
    open_in_new_tab: bool = False
    chat: bool = True
    comments: bool = True
    help: bool = True
    feedback: bool = False
    compact_header: bool = False
    compact_toolbar: bool = False
    macros: bool = True
    plugins: bool = True

    @property
    def configured(self):
        return bool(self.docs_url)

    @property
    def editing_enabled(self):
        """Editing needs the JWT secret: without it nothing Docs sends or the page holds is
        signed, so anyone could post a callback or widen a session. Viewing works without."""
        return bool(self.jwt_secret)

    @functools.cached_property
    def addresses(self):
        """Docs and Plone as each reaches the other, as the core reads them (``core.Addresses``):
        ``public_docs_url``, ``server_docs_url``, ``docs_origins``, ``docs_url_for_plone(url)``
        (a URL Docs built, checked to be on Docs and rewritten to where Plone reaches Docs) and
        ``url_for_docs(url, portal_url)`` (a Plone URL rewritten to where Docs reaches Plone).
        """
        return core.Addresses(self.docs_url, self.docs_internal_url, self.plone_internal_url)

    @property
    def public_docs_url(self):
        """Docs as browsers reach it, ending in "/"."""
        return self.addresses.public_docs_url

    @property
    def server_docs_url(self):
        """Docs as Plone reaches it, ending in "/"."""
        return self.addresses.server_docs_url

    @property
    def docs_origins(self):
        """The origins (scheme://host:port) Plone accepts Docs URLs from."""
        return self.addresses.docs_origins

    @property
    def max_file_size(self):
        return self.max_file_size_mb * 1024 * 1024

    def url_for_docs(self, url, portal_url):
        """Rewrite a Plone ``url`` to the address Docs uses to reach Plone."""
        return self.addresses.url_for_docs(url, portal_url)


def request_cache():
    """This request's memory for the current site (a dict), or None outside a request.

    Holds the settings (``get_settings``) and each item's status (documents/status.py).
    """
    request = getRequest()
    site = getSite()
    if request is None or site is None:
        return None
    attributes = _attributes(request)
    if attributes is None:
        return None
    caches = attributes.get(REQUEST_CACHE_KEY)
    if caches is None:
        caches = attributes[REQUEST_CACHE_KEY] = {}
    return caches.setdefault(id(aq_base(site)), {})


def _attributes(request):
    """The request's own attributes. The memory is kept there under a name with a leading
    underscore, which restricted code (scripts, templates) may not get, and which is none
    of the request's values (form, cookies, ``other``) that ``request.get()`` reads; and
    without the adapter lookup that annotations would cost on each of the dozen reads a
    page makes. A request without attributes of its own (zope.publisher's, in tests) keeps
    no memory: each read reads again."""
    try:
        return vars(request)
    except TypeError:
        return None


def forget_request_cache():
    """Drop what this request remembers (a setting or an item changed)."""
    request = getRequest()
    attributes = _attributes(request) if request is not None else None
    if attributes is not None:
        attributes.pop(REQUEST_CACHE_KEY, None)


def request_ended(event):
    """The request is over: what it remembered (the JWT secret among it) goes with it,
    not when the request object is collected."""
    attributes = _attributes(event.request)
    if attributes is not None:
        attributes.pop(REQUEST_CACHE_KEY, None)


def settings_changed(event):
    """A registry record changed: when it is one of ours, read the settings again."""
    record = getattr(event, "record", None)
    name = getattr(record, "__name__", "") or ""
    if name.startswith(PREFIX + "."):
        forget_request_cache()


def get_settings():
    """The settings, read once per request (and site)."""
    cache = request_cache()
    if cache is None:
        return read_settings()
    settings = cache.get("settings")
    if settings is None:
        settings = cache["settings"] = read_settings()
    return settings


def read_settings():
    """The settings as they are in the registry and the site's annotations now."""
    registry = getUtility(IRegistry)
    values = {}
    for name in IOnlyofficeSettings.names():
        if name in ANNOTATED_FIELDS:
            continue
        value = registry.get(f"{PREFIX}.{name}")
        if value is not None:
            values[name] = tuple(value) if isinstance(value, list) else value
    values["jwt_secret"] = get_jwt_secret(getSite())
    return Settings(**values)


def get_jwt_secret(portal):
    return IAnnotations(portal).get(JWT_SECRET_KEY) or ""


def set_jwt_secret(portal, secret):
    """Store the JWT secret; an empty value keeps the stored one (the field is write-only)."""
    if secret:
        IAnnotations(portal)[JWT_SECRET_KEY] = secret
        forget_request_cache()


@implementer(IOnlyofficeSettings)
class SettingsProxy:
    """``IOnlyofficeSettings`` as one object: registry records plus the annotated secret.

    Reading ``jwt_secret`` gives None, so nothing that renders the settings can show it.
    """

    def __init__(self, portal):
        object.__setattr__(self, "_portal", portal)
        object.__setattr__(
            self,
            "_records",
            getUtility(IRegistry).forInterface(
                IOnlyofficeSettings, prefix=PREFIX, omit=ANNOTATED_FIELDS
            ),
        )

    @property
    def jwt_secret_set(self):
        return bool(get_jwt_secret(self._portal))

    def __getattr__(self, name):
        if name == "jwt_secret":
            return None
        return getattr(self._records, name)

    def __setattr__(self, name, value):
        if name == "jwt_secret":
            set_jwt_secret(self._portal, value)
        else:
            setattr(self._records, name, value)


def instance_secret(portal):
    """This site's own random secret: signs the URLs it gives to Docs, seeds document keys.

    Kept in the site's annotations, not the registry, so no settings page or REST call
    can show it. Created on first use.
    """
    annotations = IAnnotations(portal)
    secret = annotations.get(INSTANCE_SECRET_KEY)
    if not secret:
        secret = secrets.token_urlsafe(32)
        annotations[INSTANCE_SECRET_KEY] = secret
    return secret
