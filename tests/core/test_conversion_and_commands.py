"""Conversion and command requests to Docs, and their replies."""

import hashlib
import json

import jwt
import pytest

from onlyoffice_plone import _core

SECRET = "server-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_conversion_request_signed():
    req = _core.conversion_request(
        "http://docs.internal/ds/",
        key="conv.abc",
        filetype="doc",
        outputtype="docx",
        url="https://plone.example.com/f/@@download",
        title="Old.doc",
        region="en-US",
        password="pw",
        thumbnail={"aspect": 1, "width": 100, "height": 100},
        secret=SECRET,
        header="AuthorizationJwt",
    )
    assert req.method == "POST"
    assert req.url == "http://docs.internal/ds/converter?shardkey=conv.abc"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Accept"] == "application/json"
    body = json.loads(req.body)
    assert body["async"] is True
    assert (body["filetype"], body["outputtype"], body["key"]) == ("doc", "docx", "conv.abc")
    assert (body["title"], body["region"], body["password"]) == ("Old.doc", "en-US", "pw")
    assert body["thumbnail"]["width"] == 100
    claims = jwt.decode(body["token"], SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 300
    assert {k: v for k, v in claims.items() if k not in ("iat", "exp")} == {
        k: v for k, v in body.items() if k != "token"
    }
    header = req.headers["AuthorizationJwt"]
    assert header.startswith("Bearer ")
    payload = jwt.decode(header[7:], SECRET, algorithms=["HS256"])["payload"]
    assert payload["url"] == body["url"] and "token" not in payload
    assert "Authorization" not in req.headers
    assert "conversion" not in repr(req) and "converter" in repr(req)


def test_conversion_request_plain():
    req = _core.conversion_request(
        "http://docs",
        key="k=",
        filetype="odt",
        outputtype="pdf",
        url="http://plone/f",
        async_=False,
        shardkey=False,
    )
    assert req.url == "http://docs/converter"
    body = json.loads(req.body)
    assert body["async"] is False and "token" not in body and "title" not in body
    assert set(req.headers) == {"Content-Type", "Accept"}
    shard = _core.conversion_request(
        "http://docs", key="k=", filetype="odt", outputtype="pdf", url="http://plone/f"
    )
    assert shard.url == "http://docs/converter?shardkey=k%3D"


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "a b"},
        {"filetype": ""},
        {"outputtype": "docx/../x"},
        {"url": "file:///etc/passwd"},
        {"docs_url": "docs.example.com"},
        {"docs_url": "http://docs/?x=1"},
        {"secret": "s", "header": "Bad Header"},
    ],
)
def test_conversion_request_refuses_bad_input(bad):
    args = {"key": "k", "filetype": "doc", "outputtype": "docx", "url": "http://plone/f"}
    args.update(bad)
    docs_url = args.pop("docs_url", "http://docs")
    with pytest.raises(_core.InvalidArgumentError):
        _core.conversion_request(docs_url, **args)


def test_conversion_json_replies():
    r = _core.parse_conversion_response(
        b'{"endConvert": true, "fileType": "docx", '
        b'"fileUrl": "https://docs/x.docx", "percent": 100}'
    )
    assert (r.end_convert, r.percent, r.file_url, r.file_type) == (
        True,
        100,
        "https://docs/x.docx",
        "docx",
    )
    r = _core.parse_conversion_response(b'{"endConvert": false, "percent": 0}', "application/json")
    assert (r.end_convert, r.percent, r.file_url) == (False, 0, None)
    assert "end_convert=false" in repr(r)


def test_conversion_xml_replies():
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b"<FileResult><FileUrl>https://docs/x.docx?a=1&amp;b=2</FileUrl>"
        b"<FileType>docx</FileType><Percent>100</Percent><EndConvert>True</EndConvert></FileResult>"
    )
    r = _core.parse_conversion_response(body, "text/xml; charset=utf-8")
    assert r.end_convert and r.file_url == "https://docs/x.docx?a=1&b=2"
    pending = (
        b"<FileResult><FileUrl/><Percent>0</Percent><EndConvert>False</EndConvert></FileResult>"
    )
    assert not _core.parse_conversion_response(pending).end_convert


@pytest.mark.parametrize("code", list(range(-10, 0)))
def test_conversion_errors_are_docs_errors(code):
    for body in (
        json.dumps({"error": code}).encode(),
        f"<FileResult><Error>{code}</Error></FileResult>".encode(),
    ):
        with pytest.raises(_core.DocsError) as info:
            _core.parse_conversion_response(body)
        assert info.value.code == code
        assert info.value.message == _core.conversion_error_message(code)
        assert str(code) in str(info.value)
    assert _core.conversion_error_message(code) != _core.conversion_error_message(-99)


def test_conversion_garbage_is_a_core_error():
    for body in (b"", b"<html>Bad gateway</html>", b"{", b'{"endConvert": true}', b"\xff"):
        with pytest.raises(_core.ProtocolError):
            _core.parse_conversion_response(body)
    assert issubclass(_core.ProtocolError, _core.CoreError)


