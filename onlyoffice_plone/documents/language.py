"""The language of the add-on's texts in this request, negotiated once.

A message translated without a target language makes zope.i18n negotiate the language
again (through Plone's negotiator, which normalizes every language the domain has a
catalogue for, tens of microseconds each); the editor page translates dozens, Plone's File
view ten (the titles and descriptions of the add-on's actions, its viewlet).
``target_language`` negotiates once per request what each of them would get, and
``translated`` passes it on. The add-on's translation domain (``TranslationDomain``,
registered in configure.zcml before its catalogues) does the same for every text of the
domain that Plone's templates translate: it asks the negotiator once per request.

A request is only remembered once it has been traversed (``PUBLISHED`` set): Plone binds the
request's language while traversing, so a text translated before (an error raised at
IPubStart) is negotiated on its own and does not fix the language for the rest.
"""

from zope.component import getUtility
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.i18n import negotiate
from zope.i18n import translate
from zope.i18n.interfaces import INegotiator
from zope.i18n.interfaces import ITranslationDomain
from zope.i18n.translationdomain import LANGUAGE_FALLBACKS
from zope.i18n.translationdomain import TranslationDomain as BaseTranslationDomain

DOMAIN = "onlyoffice_plone"
#: Where the request keeps the negotiated language.
_KEY = "_onlyoffice_plone_target_language"
#: Where it keeps the language negotiated among the domain's catalogues (None: none fits).
_CATALOG_KEY = "_onlyoffice_plone_catalogue_language"


def _memo(request):
    """The request's dict to remember the negotiation in, once it has been traversed."""
    other = getattr(request, "other", None)
    if isinstance(other, dict) and other.get("PUBLISHED") is not None:
        return other
    return None


def catalogue_language(domain, request):
    """What ``domain`` negotiates among its catalogues for ``request``, asked once per
    request (as TranslationDomain.translate asks for each text)."""
    memo = _memo(request)
    if memo is not None and _CATALOG_KEY in memo:
        return memo[_CATALOG_KEY]
    language = getUtility(INegotiator).getLanguage(domain.getCatalogsInfo().keys(), request)
    if memo is not None:
        memo[_CATALOG_KEY] = language
    return language


class TranslationDomain(BaseTranslationDomain):
    """The add-on's translation domain: zope.i18n's, negotiating once per request.

    Without a target language zope.i18n's domain negotiates for every text. This one asks
    ``catalogue_language``, which gives the same answer once per request. A request that
    negotiates no catalogue gets the domain's first fallback, which translates exactly as
    no target language does (the fallbacks, in order, then the text as written).
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
        if target_language is None and context is not None and msgid != "":
            target_language = (
                catalogue_language(self, context) or (self._fallbacks or LANGUAGE_FALLBACKS)[0]
            )
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


def target_language(request=None):
    """The language to translate the add-on's messages into in ``request``: the one each of
    them would be negotiated (None without a request)."""
    request = request if request is not None else getRequest()
    if request is None:
        return None
    memo = _memo(request)
    if memo is not None and _KEY in memo:
        return memo[_KEY]
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
        memo[_KEY] = language
    return language


def translated(message, request=None):
    """``message`` (of the add-on's domain) in the request's language."""
    request = request if request is not None else getRequest()
    return translate(
        message, domain=DOMAIN, context=request, target_language=target_language(request)
    )
