"""The tokens of the URLs Plone hands to ONLYOFFICE Docs, and the one Docs sends back.

Each URL token is signed with the site's own secret and scoped to one purpose and one object
(the core decides the claims: ``core.sign_url_token``/``verify_url_token``), so a URL taken
from one editor config cannot fetch another document or post another document's callback.
When Docs downloads a file it also sends its own token in an HTTP header, which must be made
for that very URL (``core.check_download_header``).
"""

from onlyoffice_plone import core
from onlyoffice_plone.settings import instance_secret

#: The URL token is missing, forged, expired or made for something else.
UrlTokenError = core.UrlTokenError


def make_url_token(portal, purpose, uid, expires_in, key=None):
    """A URL token for ``purpose`` on the document ``uid`` (and session ``key``)."""
    return core.sign_url_token(
        instance_secret(portal), purpose, uid, expires_in=expires_in, key=key
    )


def check_url_token(portal, token, purpose, uid, key=None):
    """The token's claims; raises UrlTokenError saying why it is refused.

    ``token`` and ``uid`` come from the query string: anything but one string is none.
    """
    if not isinstance(token, str):
        token = None
    if purpose != "connection-check" and not (isinstance(uid, str) and uid):
        raise UrlTokenError("no document named")
    return core.verify_url_token(token, instance_secret(portal), purpose, uid, key=key)


def header_token(request, header_name):
    """The raw value of Docs' token header (e.g. ``Bearer eyJ…``), or None.

    Zope moves ``Authorization`` out of the request's environment into ``request._auth``
    (it carries login credentials there), so ``getHeader("Authorization")`` is always
    empty; any other header name is read as it is.
    """
    if header_name.lower() == "authorization":
        return getattr(request, "_auth", None) or None
    return request.getHeader(header_name) or None


def check_download_token(request, settings, url_token):
    """With a JWT secret set, Docs' header token must verify and name this very URL.

    Raises ``core.TokenError`` saying why it is refused. Docs signs ``{"payload": {"url":
    <the URL it fetches>}}``; any other token signed with the secret, such as the editor
    config's that every viewer sees, is refused.
    """
    core.check_download_header(
        header_token(request, settings.jwt_header),
        settings.jwt_secret or None,
        url_token,
        leeway=settings.jwt_leeway,
    )
