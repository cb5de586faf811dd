"""The search behind the editor's content picker: the folders and files of the site a user may
view, of the kind the editor asked for (images, documents, spreadsheets).

``GET <site or item>/@onlyoffice-picker?kind=image|document|spreadsheet[&path=/folder]
[&q=words][&b_start=N][&b_size=N]``. Without ``q`` it lists one folder (``path``, site-relative,
the site itself by default): its subfolders first, then its files of that kind. With ``q`` it
searches the files of that kind under ``path`` (the whole site by default) whose text matches
every word. Everything comes from the portal catalog's restricted search, which lists only
what the user may view (``allowedRolesAndUsers``); which files are of a kind is the core's
(``core.requested_file_type`` of the file's name and MIME type, the catalog's metadata: the
file types Docs takes in each answer).

Answers are paged (``b_size`` at most 50) and bounded (at most MAX_SCANNED catalog entries
looked at); bad parameters are a 400, a folder the user may not see or that does not exist a
404.
"""

import itertools
import re

from plone import api
from plone.base.utils import safe_text

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.errors import search_text

KINDS = ("image", "document", "spreadsheet")
MAX_WORDS = 8
MAX_PATH_CHARS = 500
MAX_B_START = 10_000
DEFAULT_B_SIZE = 20
MAX_B_SIZE = 50
#: The most catalog entries one request looks at (folders, and files of any kind).
MAX_SCANNED = 5000
#: Words ZCTextIndex reads as operators, not as text to find.
OPERATORS = {"and", "or", "not", "near"}
WORD = re.compile(r"\w+", re.UNICODE)


def bad(message):
    return OnlyofficeError("BadRequest", message, 400)


def parse_kind(value):
    if value not in KINDS:
        raise bad(_("Ask for the kind image, document or spreadsheet."))
    return value


def _number(request, name, default, highest, lowest=0):
    text = form_text(request, name)
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise bad(_("“${name}” must be a whole number.", mapping={"name": name}))
    value = int(text)
    if not lowest <= value <= highest:
        raise bad(
            _(
                "“${name}” must be between ${lowest} and ${highest}.",
                mapping={"name": name, "lowest": lowest, "highest": highest},
            )
        )
    return value


def _path(request):
    """The site-relative folder path asked for: "" for the site itself."""
    text = form_text(request, "path") or ""
    if len(text) > MAX_PATH_CHARS or "\x00" in text:
        raise bad(_("That folder path is too long."))
    segments = [s for s in text.split("/") if s]
    if any(s in (".", "..") or s.startswith("@@") or s.startswith("++") for s in segments):
        raise bad(_("Name a folder by its path in the site."))
    return "/".join(segments)


def _words(request):
    text = search_text(form_text(request, "q") or "")
    words = [w for w in WORD.findall(text) if w.lower() not in OPERATORS]
    return words[:MAX_WORDS]


class Query:
    """The parameters of one picker request, checked."""

    def __init__(self, request):
        self.kind = parse_kind(form_text(request, "kind"))
        self.path = _path(request)
        self.words = _words(request)
        self.searching = bool(form_text(request, "q"))
        self.b_start = _number(request, "b_start", 0, MAX_B_START)
        self.b_size = _number(request, "b_size", DEFAULT_B_SIZE, MAX_B_SIZE, lowest=1)


def _site_path(portal):
    return "/".join(portal.getPhysicalPath())


def _relative(portal, brain):
    return brain.getPath()[len(_site_path(portal)) :] or "/"


def _folder(catalog, portal, path):
    """The folder's brain (None for the site itself); 404 if the user cannot see it."""
    if not path:
        return None
    found = catalog(path={"query": f"{_site_path(portal)}/{path}", "depth": 0}, is_folderish=True)
    if len(found) != 1:
        raise OnlyofficeError(
            "NotFound", _("There is no such folder, or you may not see it."), 404
        )
    return found[0]


def _breadcrumbs(catalog, portal, path):
    crumbs = [{"title": safe_text(portal.Title()) or "/", "path": "/"}]
    segments = path.split("/") if path else []
    for depth in range(1, len(segments) + 1):
        sub = "/".join(segments[:depth])
        found = catalog(path={"query": f"{_site_path(portal)}/{sub}", "depth": 0})
        title = safe_text(found[0].Title) if len(found) == 1 else segments[depth - 1]
        crumbs.append({"title": title or segments[depth - 1], "path": "/" + sub})
    return crumbs


def _type_titles():
    types = api.portal.get_tool("portal_types")
    return {fti.getId(): fti.Title() for fti in types.listTypeInfo()}


def _row(portal, brain, kind, type_titles):
    folderish = bool(brain.is_folderish)
    portal_type = brain.portal_type or ""
    row = {
        "uid": brain.UID,
        "title": safe_text(brain.Title) or brain.getId,
        "path": _relative(portal, brain),
        "url": brain.getURL(),
        "type": portal_type,
        "type_title": api.portal.translate(type_titles.get(portal_type, portal_type), "plone")
        if type_titles.get(portal_type)
        else portal_type,
        "icon": f"contenttype/{portal_type.lower().replace(' ', '-')}",
        "folderish": folderish,
    }
    if not folderish:
        row["fileType"] = core.requested_file_type(kind, brain.getId, brain.mime_type or None)
    return row


def _accepted(kind):
    def accepted(brain):
        return core.requested_file_type(kind, brain.getId, brain.mime_type or None) is not None

    return accepted


def _matching(folders, files, kind):
    """The folders, then the files Docs takes for ``kind``, scanning at most MAX_SCANNED
    catalog entries of each (the catalog knows MIME types only as metadata)."""
    yield from itertools.islice(folders, MAX_SCANNED)
    yield from filter(_accepted(kind), itertools.islice(files, MAX_SCANNED))


def search(request):
    """The picker's answer for this request (raises OnlyofficeError on bad parameters)."""
    query = Query(request)
    portal = api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    folder = _folder(catalog, portal, query.path)
    base = f"{_site_path(portal)}/{query.path}" if query.path else _site_path(portal)
    files = {
        "is_folderish": False,
        "sort_on": "sortable_title",
        "path": {"query": base, "depth": -1 if query.searching else 1},
    }
    folders = []
    if query.searching:
        if not query.words:
            raise bad(_("Search for a word."))
        files["SearchableText"] = " ".join(f"{w}*" for w in query.words)
    else:
        folders = catalog(
            is_folderish=True, sort_on="sortable_title", path={"query": base, "depth": 1}
        )
    found = catalog(**files)
    page, total = [], 0
    for brain in _matching(folders, found, query.kind):
        if query.b_start <= total < query.b_start + query.b_size:
            page.append(brain)
        total += 1
    type_titles = _type_titles()
    following = query.b_start + query.b_size
    return {
        "kind": query.kind,
        "path": "/" + query.path if query.path else "/",
        "title": safe_text(folder.Title) if folder is not None else safe_text(portal.Title()),
        "parent": ("/" + query.path.rpartition("/")[0]) if query.path else None,
        "breadcrumbs": _breadcrumbs(catalog, portal, query.path),
        "q": " ".join(query.words) if query.searching else "",
        "items": [_row(portal, b, query.kind, type_titles) for b in page],
        "items_total": total,
        "truncated": len(folders) > MAX_SCANNED or len(found) > MAX_SCANNED,
        "b_start": query.b_start,
        "b_size": query.b_size,
        "next_b_start": following if following < total else None,
    }
