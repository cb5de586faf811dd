"""The add-on's icons in Plone's toolbar, read once per process.

Plone renders every toolbar and menu entry's icon inline: ``@@iconresolver``'s ``tag()``
looks the icon's name up in the registry (``plone.icon.<name>``), then reads, parses and
rewrites the SVG file, on every page, for every entry. The add-on's actions (ONLYOFFICE Edit,
View, Convert, Download as) name their own icons, ``onlyoffice-*`` (registry.xml, so a site
can give them other pictures); this resolver, on the add-on's layer, keeps the SVG it made
for those names and answers every other name as Plone does.

A tag is kept per icon file (the registry value), CSS class and title, so a site that points
a name at another file gets the new picture at once; the files themselves are the add-on's
and Plone's static resources, which change only with the software. Only inline SVG is kept:
for another kind of picture Plone writes an <img> with the site's URL, which depends on the
host asking.

On the add-on's layer this view is the site's ``@@iconresolver`` for every name: another
add-on's or theme's own resolver on a lower layer is not asked.
"""

from Products.CMFPlone.browser.icons import IconsView

PREFIX = "onlyoffice-"
#: Tags kept: the add-on's four icons, in the few classes and titles Plone asks for them.
MAX_KEPT = 64
_kept = {}


class IconResolver(IconsView):
    def tag(self, name, tag_class="", tag_alt=""):
        if not name.startswith(PREFIX):
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
