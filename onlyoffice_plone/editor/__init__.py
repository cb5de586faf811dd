"""Editing, viewing and co-editing: actions, editor pages, the endpoints Docs calls."""
