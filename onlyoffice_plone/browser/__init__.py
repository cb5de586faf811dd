"""Views, forms and static resources of the add-on."""
