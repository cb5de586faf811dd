"""Document keys: the laws Docs and co-editing depend on."""

import re
import uuid

import pytest

from onlyoffice_plone import _core

KEY = re.compile(r"^[0-9a-zA-Z._=-]{1,128}$")


def test_key_shape():
    uid = uuid.uuid4().hex
    key = _core.document_key("site-1", uid, "7")
    assert KEY.match(key)
    assert key.startswith(uid + ".")
    assert _core.is_valid_key(key)


def test_deterministic():
    assert _core.document_key("s", "u", "1") == _core.document_key("s", "u", "1")


def test_differs_per_document_site_and_revision():
    base = _core.document_key("site-a", "uid-1", "1")
    assert base != _core.document_key("site-b", "uid-1", "1")
    assert base != _core.document_key("site-a", "uid-2", "1")
    assert base != _core.document_key("site-a", "uid-1", "2")


def test_boundaries_between_inputs_matter():
    assert _core.document_key("ab", "c", "1") != _core.document_key("a", "bc", "1")
    assert _core.document_key("a", "b", "c1") != _core.document_key("a", "bc", "1")


def test_hostile_inputs_still_give_valid_keys():
    for uid in ["a/b+c=d", "ü" * 300, "x" * 1000, "../../etc", " \n\t"]:
        key = _core.document_key("é secret", uid, "rev/🙂")
        assert KEY.match(key), key


def test_secret_instance_id_does_not_leak():
    key = _core.document_key("TOPSECRET", "uid", "1")
    assert "TOPSECRET" not in key


def test_empty_inputs_are_refused():
    with pytest.raises(_core.InvalidArgumentError):
        _core.document_key("", "u", "1")
    with pytest.raises(ValueError):
        _core.document_key("s", "", "1")


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("abc", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("", False),
        ("a b", False),
        ("a/b", False),
    ],
)
def test_is_valid_key(key, valid):
    assert _core.is_valid_key(key) is valid
