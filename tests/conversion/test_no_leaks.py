"""Replies leak nothing: not another user's copy, nor addresses, nor a refused result URL."""

from __future__ import annotations

import pytest
import transaction
from plone import api

from onlyoffice_docs_double import samples
from onlyoffice_plone.conversion import engine
from onlyoffice_plone_testing.instances import free_port

pytestmark = pytest.mark.slow


def test_a_copy_the_user_may_not_view_is_ignored(site):
    source = site.add("notes", samples.odt("Notes"), "notes.odt")
    first = site.convert(source, "new", user="jane")
    assert first.status_code == 201, first.text
    site.sync()
    copy = api.content.get(UID=first.json()["uid"])
    copy.manage_permission("View", ["Manager", "Owner"], acquire=0)
    copy.reindexObjectSecurity()
    transaction.commit()
    assert site.get(site.path(copy), "carl").status_code == 401
    response = site.convert(source, "new", user="carl")
    assert response.status_code == 201, response.text
    assert response.json()["created"] is True
    assert first.json()["uid"] not in response.text
    assert first.json()["url"] not in response.text
    # jane's repeat still finds her own copy.
    again = site.convert(source, "new", user="jane")
    assert again.status_code == 200, again.text
    assert again.json()["uid"] == first.json()["uid"]


def _assert_no_internals(text, *secrets):
    for secret in ("127.0.0.1", "md5=", "expires=", "Traceback", "Error(", '"detail"', *secrets):
        assert secret not in text, (secret, text)


def test_failures_tell_readers_nothing_internal(site, monkeypatch):
    port = str(free_port())
    site.set(docs_url=f"http://127.0.0.1:{port}/")
    source = site.add("report", samples.docx("Report"), "report.docx")
    response = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=pdf", "vera")
    assert response.status_code == 503, response.text
    assert response.json()["error"]["type"] == "DocsUnreachable"
    _assert_no_internals(response.text, port, "Connection")
    page = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=pdf",
        "vera",
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 503
    _assert_no_internals(page.text, port, "Connection")


def test_a_refused_result_url_is_not_shown(site, monkeypatch):
    source = site.add("report", samples.docx("Report"), "report.docx")

    class Evil:
        end_convert = True
        percent = 100
        file_url = "http://169.254.169.254/latest/meta-data?md5=abc&expires=1"
        file_type = "pdf"

    monkeypatch.setattr(engine.core, "parse_conversion_response", lambda *a: Evil())
    response = site.get(
        f"{site.path(source)}/@onlyoffice-download-as?outputtype=pdf", "vera"
    )  # the state says done; the failure comes with the file
    page = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=pdf",
        "vera",
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 502
    assert 'data-error-type="BadResultUrl"' in page.text
    _assert_no_internals(page.text, "169.254", "meta-data")
    _assert_no_internals(response.text, "169.254", "meta-data")
