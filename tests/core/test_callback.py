"""Callbacks from Docs: tokens, the trimming of large header tokens, SSRF and size bounds."""

import json
import time

import jwt
import pytest

from onlyoffice_plone import _core

SECRET = "callback-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
DOCS = "https://docs.example.com"
ORIGINS = [DOCS]
KEY = "0f1e2d3c4b5a.abcDEF-_="


def saved(**extra):
    body = {
        "key": KEY,
        "status": 2,
        "url": f"{DOCS}/cache/files/data/{KEY}/output.docx/output.docx?md5=x&expires=1",
        "changesurl": f"{DOCS}/cache/files/data/{KEY}/changes.zip/changes.zip?md5=y",
        "history": {
            "serverVersion": "9.0.3",
            "changes": [
                {
                    "documentSha256": "ab" * 32,
                    "created": "2025-05-01 10:00:00",
                    "user": {"id": f"user{i}", "name": f"User {i}"},
                }
                for i in range(3)
            ],
        },
        "users": ["user0"],
        "actions": [{"type": 0, "userid": "user0"}],
        "filetype": "docx",
        "lastsave": "2025-05-01T10:00:00.000Z",
        "notmodified": False,
    }
    body.update(extra)
    return body


def docs_tokens(data):
    """What Docs sends: a flat body token, and a header token wrapping the payload."""
    now = int(time.time())
    body_token = jwt.encode({**data, "iat": now, "exp": now + 300}, SECRET, algorithm="HS256")
    header = jwt.encode({"payload": data, "iat": now, "exp": now + 300}, SECRET, algorithm="HS256")
    return body_token, f"Bearer {header}"


def parse(body, header=None, **kw):
    kw.setdefault("secret", SECRET)
    kw.setdefault("allowed_origins", ORIGINS)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return _core.parse_callback(raw, header, **kw)


def test_saved_callback_with_body_token():
    data = saved()
    body_token, header = docs_tokens(data)
    cb = parse({**data, "token": body_token}, header)
    assert cb.status == _core.CallbackStatus.MUST_SAVE == 2
    assert cb.key == KEY
    assert cb.url == data["url"]
    assert cb.changesurl == data["changesurl"]
    assert cb.history == data["history"]
    assert cb.users == ["user0"]
    assert cb.actions == [{"type": 0, "userid": "user0"}]
    assert cb.filetype == "docx"
    assert cb.lastsave == "2025-05-01T10:00:00.000Z"
    assert cb.notmodified is False
    assert cb.forcesavetype is None and cb.userdata is None and cb.formsdataurl is None
    assert cb.token_source == "body"
    assert "status=2" in repr(cb)


def test_trimmed_header_token_and_plain_fields_do_not_lose_history():
    # Docs trims changesurl and history from the header token AND the plain fields when the
    # header token would reach 7168 characters; only the body token keeps the full data.
    data = saved()
    data["history"]["changes"] *= 40
    body_token, full_header = docs_tokens(data)
    assert len(full_header) > 7168
    trimmed = {k: v for k, v in data.items() if k != "changesurl"}
    trimmed["history"] = {}
    _, trimmed_header = docs_tokens(trimmed)
    cb = parse({**trimmed, "token": body_token}, trimmed_header)
    assert cb.token_source == "body"
    assert cb.changesurl == data["changesurl"]
    assert cb.history == data["history"]
    assert len(cb.history["changes"]) == 120


def test_header_token_when_body_has_none():
    data = saved()
    _, header = docs_tokens(data)
    cb = parse({"status": 4, "key": "forged"}, header)
    assert cb.token_source == "header"
    assert cb.status == 2 and cb.key == KEY


def test_plain_fields_are_ignored_when_jwt_is_on():
    data = saved()
    body_token, _ = docs_tokens(data)
    cb = parse({**data, "url": "https://evil.example/x", "token": body_token})
    assert cb.url == data["url"]


def test_jwt_off_reads_plain_fields():
    cb = parse(saved(), secret=None)
    assert cb.token_source == "none" and cb.status == 2
    assert parse(saved(), secret="").token_source == "none"


@pytest.mark.parametrize(
    ("body_token", "header", "error"),
    [
        (None, None, _core.MissingTokenError),
        ("garbage", None, _core.MalformedTokenError),
        (None, "Bearer a.b", _core.MalformedTokenError),
    ],
)
def test_token_problems(body_token, header, error):
    body = saved()
    if body_token:
        body["token"] = body_token
    with pytest.raises(error):
        parse(body, header)


def test_forged_expired_and_none_tokens():
    data = saved()
    forged = jwt.encode(data, "not-the-" + SECRET, algorithm="HS256")
    with pytest.raises(_core.InvalidSignatureError):
        parse({**data, "token": forged})
    expired = jwt.encode({**data, "exp": int(time.time()) - 3600}, SECRET, algorithm="HS256")
    with pytest.raises(_core.ExpiredTokenError):
        parse({**data, "token": expired})
    none = jwt.encode(data, None, algorithm="none")
    with pytest.raises(_core.InvalidAlgorithmError):
        parse({**data, "token": none})


