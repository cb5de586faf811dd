"""A force save changes the conversion key: the saved file is converted, not the earlier one."""

from __future__ import annotations

import pytest
import transaction
from plone.namedfile.file import NamedBlobFile

from onlyoffice_docs_double import samples
from onlyoffice_plone.documents import keys
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.interfaces import IOfficeFile

pytestmark = pytest.mark.slow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download_txt(site, source, user="jane"):
    state = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=txt&wait=15", user)
    assert state.status_code == 200, state.text
    assert state.json()["status"] == "done", state.text
    response = site.get(state.json()["download_url"], user, headers={"Accept": "*/*"})
    assert response.status_code == 200
    return response.content


def test_a_force_save_changes_what_is_converted(site):
    source = site.add("minutes", samples.docx("Before the save"), "minutes.docx")
    assert b"Before the save" in _download_txt(site, source)
    first_keys = set(site.double.conversions)
    # What a status-6 force save does: the file is replaced, the session and its key go on.
    session_key = keys.current_key(site.portal, source, office_file(source))
    IOfficeFile(source).replace(
        NamedBlobFile(samples.docx("After the save"), contentType=DOCX, filename="minutes.docx")
    )
    transaction.commit()
    state = documents.get_state(site.portal, source, create=True)
    state.session = (session_key, keys.oid(source.file))
    transaction.commit()
    assert keys.current_key(site.portal, source, office_file(source)) == session_key
    assert b"After the save" in _download_txt(site, source)
    assert set(site.double.conversions) - first_keys, "a new conversion key after the save"
