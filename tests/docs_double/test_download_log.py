"""What the double tells an administrator: every download from Plone, on the console and on
its status page ("does Docs reach Plone?"), bounded, and without the URLs' tokens."""

from __future__ import annotations

import logging

import jwt
import requests

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET as SECRET
from onlyoffice_docs_double.download import MAX_DOWNLOADS_KEPT


def test_opening_a_document_logs_its_download_on_the_console_and_the_status_page(
    double, integrator, caplog
):
    caplog.set_level(logging.INFO, logger="onlyoffice_docs_double")
    integrator.add("report.docx")
    url = integrator.file_url("report.docx") + "?token=secret-token-of-plone"
    config = integrator.config("report.docx", "k-log", document__url=url)
    double.open(config)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("download")]
    assert any("/files/report.docx" in line and "HTTP 200" in line for line in lines), lines
    assert not any("secret-token-of-plone" in line for line in lines)

    page = _page(double, "/").text
    assert "Recent downloads" in page
    assert "/files/report.docx" in page
    assert "secret-token-of-plone" not in page
    status = _page(double, "/double/status").json()
    (entry,) = [d for d in status["downloads"] if d["url"].endswith("/files/report.docx")]
    assert entry["httpStatus"] == 200
    assert entry["bytes"] > 0


def test_a_failed_download_is_logged_with_its_reason(double, integrator, caplog):
    caplog.set_level(logging.INFO, logger="onlyoffice_docs_double")
    params = {
        "async": False,
        "filetype": "txt",
        "key": "c-missing",
        "outputtype": "docx",
        "url": integrator.file_url("missing.txt"),
    }
    body = {**params, "token": jwt.encode(params, SECRET, algorithm="HS256")}
    requests.post(double.url + "/converter", json=body, timeout=60)
    lines = [r.getMessage() for r in caplog.records]
    assert any("missing.txt" in line and "failed: HTTP 404" in line for line in lines), lines
    assert any("conversion" in line and "requested" in line for line in lines), lines
    status = _page(double, "/double/status").json()
    assert status["downloads"][-1]["error"] == "HTTP 404"
    assert status["conversions"][-1]["error"] is not None
    assert "missing.txt" in _page(double, "/").text


def test_the_download_memory_is_bounded(double):
    for n in range(MAX_DOWNLOADS_KEPT + 10):
        double.downloads.append({"url": f"http://plone/{n}", "attempt": 1, "bytes": 1})
    assert len(double.downloads) == MAX_DOWNLOADS_KEPT
    assert len(_page(double, "/double/status").json()["downloads"]) <= 50


def _page(double, path):
    """One of the double's status pages, opened with its access token."""
    return requests.get(f"{double.url}{path}", params={"access": double.access_token}, timeout=5)
