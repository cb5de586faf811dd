"""The add-on's ``@@iconresolver`` keeps its own icons and leaves every other name to the
resolver it stands in front of: Plone's, or a theme's or another add-on's on its own layer,
when the current user may use it. In the site of the integration layer, and through the real
server (``@@iconresolver/<name>``, published by the publisher with that resolver's own
permission)."""

import pytest
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.registry.interfaces import IRegistry
from Products.CMFPlone.browser.icons import IconsView
from zope.component import getGlobalSiteManager
from zope.component import getMultiAdapter
from zope.component import getSiteManager
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import directlyProvidedBy
from zope.interface import directlyProvides
from zope.interface import providedBy
from zope.interface.declarations import Provides
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

from onlyoffice_plone.browser import icons
from onlyoffice_plone.browser.icons import IconResolver
from onlyoffice_plone.browser.icons import other_resolvers
from onlyoffice_plone.interfaces import IOnlyofficePloneLayer


class IThemeLayer(IDefaultBrowserLayer):
    """A theme's or another add-on's layer."""


class ThemeResolver(IconsView):
    """A resolver with pictures of its own for every name."""

    def tag(self, name, tag_class="", tag_alt=""):
        return f'<svg class="theme {tag_class}" data-name="{name}"></svg>'

    def lookup(self, name):
        return f"++theme++pictures/{name}.svg"

    def url(self, name):
        return f"https://theme.example.org/{name}.svg"

    def __call__(self):
        return f"theme picture {self.name}"


class ManagersResolver(ThemeResolver):
    """The same, for Managers only (a registration's permission, as Five declares it)."""

    __roles__ = ("Manager",)


class PrefixResolver(IconsView):
    """A theme that only names its own registry records and default picture."""

    prefix = "theme.icon."
    defaulticon = "++theme++pictures/default.svg"


def function_resolver(context, request):
    return ThemeResolver(context, request)


class FrontResolver(IconsView):
    """An add-on standing in front of others the way the add-on does: it hands every name
    to the resolver the request would get without its own layer (the add-on's, here)."""

    def tag(self, name, tag_class="", tag_alt=""):
        layers = [i for i in directlyProvidedBy(self.request) if i is not IFrontLayer]
        factory = getSiteManager().adapters.lookup(
            (providedBy(self.context), Provides(type(self.request), *layers)),
            Interface,
            name="iconresolver",
        )
        beneath = factory(self.context, self.request)
        return beneath.tag(name, tag_class=tag_class, tag_alt=tag_alt)


class IFrontLayer(IDefaultBrowserLayer):
    """The layer of that add-on."""


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
def register():
    """Register a resolver for a layer, as a theme's ZCML would; unregistered after."""
    registry = getGlobalSiteManager()
    done = []

    def register(factory, layer=IThemeLayer):
        required = (Interface, layer)
        registry.registerAdapter(factory, required, Interface, "iconresolver")
        done.append((factory, required))

    assert not other_resolvers(), "Plone's resolver and the add-on's only"
    yield register
    for factory, required in done:
        registry.unregisterAdapter(factory, required, Interface, "iconresolver")
    assert not other_resolvers(), "the kept answer is forgotten again"


def resolver(portal, request):
    view = getMultiAdapter((portal, request), name="iconresolver")
    assert isinstance(view, IconResolver), "the add-on's resolver answers on its layer"
    return view


def text(tag):
    """An icon's tag as text (Plone 6.1's resolver gives bytes, 6.2's text)."""
    return tag.decode() if isinstance(tag, bytes) else tag


def assert_the_addons_own_icons(view):
    edit = text(view.tag("onlyoffice-edit", tag_class="me-1"))
    assert edit.startswith("<svg") and "bi-pencil-square" in edit, edit
    assert view.lookup("onlyoffice-edit") == "++plone++bootstrap-icons/pencil-square.svg"


