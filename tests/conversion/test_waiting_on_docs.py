"""Nobody holds Plone's worker threads waiting on Docs: anonymous visitors never wait, and only
``engine.MAX_DOCS_CALLS`` requests per process talk to Docs' conversion service at once."""

from __future__ import annotations

import contextlib

import pytest
import requests
import transaction

from onlyoffice_docs_double import samples
from onlyoffice_plone.conversion import engine


@pytest.fixture
def steps(monkeypatch):
    """The conversion requests Plone sent Docs (the real ones, counted on their way)."""
    sent = []
    real = requests.post

    def counted(url, *args, **kwargs):
        if "/converter" in str(url):
            sent.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(engine.requests, "post", counted)
    return sent


@pytest.fixture
def public(site):
    source = site.add("public", samples.docx("Public text"), "public.docx")
    source.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    source.reindexObjectSecurity()
    transaction.commit()
    site.double.faults.conversion_delay = 3
    return source


def test_anonymous_visitors_never_wait_on_docs(site, public, steps):
    path = site.path(public)
    response = site.get(f"{path}/@onlyoffice-download-as?outputtype=pdf&wait=15", None)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "running"
    assert len(steps) == 1, "one request to Docs, no polling inside the request"
    page = site.get(
        f"{path}/@@onlyoffice-download-as-file?outputtype=pdf", None, headers={"Accept": "*/*"}
    )
    assert page.status_code == 202
    assert 'http-equiv="refresh"' in page.text, "the browser polls, without JavaScript too"
    assert len(steps) == 2


def test_signed_in_users_still_wait_within_the_cap(site, public, steps):
    response = site.get(f"{site.path(public)}/@onlyoffice-download-as?outputtype=pdf&wait=15")
    assert response.status_code == 200, response.text
    assert len(steps) > 1, "polled Docs inside the request until done"


@contextlib.contextmanager
def all_slots_taken():
    taken = 0
    try:
        for _ in range(engine.MAX_DOCS_CALLS):
            assert engine._docs_calls.acquire(blocking=False)
            taken += 1
        yield
    finally:
        for _ in range(taken):
            engine._docs_calls.release()


def test_requests_beyond_the_bound_do_not_queue_for_docs(site, public, steps):
    path = site.path(public)
    with all_slots_taken():
        response = site.get(f"{path}/@onlyoffice-download-as?outputtype=pdf&wait=15")
        assert response.status_code == 202, response.text
        assert response.json() == {"status": "running", "percent": 0}
        page = site.get(
            f"{path}/@@onlyoffice-download-as-file?outputtype=pdf", headers={"Accept": "*/*"}
        )
        assert page.status_code == 202
        assert steps == [], "nothing was sent to Docs while every slot was taken"
    response = site.get(f"{path}/@onlyoffice-download-as?outputtype=pdf&wait=15")
    assert response.status_code == 200, response.text
