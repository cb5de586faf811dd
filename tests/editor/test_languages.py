"""Every shipped language, rendered once: the control panel and the editor page in the
language Plone negotiates from the browser's Accept-Language, and the editor told the same
language and region (editorConfig.lang and .region)."""

import gettext
import html
import re
from pathlib import Path

import pytest
import requests
import transaction
from plone.app.testing import SITE_OWNER_NAME

import onlyoffice_plone

from .test_pages import embedded_config

LOCALES = Path(onlyoffice_plone.__file__).parent / "locales"

#: (catalogue, Plone's language code, the browser's Accept-Language, editor lang, region)
LANGUAGES = [
    (None, "en", "en-US,en;q=0.8", "en", "en-US"),
    ("cs", "cs", "cs-CZ,cs;q=0.8", "cs", "cs-CZ"),
    ("de", "de", "de-DE,de;q=0.8", "de", "de-DE"),
    ("es", "es", "es-ES,es;q=0.8", "es", "es-ES"),
    ("fr", "fr", "fr-FR,fr;q=0.8", "fr", "fr-FR"),
    ("it", "it", "it-IT,it;q=0.8", "it", "it-IT"),
    ("ja", "ja", "ja-JP,ja;q=0.8", "ja", "ja-JP"),
    ("nl", "nl", "nl-NL,nl;q=0.8", "nl", "nl-NL"),
    ("pl", "pl", "pl-PL,pl;q=0.8", "pl", "pl-PL"),
    ("pt_BR", "pt-br", "pt-BR,pt;q=0.8", "pt", "pt-BR"),
    ("ru", "ru", "ru-RU,ru;q=0.8", "ru", "ru-RU"),
    ("uk", "uk", "uk-UA,uk;q=0.8", "uk", "uk-UA"),
    ("zh_CN", "zh-cn", "zh-CN,zh;q=0.8", "zh", "zh-CN"),
]


def translator(catalogue):
    """The catalogue's translations (English, the source, translates to itself)."""
    if catalogue is None:
        return gettext.NullTranslations().gettext
    mo = LOCALES / catalogue / "LC_MESSAGES" / "onlyoffice_plone.mo"
    with mo.open("rb") as stream:
        return gettext.GNUTranslations(stream).gettext


def get(site, path, user, accept_language, accept="text/html"):
    headers = {**site._auth(user), "Accept": accept, "Accept-Language": accept_language}
    return requests.get(site._url(path), headers=headers, timeout=30)


@pytest.fixture
def multilingual(site):
    site.portal.portal_registry["plone.available_languages"] = [row[1] for row in LANGUAGES]
    site.portal.portal_registry["plone.use_request_negotiation"] = True
    site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    return site


@pytest.mark.parametrize(
    ("catalogue", "code", "accept", "lang", "region"),
    LANGUAGES,
    ids=[row[1] for row in LANGUAGES],
)
def test_control_panel_and_editor_in_the_negotiated_language(
    multilingual, catalogue, code, accept, lang, region
):
    site = multilingual
    translate = translator(catalogue)
    for msgid in ("Secret key", "ONLYOFFICE Configuration"):
        assert translate(msgid) != msgid or catalogue is None, f"{code}: {msgid} translated"

    panel = get(site, "@@onlyoffice-controlpanel", SITE_OWNER_NAME, accept)
    assert panel.status_code == 200
    text = html.unescape(panel.text)
    assert f'lang="{code}"' in text, "Plone negotiated the language"
    assert translate("Secret key") in text
    assert translate("ONLYOFFICE Configuration") in text

    page = get(site, site.item_url(site.file) + "/@@onlyoffice-edit", "jane", accept)
    assert page.status_code == 200
    assert translate("ONLYOFFICE Docs reports an error:") in html.unescape(page.text)
    editor = embedded_config(page.text)["editorConfig"]
    assert (editor["lang"], editor["region"]) == (lang, region)

    # An anonymous viewer is named in the language too (co-editors see the name).
    path = f"{site.path(site.file)}/@onlyoffice-config?mode=view"
    reply = get(site, path, None, accept, accept="application/json")
    assert reply.json()["config"]["editorConfig"]["user"]["name"] == translate("Anonymous")


