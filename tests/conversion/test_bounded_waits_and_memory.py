"""No request waits longer than the cap; what conversions remember is bounded and uninstalled."""

from __future__ import annotations

import time

import pytest
import transaction
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

from onlyoffice_docs_double import samples
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow
from onlyoffice_plone.conversion import rest
from onlyoffice_plone.documents import state as documents

pytestmark = pytest.mark.slow


def test_no_request_waits_longer_than_the_cap(site):
    assert engine.MAX_WAIT <= 15
    assert rest._wait(120) == engine.MAX_WAIT
    assert rest._wait("nan") == 0.0
    source = site.add("sheet", samples.xlsx("Slow cell"), "sheet.xlsx")
    site.double.faults.conversion_delay = engine.MAX_WAIT + 5
    url = f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=csv"
    started = time.monotonic()
    response = site.get(url, headers={"Accept": "text/html"})
    assert time.monotonic() - started < engine.MAX_WAIT + 4
    assert response.status_code == 202, response.text
    assert response.headers["Retry-After"].isdigit()
    assert 'http-equiv="refresh"' in response.text
    assert "@@onlyoffice-download-as-file?outputtype=csv" in response.text
    # A later request gets the file.
    for _round in range(5):
        response = site.get(url, headers={"Accept": "*/*"})
        if response.status_code == 200:
            break
        assert response.status_code == 202
    assert response.status_code == 200
    assert b"Slow cell" in response.content


def test_the_memory_of_conversions_is_bounded_and_uninstalled(site):
    source = site.add("memo", samples.odt("Memo"), "memo.odt")
    response = site.convert(source, "new")
    assert response.status_code == 201, response.text
    site.sync()
    setSite(site.portal)
    source = site.folder["memo"]
    state = documents.get_state(site.portal, source)
    assert response.json()["uid"] in state.converted.values()
    for number in range(flow.CONVERTED_MEMORY + 10):
        flow._remember(source, f"someone:{number}", f"uid-{number}")
    markers = [m for m in state.converted if m != "order"]
    assert len(markers) == flow.CONVERTED_MEMORY
    assert f"someone:{flow.CONVERTED_MEMORY + 9}" in markers
    assert "someone:0" not in markers
    # Uninstalling drops them.
    from plone.base.utils import get_installer

    with api.env.adopt_roles(["Manager"]):
        get_installer(site.portal).uninstall_product("onlyoffice_plone")
    annotations = IAnnotations(site.portal)
    assert documents.STATE_KEY not in annotations
    transaction.abort()
