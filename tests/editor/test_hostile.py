"""Hostile or broken requests to the endpoints Docs calls: each leaves the file unchanged."""

import contextlib
import logging
import urllib.parse

import requests
import transaction
from plone.uuid.interfaces import IUUID

from onlyoffice_docs_double import samples
from onlyoffice_plone.settings import instance_secret
from onlyoffice_plone_testing.http import QuietHandler
from onlyoffice_plone_testing.http import serving

from .conftest import add_file
from .conftest import assert_unchanged
from .conftest import docs_callback
from .conftest import refused
from .conftest import sign


def test_callback_without_any_token_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, url, fields, secret=""), 403)
    assert_unchanged(site, before)


def test_callback_signed_with_another_secret_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, url, fields, secret="not-the-docs-secret"), 403)
    assert_unchanged(site, before)


def test_expired_callback_token_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, url, fields, lifetime=-600), 403)
    assert_unchanged(site, before)


def test_callback_url_without_or_with_a_forged_url_token_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    bare = url.split("?", 1)[0]
    refused(docs_callback(site, bare, fields), 403)
    forged = sign({"purpose": "callback", "sub": f"{IUUID(site.file)}:{key}"}, "guess")
    refused(docs_callback(site, f"{bare}?token={forged}", fields), 403)
    assert_unchanged(site, before)


def test_callback_with_the_key_of_another_document_is_refused(site, session, result_url):
    _key, url = session
    before = site.versions()
    other_key = site.key(site.folder["scratch"])
    fields = {"key": other_key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, url, fields), 403)
    assert_unchanged(site, before)


def test_callback_url_replayed_against_another_document_is_refused(site, session, result_url):
    key, url = session
    other = site.folder["scratch"]
    other_before = site.file_data(other)
    replay = url.replace(IUUID(site.file), IUUID(other))
    assert replay != url
    fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
    refused(docs_callback(site, replay, fields), 403)
    assert site.file_data(other) == other_before


def test_result_url_on_another_host_is_refused(site, session):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": "http://127.0.0.2:9/output.docx", "users": ["jane"]}
    refused(docs_callback(site, url, fields), 400)
    assert_unchanged(site, before)


def test_result_url_on_file_scheme_is_refused(site, session):
    key, url = session
    before = site.versions()
    fields = {"key": key, "status": 2, "url": "file:///etc/passwd", "users": ["jane"]}
    refused(docs_callback(site, url, fields), 400)
    assert_unchanged(site, before)


