"""The language of the add-on's texts in this request, negotiated once.

A message translated without a target language makes zope.i18n negotiate the language
again (through Plone's negotiator, which normalizes every language the domain has a
catalogue for, tens of microseconds each); the editor page translates dozens, Plone's File
view ten (the titles and descriptions of the add-on's actions, its viewlet).
``target_language`` negotiates once per request what each of them would get, and
``translated`` passes it on. The add-on's translation domain (``TranslationDomain``,
installed by ``<onlyoffice:translationDomain />`` in configure.zcml before its catalogues)
does the same for every text of the domain that Plone's templates translate: it asks the
negotiator once per request.

A request's language is only remembered once the request has been traversed (``PUBLISHED``
set), and for the language Plone bound then (``LANGUAGE``): Plone binds it while traversing,
so a text translated before (an error raised at IPubStart) is negotiated on its own, and a
language bound again later is negotiated again.
"""

from zope.component import getSiteManager
from zope.component import getUtility
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.i18n import negotiate
from zope.i18n import translate
from zope.i18n.interfaces import INegotiator
from zope.i18n.interfaces import ITranslationDomain
from zope.i18n.translationdomain import LANGUAGE_FALLBACKS
from zope.i18n.translationdomain import TranslationDomain as BaseTranslationDomain
from zope.interface import Interface

DOMAIN = "onlyoffice_plone"
#: Where the request keeps the negotiated language.
_KEY = "_onlyoffice_plone_target_language"
#: Where it keeps the language negotiated among the domain's catalogues (None: none fits).
_CATALOG_KEY = "_onlyoffice_plone_catalogue_language"
#: The language the add-on's texts are written in: it needs no catalogue, but it is one the
#: domain speaks. Without it, a visitor who asks for English on a site whose default language
#: has a catalogue here would get the add-on's texts in the site's language, beside Plone's
#: in English.
SOURCE_LANGUAGE = "en"


def _memo(request):
    """The request's dict to remember the negotiation in, once it has been traversed."""
    other = getattr(request, "other", None)
    if isinstance(other, dict) and other.get("PUBLISHED") is not None:
        return other
    return None


def _remembered(memo, key):
    """What ``memo`` remembers under ``key`` for the request's language binding: Plone binds
    the language while traversing (``LANGUAGE``) and may bind it again later."""
    kept = memo.get(key)
    if kept is not None and kept[0] == memo.get("LANGUAGE"):
        return True, kept[1]
    return False, None


def catalogue_language(domain, request):
    """What ``domain`` negotiates for ``request`` among its catalogues' languages and the
    one its texts are written in, asked once per request (as TranslationDomain.translate
    asks for each text). English, having no catalogue, translates to the texts as written."""
    memo = _memo(request)
    if memo is not None:
        known, language = _remembered(memo, _CATALOG_KEY)
        if known:
            return language
    languages = {*domain.getCatalogsInfo().keys(), SOURCE_LANGUAGE}
    language = getUtility(INegotiator).getLanguage(languages, request)
    if memo is not None:
        memo[_CATALOG_KEY] = (memo.get("LANGUAGE"), language)
    return language


class TranslationDomain(BaseTranslationDomain):
    """The add-on's translation domain: zope.i18n's, negotiating once per request.

    Without a target language zope.i18n's domain negotiates for every text; this one asks
    ``catalogue_language``, which gives the same answer once per request (English counting
    as a language the domain speaks), and translates as zope.i18n's domain does with it
    (None included: the fallbacks, and messages of other domains in the mapping
    negotiating their own language).
    """

    def __init__(self, domain=None, fallbacks=None):
        super().__init__(domain or DOMAIN, fallbacks)

    def translate(
        self,
        msgid,
        mapping=None,
        context=None,
        target_language=None,
        default=None,
        msgid_plural=None,
        default_plural=None,
        number=None,
    ):
        if target_language is not None or context is None or msgid == "":
            return super().translate(
                msgid,
                mapping,
                context,
                target_language,
                default,
                msgid_plural,
                default_plural,
                number,
            )
        # zope.i18n's TranslationDomain.translate, with the language negotiated once.
        return self._recursive_translate(
            msgid,
            mapping,
            catalogue_language(self, context),
            default,
            context,
            msgid_plural,
            default_plural,
            number,
        )


class ITranslationDomainDirective(Interface):
    """``<onlyoffice:translationDomain />``: the add-on's translation domain (no options)."""


def translation_domain_directive(_context):
    """Install the add-on's domain where the directive stands among the configuration's
    actions: before the add-on's catalogues (registered after it, they go to it)."""
    _context.action(discriminator=None, callable=install_translation_domain)


def install_translation_domain(site_manager=None):
    """Register the add-on's TranslationDomain, taking over what zope.i18n's domain of the
    same name already holds: catalogues a package registered earlier (a site's own
    translations of the add-on's texts, which come first) and its fallbacks. A domain of
    another kind, registered on purpose, is left alone."""
    site_manager = site_manager if site_manager is not None else getSiteManager()
    existing = site_manager.queryUtility(ITranslationDomain, DOMAIN)
    if isinstance(existing, TranslationDomain):
        return existing
    if existing is not None and type(existing) is not BaseTranslationDomain:
        return existing
    domain = TranslationDomain()
    if existing is not None:
        domain.setLanguageFallbacks(existing._fallbacks)
        for catalog in existing._data.values():  # in the order they were registered
            domain.addCatalog(catalog)
    site_manager.registerUtility(domain, ITranslationDomain, name=DOMAIN)
    return domain


def target_language(request=None):
    """The language to translate the add-on's messages into in ``request``: the one each of
    them would be negotiated (None without a request)."""
    request = request if request is not None else getRequest()
    if request is None:
        return None
    memo = _memo(request)
    if memo is not None:
        known, language = _remembered(memo, _KEY)
        if known:
            return language
    domain = queryUtility(ITranslationDomain, DOMAIN)
    if domain is None:
        return None
    # As zope.i18n.translate: first among the languages a site allows
    # (zope_i18n_allowed_languages), if it names any, then among the domain's catalogues.
    language = negotiate(request)
    if language is None:
        language = catalogue_language(domain, request)
    if language is None:
        # Asked for a language without a catalogue, the domain does as when it is given
        # none: it takes its first fallback that has one (else the texts as written).
        language = (getattr(domain, "_fallbacks", None) or LANGUAGE_FALLBACKS)[0]
    if memo is not None:
        memo[_KEY] = (memo.get("LANGUAGE"), language)
    return language


def translated(message, request=None):
    """``message`` (of the add-on's domain) in the request's language."""
    request = request if request is not None else getRequest()
    return translate(
        message, domain=DOMAIN, context=request, target_language=target_language(request)
    )
