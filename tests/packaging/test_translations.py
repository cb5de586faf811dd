"""The compiled catalogues shipped in the package match their .po sources."""

import subprocess
import sys
from pathlib import Path

import pytest
from pythongettext.msgfmt import Msgfmt

LOCALES = Path(__file__).resolve().parents[2] / "onlyoffice_plone" / "locales"
CATALOGUES = sorted(LOCALES.glob("*/LC_MESSAGES/onlyoffice_plone.po"))


def test_there_are_catalogues():
    assert [p.parts[-3] for p in CATALOGUES] == ["de", "fr"]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_mo_is_compiled_from_po(po):
    compiled = Msgfmt(str(po), name=str(po)).get()
    assert po.with_suffix(".mo").read_bytes() == compiled, (
        "run scripts/update-translations --compile"
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_po_has_every_message_of_the_template(po):
    assert msgids(LOCALES / "onlyoffice_plone.pot") <= msgids(po), (
        "run scripts/update-translations"
    )


def msgids(path):
    return {
        line[len('msgid "') : -1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    }


def test_template_has_every_message_of_the_code(tmp_path):
    """Every message the code and templates use is in the .pot, hence in every catalogue."""
    pot = tmp_path / "extracted.pot"
    root = LOCALES.parents[1]
    subprocess.run(
        [
            str(Path(sys.executable).with_name("i18ndude")),
            "rebuild-pot",
            "--pot",
            str(pot),
            "--create",
            "onlyoffice_plone",
            "onlyoffice_plone",
        ],
        check=True,
        capture_output=True,
        cwd=root,
    )
    missing = msgids(pot) - msgids(LOCALES / "onlyoffice_plone.pot")
    assert not missing, "run scripts/update-translations and translate: " + repr(sorted(missing))
