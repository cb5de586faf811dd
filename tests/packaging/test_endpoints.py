"""The body guard knows every view and service the add-on registers, and nothing else."""

import re
from pathlib import Path

import onlyoffice_plone
from onlyoffice_plone.docs import guard

PACKAGE = Path(onlyoffice_plone.__file__).parent
#: A page or service registration's name (views as ``onlyoffice-…``, services ``@onlyoffice-…``).
NAME = re.compile(r'<(?:browser:page|plone:service)\b[^>]*?\bname="@{0,2}([^"]+)"', re.S)


def test_the_guard_bounds_exactly_the_registered_endpoints():
    names = set()
    for zcml in PACKAGE.rglob("*.zcml"):
        names.update(NAME.findall(zcml.read_text(encoding="utf-8")))
    ours = {name for name in names if name.startswith("onlyoffice-")}
    assert ours == guard.ENDPOINTS
    overridden = {"iconresolver", "folder_factories", "plone_lock_info"}
    assert names - ours <= overridden, "Plone's, overridden"
