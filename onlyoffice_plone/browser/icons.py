"""The add-on's icons in Plone's toolbar, read once per process.

Plone renders every toolbar and menu entry's icon inline: ``@@iconresolver``'s ``tag()``
looks the icon's name up in the registry (``plone.icon.<name>``), then reads, parses and
rewrites the SVG file, on every page, for every entry. The add-on's actions (ONLYOFFICE Edit,
View, Convert, Download as) name their own icons, ``onlyoffice-*`` (registry.xml, so a site
can give them other pictures); this resolver, on the add-on's layer, keeps the SVG it made
for those names.

A tag is kept per icon file (the registry value), CSS class and title, so a site that points
a name at another file gets the new picture at once; the files themselves are the add-on's
and Plone's static resources, which change only with the software. Only inline SVG is kept:
for another kind of picture Plone writes an <img> with the site's URL, which depends on the
host asking.

Every other name is answered by the resolver this one stands in front of: the one the
request would get without the add-on's layer. That is Plone's own, unless a theme or another
add-on put its own resolver on a layer of its own; then that one answers, as it would have
without the add-on. Whether there is such a resolver is asked of the global registry (where
ZCML registers views) once, and again whenever a resolver is registered or unregistered.
"""

from Products.CMFPlone.browser.icons import IconsView
from zope.component import getGlobalSiteManager
from zope.component import getSiteManager
from zope.interface import Interface
from zope.interface import providedBy
from zope.interface.declarations import Declaration

from onlyoffice_plone.interfaces import IOnlyofficePloneLayer

PREFIX = "onlyoffice-"
NAME = "iconresolver"
#: Tags kept: the add-on's four icons, in the few classes and titles Plone asks for them.
MAX_KEPT = 64
_kept = {}
#: What IconsView answers with; a resolver that changes none of them answers as Plone does.
_PLONES = ("tag", "lookup", "url", "publishTraverse", "__call__", "_iconfile")
#: Whether the component registry (the key) has a resolver of its own beside Plone's and
#: this one. Almost no site has: the answer is kept, and forgotten when a view is registered.
_others = [None, False]
#: Per set of layers a request provides: the same set without the add-on's layer. The sets
#: are few (one per combination of installed add-ons and themes), and zope.interface keeps
#: one object per set, so the adapter registry's own cache answers each lookup below.
_beneath = {}


def _answers_as_plone(factory):
    if not isinstance(factory, type) or issubclass(factory, IconResolver):
        return True  # not a view class, or this one (on a layer extending the add-on's)
    return issubclass(factory, IconsView) and all(
        getattr(factory, name) is getattr(IconsView, name) for name in _PLONES
    )


def other_resolvers():
    """Is a resolver of its own registered beside Plone's and the add-on's (in ZCML)?"""
    registry = getGlobalSiteManager()
    if _others[0] is not registry:
        _others[:] = [
            registry,
            any(
                r.name == NAME and not _answers_as_plone(r.factory)
                for r in registry.registeredAdapters()
            ),
        ]
    return _others[1]


def registrations_changed(registration, event):
    """A view was registered or unregistered: ask again which resolvers there are."""
    if getattr(registration, "name", None) == NAME:
        _others[0] = None


def _without_our_layer(provided):
    spec = _beneath.get(provided)
    if spec is None:
        if len(_beneath) >= MAX_KEPT:
            _beneath.clear()
        spec = _beneath[provided] = Declaration(
            *[i for i in provided.interfaces() if i is not IOnlyofficePloneLayer]
        )
    return spec


def resolver_beneath(context, request):
    """The ``@@iconresolver`` the request would get without the add-on's layer (an
    instance), or None when that one answers as Plone's own does."""
    if not other_resolvers():
        return None
    factory = getSiteManager().adapters.lookup(
        (providedBy(context), _without_our_layer(providedBy(request))), Interface, name=NAME
    )
    return None if factory is None or _answers_as_plone(factory) else factory(context, request)


class IconResolver(IconsView):
    def __init__(self, context, request):
        super().__init__(context, request)
        self._other = resolver_beneath(context, request)

    def tag(self, name, tag_class="", tag_alt=""):
        if not name.startswith(PREFIX):
            if self._other is not None:
                return self._other.tag(name, tag_class=tag_class, tag_alt=tag_alt)
            return super().tag(name, tag_class=tag_class, tag_alt=tag_alt)
        icon = self.lookup(name)
        if not icon.endswith(".svg"):
            # Plone answers an <img> with this site's and host's URL: nothing to keep.
            return super().tag(name, tag_class=tag_class, tag_alt=tag_alt)
        key = (icon, tag_class, tag_alt)
        tag = _kept.get(key)
        if tag is None:
            tag = super().tag(name, tag_class=tag_class, tag_alt=tag_alt)
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = tag
        return tag

    def lookup(self, name):
        if self._other is not None and not name.startswith(PREFIX):
            return self._other.lookup(name)
        return super().lookup(name)

    def url(self, name):
        if self._other is not None and not name.startswith(PREFIX):
            return self._other.url(name)
        return super().url(name)

    def __call__(self):
        # @@iconresolver/<name>: the picture itself, from whoever answers for the name.
        name = getattr(self, "name", "") or ""
        if self._other is None or not name or name.startswith(PREFIX):
            return super().__call__()
        other = self._other
        for part in name.split("/"):
            other = other.publishTraverse(self.request, part)
        return other()
