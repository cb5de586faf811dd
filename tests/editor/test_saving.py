"""Downloading results and remembering saves, without a server."""

import time

import pytest

from onlyoffice_plone.docs import fetch
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.settings import Settings

SETTINGS = Settings(docs_url="http://docs.example.org/")


class TrickleResponse:
    """A result that arrives forever, a few bytes at a time (each read within the timeout)."""

    status_code = 200
    is_redirect = False
    headers = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def iter_content(self, size):
        while True:
            time.sleep(0.02)
            yield b"x" * 16


class TrickleHttp:
    def get(self, url, **kwargs):
        return TrickleResponse()


def test_a_download_that_takes_too_long_is_given_up_transiently(tmp_path):
    with pytest.raises(fetch.FetchError) as refused:
        fetch.download(
            "http://docs.example.org/cache/output.docx?md5=signature",
            SETTINGS,
            str(tmp_path),
            10**9,
            http=TrickleHttp(),
            deadline=0.2,
        )
    assert refused.value.transient and refused.value.status >= 500
    assert "signature" not in refused.value.message
    assert list(tmp_path.iterdir()) == [], "the partial file is removed"


def test_a_failed_download_names_the_url_without_its_signed_query(tmp_path):
    url = "http://127.0.0.1:9/cache/files/data/k_1/output.docx?md5=signature&expires=1"
    with pytest.raises(fetch.FetchError) as refused:
        fetch.download(url, SETTINGS, str(tmp_path), 10**6)
    assert refused.value.transient
    assert "http://127.0.0.1:9/cache/files/data/k_1/output.docx" in refused.value.message
    assert "signature" not in refused.value.message


def test_each_document_keeps_the_last_history_records_only():
    state = documents.DocumentState()
    for number in range(documents.HISTORY_MEMORY + 10):
        state.add_history({"version_id": number})
    assert len(state.history) == documents.HISTORY_MEMORY
    assert state.history[0]["version_id"] == 10
    assert state.history[-1]["version_id"] == documents.HISTORY_MEMORY + 9
