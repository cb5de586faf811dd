"""The body guard on real Zope requests: which paths it bounds, and marks that outlive a
conflict's retry."""

import io

from ZPublisher.HTTPRequest import HTTPRequest
from ZPublisher.HTTPResponse import HTTPResponse

from onlyoffice_plone.docs import guard

DEEP = b"[" * 500 + b"]" * 500


class Event:
    def __init__(self, request):
        self.request = request


def request(path, body, content_type="application/json"):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
    }
    return HTTPRequest(io.BytesIO(body), environ, HTTPResponse())


def test_only_the_add_ons_endpoints_are_bounded_not_content_named_like_them():
    for path in ("/plone/doc/@@onlyoffice-callback", "/plone/@onlyoffice-forgotten"):
        marked = request(path, DEEP)
        guard.bound_body(Event(marked))
        assert guard.body_too_deep(marked), path
    # "ONLYOFFICE Handbook.docx" becomes the id onlyoffice-handbook.docx: a PATCH to it
    # is Plone's, and its body is not touched.
    item = request("/plone/onlyoffice-handbook.docx", DEEP)
    guard.bound_body(Event(item))
    assert not guard.body_too_deep(item)
    assert item.stdin.read() == DEEP


def test_utf16_and_utf32_bodies_are_counted_as_the_parser_reads_them():
    text = '["\u2200", ' + "[" * 300 + "]" * 300 + "]"
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32"):
        assert guard.nests_too_deeply(text.encode(encoding)), encoding
    assert not guard.nests_too_deeply('{"a": ["\u2200"]}'.encode("utf-16"))


def test_a_refused_body_stays_refused_when_zope_publishes_the_request_again():
    first = request("/plone/@onlyoffice-forgotten", DEEP)
    guard.bound_body(Event(first))
    assert guard.body_too_deep(first)
    again = first.retry()  # what ZPublisher does after a ConflictError
    guard.bound_body(Event(again))
    assert guard.body_too_deep(again)

    large = request("/plone/@onlyoffice-forgotten", b"{}")
    large.environ["CONTENT_LENGTH"] = str(guard.MAX_BODY + 1)
    guard.bound_body(Event(large))
    assert guard.body_too_large(large)
    assert guard.body_too_large(large.retry())
