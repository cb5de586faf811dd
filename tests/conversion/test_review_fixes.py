"""Fixes from a review: keys after a force save, no leaks, bounded waits and memory, input."""

from __future__ import annotations

import socket
import time

import pytest
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

from onlyoffice_docs_double import samples
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow
from onlyoffice_plone.conversion import rest
from onlyoffice_plone.editor import documents
from onlyoffice_plone.editor.config import office_file
from onlyoffice_plone.editor.interfaces import IOfficeFile

pytestmark = pytest.mark.slow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _download_txt(site, source, user="jane"):
    state = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=txt&wait=15", user)
    assert state.status_code == 200, state.text
    assert state.json()["status"] == "done", state.text
    response = site.get(state.json()["download_url"], user, headers={"Accept": "*/*"})
    assert response.status_code == 200
    return response.content


# --- 1. a force save changes the conversion key ---------------------------------------------


def test_a_force_save_changes_what_is_converted(site):
    source = site.add("minutes", samples.docx("Before the save"), "minutes.docx")
    assert b"Before the save" in _download_txt(site, source)
    first_keys = set(site.double.conversions)
    # What a status-6 force save does: the file is replaced, the session and its key go on.
    session_key = documents.current_key(site.portal, source, office_file(source))
    IOfficeFile(source).replace(
        NamedBlobFile(samples.docx("After the save"), contentType=DOCX, filename="minutes.docx")
    )
    transaction.commit()
    state = documents.get_state(site.portal, source, create=True)
    state.session = (session_key, documents.oid(source.file))
    transaction.commit()
    assert documents.current_key(site.portal, source, office_file(source)) == session_key
    assert b"After the save" in _download_txt(site, source)
    assert set(site.double.conversions) - first_keys, "a new conversion key after the save"


# --- 2. no leaks through unrestricted lookups -----------------------------------------------


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


# --- 3. no internal details in replies -----------------------------------------------------


def _assert_no_internals(text, *secrets):
    for secret in ("127.0.0.1", "md5=", "expires=", "Traceback", "Error(", '"detail"', *secrets):
        assert secret not in text, (secret, text)


def test_failures_tell_readers_nothing_internal(site, monkeypatch):
    port = str(_free_port())
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

    monkeypatch.setattr(engine._core, "parse_conversion_response", lambda *a: Evil())
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


# --- 4. bounded waits ---------------------------------------------------------------------


def test_no_request_waits_longer_than_the_cap(site):
    assert engine.MAX_WAIT <= 15
    assert rest._wait(120) == engine.MAX_WAIT
    assert rest._wait("nan") == 0.0
    source = site.add("sheet", samples.xlsx("Slow cell"), "sheet.xlsx")
    site.double.faults.conversion_delay = engine.MAX_WAIT + 5
    url = f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=csv"
    started = time.monotonic()
    response = site.get(url, headers={"Accept": "text/html"})
    assert time.monotonic() - started < engine.MAX_WAIT + 4
    assert response.status_code == 202, response.text
    assert response.headers["Retry-After"].isdigit()
    assert 'http-equiv="refresh"' in response.text
    assert "@@onlyoffice-download-as-file?outputtype=csv" in response.text
    # A later request gets the file.
    for _round in range(5):
        response = site.get(url, headers={"Accept": "*/*"})
        if response.status_code == 200:
            break
        assert response.status_code == 202
    assert response.status_code == 200
    assert b"Slow cell" in response.content


# --- 5. bounded memory of conversions, removed on uninstall ----------------------------------


def test_the_memory_of_conversions_is_bounded_and_uninstalled(site):
    source = site.add("memo", samples.odt("Memo"), "memo.odt")
    response = site.convert(source, "new")
    assert response.status_code == 201, response.text
    site.sync()
    setSite(site.portal)
    source = site.folder["memo"]
    state = documents.get_state(site.portal, source)
    assert response.json()["uid"] in state.converted.values()
    assert flow.RESULTS_KEY not in IAnnotations(site.portal)
    for number in range(flow.CONVERTED_MEMORY + 10):
        flow._remember(source, f"someone:{number}", f"uid-{number}")
    markers = [m for m in state.converted if m != "order"]
    assert len(markers) == flow.CONVERTED_MEMORY
    assert f"someone:{flow.CONVERTED_MEMORY + 9}" in markers
    assert "someone:0" not in markers
    # Uninstalling drops them (and what older versions kept site-wide).
    IAnnotations(site.portal)[flow.RESULTS_KEY] = {"old": "record"}
    from plone.base.utils import get_installer

    with api.env.adopt_roles(["Manager"]):
        get_installer(site.portal).uninstall_product("onlyoffice_plone")
    annotations = IAnnotations(site.portal)
    assert documents.STATE_KEY not in annotations
    assert flow.RESULTS_KEY not in annotations
    transaction.abort()


# --- 6. bad input types are a 400, not a 500 -------------------------------------------------


def test_bad_input_types_are_refused_clearly(site):
    source = site.add("paper", samples.odt("Paper"), "paper.odt")
    token = site.csrf(source)
    path = f"{site.path(source)}/@onlyoffice-convert"
    for body in ([1, 2], "new", {"target": ["new"]}, {"target": {"x": 1}}):
        response = site.post(path, json=body, headers={"X-CSRF-TOKEN": token})
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["type"] == "BadRequest"
        assert response.json()["error"]["message"]
    listed = f"{site.path(source)}/@onlyoffice-download-as?outputtype:list=pdf&outputtype:list=txt"
    response = site.get(listed)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "BadRequest"
    page = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype:list=pdf",
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 400, page.text
    assert 'data-error-type="BadRequest"' in page.text
    assert site.double.conversions == {}


# --- 7. a retried replace is a success ------------------------------------------------------


def test_a_retried_replace_answers_success(site):
    source = site.add("letter", samples.odt("Letter"), "letter.odt")
    token = site.csrf(source)
    first = site.convert(source, "replace", token=token)
    assert first.status_code == 200, first.text
    again = site.convert(source, "replace", token=token)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "done"
    assert again.json()["filename"] == "letter.docx"
    # Another user's replace of an item already converted is still "nothing to convert".
    other = site.convert(source, "replace", user="eddy")
    assert other.status_code == 409
    assert other.json()["error"]["type"] == "NothingToConvert"


# --- 9. the convert page works without JavaScript ------------------------------------------


def test_the_convert_form_works_without_javascript(site):
    source = site.add("plain", samples.odt("Plain"), "plain.odt")
    authenticator = site.form_authenticator(f"{site.path(source)}/@@onlyoffice-convert")
    response = site.post(
        f"{site.path(source)}/@@onlyoffice-convert",
        headers={"Accept": "text/html"},
        data={"_authenticator": authenticator, "target": "new"},
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith("/@@onlyoffice-edit")
    site.sync()
    assert (
        sorted(site.folder.objectIds()) == ["plain", "plain.docx"]
        or len(site.folder.objectIds()) == 2
    )
