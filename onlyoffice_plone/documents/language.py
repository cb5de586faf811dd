"""The language of the add-on's texts in this request, negotiated once.

A message translated without a target language makes zope.i18n negotiate the language
again (through Plone's negotiator, tens of microseconds each); the editor page translates
dozens. ``target_language`` negotiates once per request what each of them would get, and
``translated`` passes it on.
"""

from zope.component import getUtility
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.i18n import negotiate
from zope.i18n import translate
from zope.i18n.interfaces import INegotiator
from zope.i18n.interfaces import ITranslationDomain
from zope.i18n.translationdomain import LANGUAGE_FALLBACKS

DOMAIN = "onlyoffice_plone"
#: Where the request keeps the negotiated language.
_KEY = "_onlyoffice_plone_target_language"


def target_language(request=None):
    """The language to translate the add-on's messages into in ``request``: the one each of
    them would be negotiated (None without a request)."""
    request = request if request is not None else getRequest()
    if request is None:
        return None
    other = getattr(request, "other", None)
    if other is not None and _KEY in other:
        return other[_KEY]
    domain = queryUtility(ITranslationDomain, DOMAIN)
    if domain is None:
        return None
    # As zope.i18n.translate: first among the languages a site allows
    # (zope_i18n_allowed_languages), if it names any, then among the domain's catalogues.
    language = negotiate(request)
    if language is None:
        languages = domain.getCatalogsInfo().keys()
        language = getUtility(INegotiator).getLanguage(languages, request)
    if language is None:
        # Asked for a language without a catalogue, the domain does as when it is given
        # none: it takes its first fallback that has one (else the texts as written).
        language = (getattr(domain, "_fallbacks", None) or LANGUAGE_FALLBACKS)[0]
    if other is not None:
        other[_KEY] = language
    return language


def translated(message, request=None):
    """``message`` (of the add-on's domain) in the request's language."""
    request = request if request is not None else getRequest()
    return translate(
        message, domain=DOMAIN, context=request, target_language=target_language(request)
    )
