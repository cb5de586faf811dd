"""Input of the wrong type is a 400 with a message, from the REST service and the add form."""

from __future__ import annotations

import pytest

from .test_create import token

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "document", "title": ["A", "B"]},
        {"kind": ["document"], "title": "A"},
        {"kind": {"x": 1}, "title": "A"},
        {"kind": "document", "title": 42},
        {"kind": "document", "title": "A", "template": ["x"]},
        ["document", "A"],
        "document",
    ],
)
def test_bad_input_types_are_a_400(site, body):
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        json=body,
        headers={"X-CSRF-TOKEN": token(site)},
    )
    assert response.status_code == 400, (body, response.text)
    assert response.json()["error"]["type"] == "BadRequest"
    assert response.json()["error"]["message"]


def test_the_add_form_refuses_lists(site):
    authenticator = site.form_authenticator(
        f"{site.path(site.folder)}/@@onlyoffice-create?kind:list=document&kind:list=form"
    )
    response = site.post(
        f"{site.path(site.folder)}/@@onlyoffice-create",
        headers={"Accept": "text/html"},
        data={
            "_authenticator": authenticator,
            "kind": "document",
            "title:list": ["A", "B"],
            "form.buttons.create": "create",
        },
        allow_redirects=False,
    )
    assert response.status_code == 400, response.text
    assert 'id="onlyoffice-create-error"' in response.text
    site.sync()
    assert site.folder.objectIds() == []


def test_text_that_is_not_utf8_is_a_400(site):
    # JSON may carry lone surrogates ("\udcff"), a query bytes that are not UTF-8 (%ff).
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        data='{"kind": "document", "title": "A \\udcff"}',
        headers={"X-CSRF-TOKEN": token(site), "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "BadRequest"
    page = site.get(
        f"{site.path(site.folder)}/@@onlyoffice-create?title=%ff", headers={"Accept": "text/html"}
    )
    assert page.status_code == 400, page.text[:300]


@pytest.mark.parametrize(
    "title",
    ["a\x00b", "a\x1bb", "a\x7fb", "a\x9fb", "x" * 201, "x" * 100_000],
    ids=["nul", "escape", "delete", "c1", "201", "100000"],
)
def test_a_title_a_rename_would_refuse_is_refused_never_cut_short(site, title):
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        json={"kind": "document", "title": title},
        headers={"X-CSRF-TOKEN": token(site)},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "BadRequest"
    assert response.json()["error"]["message"] in (
        "Give the document a name of 1 to 200 characters.",
        "A document's name cannot contain control characters.",
    )
    site.sync()
    assert site.folder.objectIds() == []


def test_the_add_form_refuses_a_title_over_200_characters(site):
    path = f"{site.path(site.folder)}/@@onlyoffice-create"
    response = site.post(
        path,
        headers={"Accept": "text/html"},
        data={
            "_authenticator": site.form_authenticator(f"{path}?kind=document"),
            "kind": "document",
            "title": "x" * 201,
            "form.buttons.create": "create",
        },
        allow_redirects=False,
    )
    assert response.status_code == 400, response.text
    assert "Give the document a name of 1 to 200 characters." in response.text
    site.sync()
    assert site.folder.objectIds() == []
    # White space is collapsed as a rename does: 200 characters then, which is fine.
    reply = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        json={"kind": "document", "title": " " + "x" * 100 + " \t\n " + "y" * 99 + "\n"},
        headers={"X-CSRF-TOKEN": token(site)},
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["title"] == "x" * 100 + " " + "y" * 99


def test_a_lone_surrogate_in_a_key_is_a_400(site):
    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create",
        data=r'{"kind": "document", "title": "A", "\udcff": 1}',
        headers={"X-CSRF-TOKEN": token(site), "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"] == (
        "The request holds text that is not valid Unicode."
    )
    site.sync()
    assert site.folder.objectIds() == []


def test_a_post_without_its_csrf_token_is_a_403_that_logs_no_traceback(site, caplog):
    import logging

    response = site.post(
        f"{site.path(site.folder)}/@onlyoffice-create", json={"kind": "document", "title": "A"}
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"]["type"] == "Forbidden"
    assert "X-CSRF-TOKEN" in response.json()["error"]["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
