"""Opening a document: config checks, token checks, downloading document.url, sessions per key."""

from __future__ import annotations

import time

import jwt
import pytest

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double import EditorError


def _refusal(double, config):
    with pytest.raises(EditorError) as info:
        double.open(config)
    return info.value


def _signed(config, secret=SECRET, algorithm="HS256", **claims):
    unsigned = {k: v for k, v in config.items() if k != "token"}
    return {**unsigned, "token": jwt.encode({**unsigned, **claims}, secret, algorithm=algorithm)}


# --- what api.js refuses (an alert, no editor) ---


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["document"].pop("url"), "required parameter"),
        (lambda c: c["document"].pop("fileType"), "required parameter"),
        (lambda c: c.update(documentType="nonsense"), '"documentType" parameter'),
        (lambda c: c["document"].update(fileType="exe"), '"document.fileType" parameter'),
        (lambda c: c["document"].update(key=12345), '"document.key" parameter'),
    ],
)
def test_api_js_checks_refuse_a_config_without_required_parameters(
    double, integrator, change, message
):
    config = integrator.config("a.docx", "k1", secret=None)
    change(config)
    error = _refusal(double, _signed(config))
    assert error.kind == "config"
    assert error.code is None
    assert message in error.detail


def test_document_type_is_inferred_from_the_file_type(double, integrator):
    session = double.open(integrator.config("sheet.xlsx", "k-xlsx"))
    assert session.request.document_type == "cell"
    config = integrator.config("a.docx", "k-doc", secret=None)
    del config["document"]["fileType"]
    config["documentType"] = "word"
    assert double.open(_signed(config)).file_type == "docx"


# --- the browser token ---


def test_without_a_token_jwt_on_refuses_with_error_minus_20(double, integrator):
    error = _refusal(double, integrator.config("a.docx", "k1", secret=None))
    assert error.code == -20
    assert error.description.startswith("The document security token is not correctly formed")
    assert error.as_json()["closeCode"] == 4006


def test_a_token_signed_with_another_secret_is_refused(double, integrator):
    config = integrator.config("a.docx", "k1", secret="another-secret-of-enough-length-1234567")
    assert _refusal(double, config).code == -20


def test_an_expired_token_is_refused_with_minus_21_beyond_the_60_s_leeway(double, integrator):
    config = integrator.config("a.docx", "k1", secret=None)
    assert _refusal(double, _signed(config, exp=int(time.time()) - 120)).code == -21
    # Within Docs' 60 s clock tolerance it still opens.
    assert double.open(_signed(config, exp=int(time.time()) - 30)).key == "k1"


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_tokens_in_every_hmac_algorithm_are_accepted(double, integrator, algorithm):
    config = integrator.config("a.docx", f"k-{algorithm}", secret=None)
    assert double.open(_signed(config, algorithm=algorithm)).key == f"k-{algorithm}"


@pytest.mark.parametrize(
    "path",
    [
        ("document", "key"),
        ("document", "url"),
        ("document", "permissions"),
        ("editorConfig", "callbackUrl"),
        ("editorConfig", "mode"),
    ],
)
def test_a_token_lacking_a_required_field_is_refused(double, integrator, path):
    config = integrator.config("a.docx", "k1", secret=None)
    claims = {k: dict(v) if isinstance(v, dict) else v for k, v in config.items()}
    del claims[path[0]][path[1]]
    config["token"] = jwt.encode(claims, SECRET, algorithm="HS256")
    error = _refusal(double, config)
    assert error.code == -20
    assert ".".join(path) in error.detail


def test_permissions_must_deep_equal_the_configs_strictly(double, integrator):
    config = integrator.config("a.docx", "k1", secret=None)
    claims = {**config, "document": {**config["document"], "permissions": {"edit": 1}}}
    config["document"]["permissions"] = {"edit": True}
    config["token"] = jwt.encode(claims, SECRET, algorithm="HS256")
    error = _refusal(double, config)
    assert error.code == -23
    assert error.as_json()["closeCode"] == 4004


def test_a_token_with_a_top_level_url_is_refused(double, integrator):
    config = integrator.config("a.docx", "k1", secret=None)
    assert _refusal(double, _signed(config, url="http://elsewhere/")).code == -23


