"""Plone's toolbar and menu icons, read once per process.

Plone renders every toolbar and menu entry's icon inline: ``@@iconresolver``'s ``tag()``
looks the icon's name up in the registry (``plone.icon.<name>``), then finds, reads, parses
and rewrites the SVG file, on every page, for every entry: about a dozen percent of a File
view's time. This resolver, on the add-on's layer, keeps the SVG tag it got for each icon:
the add-on's own (its actions name ``onlyoffice-*`` icons, registry.xml, so a site can give
them other pictures) and Plone's.

A tag is kept per set of browser layers the request provides (what a resource's lookup may
depend on), icon file (the registry value), CSS class and title, so a site that points a
name at another file gets the new picture at once. Only what Plone read from a file on disk
is kept: Plone draws only the files of plone.resource's directories (``++plone++``, where
all of its icons are, and ``++theme++``), which are public and change only with the
software. Not kept: an <img> for another kind of picture (it carries the site's URL, which
depends on the host asking); an icon whose file cannot be found (Plone logs that and draws
its default, every time, as it would); a file kept in the database (Plone refuses those);
anything while Zope runs in debug mode, where a developer edits the files and Plone's
reading them again on every page shows the edit. A theme uploaded through the web under the
name of a theme on disk puts its files in the database: the tags kept of the disk's go on
being shown (where Plone would refuse to draw the database's) until the process restarts.

Every other resolver is asked as it would be without the add-on: the one the request would
get without the add-on's layer answers, when it is not Plone's own (a theme or another
add-on put its own resolver on a layer of its own), when the current user may use it (its
permission is checked as the publisher would), and ``@@iconresolver/<name>`` publishes it,
through the publisher's own checks; for names other than the add-on's, nothing of that
resolver's answer is kept. Whether the site has any such resolver is asked of the global
component registries (where ZCML registers views) once, and again after a resolver is
registered or unregistered: on a site without one, this costs a page a few dozen Python
calls.
"""

import contextlib
import threading

from AccessControl import getSecurityManager
from App.config import getConfiguration
from OFS.Image import File
from Products.CMFPlone.browser.icons import IconsView
from Products.Five.browser.metaconfigure import simple as FivePage
from zExceptions import Unauthorized
from zope.component import getGlobalSiteManager
from zope.component import getSiteManager
from zope.component.hooks import getSite
from zope.interface import Interface
from zope.interface import directlyProvidedBy
from zope.interface import providedBy
from zope.interface.declarations import Provides

from onlyoffice_plone.interfaces import IOnlyofficePloneLayer

PREFIX = "onlyoffice-"
NAME = "iconresolver"
#: Views and layer sets remembered (a few per site).
MAX_KEPT = 64
#: Tags kept: a page shows a few dozen icons, each in one or two classes and titles.
MAX_TAGS = 512
_kept = {}
#: Set on the request while a resolver beneath is asked: an add-on that stands in front of
#: others the same way, and finds this one beneath it, gets Plone's answers, not a loop.
_ASKING = "_onlyoffice_plone.iconresolver_asking"


