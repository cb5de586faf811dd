"""Ways for test suites to start the double: pytest fixtures (``fixtures``, needs pytest) and a
plone.testing layer (``layers``, needs plone.testing). Neither imports Plone."""
