"""The shipped catalogues: one for every language of locales/languages.txt, each complete
(every message of the template translated, nothing fuzzy or obsolete, placeholders kept, the
language's plural forms declared) and compiled into the .mo file Zope loads."""

import ast
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pythongettext.msgfmt import Msgfmt

LOCALES = Path(__file__).resolve().parents[2] / "onlyoffice_plone" / "locales"
TEMPLATE = LOCALES / "onlyoffice_plone.pot"
PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{[a-z]+\}")


def languages():
    """{code: Plural-Forms} as locales/languages.txt lists them."""
    rows = {}
    for line in (LOCALES / "languages.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _name, plural = line.split("\t")
            rows[code] = plural
    return rows


LANGUAGES = languages()


def catalogue(code):
    po = LOCALES / code / "LC_MESSAGES" / "onlyoffice_plone.po"
    return po


def parse(path):
    """The entries of a .po/.pot file: dicts with msgid, msgid_plural, msgstr (a list: one
    per plural form), flags and obsolete."""
    entries, entry, field = [], None, None

    def new_entry():
        return {"msgid": "", "msgid_plural": None, "msgstr": [], "flags": set(), "obsolete": False}

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and (entry["msgid"] or entry["msgstr"] or entry["obsolete"]):
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or new_entry()
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = "msgid_plural", ast.literal_eval(line[13:])
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", ast.literal_eval(line[6:])
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"') and field == "msgstr":
            entry["msgstr"][-1] += ast.literal_eval(line)
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
    return entries


def header(entries):
    text = next(e for e in entries if e["msgid"] == "")["msgstr"][0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def messages(path):
    return {e["msgid"]: e for e in parse(path) if e["msgid"] and not e["obsolete"]}


def test_the_list_is_what_the_issue_asks_for():
    assert sorted(LANGUAGES) == sorted(
        ["cs", "de", "es", "fr", "it", "ja", "nl", "pl", "pt_BR", "ru", "uk", "zh_CN"]
    )


def test_every_catalogue_is_listed():
    shipped = {p.parts[-3] for p in LOCALES.glob("*/LC_MESSAGES/onlyoffice_plone.po")}
    assert shipped <= set(LANGUAGES), "add the language to locales/languages.txt"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_catalogue_exists(code):
    assert catalogue(code).exists(), "run scripts/update-translations and translate it"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_catalogue_is_complete(code):
    po = catalogue(code)
    entries = parse(po)
    obsolete = [e["msgid"] for e in entries if e["obsolete"]]
    assert not obsolete, f"obsolete messages in {code}: {obsolete}"
    found = messages(po)
    wanted = messages(TEMPLATE)
    assert sorted(set(wanted) - set(found)) == [], "run scripts/update-translations"
    assert sorted(set(found) - set(wanted)) == [], "run scripts/update-translations"
    fuzzy = [m for m, e in found.items() if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy messages in {code}: {fuzzy}"
    untranslated = [m for m, e in found.items() if not e["msgstr"] or not all(e["msgstr"])]
    assert not untranslated, f"untranslated messages in {code}: {untranslated}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_placeholders_are_kept(code):
    """${name} (and the page's {n}) must come through verbatim, or the text shows no value."""
    wrong = {
        msgid: msgstr
        for msgid, entry in messages(catalogue(code)).items()
        for msgstr in entry["msgstr"]
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    }
    assert not wrong, f"placeholders changed in {code}: {wrong}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_header_declares_the_language_and_its_plural_forms(code):
    fields = header(parse(catalogue(code)))
    assert fields["Language"] == code
    assert fields["Plural-Forms"] == LANGUAGES[code]
    assert fields["Content-Type"] == "text/plain; charset=utf-8"
    nplurals = int(re.match(r"nplurals=(\d+);", LANGUAGES[code]).group(1))
    for msgid, entry in messages(catalogue(code)).items():
        if entry["msgid_plural"] is not None:
            assert len(entry["msgstr"]) == nplurals, f"{code}: {msgid} needs {nplurals} forms"


def test_plural_forms_select_a_form_for_every_count():
    """Each Plural-Forms expression, as gettext evaluates it, picks a form within nplurals."""
    for code, plural in LANGUAGES.items():
        nplurals = int(re.match(r"nplurals=(\d+);", plural).group(1))
        choose = gettext.c2py(plural.split("plural=", 1)[1].rstrip(";"))
        chosen = {choose(n) for n in range(200)}
        assert chosen == set(range(nplurals)), (code, chosen)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_mo_is_compiled_from_po(code):
    po = catalogue(code)
    compiled = Msgfmt(str(po), name=str(po)).get()
    assert po.with_suffix(".mo").read_bytes() == compiled, (
        "run scripts/update-translations --compile"
    )


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
    missing = set(messages(pot)) - set(messages(TEMPLATE))
    assert not missing, "run scripts/update-translations and translate: " + repr(sorted(missing))
