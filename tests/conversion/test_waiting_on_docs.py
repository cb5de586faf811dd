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


def test_downloading_the_result_takes_a_slot_too(site, public, monkeypatch):
    """The finished result's download from Docs may take minutes from a slow Docs: it
    counts against the same bound, so that visitors asking for results cannot hold every
    worker thread either. Here other requests take every slot between the step that finds
    the conversion done and the download."""
    path = site.path(public)
    site.double.faults.conversion_delay = 0
    response = site.get(f"{path}/@onlyoffice-download-as?outputtype=pdf&wait=15")
    assert response.json()["status"] == "done", response.text

    taken = contextlib.ExitStack()
    real_step = engine.Job.step

    def step_then_others_come(self, http=None):
        result = real_step(self, http)
        taken.enter_context(all_slots_taken())
        return result

    monkeypatch.setattr(engine.Job, "step", step_then_others_come)
    with taken:
        page = site.get(
            f"{path}/@@onlyoffice-download-as-file?outputtype=pdf", None, headers={"Accept": "*/*"}
        )
    assert page.status_code == 202, "not downloaded while every slot was taken"
    assert 'http-equiv="refresh"' in page.text
    monkeypatch.undo()
    page = site.get(
        f"{path}/@@onlyoffice-download-as-file?outputtype=pdf", None, headers={"Accept": "*/*"}
    )
    assert page.status_code == 200
    assert page.content.startswith(b"%PDF")


def test_a_conversion_whose_result_finds_every_slot_taken_polls_again(site, monkeypatch):
    """Converting into a new copy: the result's download waits for a free slot like the
    steps, the reply says "running", nothing is stored; the next poll finishes it."""
    source = site.add("minutes", samples.odt("Minutes"), "minutes.odt")
    site.double.faults.conversion_delay = 0
    taken = contextlib.ExitStack()
    real_step = engine.Job.wait

    def wait_then_others_come(self, seconds, http=None, interval=0.5):
        result = real_step(self, seconds, http, interval)
        if result.end_convert:
            taken.enter_context(all_slots_taken())
        return result

    monkeypatch.setattr(engine.Job, "wait", wait_then_others_come)
    token = site.csrf(source, "jane")
    with taken:
        response = site.post(
            f"{site.path(source)}/@onlyoffice-convert",
            "jane",
            json={"target": "new", "wait": 15},
            headers={"X-CSRF-TOKEN": token},
        )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "running"
    site.sync()
    assert [i.getId() for i in site.folder.objectValues()].count("minutes.docx") == 0
    monkeypatch.undo()
    response = site.convert(source, "new", token=token)
    assert response.status_code == 201, response.text
