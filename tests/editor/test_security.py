"""What an attacker may send the public endpoints, through the real WSGI server: bounded
reads, short refusals, bounded and rate-limited logs, a 4xx for every malformed query."""

import base64
import json
import logging
import tracemalloc
import urllib.parse

import pytest
import requests
from plone.app.testing import SITE_OWNER_NAME
from plone.uuid.interfaces import IUUID

from onlyoffice_plone.browser import check
from onlyoffice_plone.docs import serving
from onlyoffice_plone.editor import callback

from .conftest import refused

MIB = 1024 * 1024


def callback_url(site, session):
    return session[1]


def refusal_records(caplog, text):
    return [r for r in caplog.records if text in r.getMessage()]


@pytest.fixture(autouse=True)
def fresh_refusal_logs():
    """Each test starts with an unspent refusal budget (the limiters are per process)."""
    for module in (callback, serving, check):
        limiter = getattr(module, "refusals", None)
        if limiter is not None:
            limiter.started = None
            limiter.written = limiter.suppressed = 0


# --- 1. bounded reads ---


def spaces(total, chunk=64 * 1024):
    """A JSON-ish body of ``total`` bytes, streamed in small chunks (the client holds none)."""
    for start in range(0, total, chunk):
        yield b" " * min(chunk, total - start)


class Spaces:
    """A file of ``size`` spaces that is never in memory: requests sends its Content-Length."""

    def __init__(self, size):
        self.size = self.left = size

    def __len__(self):
        return self.size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return b" " * n


def peak_memory_of(post):
    """(response, the process's peak of traced memory while the server answered ``post``)."""
    tracemalloc.start()
    try:
        response = post()
        return response, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_callback_body_over_the_limit_is_refused_without_reading_it(site, session):
    headers = {"Content-Type": "application/json"}
    # What the server (waitress, Zope) spends on a 16 MiB body that no view reads...
    _response, baseline = peak_memory_of(
        lambda: site.post(f"{site.url}/nowhere", data=Spaces(16 * MIB), headers=headers)
    )
    # ... and what the callback adds: nothing like the body's size.
    response, peak = peak_memory_of(
        lambda: site.post(callback_url(site, session), data=Spaces(16 * MIB), headers=headers)
    )
    refused(response, 413)
    grown = (peak - baseline) / MIB
    assert grown < 4, f"the callback read the body into memory ({grown:.1f} MiB more)"


def test_no_view_of_the_add_on_reads_a_large_body(site):
    headers = {"Content-Type": "application/json"}
    _response, baseline = peak_memory_of(
        lambda: site.post(f"{site.url}/nowhere", data=Spaces(16 * MIB), headers=headers)
    )
    item = site.item_url(site.file)
    for url in (
        f"{site.url}/@@onlyoffice-download?uid=x&token=y",
        f"{site.url}/@@onlyoffice-check-file?token=y",
        f"{item}/@onlyoffice-config?mode=view",
        f"{item}/@onlyoffice-download-as",
    ):
        response, peak = peak_memory_of(
            lambda url=url: requests.post(url, data=Spaces(16 * MIB), headers=headers, timeout=60)
        )
        assert response.status_code < 500, url
        grown = (peak - baseline) / MIB
        assert grown < 4, f"{url} read the body into memory ({grown:.1f} MiB more)"


def test_a_chunked_callback_body_over_the_limit_is_refused(site, session):
    response = site.post(
        callback_url(site, session),
        data=spaces(3 * MIB),
        headers={"Content-Type": "application/json"},
    )
    refused(response, 413)


# --- 2. bounded echo and logs ---


def forged_token(header):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part({'status': 2})}.c2lnbmF0dXJl"


def test_a_huge_token_header_is_neither_echoed_nor_logged_whole(site, session, caplog):
    caplog.set_level(logging.INFO)
    token = forged_token({"alg": "A" * 700_000, "typ": "JWT"})
    response = site.post(
        callback_url(site, session),
        data=json.dumps({"key": session[0], "status": 2, "token": token}),
        headers={"Content-Type": "application/json"},
    )
    refused(response, 403)
    assert len(response.content) < 200, response.text[:300]
    assert "AAAA" not in response.text
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)
    assert refusal_records(caplog, "refused a callback")


def test_a_huge_uid_is_not_logged_whole(site, session, caplog):
    caplog.set_level(logging.INFO)
    url = callback_url(site, session).replace(f"uid={IUUID(site.file)}", "uid=" + "u" * 100_000)
    response = site.post(url, data="{}", headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert len(response.content) < 200
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)
    download_url = site.config(user="jane")["document"]["url"]
    response = requests.get(
        download_url.replace(f"uid={IUUID(site.file)}", "uid=" + "u" * 100_000), timeout=30
    )
    assert response.status_code == 403
    assert len(response.content) < 200
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)


