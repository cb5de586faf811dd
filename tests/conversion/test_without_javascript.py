"""The convert page works as a plain HTML form, without JavaScript."""

from __future__ import annotations

import pytest

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow


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