def test_statuses():
    for status in (1, 2, 3, 4, 6, 7):
        extra = {"forcesavetype": 1, "userdata": "u"} if status in (6, 7) else {}
        cb = parse(saved(status=status, **extra), secret=None)
        assert cb.status == status
    cb = parse(saved(status=6, forcesavetype=1, userdata="x"), secret=None)
    assert (cb.forcesavetype, cb.userdata) == (1, "x")
    for status in (0, 5, 8, -1, 100):
        with pytest.raises(_core.CallbackError, match=f"unknown callback status {status}"):
            parse(saved(status=status), secret=None)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        ({"status": 1}, "no key"),
        ({"key": KEY}, "no status"),
        ({"key": KEY, "status": "2"}, "not a number"),
        ({"key": "a key/with spaces", "status": 1}, "not a document key"),
        ({"key": "k" * 129, "status": 1}, "not a document key"),
        ({"key": KEY, "status": 2}, "carries no url"),
        ({"key": KEY, "status": 1, "users": "ann"}, "users is not a list"),
        ({"key": KEY, "status": 1, "users": [{"id": 1}]}, "is not a string"),
        ({"key": KEY, "status": 1, "actions": {}}, "actions is not a list"),
        ({"key": KEY, "status": 1, "history": []}, "history is not an object"),
        ({"key": KEY, "status": 1, "filetype": "docx;rm"}, "not a file extension"),
        ({"key": KEY, "status": 1, "notmodified": 1}, "not a boolean"),
        ({"key": KEY, "status": 1, "userdata": 5}, "userdata 5 is not a string"),
    ],
)
def test_rejections_say_why(body, why):
    with pytest.raises(_core.CallbackError, match=why):
        parse(body, secret=None)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://docs.example.com/x",
        "https://evil.example/cache/x",
        "https://docs.example.com@evil.example/x",
        "https://docs.example.com:pw@evil.example/x",
        "https://user@docs.example.com/x",
        "https://docs.example.com:8443/x",
        "http://docs.example.com/x",
        "https://docs.example.com.evil.example/x",
        "https://docs.example.com\\@evil.example/x",
        "https://[::1]/x",
        "https://127.0.0.1/x",
        "//docs.example.com/x",
        "docs.example.com/x",
    ],
)
def test_ssrf_urls_are_refused(url):
    with pytest.raises(_core.CallbackUrlError) as info:
        parse(saved(url=url), secret=None)
    assert isinstance(info.value, _core.CallbackError)
    assert isinstance(info.value, _core.InvalidUrlError)
    assert str(info.value).startswith("callback url:")


def test_changesurl_is_checked_too():
    with pytest.raises(_core.InvalidUrlError, match="callback changesurl"):
        parse(saved(changesurl="http://169.254.169.254/latest/meta-data"), secret=None)


def test_allowed_origins_compare_scheme_host_and_port():
    body = saved(url="http://docs.internal:8080/cache/files/x", changesurl=None)
    cb = parse(
        body,
        secret=None,
        allowed_origins=["https://docs.example.com", "http://docs.internal:8080/ds/"],
    )
    assert cb.url.startswith("http://docs.internal:8080/")
    assert cb.changesurl is None
    # An empty allow-list allows nothing: an unconfigured site fetches from nowhere.
    with pytest.raises(_core.CallbackUrlError, match="not on an allowed Docs origin"):
        parse(saved(url="https://anywhere.example/x"), secret=None, allowed_origins=())
    # Status 1 carries no URL: nothing to check.
    assert (
        parse({"key": KEY, "status": 1, "users": ["u1"]}, secret=None, allowed_origins=()).status
        == 1
    )
    with pytest.raises(_core.InvalidArgumentError):
        parse(saved(), secret=None, allowed_origins=["not a url"])


def test_oversize_payloads_are_refused():
    body = json.dumps(saved(userdata="x" * 2000)).encode()
    with pytest.raises(_core.CallbackError, match="exceeds the limit of 1000 bytes"):
        parse(body, secret=None, max_bytes=1000)
    with pytest.raises(_core.CallbackError, match="exceeds"):
        parse(b" " * (1_048_576 + 1), secret=None)
    assert parse(body, secret=None, max_bytes=len(body)).key == KEY


def test_check_url():
    _core.check_url("https://docs.example.com/x", ORIGINS)
    with pytest.raises(_core.InvalidUrlError):
        _core.check_url("https://other.example/x", [])
    with pytest.raises(_core.InvalidUrlError) as info:
        _core.check_url("https://other.example/x", ORIGINS)
    assert not isinstance(info.value, _core.CallbackError)
    with pytest.raises(_core.InvalidUrlError):
        _core.check_url("file:///etc/passwd", ORIGINS)


@pytest.mark.parametrize(
    ("status", "final", "forcesave", "carries_file"),
    [
        (1, False, False, False),
        (2, True, False, True),
        (3, True, False, False),
        (4, False, False, False),
        (6, False, True, True),
        (7, False, True, False),
    ],
)
def test_status_groups(status, final, forcesave, carries_file):
    body = {"key": KEY, "status": status, "url": f"{DOCS}/cache/x", "users": ["u1"]}
    cb = parse(body, secret=None)
    assert (cb.is_final_save, cb.is_forcesave, cb.carries_file) == (final, forcesave, carries_file)


def test_a_refused_url_carries_the_signed_key_and_status():
    signed = saved(status=3, url="https://evil.example/x")
    body_token, _header = docs_tokens(signed)
    forged_plain = {"key": "forged", "status": 1, "token": body_token}
    with pytest.raises(_core.CallbackUrlError) as info:
        parse(forged_plain)
    assert (info.value.key, info.value.status) == (KEY, 3)
    assert info.value.reason == "origin"
    assert _core.CallbackUrlError.key is None and _core.CallbackUrlError.status is None
    assert info.value.is_final_save is True
    assert _core.CallbackUrlError.is_final_save is False


@pytest.mark.parametrize(("status", "final"), [(2, True), (3, True), (6, False), (7, False)])
def test_a_refused_url_says_whether_it_ended_the_session(status, final):
    body_token, _header = docs_tokens(saved(status=status, url="https://evil.example/x"))
    with pytest.raises(_core.CallbackUrlError) as info:
        parse({"token": body_token})
    assert info.value.is_final_save is final
