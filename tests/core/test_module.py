"""The module as a whole: version, exception hierarchy, friendly re-exports."""

import pytest

from onlyoffice_plone import _core
from onlyoffice_plone import core


def test_version():
    assert _core.__version__.startswith("1.")


@pytest.mark.parametrize(
    "name",
    [
        "TokenError",
        "CallbackError",
        "InvalidUrlError",
        "DocsError",
        "InvalidArgumentError",
        "ProtocolError",
        "CallbackUrlError",
    ],
)
def test_every_error_is_a_core_error(name):
    cls = getattr(_core, name)
    assert issubclass(cls, _core.CoreError)
    assert cls.__module__ == "onlyoffice_plone._core"
    assert cls.__doc__


def test_docstrings():
    for name in _core.__all__:
        if name.startswith("__"):
            continue
        assert getattr(_core, name).__doc__, name


def test_core_reexports_the_compiled_core():
    assert set(_core.__all__) <= set(core.__all__)
    assert all(getattr(core, name) is getattr(_core, name) for name in _core.__all__)


def test_callback_statuses_are_defined_once():
    assert core.CallbackStatus is _core.CallbackStatus
    statuses = {
        name: getattr(core.CallbackStatus, name)
        for name in dir(core.CallbackStatus)
        if name.isupper()
    }
    assert statuses == {
        "EDITING": 1,
        "MUST_SAVE": 2,
        "CORRUPTED": 3,
        "CLOSED": 4,
        "MUST_FORCESAVE": 6,
        "CORRUPTED_FORCESAVE": 7,
    }
