"""JWT as the Docs server uses it, written with PyJWT.

The double deliberately does not use the add-on's Rust core for tokens: if our token code had a
bug, a double built on it would share the bug and hide it.
"""

from __future__ import annotations

import time
from typing import Any

import jwt

# Docs passes no algorithm list to its verifier, so every HMAC variant is accepted.
ACCEPTED_ALGORITHMS = ["HS256", "HS384", "HS512"]
# Clock tolerance Docs applies when it verifies a token.
LEEWAY_SECONDS = 60
# Lifetime of the tokens Docs signs for callbacks and downloads.
OUTBOX_LIFETIME_SECONDS = 5 * 60
BEARER = "Bearer "


class TokenError(Exception):
    """A token that Docs would refuse."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def sign(payload: dict[str, Any], secret: str, *, lifetime: float | None = None) -> str:
    """Sign ``payload`` with HS256, adding iat and exp when a lifetime is given."""
    claims = dict(payload)
    if lifetime is not None:
        now = int(time.time())
        claims.setdefault("iat", now)
        claims["exp"] = now + int(lifetime)
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(token: str, secret: str) -> dict[str, Any]:
    """Decode ``token`` as Docs does: HS256/384/512, 60 s leeway, exp/nbf only when present."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=ACCEPTED_ALGORITHMS,
            leeway=LEEWAY_SECONDS,
            options={"require": [], "verify_aud": False, "verify_iss": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("token expired", expired=True) from exc
    except jwt.PyJWTError as exc:
        raise TokenError(f"invalid token: {exc}") from exc
    if not isinstance(claims, dict):
        raise TokenError("token payload is not an object")
    return claims


def from_authorization(value: str | None) -> str | None:
    """The token inside an ``Authorization``-style header value, if any."""
    if not value:
        return None
    if value.startswith(BEARER):
        return value[len(BEARER) :].strip() or None
    return None


def request_params(
    body: dict[str, Any], header_value: str | None, secret: str | None
) -> tuple[dict[str, Any], bool]:
    """The parameters of a conversion or command request, as Docs reads them.

    The body ``token`` wins and carries the flat request; a header token wraps it in
    ``{"payload": ...}``. With a secret set, only the token's data is used (tokenRequiredParams).
    Returns the parameters and whether they came from a verified token. Raises TokenError.
    """
    if not secret:
        return body, False
    body_token = body.get("token")
    if isinstance(body_token, str) and body_token:
        return verify(body_token, secret), True
    header_token = from_authorization(header_value)
    if header_token:
        claims = verify(header_token, secret)
        payload = claims.get("payload")
        if not isinstance(payload, dict):
            raise TokenError("header token has no payload object")
        return payload, True
    raise TokenError("token missing")
