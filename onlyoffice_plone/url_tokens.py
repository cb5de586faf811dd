"""Short-lived tokens in the URLs Plone hands to ONLYOFFICE Docs.

Each token is signed with the site's own secret and scoped to one purpose and one object,
so a URL taken from one editor config cannot fetch another document or post another
document's callback.
"""

from onlyoffice_plone import _core
from onlyoffice_plone.settings import instance_secret


class UrlTokenError(Exception):
    """The URL token is missing, forged, expired or made for something else."""


def make_url_token(portal, purpose, subject, expires_in):
    claims = {"purpose": purpose, "sub": subject}
    return _core.sign_token(claims, instance_secret(portal), expires_in=expires_in)


def check_url_token(portal, token, purpose, subject, leeway=0):
    """Return the token's claims, or raise UrlTokenError saying why it is refused."""
    if not token:
        raise UrlTokenError("no token")
    try:
        claims = _core.verify_token(token, instance_secret(portal), leeway=leeway)
    except _core.TokenError as exc:
        raise UrlTokenError(str(exc)) from exc
    if claims.get("purpose") != purpose:
        raise UrlTokenError(f"token made for {claims.get('purpose')!r}, not {purpose!r}")
    if claims.get("sub") != subject:
        raise UrlTokenError("token made for another object")
    if "exp" not in claims:
        raise UrlTokenError("token without expiry")
    return claims