class _Others:
    """Does any global registry hold a resolver other than Plone's and this one? Kept per
    registry, and forgotten when a resolver is registered or unregistered (``changed``)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = 0
        self._known = (None, -1, True)  # (registry, generation, answer)

    def __call__(self):
        registry = getGlobalSiteManager()
        known_registry, generation, answer = self._known
        if known_registry is registry and generation == self._generation:
            return answer
        generation = self._generation
        try:
            answer = any(
                r.name == NAME and not answers_as_plone(r.factory)
                for reg in _with_bases(registry)
                for r in reg.registeredAdapters()
            )
        except RuntimeError:  # the registry changed meanwhile (another thread): look it up
            return True
        with self._lock:
            if generation == self._generation:
                self._known = (registry, generation, answer)
        return answer

    def changed(self):
        with self._lock:
            self._generation += 1


other_resolvers = _Others()


def _with_bases(registry):
    seen, todo = [], [registry]
    while todo:
        reg = todo.pop(0)
        if reg not in seen and hasattr(reg, "registeredAdapters"):
            seen.append(reg)
            todo.extend(getattr(reg, "__bases__", ()))
    return seen


def registrations_changed(registration, event):
    """A view was registered or unregistered: ask again which resolvers there are."""
    if getattr(registration, "name", None) == NAME:
        other_resolvers.changed()


#: Per view factory: does it answer as Plone's IconsView (it is that, or this resolver)?
_plones = {}


def answers_as_plone(factory):
    known = _plones.get(factory)
    if known is None:
        own = factory
        if isinstance(factory, type) and factory.__bases__[1:] == (FivePage,):
            own = factory.__bases__[0]  # the class ZCML named: Five registers a subclass
        known = own is IconsView or (isinstance(own, type) and issubclass(own, IconResolver))
        if len(_plones) >= MAX_KEPT:
            _plones.clear()
        _plones[factory] = known
    return known


#: Per set of layers a request provides: the same set without the add-on's layer, as
#: zope.interface's own declaration (one object per set), so that the adapter registry's
#: lookup cache answers it and does not grow.
_beneath = {}


def _without_our_layer(request):
    provided = providedBy(request)
    spec = _beneath.get(provided)
    if spec is None:
        layers = [i for i in directlyProvidedBy(request) if i is not IOnlyofficePloneLayer]
        if len(_beneath) >= MAX_KEPT:
            _beneath.clear()
        spec = _beneath[provided] = Provides(type(request), *layers)
    return spec


def resolver_beneath(context, request):
    """The ``@@iconresolver`` the request would get without the add-on's layer (a view),
    or None when that is Plone's own, or one the current user may not use."""
    if not other_resolvers():
        return None
    factory = getSiteManager().adapters.lookup(
        (providedBy(context), _without_our_layer(request)), Interface, name=NAME
    )
    if factory is None or answers_as_plone(factory):
        return None
    with _asking(request):
        view = factory(context, request)
    try:
        getSecurityManager().validate(context, context, "@@" + NAME, view)
    except Unauthorized:
        return None
    return view


@contextlib.contextmanager
def _asking(request):
    attributes = vars(request)
    outer = attributes.get(_ASKING)
    attributes[_ASKING] = True
    try:
        yield
    finally:
        if not outer:
            attributes.pop(_ASKING, None)


_UNKNOWN = object()


def debug_mode():
    """Does Zope run in debug mode (``debug-mode on`` in zope.conf, ``runwsgi -d``)?"""
    return bool(getattr(getConfiguration(), "debug_mode", False))


class IconResolver(IconsView):
    _beneath = _UNKNOWN

    def _other(self):
        """The resolver beneath, asked for names not the add-on's; None: Plone's code."""
        other = self._beneath
        if other is _UNKNOWN:
            other = self._beneath = resolver_beneath(self.context, self.request)
        if other is not None and vars(self.request).get(_ASKING):
            return None  # asked by a resolver in front of this one, on its way down
        return other

    def _ask(self, other, method, *args, **kwargs):
        with _asking(self.request):
            return getattr(other, method)(*args, **kwargs)

    def publishTraverse(self, request, name):
        # @@iconresolver/<name>: another resolver's picture is published by the publisher,
        # which checks that resolver's permission and calls it.
        if not self.name and not name.startswith(PREFIX):
            other = self._other()
            if other is not None:
                return other.publishTraverse(request, name)
        return super().publishTraverse(request, name)

    def tag(self, name, tag_class="", tag_alt=""):
        if not name.startswith(PREFIX):
            other = None if self._beneath is None else self._other()
            if other is not None:
                return self._ask(other, "tag", name, tag_class=tag_class, tag_alt=tag_alt)
        icon = self.lookup(name)
        if not icon.endswith(".svg"):
            # Plone answers an <img> with this site's and host's URL: nothing to keep.
            return super().tag(name, tag_class=tag_class, tag_alt=tag_alt)
        key = (providedBy(self.request), icon, tag_class, tag_alt)
        tag = _kept.get(key)
        if tag is None:
            tag = super().tag(name, tag_class=tag_class, tag_alt=tag_alt)
            if not debug_mode() and self._read_from_disk(icon):
                if len(_kept) >= MAX_TAGS:
                    _kept.clear()
                _kept[key] = tag
        return tag

    def _read_from_disk(self, icon):
        """Did Plone draw ``icon`` from its own file on disk (not its default picture, in
        place of one it could not find)? Asked only while the tag is not kept yet."""
        found = getSite().restrictedTraverse(icon, None)
        return isinstance(getattr(found, "path", None), str) and not isinstance(found, File)

    def lookup(self, name):
        return self._answer("lookup", name)

    def url(self, name):
        return self._answer("url", name)

    def _answer(self, method, name):
        # Plone's tag() asks lookup() for every icon: no more than an attribute's check
        # when there is no other resolver.
        if self._beneath is not None and not name.startswith(PREFIX):
            other = self._other()
            if other is not None:
                return self._ask(other, method, name)
        return getattr(super(), method)(name)
