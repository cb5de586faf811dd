"""Fixtures for the creation tests: the same site as the conversion tests (editor layer)."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

_spec = importlib.util.spec_from_file_location(
    "onlyoffice_conversion_test_site",
    pathlib.Path(__file__).resolve().parents[1] / "conversion" / "conftest.py",
)
_shared = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _shared
_spec.loader.exec_module(_shared)

PASSWORD = _shared.PASSWORD
Site = _shared.Site
site = _shared.site
browser = _shared.browser
page = _shared.page