def test_refusals_do_not_flood_the_log(site, session, caplog):
    caplog.set_level(logging.INFO)
    url = callback_url(site, session).split("?")[0]
    burst = 20
    for _ in range(burst + 10):
        refused(site.post(url, data="{}", headers={"Content-Type": "application/json"}), 403)
    assert len(refusal_records(caplog, "refused a callback")) == burst
    # The next window starts with a summary of what was left out.
    callback.refusals.started -= callback.refusals.window
    refused(site.post(url, data="{}", headers={"Content-Type": "application/json"}), 403)
    assert refusal_records(caplog, "10 more refused requests were not logged")


# --- 8. malformed queries ---

MALFORMED = [
    "token=a&token=b",
    "token:list=a",
    "token:int=1",
    "token.x:record=1",
    "token=%ff",
    "uid=a&uid=b",
    "uid:int=1",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_download_queries_get_a_4xx(site, query):
    url = f"{site.url}/@@onlyoffice-download?uid={IUUID(site.file)}&{query}"
    response = requests.get(url, timeout=30)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert len(response.content) < 200


#: Values Zope's converters fail on while it parses the request, before any view runs.
UNCONVERTIBLE = [
    "uid:int=x",
    "uid:float=x",
    "uid:date=not-a-date",
    "uid:required=",
    "token=a&token.x:record=1",
    "uid%3Aint=x",
]
ENDPOINTS = [
    "@@onlyoffice-download",
    "@@onlyoffice-content",
    "@@onlyoffice-version",
    "@@onlyoffice-changes",
    "@@onlyoffice-check-file",
    "@onlyoffice-picker",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("query", UNCONVERTIBLE)
def test_a_value_zope_cannot_convert_is_a_400_not_a_traceback(site, endpoint, query, caplog):
    """Anyone may send ``uid:int=x``: Zope's conversion fails before the add-on's views run,
    which used to be a 500 that echoed the value and logged a traceback."""
    response = requests.get(
        f"{site.url}/{endpoint}?{query}", headers={"Accept": "application/json"}, timeout=30
    )
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "Malformed request" in response.json()["error"]["message"]
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_huge_unconvertible_value_is_neither_echoed_nor_logged(site, session, caplog):
    caplog.set_level(logging.INFO)
    huge = "Q" * 200_000
    response = requests.get(f"{site.url}/@@onlyoffice-download?uid:date={huge}", timeout=30)
    assert response.status_code == 400
    assert len(response.content) < 300
    bare = callback_url(site, session).split("?")[0]
    response = requests.post(
        bare,
        data=f"uid:int={'Q' * 900_000}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert response.status_code == 400
    assert len(response.content) < 300
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)


def test_a_failed_conversion_shows_no_traceback_to_anyone(site):
    """The error page Plone would have shown for Zope's failure told whoever came after a
    Manager on the same worker thread the traceback: no such page now."""
    for _round in range(8):
        site.get("@@onlyoffice-controlpanel", SITE_OWNER_NAME)
        response = requests.get(
            f"{site.url}/@@onlyoffice-download?uid:int=x",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 400
        assert "traceback" not in response.text.lower()


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "PATCH", "PROPFIND", "TRACE", "FOO"])
@pytest.mark.parametrize("endpoint", ["@@onlyoffice-callback", "@@onlyoffice-download"])
def test_a_method_no_view_answers_is_a_405(site, method, endpoint, caplog):
    response = requests.request(method, f"{site.url}/{endpoint}", timeout=30)
    assert response.status_code == 405, (response.status_code, response.text[:300])
    assert response.headers["Allow"] == "DELETE, GET, HEAD, POST"
    assert "Traceback" not in caplog.text


def test_a_method_directive_does_not_take_a_request_past_the_guard(site):
    """``?onlyoffice-callback:method=1`` would send a POST to the site's root on to the
    callback, past the guard that bounds its body (the guard looks at the path)."""
    deep = b"[" * 5000 + b"]" * 5000
    for query in ("onlyoffice-callback:method=1", "x:action=@@onlyoffice-callback"):
        response = requests.post(
            f"{site.url}?{query}",
            data=deep,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 400, (query, response.status_code, response.text[:300])
        assert "Malformed request" in response.json()["error"]["message"]


@pytest.mark.parametrize("query", [q for q in MALFORMED if q.startswith("token")])
def test_malformed_check_file_queries_get_a_4xx(site, query):
    response = requests.get(f"{site.url}/@@onlyoffice-check-file?{query}", timeout=30)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_callback_queries_get_a_4xx(site, session, query):
    bare = callback_url(site, session).split("?")[0]
    response = site.post(
        f"{bare}?uid={IUUID(site.file)}&{query}",
        data="{}",
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


@pytest.mark.parametrize(
    "query", ["mode=bogus", "mode:list=edit", "mode:int=1", "mode.x:record=1", "mode=%ff"]
)
def test_unknown_modes_get_a_4xx(site, query):
    path = site.path(site.file)
    response = site.get(f"{path}/@onlyoffice-config?{query}", "jane")
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.json()["error"]["type"] == "BadRequest"


def test_a_download_url_is_bound_to_its_documents_uid_only_once(site):
    """uid and token are each taken once: a second uid never selects another document."""
    url = site.config(user="jane")["document"]["url"]
    query = urllib.parse.urlsplit(url).query
    response = requests.get(f"{site.url}/@@onlyoffice-download?{query}&uid=other", timeout=30)
    assert response.status_code == 400


@pytest.mark.parametrize("endpoint", ["onlyoffice-version", "onlyoffice-changes"])
@pytest.mark.parametrize("query", [*MALFORMED, "version=a&version=b", "version=%ff"])
def test_malformed_version_queries_get_a_4xx(site, endpoint, query):
    url = f"{site.url}/@@{endpoint}?uid={IUUID(site.file)}&version=1&{query}"
    response = requests.get(url, timeout=30)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert len(response.content) < 200


# JSON nested deeper than the parser recurses: its RecursionError is no ValueError.
DEEP_JSON = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    "endpoint",
    [
        "@onlyoffice-rename",
        "@onlyoffice-restore",
        "@onlyoffice-notify",
        "@onlyoffice-reference-data",
        "@onlyoffice-convert",
        "@onlyoffice-create",
    ],
)
@pytest.mark.parametrize(
    "content_type",
    # plone.restapi's login plugin parses the first; the services parse every body as JSON.
    ["application/json", "application/x-www-form-urlencoded", "text/plain"],
)
def test_too_deeply_nested_json_bodies_get_a_400(site, endpoint, content_type):
    from plone.app.testing import SITE_OWNER_NAME

    target = site.portal if endpoint == "@onlyoffice-create" else site.file
    path = f"{site.path(target)}/{endpoint}".lstrip("/")
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if endpoint in ("@onlyoffice-convert", "@onlyoffice-create"):  # CSRF-checked first
        headers["X-CSRF-TOKEN"] = site.get(path, SITE_OWNER_NAME).json()["csrf_token"]
    response = site.post(path, SITE_OWNER_NAME, data=DEEP_JSON, headers=headers)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert "JSON" in response.json()["error"]["message"]


def chunked(data):
    """``data`` as a body without a Content-Length (sent in chunks)."""
    yield data.encode()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("[" * 2000, 400),
        ('{"key": "' + "k" * (2 * MIB) + '"}', 413),
        (chunked('{"key": "' + "k" * 8000 + '"}'), 413),
    ],
    ids=["deep", "large", "chunked"],
)
def test_a_refused_forgotten_request_is_not_taken_for_recover_all(site, body, status):
    """The guard leaves an empty body in place of one it refuses; an empty body asks to
    recover every forgotten result, a refused one must not."""
    from plone.app.testing import SITE_OWNER_NAME

    response = site.post(
        "@onlyoffice-forgotten",
        SITE_OWNER_NAME,
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32"])
def test_a_too_deeply_nested_callback_gets_a_400(site, session, encoding):
    """Docs' callback faces the internet: JSON too deep to parse is refused, not a 500, in
    whichever encoding Python's parser would read it."""
    response = site.post(
        callback_url(site, session),
        data=('["\u2200", ' + DEEP_JSON + "]").encode(encoding),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert len(response.content) < 300


@pytest.mark.parametrize(
    ("service", "user"),
    [("@onlyoffice-convert", None), ("@onlyoffice-convert", "jane")],
)
def test_a_post_without_its_csrf_token_is_a_403_not_a_logged_traceback(
    site, service, user, caplog
):
    """Anyone who may view a file may post to its conversion service without the token:
    each refusal used to log Zope's Forbidden with its traceback."""
    import transaction

    site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    target = site.file
    response = site.post(
        f"{site.path(target)}/{service}",
        user,
        json={"kind": "document", "title": "x", "target": "new"},
    )
    assert response.status_code == 403, response.text[:300]
    assert "X-CSRF-TOKEN" in response.json()["error"]["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
