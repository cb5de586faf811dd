"""The add-on's settings as one immutable value, and the site's own secret.

Code that talks to ONLYOFFICE Docs reads ``get_settings()`` once per request instead of
poking at registry records, so every decision in a request sees the same values.
"""

import secrets
import urllib.parse
from dataclasses import dataclass

from plone.registry.interfaces import IRegistry
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility

from onlyoffice_plone.interfaces import IOnlyofficeSettings

PREFIX = "onlyoffice_plone"
INSTANCE_SECRET_KEY = "onlyoffice_plone.instance_secret"  # noqa: S105 - an annotation key


def _base(url):
    """``url`` with exactly one trailing slash, or "" when unset."""
    url = (url or "").strip()
    return url.rstrip("/") + "/" if url else ""


@dataclass(frozen=True)
class Settings:
    docs_url: str = ""
    docs_internal_url: str = ""
    plone_internal_url: str = ""
    jwt_secret: str = ""
    jwt_header: str = "Authorization"
    jwt_leeway: int = 60
    verify_tls: bool = True
    max_file_size_mb: int = 100
    lossy_edit_formats: tuple = ()
    forcesave: bool = False
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
    def public_docs_url(self):
        """Docs as browsers reach it, ending in "/"."""
        return _base(self.docs_url)

    @property
    def server_docs_url(self):
        """Docs as Plone reaches it, ending in "/"."""
        return _base(self.docs_internal_url) or _base(self.docs_url)

    @property
    def docs_origins(self):
        """The origins (scheme://host:port) Plone accepts Docs URLs from."""
        return tuple(
            dict.fromkeys(o for o in map(origin, (self.docs_url, self.docs_internal_url)) if o)
        )

    @property
    def max_file_size(self):
        return self.max_file_size_mb * 1024 * 1024

    def url_for_docs(self, url, portal_url):
        """Rewrite a Plone ``url`` to the address Docs uses to reach Plone."""
        internal = _base(self.plone_internal_url)
        public = _base(portal_url)
        if internal and url.startswith(public):
            return internal + url[len(public) :]
        if internal and url + "/" == public:
            return internal.rstrip("/")
        return url


def origin(url):
    """``scheme://host[:port]`` of an http(s) URL, with the default port made explicit."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}"


def get_settings():
    registry = getUtility(IRegistry)
    values = {}
    for name in IOnlyofficeSettings.names():
        value = registry.get(f"{PREFIX}.{name}")
        if value is not None:
            values[name] = tuple(value) if isinstance(value, list) else value
    return Settings(**values)


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
