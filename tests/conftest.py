"""Fixtures for the Python suite: real Plone layers through pytest-plone."""

import pytest
from pytest_plone import fixtures_factory

from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_EDITOR_TESTING
from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_FUNCTIONAL_TESTING
from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_INTEGRATION_TESTING

pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (ONLYOFFICE_PLONE_INTEGRATION_TESTING, "integration"),
            (ONLYOFFICE_PLONE_FUNCTIONAL_TESTING, "functional"),
            (ONLYOFFICE_PLONE_EDITOR_TESTING, "editor"),
        )
    )
)


@pytest.fixture
def package_name():
    return "onlyoffice_plone"
