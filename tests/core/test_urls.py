"""Origins, the rule for configured addresses, and the addresses each side reaches the other at."""

import pytest

from onlyoffice_plone import _core


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Docs.Example.com/office?x=1", "https://docs.example.com:443"),
        ("http://docs:8000/", "http://docs:8000"),
        ("http://docs", "http://docs:80"),
        ("http://[::1]:81/x", "http://[::1]:81"),
        ("http://[::1]/x", "http://[::1]:80"),
    ],
)
def test_origin_makes_the_default_port_explicit(url, expected):
    assert _core.origin(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "scheme"),
        ("docs.example.com", "scheme"),
        ("ftp://docs.example.com", "scheme"),
        ("https://user:pw@docs.example.com", "credentials"),
    ],
)
def test_origin_refuses_what_is_no_http_url(url, reason):
    with pytest.raises(_core.InvalidUrlError) as info:
        _core.origin(url)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    "url", ["https://docs.example.com", "http://plone:8080/Plone/", "http://[::1]:8000/docs"]
)
def test_base_urls_that_the_settings_accept(url):
    assert _core.check_base_url(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("docs.example.com", "scheme"),
        ("mailto:ann@example.com", "scheme"),
        ("https://", "scheme"),
        ("https://ann:secret@docs.example.com/", "credentials"),
        ("https://ann@docs.example.com/", "credentials"),
        ("https://docs.example.com/?x=1", "query"),
        ("https://docs.example.com/#top", "query"),
    ],
)
def test_base_urls_that_the_settings_refuse_say_why(url, reason):
    with pytest.raises(_core.InvalidUrlError) as info:
        _core.check_base_url(url)
    assert info.value.reason == reason
    assert not isinstance(info.value, _core.CallbackUrlError)


def test_check_url_refusals_off_the_allow_list_say_origin():
    with pytest.raises(_core.InvalidUrlError) as info:
        _core.check_url("https://evil.example/x", ["https://docs.example.com"])
    assert info.value.reason == "origin"


ADDRESSES = _core.Addresses(
    "https://docs.example.com/office", "http://onlyoffice:8000", "http://plone:8080/Plone/"
)


def test_addresses():
    assert ADDRESSES.public_docs_url == "https://docs.example.com/office/"
    assert ADDRESSES.server_docs_url == "http://onlyoffice:8000/"
    assert ADDRESSES.docs_origins == ("https://docs.example.com:443", "http://onlyoffice:8000")
    only_public = _core.Addresses(" https://docs.example.com// ")
    assert only_public.public_docs_url == only_public.server_docs_url
    assert only_public.server_docs_url == "https://docs.example.com/"
    assert only_public.docs_origins == ("https://docs.example.com:443",)
    same = _core.Addresses("https://docs.example.com/", "https://DOCS.example.com:443/")
    assert same.docs_origins == ("https://docs.example.com:443",)
    unset = _core.Addresses("")
    assert (unset.public_docs_url, unset.server_docs_url, unset.docs_origins) == ("", "", ())
    assert _core.Addresses("not a url").docs_origins == ()
    with pytest.raises(AttributeError):
        ADDRESSES.docs_url = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://docs.example.com/office/cache/files/k/output.docx?md5=x&expires=1#f",
            "http://onlyoffice:8000/cache/files/k/output.docx?md5=x&expires=1",
        ),
        ("https://docs.example.com:443/office", "http://onlyoffice:8000/"),
        ("http://onlyoffice:8000/cache/x", "http://onlyoffice:8000/cache/x"),
        ("https://docs.example.com/elsewhere/x", "https://docs.example.com/elsewhere/x"),
    ],
)
def test_docs_urls_move_to_the_address_plone_reaches_docs_at(url, expected):
    assert ADDRESSES.docs_url_for_plone(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example/office/x", "origin"),
        ("http://docs.example.com/office/x", "origin"),
        ("file:///etc/passwd", "scheme"),
        ("https://docs.example.com@evil.example/office/x", "credentials"),
        ("", "scheme"),
    ],
)
def test_docs_urls_off_the_docs_origins_are_refused(url, reason):
    with pytest.raises(_core.InvalidUrlError) as info:
        ADDRESSES.docs_url_for_plone(url)
    assert info.value.reason == reason


def test_an_unconfigured_site_fetches_from_nowhere():
    with pytest.raises(_core.InvalidUrlError):
        _core.Addresses("").docs_url_for_plone("https://docs.example.com/x")


def test_plone_urls_move_to_the_address_docs_reaches_plone_at():
    portal = "https://www.example.com/Plone"
    assert (
        ADDRESSES.url_for_docs(f"{portal}/@@onlyoffice-download?uid=1&token=t", portal)
        == "http://plone:8080/Plone/@@onlyoffice-download?uid=1&token=t"
    )
    assert ADDRESSES.url_for_docs(portal, portal) == "http://plone:8080/Plone"
    assert ADDRESSES.url_for_docs("https://other/x", portal) == "https://other/x"
    assert _core.Addresses("https://d").url_for_docs(f"{portal}/x", portal) == f"{portal}/x"