def test_command_requests():
    req = _core.command_request("http://docs/", "forcesave", key="k1", userdata="u", secret=SECRET)
    assert req.url == "http://docs/command?shardkey=k1"
    body = json.loads(req.body)
    assert (body["c"], body["key"], body["userdata"]) == ("forcesave", "k1", "u")
    assert jwt.decode(body["token"], SECRET, algorithms=["HS256"])["c"] == "forcesave"
    payload = jwt.decode(req.headers["Authorization"][7:], SECRET, algorithms=["HS256"])["payload"]
    assert payload == {"c": "forcesave", "key": "k1", "userdata": "u"}

    version = _core.command_request("http://docs/prefix", "version")
    assert version.url == "http://docs/prefix/command"
    assert json.loads(version.body) == {"c": "version"}

    drop = _core.command_request(
        "http://docs", "drop", key="k", users=["u1", "u2"], shardkey=False
    )
    assert drop.url == "http://docs/command"
    assert json.loads(drop.body)["users"] == ["u1", "u2"]

    meta = _core.command_request("http://docs", "meta", key="k", meta={"title": "New.docx"})
    assert json.loads(meta.body)["meta"] == {"title": "New.docx"}

    for command in ("info", "getForgotten", "deleteForgotten"):
        assert (
            json.loads(_core.command_request("http://docs", command, key="k").body)["c"] == command
        )
    for command in ("getForgottenList", "license"):
        assert json.loads(_core.command_request("http://docs", command).body) == {"c": command}


@pytest.mark.parametrize(
    ("command", "kw"),
    [
        ("shutdown", {}),
        ("info", {}),
        ("forcesave", {"key": "bad key"}),
        ("meta", {"key": "k"}),
        ("info", {"key": "k", "meta": {"title": "x"}}),
        ("info", {"key": "k", "users": ["u"]}),
    ],
)
def test_command_request_refuses_bad_input(command, kw):
    with pytest.raises(_core.InvalidArgumentError):
        _core.command_request("http://docs", command, **kw)
    with pytest.raises(ValueError):
        _core.command_request("http://docs", command, **kw)


def test_command_replies():
    r = _core.parse_command_response("version", b'{"error": 0, "version": "9.0.3.1"}')
    assert (r.error, r.version) == (0, "9.0.3.1")
    r = _core.parse_command_response("getForgottenList", b'{"error": 0, "keys": ["a", "b"]}')
    assert r.keys == ["a", "b"]
    r = _core.parse_command_response(
        "getForgotten", b'{"error": 0, "key": "a", "url": "https://d/f"}'
    )
    assert (r.key, r.url) == ("a", "https://d/f")
    r = _core.parse_command_response("license", b'{"error": 0, "license": {"mode": 0}}')
    assert r.raw["license"] == {"mode": 0}
    assert r.users == [] and r.version is None
    # answers, not failures
    assert _core.parse_command_response("forcesave", b'{"error": 4, "key": "k"}').error == 4
    assert _core.parse_command_response("info", b'{"error": 1, "key": "k"}').error == 1
    assert "error=4" in repr(_core.parse_command_response("forcesave", b'{"error": 4}'))


@pytest.mark.parametrize(
    ("command", "code"),
    [("drop", 1), ("forcesave", 6), ("info", 7), ("meta", 3), ("version", 5), ("drop", 2)],
)
def test_command_errors_are_docs_errors(command, code):
    with pytest.raises(_core.DocsError) as info:
        _core.parse_command_response(command, json.dumps({"error": code}).encode())
    assert info.value.code == code
    assert info.value.message == _core.command_error_message(code)
    assert isinstance(info.value, _core.CoreError)


def test_command_garbage():
    for body in (b"", b"nope", b"[]", b"{}", b'{"error": "x"}'):
        with pytest.raises(_core.ProtocolError):
            _core.parse_command_response("info", body)
    with pytest.raises(_core.InvalidArgumentError):
        _core.parse_command_response("shutdown", b'{"error": 0}')


def test_error_messages_are_plain_words():
    assert "token" in _core.command_error_message(6)
    assert "expired" in _core.command_error_message(7)
    assert "download" in _core.conversion_error_message(-4)
    assert "password" in _core.conversion_error_message(-5)
    assert "unknown" in _core.command_error_message(99)
    assert "unknown" in _core.conversion_error_message(-99)
    assert _core.DocsError.code == 0 and _core.DocsError.message == ""


def test_conversion_key_is_stable_short_and_a_valid_key():
    key = _core.conversion_key("0f1e.abc", "pdf")
    assert key == "conv-" + hashlib.sha256(b"0f1e.abc\npdf").hexdigest()[:40]
    assert _core.is_valid_key(key)
    assert key != _core.conversion_key("0f1e.abc", "docx")
    assert key != _core.conversion_key("0f1e.abd", "pdf")
    assert _core.is_valid_key(_core.conversion_key("x" * 500, "docx"))


@pytest.mark.parametrize(
    ("code", "kind", "http_status"),
    [
        (-1, "ConversionError", 502),
        (-2, "Timeout", 504),
        (-3, "ConversionError", 422),
        (-4, "DownloadFailed", 502),
        (-5, "PasswordProtected", 422),
        (-6, "ConversionError", 502),
        (-7, "BadRequest", 422),
        (-8, "TokenRefused", 502),
        (-9, "BadRequest", 422),
        (-10, "TooLarge", 413),
        (-99, "ConversionError", 502),
    ],
)
def test_conversion_failures_are_interpreted_once(code, kind, http_status):
    assert _core.conversion_failure(code) == (kind, http_status)
    with pytest.raises(_core.DocsError) as info:
        _core.parse_conversion_response(json.dumps({"error": code}).encode())
    assert (info.value.kind, info.value.http_status) == (kind, http_status)


@pytest.mark.parametrize(
    ("code", "kind"), [(6, "TokenRefused"), (7, "TokenRefused"), (3, "CommandError")]
)
def test_command_failures_have_a_kind(code, kind):
    with pytest.raises(_core.DocsError) as info:
        _core.parse_command_response("version", json.dumps({"error": code}).encode())
    assert (info.value.kind, info.value.http_status) == (kind, 502)
