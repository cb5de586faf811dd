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


def test_a_form_whose_converters_succeed_is_left_alone():
    """z3c.form's fields use converters (``:list``, ``:default``): only a conversion Zope
    would fail on is refused, and the body is left for Zope to read."""
    body = b"form.widgets.formats:list=odt&form.widgets.formats-empty-marker=1&form.buttons.save=x"
    form = request("/plone/@@onlyoffice-controlpanel", body, "application/x-www-form-urlencoded")
    guard.bound_body(Event(form))
    assert guard.REFUSED not in form.environ
    assert form.environ["PATH_INFO"] == "/plone/@@onlyoffice-controlpanel"
    assert form.stdin.read() == body


def test_a_refusal_outlives_a_retry_and_names_the_field_briefly():
    refused = request(
        "/plone/doc/@@onlyoffice-callback",
        b"uid:int=" + b"Q" * 5000,
        "application/x-www-form-urlencoded",
    )
    guard.bound_body(Event(refused))
    assert refused.environ[guard.REFUSED] == "input"
    assert refused.environ[guard.REFUSED_NAME] == "uid"
    assert refused.environ["PATH_INFO"] == "/plone/doc/@@onlyoffice-refused"
    assert refused.environ["REQUEST_METHOD"] == "GET"
    again = refused.retry()  # what ZPublisher does after a ConflictError
    guard.bound_body(Event(again))
    assert again.environ[guard.REFUSED] == "input"
    assert again.environ["PATH_INFO"] == "/plone/doc/@@onlyoffice-refused"
    assert again.stdin.read() == b""


def test_content_named_like_an_endpoint_keeps_its_methods():
    """A WebDAV PUT or a PATCH to an item called ``onlyoffice-…`` is Plone's business."""
    item = request("/plone/onlyoffice-handbook.docx", b"{}")
    item.environ["REQUEST_METHOD"] = "PATCH"
    guard.bound_body(Event(item))
    assert guard.REFUSED not in item.environ


def refused_for(path, body=b"", content_type="application/json", method="POST", query=""):
    made = request(path, body, content_type)
    made.environ["REQUEST_METHOD"] = method
    made.environ["QUERY_STRING"] = query
    if content_type is None:
        del made.environ["CONTENT_TYPE"]
    guard.bound_body(Event(made))
    return made.environ.get(guard.REFUSED)


def test_a_query_zope_cannot_convert_is_refused_even_beside_a_refused_body():
    deep = b"[" * 101 + b"]" * 101
    assert refused_for("/plone/@@onlyoffice-download", deep, query="uid:int=x") == "input"
    large = request("/plone/@@onlyoffice-download", b"{}")
    large.environ["CONTENT_LENGTH"] = str(guard.MAX_BODY + 1)
    large.environ["QUERY_STRING"] = "uid:int=x"
    guard.bound_body(Event(large))
    assert large.environ.get(guard.REFUSED) == "input"


def test_bodies_zope_reads_as_forms_are_tried_as_zope_reads_them():
    path = "/plone/@@onlyoffice-callback"
    assert refused_for(path, b"uid:int=x", content_type=None) == "input"
    assert refused_for(path, b"uid:int=x", "application/x-url-encoded") == "input"
    assert refused_for(path, b"uid=x", "multipart/form-data") == "input"  # no boundary
    assert refused_for(path, b"uid:int=1", "application/x-www-form-urlencoded") is None
    # JSON is not a form: a colon in it is nobody's converter.
    assert refused_for(path, b'{"a:int": "x"}') is None


def test_a_method_directive_is_refused_chained_or_on_the_endpoint_itself():
    for query in ("@@onlyoffice-callback:method:list=1", ":method:list=@@onlyoffice-callback"):
        assert refused_for("/plone", query=query) == "input", query
    assert refused_for("/plone", query="search:method=1") is None  # not to an endpoint
    assert refused_for("/plone/@@onlyoffice-download", method="GET", query="x:method=1")


def test_paths_zope_cleans_up_reach_the_guard_too():
    deep = b"[" * 500 + b"]" * 500
    for path in (
        "/plone/@@onlyoffice-callback/.",
        "/plone/@@onlyoffice-callback/x/..",
        "/plone//@@onlyoffice-callback",
        "/plone/doc/++view++onlyoffice-callback",
    ):
        marked = request(path, deep)
        guard.bound_body(Event(marked))
        assert guard.body_too_deep(marked), path
    refused = request("/plone/doc/@@onlyoffice-download/.", b"")
    refused.environ["REQUEST_METHOD"] = "PUT"
    guard.bound_body(Event(refused))
    assert refused.environ["PATH_INFO"] == "/plone/doc/@@onlyoffice-refused"


def preflight(path, origin="https://app.example.com"):
    """What the guard makes of a browser's CORS preflight to ``path``: why it refused, or None."""
    made = request(path, b"")
    made.environ.update(
        REQUEST_METHOD="OPTIONS", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    guard.bound_body(Event(made))
    return made.environ.get(guard.REFUSED)


def test_a_cors_preflight_to_a_rest_service_is_left_to_plone_rest():
    assert preflight("/plone/doc/@onlyoffice-convert") is None
    # Not a preflight (no Origin), or to a page: refused.
    assert refused_for("/plone/doc/@onlyoffice-convert", method="OPTIONS") == "method"
    assert preflight("/plone/doc/@@onlyoffice-callback") == "method"
