"""The add-on's ``@@iconresolver`` keeps its own icons and leaves every other name to the
resolver it stands in front of: Plone's, or a theme's or another add-on's on its own layer."""

import pytest
from Products.CMFPlone.browser.icons import IconsView
from zope.component import getGlobalSiteManager
from zope.component import getMultiAdapter
from zope.interface import Interface
from zope.interface import directlyProvidedBy
from zope.interface import directlyProvides
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

from onlyoffice_plone.browser.icons import IconResolver
from onlyoffice_plone.browser.icons import other_resolvers
from onlyoffice_plone.interfaces import IOnlyofficePloneLayer


class IThemeLayer(IDefaultBrowserLayer):
    """A theme's or another add-on's layer, installed before the add-on."""


class ThemeResolver(IconsView):
    """A resolver with pictures of its own for every name."""

    def tag(self, name, tag_class="", tag_alt=""):
        return f'<svg class="theme {tag_class}" data-name="{name}"></svg>'

    def lookup(self, name):
        return f"++theme++pictures/{name}.svg"

    def __call__(self):
        return f"theme picture {self.name}"


@pytest.fixture
def request_with(portal):
    """The portal's request, marked with the given layers in front of its own (the
    order plone.browserlayer gives the layers installed in a site)."""
    request = portal.REQUEST
    kept = directlyProvidedBy(request)

    def mark(*layers):
        directlyProvides(request, *layers, *[i for i in kept if i not in layers])
        return request

    yield mark
    directlyProvides(request, kept)


@pytest.fixture
def theme_resolver():
    """ThemeResolver registered for the theme's layer, as a theme's ZCML would."""
    registry = getGlobalSiteManager()
    required = (Interface, IThemeLayer)
    assert not other_resolvers(), "Plone's resolver and the add-on's only"
    registry.registerAdapter(ThemeResolver, required, Interface, "iconresolver")
    yield
    registry.unregisterAdapter(ThemeResolver, required, Interface, "iconresolver")
    assert not other_resolvers(), "the kept answer is forgotten again"


def resolver(portal, request):
    view = getMultiAdapter((portal, request), name="iconresolver")
    assert isinstance(view, IconResolver), "the add-on's resolver answers on its layer"
    return view


def test_a_theme_resolver_beneath_ours_still_answers_for_every_other_name(
    portal, request_with, theme_resolver
):
    request = request_with(IOnlyofficePloneLayer, IThemeLayer)
    view = resolver(portal, request)
    assert view.tag("plone", tag_class="me-1") == (
        '<svg class="theme me-1" data-name="plone"></svg>'
    )
    assert view.lookup("pencil-square") == "++theme++pictures/pencil-square.svg"
    view.publishTraverse(request, "contenttype")
    view.publishTraverse(request, "document")
    assert view() == "theme picture contenttype/document"
    # The add-on's own icons are still the add-on's pictures.
    edit = view.tag("onlyoffice-edit", tag_class="me-1")
    assert edit.startswith("<svg") and "bi-pencil-square" in edit, edit
    assert view.lookup("onlyoffice-edit").endswith(".svg")
    assert not view.lookup("onlyoffice-edit").startswith("++theme++")


def test_without_another_resolver_plone_answers_for_every_other_name(portal, request_with):
    request = request_with(IOnlyofficePloneLayer)
    view = resolver(portal, request)
    plones = IconsView(portal, request)
    assert view.tag("plone", tag_class="me-1") == plones.tag("plone", tag_class="me-1")
    assert view.lookup("pencil-square") == plones.lookup("pencil-square")
    assert view.url("pencil-square") == plones.url("pencil-square")


def test_a_resolver_in_front_of_ours_answers_for_everything(portal, request_with, theme_resolver):
    # A theme installed after the add-on comes first: its resolver answers, the add-on's
    # names included (as Plone's would, by the registry's pictures).
    request = request_with(IThemeLayer, IOnlyofficePloneLayer)
    view = getMultiAdapter((portal, request), name="iconresolver")
    assert isinstance(view, ThemeResolver)
