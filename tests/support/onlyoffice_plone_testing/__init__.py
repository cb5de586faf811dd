"""Test support for the add-on: Plone layers, test content, Chromium and its pytest fixtures.

Not part of the add-on's distribution: pytest finds it through ``pythonpath`` in pyproject.toml,
``make bench`` and ``make screenshots`` through PYTHONPATH. The ONLYOFFICE Docs test double is
its own distribution, ``onlyoffice-docs-double`` (``docs-double/``).
"""
