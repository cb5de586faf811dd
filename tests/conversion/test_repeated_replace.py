"""Repeating a replace that is done answers success; another user's gets nothing to convert."""

from __future__ import annotations

import pytest

from onlyoffice_docs_double import samples

pytestmark = pytest.mark.slow


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