@pytest.mark.parametrize(
    ("catalogue", "code", "accept"),
    [row[:3] for row in LANGUAGES],
    ids=[row[1] for row in LANGUAGES],
)
def test_the_file_view_names_the_actions_in_the_negotiated_language(
    multilingual, catalogue, code, accept
):
    """The add-on's texts on Plone's File view (its actions in the toolbar and the Actions
    menu, its viewlet) come from its translation domain, which negotiates once per request:
    each in the request's language."""
    translate = translator(catalogue)
    page = get(multilingual, multilingual.item_url(multilingual.file) + "/view", "jane", accept)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f'lang="{code}"' in text
    for msgid, at_least in (("ONLYOFFICE Edit", 2), ("ONLYOFFICE View", 2), ("Download as…", 1)):
        assert translate(msgid) != msgid or catalogue is None, f"{code}: {msgid} translated"
        assert text.count(translate(msgid)) >= at_least, (code, msgid)
    if catalogue is not None:
        assert ">ONLYOFFICEEdit<" not in re.sub(r"\s+", "", text), "none left in English"


def _request(accept=None):
    from ZPublisher.HTTPRequest import HTTPRequest
    from ZPublisher.HTTPResponse import HTTPResponse

    environ = {"SERVER_NAME": "nohost", "SERVER_PORT": "80", "REQUEST_METHOD": "GET"}
    if accept:
        environ["HTTP_ACCEPT_LANGUAGE"] = accept
    return HTTPRequest(None, environ, HTTPResponse())


def test_the_language_is_remembered_once_the_request_is_traversed(site, monkeypatch):
    """Plone binds a request's language while traversing: a text translated before that is
    negotiated on its own; after it, once for the rest of the request, and again when the
    request's language is bound again."""
    from zope.component import getUtility
    from zope.i18n import translate
    from zope.i18n.interfaces import INegotiator
    from zope.i18n.interfaces import ITranslationDomain

    from onlyoffice_plone import _
    from onlyoffice_plone.documents.language import SOURCE_LANGUAGE
    from onlyoffice_plone.documents.language import TranslationDomain

    domain = getUtility(ITranslationDomain, "onlyoffice_plone")
    assert isinstance(domain, TranslationDomain)
    shipped = {row[0] for row in LANGUAGES if row[0]}
    assert shipped <= set(domain.getCatalogsInfo()), "every catalogue went to the domain"
    ours = {*domain.getCatalogsInfo(), SOURCE_LANGUAGE}

    request = _request()
    negotiator = getUtility(INegotiator)
    asked = []
    real = negotiator.getLanguage

    def get_language(langs, env):
        if set(langs) == ours:
            asked.append(env)
        return real(langs, env)

    monkeypatch.setattr(negotiator, "getLanguage", get_language)
    for _round in range(2):
        translate(_("ONLYOFFICE Edit"), context=request)
    assert len(asked) == 2, "not traversed yet: each text negotiates"
    request["PUBLISHED"] = site.file
    for _round in range(3):
        translate(_("ONLYOFFICE Edit"), context=request)
    assert len(asked) == 3, "traversed: negotiated once more, then remembered"
    request["LANGUAGE"] = "de"  # Plone binds the request's language again
    for _round in range(2):
        translate(_("ONLYOFFICE Edit"), context=request)
    assert len(asked) == 4, "bound again: negotiated again, once"