@contextlib.contextmanager
def redirector(target):
    class Handler(QuietHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serving(Handler) as url:
        yield url


def test_result_url_that_redirects_to_another_host_is_refused(site, session, result_url):
    key, url = session
    before = site.versions()
    with redirector(result_url.replace("127.0.0.1", "localhost")) as docs_internal:
        # A second Docs origin (its address for Plone) that answers with a redirect.
        site.portal.portal_registry["onlyoffice_plone.docs_internal_url"] = docs_internal + "/"
        transaction.commit()
        fields = {"key": key, "status": 2, "url": docs_internal + "/cache/x", "users": ["jane"]}
        refused(docs_callback(site, url, fields), 400)
    assert_unchanged(site, before)


def test_oversize_result_is_refused_and_docs_keeps_it(site):
    site.portal.portal_registry["onlyoffice_plone.max_file_size_mb"] = 1
    transaction.commit()
    before = site.versions()
    site.double.faults.result_oversize_bytes = 2 * 1024 * 1024
    key, attempt = site.round_trip(text="Should never arrive")
    assert attempt.http_status == 413
    assert key in site.double.forgotten, "Docs keeps what Plone refused"
    assert_unchanged(site, before)


def test_docs_signing_with_a_wrong_secret_is_refused_end_to_end(site):
    before = site.versions()
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Should never arrive")
    site.double.faults.sign_with_wrong_secret = True
    site.double.close(key, "jane")
    attempt = site.double.wait_for_callback(2, key)
    site.double.wait_idle()
    assert attempt.http_status == 403
    assert key in site.double.forgotten
    assert_unchanged(site, before)


# --- the download endpoint ---


def docs_download(site, url, secret=None):
    secret = site.double.secret if secret is None else secret
    headers = {}
    if secret:
        headers["Authorization"] = "Bearer " + sign({"payload": {"url": url}}, secret)
    return requests.get(url, headers=headers, timeout=30)


def test_download_with_its_token_and_docs_token_streams_the_file(site):
    url = site.config(user="jane")["document"]["url"]
    response = docs_download(site, url)
    assert response.status_code == 200
    assert response.content == site.file_data()


def test_download_without_docs_token_is_refused(site):
    url = site.config(user="jane")["document"]["url"]
    assert docs_download(site, url, secret="").status_code == 403
    assert docs_download(site, url, secret="not-the-docs-secret").status_code == 403


def test_download_without_or_with_an_expired_url_token_is_refused(site):
    url = site.config(user="jane")["document"]["url"]
    bare = url.split("?", 1)[0]
    assert docs_download(site, bare).status_code == 403
    uid = IUUID(site.file)
    sub = f"{uid}:{site.key()}"  # the content key: no session is open
    expired = sign({"purpose": "download", "sub": sub}, instance_secret(site.portal), -600)
    assert docs_download(site, f"{bare}?token={expired}").status_code == 403


def test_download_url_replayed_against_another_document_is_refused(site):
    other = add_file(site.folder, "secret-plan", samples.docx("Secret"), filename="plan.docx")
    transaction.commit()
    url = site.config(user="jane")["document"]["url"]
    replay = url.replace(IUUID(site.file), IUUID(other))
    assert replay != url
    response = docs_download(site, replay)
    assert response.status_code == 403
    assert b"Secret" not in response.content


def test_config_token_replayed_as_a_download_token_is_refused(site):
    config = site.config(user="jane")
    bare = config["document"]["url"].split("?", 1)[0]
    replay = f"{bare}?token={urllib.parse.quote(config['token'])}"
    assert docs_download(site, replay).status_code == 403


def test_callback_token_replayed_as_a_download_token_is_refused(site):
    config = site.config(user="jane")
    token = urllib.parse.parse_qs(
        urllib.parse.urlsplit(config["editorConfig"]["callbackUrl"]).query
    )
    bare = config["document"]["url"].split("?", 1)[0]
    replay = f"{bare}?token={urllib.parse.quote(token['token'][0])}"
    assert docs_download(site, replay).status_code == 403


def test_the_config_token_as_docs_header_token_is_refused(site):
    config = site.config(user="vera", mode="view")
    headers = {"Authorization": "Bearer " + config["token"]}
    response = requests.get(config["document"]["url"], headers=headers, timeout=30)
    assert response.status_code == 403
    assert not response.content.startswith(b"PK")


def test_a_header_token_made_for_another_download_url_is_refused(site):
    other = add_file(site.folder, "secret-plan", samples.docx("Secret"), filename="plan.docx")
    transaction.commit()
    url = site.config(user="jane")["document"]["url"]
    other_url = site.config(other, user="jane")["document"]["url"]
    headers = {
        "Authorization": "Bearer " + sign({"payload": {"url": other_url}}, site.double.secret)
    }
    response = requests.get(url, headers=headers, timeout=30)
    assert response.status_code == 403
    assert not response.content.startswith(b"PK")


def test_a_refused_result_url_unlocks_and_is_never_echoed_with_its_query(
    site, session, result_url, caplog
):
    key, url = session
    before = site.versions()
    assert site.locked()
    elsewhere = result_url.replace("127.0.0.1", "localhost")
    assert "md5=" in elsewhere
    fields = {"key": key, "status": 2, "url": elsewhere, "users": ["jane"]}
    response = docs_callback(site, url, fields)
    refused(response, 400)
    assert "md5=" not in response.text
    assert not any("md5=" in r.getMessage() for r in caplog.records)
    assert not site.locked(), "a refused save frees the document"
    assert_unchanged(site, before)


def test_a_signed_callback_with_a_malformed_history_is_refused_and_saves_nothing(
    site, session, result_url, caplog
):
    """Docs names each change's author in ``history.changes``; a history of another shape
    is a 400 from the core, not a 500 with a traceback deep in the save."""
    key, url = session
    before = site.versions()
    for history in (
        {"changes": ["x"]},
        {"changes": 5},
        {"changes": "abc"},
        {"changes": [{"user": "bob"}]},
        {"changes": [{"user": {"id": ["jane"]}}]},
    ):
        fields = {"key": key, "status": 2, "url": result_url, "users": ["jane"]}
        refused(docs_callback(site, url, {**fields, "history": history}), 400)
    assert_unchanged(site, before)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_save_is_made_for_the_first_user_named_even_an_empty_one(site, session, result_url):
    """The changes are saved for the callback's first user; a change's author counts only
    when the callback names no user at all. An empty id names nobody of this site."""
    key, url = session
    before = site.versions()
    history = {"changes": [{"user": {"id": "jane", "name": "Jane"}}]}
    fields = {"key": key, "status": 2, "url": result_url, "users": [""], "history": history}
    refused(docs_callback(site, url, fields), 403)
    assert_unchanged(site, before)


def test_a_signed_callback_never_echoes_what_it_carries_whole(site, session, result_url, caplog):
    caplog.set_level(logging.INFO)
    key, url = session
    before = site.versions()
    huge = "Z" * 150_000  # the header token carries it too: within the server's 256 KiB
    fields = {"key": key, "status": 2, "url": result_url, "users": [huge]}
    response = docs_callback(site, url, fields)
    refused(response, 400)
    assert len(response.content) < 400
    # A user id of a sane length, not of this site: refused, and quoted briefly.
    fields = {"key": key, "status": 2, "url": result_url, "users": ["nobody-" + "x" * 900]}
    response = docs_callback(site, url, fields)
    refused(response, 403)
    assert len(response.content) < 400
    assert all(len(record.getMessage()) < 1000 for record in caplog.records)
    assert_unchanged(site, before)
