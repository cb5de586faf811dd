"""Input of the wrong type is a 400 with a message, from the services and the pages."""

from __future__ import annotations

import pytest

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow


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
