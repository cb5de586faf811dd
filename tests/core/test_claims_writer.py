"""Signing writes plain claims (exact dict, list, str, int, float, bool, None) through a fast
writer and everything else through the general one: the two must write the same JSON and refuse
the same values with the same errors. A dict subclass at the top sends the whole value through
the general writer, which makes the comparison."""

import json
import math
import random

import jwt
import pytest

from onlyoffice_plone import _core

SECRET = "claims-writer-secret-" + "0123456789abcdef" * 2
TEXT = 'ab"\\/\x00\x01\x1f\x7f ü€😀\u2028<>&' + "x" * 20
INTS = [0, 1, -1, 2**31, 2**53 + 1, 2**63 - 1, -(2**63), 2**63, 2**64 - 1]
FLOATS = [0.0, -0.0, 0.1, 1e16, 1e300, 5e-324, -2.5, 123456789.125]


class Dict(dict):
    """Not an exact dict: what holds it goes through the general writer."""


class Str(str):
    """Not an exact str."""


def random_value(rng, odd, depth=0):
    """A random claim value; with `odd`, now and then one the plain writer leaves alone."""
    kind = rng.randrange(12 if depth < 4 else 6)
    if kind in (0, 1):
        return "".join(rng.choice(TEXT) for _ in range(rng.randrange(40)))
    if kind == 2:
        return rng.choice([*INTS, rng.randrange(-(2**63), 2**63)])
    if kind == 3:
        return rng.choice([*FLOATS, rng.uniform(-1e6, 1e6)])
    if kind == 4:
        return rng.choice([True, False, None])
    if kind == 5:
        return Str("sub") if odd and rng.random() < 0.1 else rng.randrange(2**62)
    if kind in (6, 7):
        return [random_value(rng, odd, depth + 1) for _ in range(rng.randrange(5))]
    if kind == 8 and odd and rng.random() < 0.2:
        return tuple(random_value(rng, odd, depth + 1) for _ in range(rng.randrange(3)))
    keys = {f"k{i}{rng.choice(TEXT)}" for i in range(rng.randrange(6))}
    return {key: random_value(rng, odd, depth + 1) for key in keys}


def sign_both(claims, **kwargs):
    return _core.sign_token(claims, SECRET, **kwargs), _core.sign_token(
        Dict(claims), SECRET, **kwargs
    )


@pytest.mark.parametrize("seed", range(10))
def test_plain_and_general_writers_write_the_same(seed):
    rng = random.Random(seed)
    for _ in range(100):
        odd = rng.random() < 0.3
        claims = {f"c{i}": random_value(rng, odd) for i in range(rng.randrange(8))}
        claims["iat"] = 1
        plain, general = sign_both(claims)
        assert plain == general
        decoded = jwt.decode(plain, SECRET, algorithms=["HS256"])
        assert decoded == json.loads(json.dumps(claims))


@pytest.mark.parametrize(
    "bad",
    [
        {1: "not a str key"},
        {Str("a"): 1, 2: 2},
        2**64,
        -(2**63) - 1,
        math.nan,
        math.inf,
        "lone \ud800 surrogate",
        object(),
        [1, [2, {"deep": object()}]],
        [[[]]] * 3 + [[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]] * 2,
        [],
    ],
)
def test_plain_and_general_writers_refuse_alike(bad):
    outcomes = []
    for claims in ({"v": bad, "iat": 1}, Dict({"v": bad, "iat": 1})):
        try:
            outcomes.append(_core.sign_token(claims, SECRET))
        except (TypeError, ValueError) as error:
            outcomes.append((type(error), str(error)))
    assert outcomes[0] == outcomes[1]


def test_nesting_is_bounded_alike():
    for depth, refused in ((190, False), (250, True)):
        value = []
        for _ in range(depth):
            value = [value]
        plain, general = [], []
        for claims, results in (({"v": value}, plain), (Dict({"v": value}), general)):
            try:
                results.append(
                    jwt.decode(_core.sign_token(claims, SECRET), SECRET, ["HS256"])["v"]
                )
            except ValueError as error:
                results.append(str(error))
        assert plain == general
        assert isinstance(plain[0], str) is refused


def test_expires_in_replaces_exp_in_both_writers():
    claims = {"exp": 1, "key": "k", "iat": 5}
    for token in sign_both(claims, expires_in=3600):
        payload = jwt.decode(token, SECRET, algorithms=["HS256"])
        assert (
            payload["exp"] > 1 and payload["iat"] == 5 and list(payload) == ["key", "iat", "exp"]
        )
