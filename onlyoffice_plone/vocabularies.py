"""Vocabularies for the settings form, filled from the core's format table."""

from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from onlyoffice_plone import core


@provider(IVocabularyFactory)
def lossy_edit_formats(context=None):
    """Every format ONLYOFFICE Docs can edit only with some loss of features."""
    return SimpleVocabulary(
        [
            SimpleTerm(value=ext, token=ext, title=f".{ext}")
            for ext in sorted(core.lossy_edit_extensions())
        ]
    )
