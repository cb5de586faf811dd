"""JWT: signing, verification and the distinct refusals, cross-checked with PyJWT."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from onlyoffice_plone import _core

SECRET = "docs-secret-for-tests-" + "0123456789abcdef" * 4


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _handmade(header: dict, claims: dict, signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_our_tokens_verify_with_pyjwt_and_back(algorithm):
    token = _core.sign_token({"key": "k", "n": [1, 2.5, None, True]}, SECRET, algorithm=algorithm)
    claims = jwt.decode(token, SECRET, algorithms=[algorithm])
    assert claims["key"] == "k"
    assert claims["n"] == [1, 2.5, None, True]
    assert abs(claims["iat"] - time.time()) < 5
    assert "exp" not in claims
    theirs = jwt.encode({"key": "k"}, SECRET, algorithm=algorithm)
    assert _core.verify_token(theirs, SECRET) == {"key": "k"}


def test_expires_in_sets_exp():
    claims = jwt.decode(_core.sign_token({}, SECRET, expires_in=300), SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 300


def test_header_token_wraps_payload():
    token = _core.sign_header_token({"key": "k"}, SECRET, expires_in=60)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["payload"] == {"key": "k"}
    assert {"iat", "exp"} <= set(claims)


def test_tampered_token_is_an_invalid_signature():
    token = jwt.encode({"key": "k", "status": 2}, SECRET, algorithm="HS256")
    head, _body, sig = token.split(".")
    forged_body = _b64(json.dumps({"key": "k", "status": 6}).encode())
    with pytest.raises(_core.InvalidSignatureError):
        _core.verify_token(f"{head}.{forged_body}.{sig}", SECRET)
    with pytest.raises(_core.InvalidSignatureError):
        _core.verify_token(token, "another-secret")


def test_expired_and_immature_tokens():
    now = int(time.time())
    expired = jwt.encode({"exp": now - 120}, SECRET, algorithm="HS256")
    with pytest.raises(_core.ExpiredTokenError):
        _core.verify_token(expired, SECRET)
    assert _core.verify_token(expired, SECRET, leeway=300)["exp"] == now - 120
    immature = jwt.encode({"nbf": now + 600}, SECRET, algorithm="HS256")
    with pytest.raises(_core.ImmatureTokenError):
        _core.verify_token(immature, SECRET)
    assert _core.verify_token(immature, SECRET, leeway=900)["nbf"] == now + 600


def test_alg_none_is_refused():
    token = _handmade({"alg": "none", "typ": "JWT"}, {"key": "k"})
    with pytest.raises(_core.InvalidAlgorithmError):
        _core.verify_token(token, SECRET)
    with pytest.raises(_core.InvalidAlgorithmError):
        _core.verify_token(_handmade({"alg": "None"}, {"key": "k"}), SECRET)


def test_algorithm_confusion_is_refused():
    # An RS256 header "signed" with the HMAC secret must not be accepted as HMAC.
    token = _handmade({"alg": "RS256", "typ": "JWT"}, {"key": "k"}, b"x" * 32)
    with pytest.raises(_core.InvalidAlgorithmError):
        _core.verify_token(token, SECRET)
    hs512 = jwt.encode({"key": "k"}, SECRET, algorithm="HS512")
    with pytest.raises(_core.InvalidAlgorithmError):
        _core.verify_token(hs512, SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.???.***",
        _b64(b"{") + ".e30.x",
        "e30.e30.",
        "e30.bm90IGpzb24.x",
    ],
)
def test_malformed_tokens(token):
    with pytest.raises((_core.MalformedTokenError, _core.InvalidAlgorithmError)):
        _core.verify_token(token, SECRET)


def test_malformed_claims():
    token = jwt.encode({"exp": "tomorrow"}, SECRET, algorithm="HS256")
    with pytest.raises(_core.MalformedTokenError):
        _core.verify_token(token, SECRET)
    # correctly signed, but the claims are not JSON
    signing_input = _b64(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64(b"not json")
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(_core.MalformedTokenError):
        _core.verify_token(f"{signing_input}.{_b64(mac)}", SECRET)


def test_every_token_error_is_a_core_error():
    for cls in (
        _core.MissingTokenError,
        _core.MalformedTokenError,
        _core.InvalidSignatureError,
        _core.ExpiredTokenError,
        _core.ImmatureTokenError,
        _core.InvalidAlgorithmError,
    ):
        assert issubclass(cls, _core.TokenError)
        assert issubclass(cls, _core.CoreError)
    assert len({_core.MissingTokenError, _core.MalformedTokenError, _core.ExpiredTokenError}) == 3


def test_argument_errors():
    with pytest.raises(_core.InvalidArgumentError):
        _core.sign_token({}, SECRET, algorithm="none")
    with pytest.raises(_core.InvalidArgumentError):
        _core.sign_token({}, "")
    with pytest.raises(_core.InvalidArgumentError):
        _core.verify_token("a.b.c", SECRET, algorithms=["RS256"])
    with pytest.raises(_core.InvalidArgumentError):
        _core.verify_token("a.b.c", SECRET, leeway=-1)
    with pytest.raises(TypeError):
        _core.sign_token({"x": object()}, SECRET)
    with pytest.raises(TypeError):
        _core.sign_token({1: "x"}, SECRET)
    with pytest.raises(ValueError):
        _core.sign_token({"x": float("nan")}, SECRET)


def test_claims_round_trip_python_values():
    claims = {
        "s": "ünïcødé </script>",
        "big": 2**63 + 5,
        "neg": -(2**63),
        "f": 0.1,
        "nested": {"a": [{"b": (1, 2)}]},
        "none": None,
    }
    back = _core.verify_token(_core.sign_token(claims, SECRET), SECRET)
    claims["nested"] = {"a": [{"b": [1, 2]}]}
    assert {k: back[k] for k in claims} == claims
    with pytest.raises(ValueError):
        _core.sign_token({"huge": 2**64}, SECRET)


def test_incoming_payload_prefers_the_body_token():
    body_token = jwt.encode({"from": "body"}, SECRET)
    header_token = jwt.encode({"payload": {"from": "header"}}, SECRET)
    body = {"token": body_token, "from": "plain"}
    assert _core.incoming_payload(body, f"Bearer {header_token}", SECRET)["from"] == "body"


def test_incoming_payload_unwraps_the_header_token():
    header_token = jwt.encode({"payload": {"from": "header"}, "iat": 1}, SECRET)
    assert _core.incoming_payload({}, f"Bearer {header_token}", SECRET) == {"from": "header"}
    assert _core.incoming_payload(None, header_token, SECRET) == {"from": "header"}
    assert _core.incoming_payload(None, f"bearer  {header_token} ", SECRET) == {"from": "header"}


def test_incoming_payload_without_any_token():
    with pytest.raises(_core.MissingTokenError):
        _core.incoming_payload({"key": "k"}, None, SECRET)
    with pytest.raises(_core.MissingTokenError):
        _core.incoming_payload(None, "Bearer ", SECRET)
    with pytest.raises(_core.MalformedTokenError):
        _core.incoming_payload({"token": 42}, None, SECRET)
    with pytest.raises(_core.InvalidSignatureError):
        _core.incoming_payload(None, jwt.encode({"payload": {}}, "wrong-" + SECRET), SECRET)


def test_given_iat_is_kept_and_expires_in_replaces_exp():
    token = _core.sign_token({"iat": 1000, "exp": 5, "nbf": 1}, SECRET, expires_in=60)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    assert claims["iat"] == 1000
    assert claims["nbf"] == 1
    assert abs(claims["exp"] - (time.time() + 60)) < 5
    raw = base64.urlsafe_b64decode(token.split(".")[1] + "==")
    assert raw.count(b'"exp"') == 1  # replaced, not duplicated


def test_non_dict_mappings_are_accepted():
    from types import MappingProxyType

    token = _core.sign_token(MappingProxyType({"key": "k"}), SECRET)
    assert _core.verify_token(token, SECRET)["key"] == "k"
    header = _core.sign_header_token(MappingProxyType({"key": "k"}), SECRET)
    assert _core.incoming_payload(None, header, SECRET) == {"key": "k"}


# Claims that exercise the core's own JSON writer and reader: escapes, control characters,
# non-ASCII, surrogate pairs, integers at the 64-bit edges, floats, nesting, subclasses.
TRICKY_CLAIMS = {
    "quote": 'say "hi" \\ back/slash',
    "controls": "".join(chr(c) for c in range(0x20)) + "\x7f",
    "unicode": "ünïcødé € 😀 \u2028\u2029 </script>&",
    "empty": "",
    "ints": [0, -1, 2**63 - 1, -(2**63), 2**63, 2**64 - 1],
    "floats": [0.1, -2.5, 1e300, 5e-324, 1e16, 123456789.125, -0.0],
    "bools": [True, False, None],
    "nested": {"a": [{"b": {"c": [[], {}]}}], "": {"": ""}},
    "tuple": (1, "two"),
    'keys with "escapes"\n': 1,
}


def test_tricky_claims_cross_check_with_pyjwt():
    ours = _core.sign_token(dict(TRICKY_CLAIMS), SECRET)
    decoded = jwt.decode(ours, SECRET, algorithms=["HS256"])
    expected = json.loads(json.dumps(TRICKY_CLAIMS))
    assert {k: v for k, v in decoded.items() if k != "iat"} == expected
    # The payload is the compact JSON Python writes (non-ASCII as is), plus iat.
    payload = base64.urlsafe_b64decode(ours.split(".")[1] + "==")
    iat = f',"iat":{decoded["iat"]}}}'
    compact = json.dumps(TRICKY_CLAIMS, separators=(",", ":"), ensure_ascii=False)
    assert payload.decode() == compact[:-1] + iat
    theirs = jwt.encode(dict(TRICKY_CLAIMS), SECRET, algorithm="HS256")
    back = _core.verify_token(theirs, SECRET)
    assert back == expected
    assert [type(v) for v in back["ints"]] == [int] * 6
    assert [type(v) for v in back["floats"]] == [float] * 7
    assert json.dumps(back) == json.dumps(expected)  # same order, same -0.0


def test_verified_claims_are_fresh_objects():
    token = _core.sign_token({"key": "k", "list": [1]}, SECRET)
    first, second = _core.verify_token(token, SECRET), _core.verify_token(token, SECRET)
    first["list"].append(2)
    first["new"] = 1
    assert second == {"key": "k", "list": [1], "iat": second["iat"]}


@pytest.mark.parametrize(
    "payload",
    [
        b'{"a":1',  # not JSON
        b'{"a":"\\ud800"}',  # lone surrogate
        b'{"a":"\x01"}',  # control character
        b'{"a":01}',  # leading zero
        b'{"a":1e999}',  # out of range
        b"[1, 2]",  # not an object
        b'{"a":1} {}',  # trailing characters
        b'{"exp":1,"exp":1}',  # duplicate time claim
        b'{"a":"\xff"}',  # not UTF-8
        b"[" * 200 + b"]" * 200,  # nested too deeply
    ],
)
def test_malformed_claims_behind_a_good_signature(payload):
    head = _b64(b'{"alg":"HS256","typ":"JWT"}')
    signed = f"{head}.{_b64(payload)}"
    mac = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha256).digest()
    with pytest.raises(_core.MalformedTokenError):
        _core.verify_token(f"{signed}.{_b64(mac)}", SECRET)


def test_time_claims_are_checked_in_the_same_pass():
    now = int(time.time())
    for claims, error in [
        ({"a": {"exp": 1}, "exp": now + 60}, None),  # a nested exp is no time claim
        ({"exp": None, "nbf": None}, None),
        ({"exp": now - 3600}, _core.ExpiredTokenError),
        ({"nbf": now + 3600}, _core.ImmatureTokenError),
        ({"exp": float(now + 60)}, _core.MalformedTokenError),
        ({"nbf": "soon"}, _core.MalformedTokenError),
    ]:
        token = jwt.encode(claims, SECRET, algorithm="HS256")
        if error is None:
            assert _core.verify_token(token, SECRET) == claims
        else:
            with pytest.raises(error):
                _core.verify_token(token, SECRET)


def test_verified_keys_are_right_whatever_the_key_cache_holds():
    # Many more keys than the cache has slots, some alike in their first and last eight bytes
    # and length, some longer than it keeps, non-ASCII: each read back as itself, twice over.
    keys = [f"key-{i:05d}-{'x' * (i % 45)}" for i in range(700)]
    keys += [f"abcdefgh{c}stuvwxyz" for c in "0123456789ü€"] + ["", "é", "😀" * 11]
    claims = {key: i for i, key in enumerate(keys)}
    token = _core.sign_token(claims, SECRET)
    for _ in range(2):
        verified = _core.verify_token(token, SECRET)
        assert list(verified) == [*keys, "iat"]
        assert all(verified[key] == i for i, key in enumerate(keys))
