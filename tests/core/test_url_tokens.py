"""URL tokens: the core decides purpose, subject and expiry; Docs' download header names one."""

import time

import jwt
import pytest

from onlyoffice_plone import _core

SITE = "site-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
JWT = "docs-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
UID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
KEY = f"{UID}.abcDEF-_="
CONTENT = f"{UID}.content-1"


def test_download_token_round_trip():
    token = _core.sign_url_token(SITE, "download", UID, key=CONTENT, expires_in=60)
    claims = _core.verify_url_token(token, SITE, "download", UID, key=CONTENT)
    assert (claims["purpose"], claims["sub"]) == ("download", f"{UID}:{CONTENT}")
    assert claims["exp"] - claims["iat"] == 60
    assert list(jwt.decode(token, SITE, algorithms=["HS256"])) == ["purpose", "sub", "iat", "exp"]


def test_the_core_decides_the_subject():
    callback = _core.sign_url_token(SITE, "callback", UID, key=KEY, expires_in=60)
    assert (
        _core.verify_url_token(callback, SITE, "callback", UID, key=KEY)["sub"] == f"{UID}:{KEY}"
    )
    check = _core.sign_url_token(SITE, "connection-check", "", expires_in=60)
    assert _core.verify_url_token(check, SITE, "connection-check", "")["sub"] == "site"


def test_tokens_signed_by_the_old_python_code_keep_verifying():
    # url_tokens.make_url_token: sign_token({"purpose": ..., "sub": ...}, secret, expires_in=...)
    old = _core.sign_token({"purpose": "callback", "sub": f"{UID}:{KEY}"}, SITE, expires_in=60)
    assert _core.verify_url_token(old, SITE, "callback", UID, key=KEY)["purpose"] == "callback"
    new = _core.sign_url_token(SITE, "callback", UID, key=KEY, expires_in=60)
    assert (
        jwt.decode(new, SITE, algorithms=["HS256"]).keys()
        == jwt.decode(old, SITE, algorithms=["HS256"]).keys()
    )


def test_a_download_token_is_bound_to_the_content_it_was_issued_for():
    token = _core.sign_url_token(SITE, "download", UID, key=CONTENT, expires_in=60)
    assert _refusal(token, key=f"{UID}.content-2") == "token made for another object"
    # Tokens from before the binding name the document only: they no longer download.
    unbound = _core.sign_token({"purpose": "download", "sub": UID}, SITE, expires_in=60)
    assert _refusal(unbound) == "token made for another object"


def _refusal(token, purpose="download", uid=UID, **kw):
    if purpose == "download":
        kw.setdefault("key", CONTENT)
    with pytest.raises(_core.UrlTokenError) as info:
        _core.verify_url_token(token, SITE, purpose, uid, **kw)
    assert isinstance(info.value, _core.TokenError)
    return str(info.value)


def test_refusals_say_why():
    download = _core.sign_url_token(SITE, "download", UID, key=CONTENT, expires_in=60)
    assert _refusal(None) == "no token"
    assert _refusal("") == "no token"
    assert _refusal(download, "callback", key=KEY) == "token made for 'download', not 'callback'"
    assert _refusal(download, uid="another") == "token made for another object"
    callback = _core.sign_url_token(SITE, "callback", UID, key=KEY, expires_in=60)
    assert _refusal(callback, "callback", key=f"{UID}.other") == "token made for another object"
    forged = _core.sign_url_token("other-secret", "download", UID, key=CONTENT, expires_in=60)
    assert "signature" in _refusal(forged)
    assert "malformed" in _refusal("not.a.token")
    claims = {"purpose": "download", "sub": f"{UID}:{CONTENT}"}
    no_exp = jwt.encode(claims, SITE, algorithm="HS256")
    assert _refusal(no_exp) == "token without expiry"
    no_purpose = _core.sign_token({"sub": f"{UID}:{CONTENT}"}, SITE, expires_in=60)
    assert _refusal(no_purpose) == "token made for None, not 'download'"


def test_expiry_and_leeway():
    expired = jwt.encode(
        {"purpose": "download", "sub": f"{UID}:{CONTENT}", "exp": int(time.time()) - 30},
        SITE,
        algorithm="HS256",
    )
    assert "expired" in _refusal(expired)
    claims = _core.verify_url_token(expired, SITE, "download", UID, key=CONTENT, leeway=60)
    assert claims["sub"] == f"{UID}:{CONTENT}"


@pytest.mark.parametrize(
    ("purpose", "uid", "key"),
    [
        ("upload", UID, None),
        ("download", "", CONTENT),
        ("download", UID, None),
        ("download", UID, "not:a:key"),
        ("callback", UID, None),
        ("callback", UID, "not:a:key"),
        ("connection-check", UID, None),
    ],
)
def test_wrong_arguments_are_argument_errors(purpose, uid, key):
    with pytest.raises(_core.InvalidArgumentError):
        _core.sign_url_token(SITE, purpose, uid, key=key, expires_in=60)
    with pytest.raises(_core.InvalidArgumentError):
        _core.verify_url_token("x.y.z", SITE, purpose, uid, key=key)


def test_a_url_token_must_expire():
    with pytest.raises(_core.InvalidArgumentError):
        _core.sign_url_token(SITE, "download", UID, key=CONTENT, expires_in=0)


def header_for(url, secret=JWT):
    return "Bearer " + _core.sign_header_token({"url": url}, secret, expires_in=60)


def test_the_download_header_must_name_this_url_token():
    token = _core.sign_url_token(SITE, "download", UID, key=CONTENT, expires_in=60)
    url = f"http://plone:8080/Plone/@@onlyoffice-download?uid={UID}&token={token}"
    assert _core.check_download_header(header_for(url), JWT, token) is None
    # Docs may reach Plone at another address: only the URL token counts.
    _core.check_download_header(header_for(f"https://proxy/x?token={token}"), JWT, token)
    other = _core.sign_url_token(SITE, "download", "another", key=CONTENT, expires_in=60)
    for header, url_token in [
        (header_for(url), other),
        (header_for(url), ""),
        (header_for(f"https://proxy/x?uid={UID}"), token),
        # The editor config's token is signed with the same secret and names the URL too.
        (_core.sign_token({"document": {"url": url}}, JWT, expires_in=60), token),
    ]:
        with pytest.raises(_core.UrlTokenError, match="made for another URL"):
            _core.check_download_header(header, JWT, url_token)


def test_the_download_header_must_verify():
    token = "t"
    with pytest.raises(_core.MissingTokenError):
        _core.check_download_header(None, JWT, token)
    with pytest.raises(_core.InvalidSignatureError):
        _core.check_download_header(header_for("https://p/x?token=t", "wrong"), JWT, token)
    expired = "Bearer " + _core.sign_header_token(
        {"url": "https://p/?token=t"}, JWT, expires_in=-90
    )
    with pytest.raises(_core.ExpiredTokenError):
        _core.check_download_header(expired, JWT, token)
    _core.check_download_header(expired, JWT, token, leeway=120)


def test_without_a_jwt_secret_there_is_no_header_to_check():
    assert _core.check_download_header(None, None, "t") is None
    assert _core.check_download_header("garbage", "", "t") is None
