"""The settings as one value, read once per request and forgotten when they change."""

import pytest
from AccessControl.ZopeGuards import guarded_getattr
from plone import api
from Products.PythonScripts.PythonScript import manage_addPythonScript
from Testing.makerequest import makerequest
from zExceptions import Unauthorized
from zope.globalrequest import getRequest
from zope.globalrequest import setRequest

from onlyoffice_plone.settings import REQUEST_CACHE_KEY
from onlyoffice_plone.settings import Settings
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import set_jwt_secret


@pytest.fixture
def request_(portal):
    request = getRequest()
    assert request is not None, "the layer's request is the current one"
    return request


def test_read_once_per_request(portal, request_):
    first = get_settings()
    assert get_settings() is first, "the same value, not read again"


def test_a_changed_record_is_read_again(portal, request_):
    first = get_settings()
    api.portal.set_registry_record("onlyoffice_plone.docs_url", "https://docs.example.org/")
    changed = get_settings()
    assert changed is not first
    assert changed.docs_url == "https://docs.example.org/"


def test_a_new_secret_is_read_again(portal, request_):
    first = get_settings()
    set_jwt_secret(portal, "a-new-secret-of-enough-length-0123456789")
    assert get_settings() is not first
    assert get_settings().jwt_secret == "a-new-secret-of-enough-length-0123456789"


def test_the_memory_is_out_of_reach_of_scripts_and_request_values(portal, request_):
    """Templates and scripts read the request's values and attributes: the settings, which
    hold the JWT secret, are kept where none of them reaches."""
    manage_addPythonScript(portal, "peek")
    portal.peek.ZPythonScript_edit("", f"return getattr(context.REQUEST, {REQUEST_CACHE_KEY!r})")
    set_jwt_secret(portal, "a-new-secret-of-enough-length-0123456789")
    assert get_settings().jwt_secret
    assert REQUEST_CACHE_KEY in vars(request_), "the settings are in the request's memory"
    assert request_.get(REQUEST_CACHE_KEY) is None
    with pytest.raises(KeyError):
        request_[REQUEST_CACHE_KEY]
    assert REQUEST_CACHE_KEY not in request_.other
    with pytest.raises(Unauthorized):
        guarded_getattr(request_, REQUEST_CACHE_KEY)
    with pytest.raises(Unauthorized):
        portal.peek()
    assert get_settings().jwt_secret, "still there: the script's run changed nothing"


def test_the_memory_goes_when_the_request_ends(portal):
    request = makerequest(portal.aq_parent).REQUEST
    previous = getRequest()
    setRequest(request)
    try:
        set_jwt_secret(portal, "a-new-secret-of-enough-length-0123456789")
        assert get_settings().jwt_secret
        assert REQUEST_CACHE_KEY in vars(request)
        request.close()  # what the publisher does at the end of every request
        assert REQUEST_CACHE_KEY not in vars(request)
    finally:
        setRequest(previous)


def test_the_secret_is_not_in_the_settings_repr():
    settings = Settings(docs_url="https://docs.example.org/", jwt_secret="s3cr3t-value-xyz")
    assert "s3cr3t-value-xyz" not in repr(settings)
    assert "https://docs.example.org/" in repr(settings)
    assert "s3cr3t-value-xyz" not in repr({"settings": settings})