def test_a_message_of_another_domain_inside_negotiates_its_own_language(site, monkeypatch):
    """A Plone message in the mapping of one of the add-on's messages is translated as
    zope.i18n does it: in the language Plone's domain negotiates, even where the add-on's
    domain has no catalogue for the request's language (Swedish here)."""
    from zope.component import getUtility
    from zope.i18n import translate
    from zope.i18n.interfaces import INegotiator
    from zope.i18nmessageid import Message

    from onlyoffice_plone import _

    negotiator = getUtility(INegotiator)
    monkeypatch.setattr(
        negotiator, "getLanguage", lambda langs, env: "sv" if "sv" in langs else None
    )
    request = _request("sv")
    request["PUBLISHED"] = site.file
    inner = Message("Edit", domain="plone")
    swedish = translate(inner, context=request)
    assert swedish != "Edit", "Plone's domain has Swedish"
    text = translate(_("Opened with ${action}", mapping={"action": inner}), context=request)
    assert text == f"Opened with {swedish}"


@pytest.mark.parametrize("accept", ["de-DE,de;q=0.8", "pt-BR", "xx-YY", ""])
@pytest.mark.parametrize("fallbacks", [None, [], ["fr"], ["xx", "de", "fr"]])
def test_the_domain_translates_as_zope_i18ns_own(site, accept, fallbacks):
    """The add-on's domain gives what zope.i18n's would with the same catalogues, for a
    language it has, one it has not, and none; with the usual fallbacks, none, or one.
    (Where the request accepts English before a language with a catalogue, the two differ
    on purpose: see test_the_add_ons_texts_follow_plone_when_the_site_speaks_another_language.)"""
    from zope.component import getUtility
    from zope.i18n.interfaces import ITranslationDomain
    from zope.i18n.translationdomain import TranslationDomain as ZopeDomain

    from onlyoffice_plone import _
    from onlyoffice_plone.documents.language import TranslationDomain

    registered = getUtility(ITranslationDomain, "onlyoffice_plone")
    ours, theirs = TranslationDomain(fallbacks=fallbacks), ZopeDomain("onlyoffice_plone")
    if fallbacks is not None:
        theirs.setLanguageFallbacks(fallbacks)
    for catalogue in registered._data.values():
        ours.addCatalog(catalogue)
        theirs.addCatalog(catalogue)
    request = _request(accept)
    request["PUBLISHED"] = site.file
    for message in (_("ONLYOFFICE Edit"), _("Download as…"), _("Secret key")):
        assert ours.translate(message, context=request) == theirs.translate(
            message, context=request
        ), (accept, fallbacks, message)


def test_the_languages_a_site_allows_choose_as_for_plones_own_texts(multilingual, monkeypatch):
    """With zope_i18n_allowed_languages set, zope.i18n translates into the best allowed
    language: the add-on's texts (negotiated once per request) follow it too."""
    import zope.i18n

    site = multilingual
    accept = "it-IT,it;q=0.9,de;q=0.5"
    page = get(site, site.item_url(site.file) + "/@@onlyoffice-edit", "jane", accept)
    assert translator("it")("ONLYOFFICE Docs reports an error:") in html.unescape(page.text)

    monkeypatch.setattr(zope.i18n, "ALLOWED_LANGUAGES", ("de", "fr"))
    page = get(site, site.item_url(site.file) + "/@@onlyoffice-edit", "jane", accept)
    text = html.unescape(page.text)
    assert translator("de")("ONLYOFFICE Docs reports an error:") in text
    assert translator("it")("ONLYOFFICE Docs reports an error:") not in text


class Catalogue:
    """A message catalogue of a site's own: one translation, into German."""

    language = "de"

    def getIdentifier(self):
        return "a-site's-own-catalogue"

    def queryMessage(self, msgid, default=None):
        return "Mit ONLYOFFICE bearbeiten" if msgid == "ONLYOFFICE Edit" else default


