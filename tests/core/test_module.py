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


def test_friendly_module_reexports_the_core():
    assert set(_core.__all__) <= set(core.__all__)
    assert core.CallbackStatus.MUST_SAVE == _core.CallbackStatus.MUST_SAVE == 2
    assert [s.value for s in core.CallbackStatus] == [1, 2, 3, 4, 6, 7]
    for member in core.CallbackStatus:
        assert getattr(_core.CallbackStatus, member.name) == member.value
