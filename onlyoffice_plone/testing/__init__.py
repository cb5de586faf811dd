"""Test support shipped with the add-on.

Nothing here imports Plone or Zope at module level, so the ONLYOFFICE Docs test double
(``python -m onlyoffice_plone.testing.docs_double``) runs without the test extras.
Plone-specific helpers live in modules that import Plone themselves (``layers_docs``).
"""