def test_catalogues_registered_before_the_add_on_are_kept_and_come_first():
    """A package that loads before the add-on may register catalogues for its domain (a
    site's own wording): zope.i18n made a domain for them; the add-on's takes it over,
    with its fallbacks, and the site's catalogue still wins."""
    from zope.i18n.interfaces import ITranslationDomain
    from zope.i18n.translationdomain import TranslationDomain as ZopeDomain
    from zope.interface.registry import Components

    from onlyoffice_plone import _
    from onlyoffice_plone.documents.language import TranslationDomain
    from onlyoffice_plone.documents.language import install_translation_domain

    registry = Components()
    earlier = ZopeDomain("onlyoffice_plone", fallbacks=["fr"])
    earlier.addCatalog(Catalogue())
    registry.registerUtility(earlier, ITranslationDomain, name="onlyoffice_plone")

    installed = install_translation_domain(registry)
    assert isinstance(installed, TranslationDomain)
    assert registry.getUtility(ITranslationDomain, "onlyoffice_plone") is installed
    assert installed._fallbacks == ["fr"]
    mo = LOCALES / "de" / "LC_MESSAGES" / "onlyoffice_plone.mo"
    from zope.i18n.gettextmessagecatalog import GettextMessageCatalog

    installed.addCatalog(GettextMessageCatalog("de", "onlyoffice_plone", str(mo)))
    text = installed.translate(_("ONLYOFFICE Edit"), target_language="de")
    assert text == "Mit ONLYOFFICE bearbeiten", "the site's catalogue first"
    assert installed.translate(_("Secret key"), target_language="de") == translator("de")(
        "Secret key"
    )
    assert install_translation_domain(registry) is installed, "installed once"


def test_a_domain_of_another_kind_is_left_alone():
    from zope.i18n.interfaces import ITranslationDomain
    from zope.i18n.simpletranslationdomain import SimpleTranslationDomain
    from zope.interface.registry import Components

    from onlyoffice_plone.documents.language import install_translation_domain

    registry = Components()
    custom = SimpleTranslationDomain("onlyoffice_plone")
    registry.registerUtility(custom, ITranslationDomain, name="onlyoffice_plone")
    assert install_translation_domain(registry) is custom
    assert registry.getUtility(ITranslationDomain, "onlyoffice_plone") is custom


@pytest.mark.parametrize(
    ("accept", "code", "addon"),
    [
        ("en-US,en;q=0.8", "en", None),
        ("sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7", "sv", None),
        ("sv-SE,sv;q=0.8", "sv", "de"),
    ],
    ids=["english", "swedish-then-english", "only-swedish"],
)
def test_the_add_ons_texts_follow_plone_when_the_site_speaks_another_language(
    multilingual, accept, code, addon
):
    """A German site. A visitor whose browser asks for English, the add-on's own language
    (which has no catalogue, as it needs no translation), gets the add-on's texts in
    English beside Plone's, not in the site's German. One who asks for Swedish, which
    Plone speaks and the add-on does not, gets them in the next language the browser
    accepts that the add-on speaks, and, failing that, in the site's (Plone's own
    negotiation: the site's default language comes last)."""
    site = multilingual
    registry = site.portal.portal_registry
    registry["plone.available_languages"] = [*registry["plone.available_languages"], "sv"]
    registry["plone.default_language"] = "de"
    transaction.commit()
    german = translator("de")
    expected = translator(addon)
    page = get(site, site.item_url(site.file) + "/view", "jane", accept)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f'lang="{code}"' in text, "Plone negotiated the visitor's language"
    for msgid in ("ONLYOFFICE Edit", "ONLYOFFICE View", "Download as…"):
        assert german(msgid) != msgid
        assert expected(msgid) in text, msgid
        if addon is None:
            assert german(msgid) not in text, msgid

    editor = get(site, site.item_url(site.file) + "/@@onlyoffice-edit", "jane", accept)
    assert editor.status_code == 200
    text = html.unescape(editor.text)
    assert expected("That did not work:") in text
    if addon is None:
        assert german("That did not work:") not in text
