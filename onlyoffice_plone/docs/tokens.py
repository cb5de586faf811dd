"""The tokens of the URLs Plone hands to ONLYOFFICE Docs, and the one Docs sends back.

Each URL token is signed with the site's own secret and scoped to one purpose and one object,
so a URL taken from one editor config cannot fetch another document or post another
document's callback. When Docs downloads a file it also sends its own token in an HTTP
header (``check_download_token``).
"""

import hmac
import urllib.parse

from onlyoffice_plone import core
from onlyoffice_plone.settings import instance_secret


class UrlTokenError(Exception):
    """The URL token is missing, forged, expired or made for something else."""


def make_url_token(portal, purpose, subject, expires_in):
    claims = {"purpose": purpose, "sub": subject}
    return core.sign_token(claims, instance_secret(portal), expires_in=expires_in)


def check_url_token(portal, token, purpose, subject, leeway=0):
    """Return the token's claims, or raise UrlTokenError saying why it is refused."""
    if not token:
        raise UrlTokenError("no token")
    try:
        claims = core.verify_token(token, instance_secret(portal), leeway=leeway)
    except core.TokenError as exc:
        raise UrlTokenError(str(exc)) from exc
    if claims.get("purpose") != purpose:
        raise UrlTokenError(f"token made for {claims.get('purpose')!r}, not {purpose!r}")
    if claims.get("sub") != subject:
        raise UrlTokenError("token made for another object")
    if "exp" not in claims:
        raise UrlTokenError("token without expiry")
    return claims


class DocsTokenRefused(Exception):
    """Docs' header token is missing, does not verify, or was made for another URL."""


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

    Docs signs ``{"payload": {"url": <the URL it fetches>}}``. Any other token signed with
    the secret, such as the editor config's that every viewer sees, is refused: the URL in
    the payload must carry the same URL token as this request. Only the token is compared,
    not host or path, since Docs may reach Plone by another address (``plone_internal_url``,
    a proxy) and the token alone names the document and the purpose.
    """
    if not settings.jwt_secret:
        return
    header = header_token(request, settings.jwt_header)
    try:
        payload = core.incoming_payload(
            None, header, settings.jwt_secret, leeway=settings.jwt_leeway
        )
    except core.TokenError as exc:
        raise DocsTokenRefused(f"ONLYOFFICE Docs' token was refused: {exc}") from exc
    url = payload.get("url")
    signed = ""
    if isinstance(url, str):
        signed = (urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token") or [""])[0]
    if not url_token or not hmac.compare_digest(signed.encode(), url_token.encode()):
        raise DocsTokenRefused("ONLYOFFICE Docs' token was made for another URL")