def test_a_theme_resolver_beneath_ours_answers_for_every_other_name(
    portal, request_with, register
):
    register(ThemeResolver)
    request = request_with(IOnlyofficePloneLayer, IThemeLayer)
    view = resolver(portal, request)
    assert view.tag("plone", tag_class="me-1") == (
        '<svg class="theme me-1" data-name="plone"></svg>'
    )
    assert view.lookup("pencil-square") == "++theme++pictures/pencil-square.svg"
    assert view.url("pencil-square") == "https://theme.example.org/pencil-square.svg"
    # @@iconresolver/contenttype/document: the theme's view is what gets published.
    published = view.publishTraverse(request, "contenttype")
    assert isinstance(published, ThemeResolver)
    assert published.publishTraverse(request, "document")() == (
        "theme picture contenttype/document"
    )
    assert isinstance(view.publishTraverse(request, "onlyoffice-edit"), IconResolver)
    assert_the_addons_own_icons(view)


def test_without_another_resolver_plone_answers_for_every_other_name(portal, request_with):
    request = request_with(IOnlyofficePloneLayer)
    view = resolver(portal, request)
    plones = IconsView(portal, request)
    assert view.tag("plone", tag_class="me-1") == plones.tag("plone", tag_class="me-1")
    assert view.lookup("pencil-square") == plones.lookup("pencil-square")
    assert view.url("pencil-square") == plones.url("pencil-square")
    assert view.publishTraverse(request, "plone") is view
    assert_the_addons_own_icons(view)


#: One of Plone's icons (a registry record of plone.staticresources).
NAME = "mimetype-application"


@pytest.fixture
def plone_reads(monkeypatch):
    """The names Plone's own ``tag()`` is asked to read from now on."""
    names = []
    real = IconsView.tag

    def reading(view, name, *args, **kwargs):
        names.append(name)
        return real(view, name, *args, **kwargs)

    icons._kept.clear()  # as in a process that has not drawn them yet
    monkeypatch.setattr(IconsView, "tag", reading)
    yield names
    icons._kept.clear()


def test_plones_icons_are_read_once_and_drawn_as_plone_draws_them(
    portal, request_with, plone_reads
):
    request = request_with(IOnlyofficePloneLayer)
    drawn = IconsView(portal, request).tag(NAME, tag_class="me-1", tag_alt="A file")
    plone_reads.clear()
    view = resolver(portal, request)
    for _ in range(3):
        assert view.tag(NAME, tag_class="me-1", tag_alt="A file") == drawn
    assert plone_reads == [NAME], "read once, then kept"
    # Another class or title is another tag.
    other = text(view.tag(NAME, tag_class="ms-2"))
    assert 'class="plone-icon ms-2' in other and "A file" not in other.split(">", 1)[0]
    assert plone_reads == [NAME, NAME]


def test_a_name_pointed_at_another_file_is_drawn_anew_at_once(portal, request_with, plone_reads):
    registry = getUtility(IRegistry)
    request = request_with(IOnlyofficePloneLayer)
    view = resolver(portal, request)
    before = text(view.tag(NAME))
    registry[f"plone.icon.{NAME}"] = "++plone++bootstrap-icons/eye.svg"
    after = text(view.tag(NAME))
    assert "bi-eye" in after and "bi-eye" not in before
    assert text(view.tag(NAME)) == after
    assert plone_reads == [NAME, NAME]


def test_an_icon_whose_file_is_missing_is_not_kept(portal, request_with, plone_reads, caplog):
    """Plone draws its default picture and logs the missing file, each time, as without the
    add-on; nothing is kept that would hide it."""
    registry = getUtility(IRegistry)
    registry[f"plone.icon.{NAME}"] = "++plone++bootstrap-icons/no-such-picture.svg"
    request = request_with(IOnlyofficePloneLayer)
    view = resolver(portal, request)
    default = text(IconsView(portal, request).tag(NAME))
    plone_reads.clear()
    caplog.clear()
    assert text(view.tag(NAME)) == text(view.tag(NAME)) == default
    assert plone_reads == [NAME, NAME]
    missing = [r for r in caplog.records if "no-such-picture" in r.getMessage()]
    assert len(missing) == 2, [r.getMessage() for r in caplog.records]


def test_an_image_icon_is_not_kept(portal, request_with, plone_reads):
    """Not SVG: Plone writes an <img> with the site's URL, which depends on the host asking."""
    registry = getUtility(IRegistry)
    registry[f"plone.icon.{NAME}"] = "++plone++icons/plone.png"
    request = request_with(IOnlyofficePloneLayer)
    view = resolver(portal, request)
    assert text(view.tag(NAME)).startswith("<img") and text(view.tag(NAME)).startswith("<img")
    assert plone_reads == [NAME, NAME]


