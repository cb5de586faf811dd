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
