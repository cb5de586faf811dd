"""Download as: every format the core lists, streamed with the right name and type."""

from __future__ import annotations

import urllib.parse

import pytest

from onlyoffice_docs_double import samples
from onlyoffice_plone import _core
from onlyoffice_plone.conversion import engine

pytestmark = pytest.mark.slow


def test_formats_are_the_cores(site):
    source = site.add("report", samples.docx("Report"), "report.docx")
    listed = site.get(f"{site.path(source)}/@onlyoffice-download-as").json()["formats"]
    assert listed == list(_core.classify("report.docx").download_as)
    assert listed[:2] == ["pdf", "odt"], "what people ask for first, not BMP"
    page = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    for outputtype in listed:
        assert f"@@onlyoffice-download-as-file?outputtype={outputtype}" in page.text
    offered = [page.text.index(f"outputtype={outputtype}") for outputtype in listed]
    assert offered == sorted(offered), "the page offers them in the core's order"
    # Each named as people name it: PDF/A, not PDFA.
    assert "pdfa" in listed
    assert ">PDF/A</a>" in page.text and ">PDFA</a>" not in page.text
    assert ">ODT</a>" in page.text


def test_docx_to_pdf_streamed_with_name_and_type(site):
    source = site.add("bericht", samples.docx("Quartalsbericht"), "Bericht Ä.docx")
    state = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=pdf&wait=60")
    assert state.status_code == 200, state.text
    assert state.json()["status"] == "done"
    download_url = state.json()["download_url"]
    response = site.get(download_url, headers={"Accept": "*/*"}, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Bericht _.pdf"' in disposition
    assert "filename*=UTF-8''" + urllib.parse.quote("Bericht Ä.pdf") in disposition
    body = response.content
    assert body.startswith(b"%PDF")
    assert int(response.headers["Content-Length"]) == len(body)


def test_plain_link_waits_for_docs(site):
    """Without JavaScript the link alone converts (bounded wait) and streams."""
    source = site.add("sheet", samples.xlsx("Cell"), "sheet.xlsx")
    site.double.faults.conversion_delay = 1.5
    response = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=csv",
        headers={"Accept": "*/*"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert b"Cell" in response.content


def test_unknown_format_is_refused_before_docs(site):
    source = site.add("report", samples.docx("Report"), "report.docx")
    response = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=exe")
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "UnknownFormat"
    assert site.double.conversions == {}


def test_a_result_url_off_the_docs_origin_is_refused(site, monkeypatch):
    source = site.add("report", samples.docx("Report"), "report.docx")
    real = _core.parse_conversion_response

    class Evil:
        end_convert = True
        percent = 100
        file_url = "http://169.254.169.254/latest/meta-data"
        file_type = "pdf"

    monkeypatch.setattr(engine.core, "parse_conversion_response", lambda *a: Evil())
    response = site.get(f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=pdf")
    monkeypatch.setattr(engine.core, "parse_conversion_response", real)
    assert response.status_code == 502
    assert 'data-error-type="BadResultUrl"' in response.text


def test_disposition_fallback():
    value = engine.attachment_disposition('Ünïcode "quoted"; name.pdf')
    assert value.startswith('attachment; filename="')
    assert "filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22%3B%20name.pdf" in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and ";" not in fallback


def test_reader_may_download_as(site):
    source = site.add("report", samples.docx("Report"), "report.docx")
    response = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=txt",
        "vera",
        headers={"Accept": "*/*"},
    )
    assert response.status_code == 200
    assert b"Report" in response.content


def test_anonymous_may_not_download_as_without_view(site):
    source = site.add("report", samples.docx("Report"), "report.docx")
    response = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=txt",
        None,
        headers={"Accept": "*/*"},
        allow_redirects=False,
    )
    assert response.status_code in (302, 401, 403)
    response = site.get(f"{site.path(source)}/@onlyoffice-download-as", None)
    assert response.status_code == 401