def test_in_debug_mode_plone_reads_each_icon_every_time(
    portal, request_with, plone_reads, monkeypatch
):
    """A developer editing an icon's file sees the edit on the next page, as without the
    add-on."""
    from App.config import getConfiguration

    monkeypatch.setattr(getConfiguration(), "debug_mode", True, raising=False)
    view = resolver(portal, request_with(IOnlyofficePloneLayer))
    assert view.tag(NAME) == view.tag(NAME)
    assert plone_reads == [NAME, NAME]


def test_a_resolver_the_user_may_not_use_is_not_asked(portal, request_with, register):
    register(ManagersResolver)
    request = request_with(IOnlyofficePloneLayer, IThemeLayer)
    plones = IconsView(portal, request).tag("plone")
    logout()
    assert resolver(portal, request).tag("plone") == plones, "Plone's picture, not theirs"
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    assert resolver(portal, request).tag("plone") == (
        '<svg class="theme " data-name="plone"></svg>'
    )


@pytest.mark.parametrize("factory", [PrefixResolver, function_resolver])
def test_any_resolver_of_its_own_is_asked(portal, request_with, register, factory):
    """A theme changing only IconsView's settings, or registered as a function."""
    register(factory)
    request = request_with(IOnlyofficePloneLayer, IThemeLayer)
    answer = factory(portal, request).lookup("plone")
    assert answer.startswith("++theme++pictures/")
    assert resolver(portal, request).lookup("plone") == answer


def test_an_addon_in_front_doing_the_same_gets_plones_answers(portal, request_with, register):
    register(FrontResolver, IFrontLayer)
    request = request_with(IFrontLayer, IOnlyofficePloneLayer)
    front = getMultiAdapter((portal, request), name="iconresolver")
    assert isinstance(front, FrontResolver)
    # The add-on's resolver, asked by it, finds it beneath and asks it back in turn: the
    # second time round the add-on answers as Plone does instead.
    assert front.tag("plone") == IconsView(portal, request).tag("plone")
    assert "bi-pencil-square" in text(front.tag("onlyoffice-edit"))


def test_the_lookups_reuse_one_declaration_per_set_of_layers(portal, request_with):
    request = request_with(IOnlyofficePloneLayer, IThemeLayer)
    first = icons._without_our_layer(request)
    icons._beneath.clear()
    assert icons._without_our_layer(request) is first
    assert IOnlyofficePloneLayer not in first.flattened()
    assert IThemeLayer in first.flattened()


# Through the real server: a resolver registered where Plone's is, beneath the add-on's.
REQUIRED = (Interface, IDefaultBrowserLayer)


@pytest.fixture
def beneath():
    """Register a resolver where Plone's is (the default layer); Plone's back after."""
    registry = getGlobalSiteManager()
    plones = registry.adapters.registered(REQUIRED, Interface, "iconresolver")

    def register(factory):
        registry.registerAdapter(factory, REQUIRED, Interface, "iconresolver")

    yield register
    for factory in (ThemeResolver, ManagersResolver):
        registry.unregisterAdapter(factory, REQUIRED, Interface, "iconresolver")
    if plones is not None:
        registry.registerAdapter(plones, REQUIRED, Interface, "iconresolver")
    assert not other_resolvers()


def test_a_theme_resolver_publishes_its_pictures(site, beneath):
    beneath(ThemeResolver)
    page = site.get(site.url + "/@@iconresolver/contenttype/document")
    assert page.status_code == 200
    assert page.text == "theme picture contenttype/document"
    own = site.get(site.url + "/@@iconresolver/onlyoffice-edit")
    assert own.status_code == 200 and "<svg" in own.text and "theme" not in own.text


def test_a_resolver_for_managers_is_not_published_to_visitors(site, beneath):
    beneath(ManagersResolver)
    page = site.get(site.url + "/@@iconresolver/plone")
    assert page.status_code == 200
    assert "<svg" in page.text and "theme" not in page.text, "Plone's picture"