def test_token_values_override_the_page_config(double, integrator):
    integrator.add("real.docx")
    config = integrator.config("a.docx", "k-page", secret=None)
    real_url = integrator.file_url("real.docx")
    claims = {**config, "document": {**config["document"], "key": "k-token", "url": real_url}}
    config["token"] = jwt.encode(claims, SECRET, algorithm="HS256")
    session = double.open(config)
    assert session.key == "k-token"
    assert integrator.downloads("real.docx")
    assert not integrator.downloads("a.docx")


def test_jwt_off_opens_without_a_token(docs_double_factory, integrator):
    double = docs_double_factory(secret=None)
    session = double.open(integrator.config("a.docx", "k1", secret=None))
    assert session.key == "k1"
    assert "Authorization" not in integrator.downloads("a.docx")[0].headers


# --- the key and the callback url ---


@pytest.mark.parametrize("key", ["a/b", "with space", "ü", "x" * 241])
def test_invalid_keys_are_refused(double, integrator, key):
    error = _refusal(double, integrator.config("a.docx", key))
    assert error.code == -1
    assert "document.key" in error.detail


def test_a_key_of_240_characters_of_the_allowed_set_opens(double, integrator):
    key = ("0-9.a_Z=" * 30)[:240]
    assert double.open(integrator.config("a.docx", key)).key == key


def test_editing_needs_a_callback_url_viewing_does_not(double, integrator):
    config = integrator.config("a.docx", "k1", secret=None)
    del config["editorConfig"]["callbackUrl"]
    assert "callbackUrl" in _refusal(double, _signed(config)).detail
    config["editorConfig"]["mode"] = "view"
    session = double.open(_signed(config))
    assert session.connections[0].editing is False


# --- downloading document.url ---


def test_download_carries_a_header_token_with_the_url(double, integrator):
    config = integrator.config("a.docx", "k1")
    double.open(config)
    (request,) = integrator.downloads("a.docx")
    scheme, token = request.headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["payload"] == {"url": config["document"]["url"]}
    assert claims["exp"] - claims["iat"] == 300


def test_download_uses_the_configured_header_name(docs_double_factory, integrator):
    double = docs_double_factory(header="AuthorizationJwt")
    double.open(integrator.config("a.docx", "k1"))
    headers = integrator.downloads("a.docx")[0].headers
    assert headers["AuthorizationJwt"].startswith("Bearer ")
    assert "Authorization" not in headers


def test_download_accepts_206(double, integrator):
    integrator.add("a.docx")
    integrator.file_statuses["a.docx"] = [206]
    assert double.open(integrator.config("a.docx", "k1")).document == integrator.files["a.docx"]


def test_download_is_tried_three_times_one_second_apart(docs_double_factory, integrator):
    double = docs_double_factory(retry_scale=0.1)
    integrator.add("a.docx")
    integrator.file_statuses["a.docx"] = [500, 404]
    session = double.open(integrator.config("a.docx", "k1"))
    attempts = integrator.downloads("a.docx")
    assert len(attempts) == 3
    assert session.document == integrator.files["a.docx"]
    assert 0.09 <= attempts[1].time - attempts[0].time <= 0.3


def test_download_failing_three_times_refuses_with_minus_4(double, integrator):
    integrator.add("a.docx")
    integrator.file_statuses["a.docx"] = [302, 403, 500]
    error = _refusal(double, integrator.config("a.docx", "k1"))
    assert error.code == -4
    assert len(integrator.downloads("a.docx")) == 3


def test_download_over_the_size_limit_is_refused_without_retrying(docs_double_factory, integrator):
    double = docs_double_factory(max_download_bytes=100)
    integrator.add("a.docx")
    error = _refusal(double, integrator.config("a.docx", "k1"))
    assert error.code == -4
    assert "exceeds" in error.detail
    assert len(integrator.downloads("a.docx")) == 1


# --- sessions per key ---


def test_two_editors_with_the_same_key_share_one_session(double, integrator):
    double.open(integrator.config("a.docx", "shared", user="u1"))
    session = double.open(integrator.config("a.docx", "shared", user="u2"))
    assert session.users == ["u1", "u2"]
    assert len(double.sessions) == 1
    assert len(integrator.downloads("a.docx")) == 1
    double.edit("shared", "u1", "from u1")
    double.edit("shared", "u2", "from u2")
    assert [c.user_id for c in session.changes] == ["u1", "u2"]
