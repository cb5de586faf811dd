"""The people the editor asks for (``onRequestUsers`` → ``setUsers``).

- ``mention``: people who may view the document and have an e-mail address, found by what
  the user types (Plone's user search by name, login or e-mail); never the whole user list.
  Each reply holds at most ``LIMIT`` people.
- ``protect``: people who may edit the document (a protected range names who may change it).
- ``info``: names and portraits for the user ids the editor shows (comment authors,
  co-editors), as ``data:`` URIs (see ``documents.portraits``).

Who asks needs the right for the request: commenting for mentions, editing for protected
ranges, viewing (and seeing people, ``may_see_people``) for info.
"""

from plone import api

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.people import display_name
from onlyoffice_plone.documents.people import may_see_people
from onlyoffice_plone.documents.portraits import portrait_data_uri
from onlyoffice_plone.documents.rights import is_anonymous
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.editor.notify import can_notify
from onlyoffice_plone.editor.sharing import may_share
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bad_request_on
from onlyoffice_plone.errors import form_text
from onlyoffice_plone.errors import search_text
from onlyoffice_plone.settings import get_settings

KINDS = ("mention", "protect", "info")
#: Most people in one answer.
LIMIT = 20
#: Most users Plone's search is asked for per field: candidates without the right are
#: skipped, so a search looks a little further than it answers, and never further.
SCAN = 100
#: Most user ids one ``info`` request may name.
MAX_IDS = 100
#: Longest user id taken.
MAX_ID = 200


def _rights(obj, user=None):
    adapted = office_file(obj)
    classification = classification_of(adapted, get_settings()) if adapted else None
    return rights_for(obj, classification, user=user)


def check_may_ask(obj, kind):
    """Refuse (403) a request the current user has no right for."""
    if kind not in KINDS:
        raise OnlyofficeError(
            "BadRequest", _("Ask for the people to mention, protect or show (info)."), 400
        )
    if api.user.is_anonymous():
        raise OnlyofficeError("Forbidden", _("Log in to see the people of this site."), 403)
    rights = _rights(obj)
    allowed = {
        "mention": rights.comment,
        "protect": rights.edit,
        "info": rights.view and may_see_people(),
    }[kind]
    if not allowed:
        raise OnlyofficeError(
            "Forbidden", _("You may not ask for the people of this document."), 403
        )


def _search(text):
    """User ids Plone's user search finds for ``text`` (bounded), in a stable order."""
    acl_users = api.portal.get_tool("acl_users")
    found = []
    queries = [{"fullname": text}, {"login": text}, {"email": text}] if text else [{}]
    for query in queries:
        for entry in acl_users.searchUsers(max_results=SCAN, **query)[:SCAN]:
            user_id = entry.get("userid") or entry.get("id")
            if user_id and user_id not in found:
                found.append(user_id)
    return found


def _entry(member, with_email=False):
    user_id = member.getId()
    entry = {"id": user_id, "name": display_name(user_id)}
    email = member.getProperty("email", "") or ""
    if with_email:
        entry["email"] = email
    return entry


def people(obj, kind, search="", ids=()):
    """The ``users`` of ``setUsers`` for ``kind``: a list of ``{id, name, email?, image?}``."""
    if kind == "info":
        return _info(ids)
    current = api.user.get_current().getId()
    chosen = []
    for user_id in _search(search):
        if len(chosen) >= LIMIT:
            break
        if user_id == current and kind == "mention":
            continue
        member = api.user.get(userid=user_id)
        if member is None:
            continue
        rights = _rights(obj, user=member)
        if kind == "mention":
            if not rights.view or not member.getProperty("email", ""):
                continue
            chosen.append(_entry(member, with_email=True))
        elif rights.edit:
            chosen.append(_entry(member, with_email=True))
    chosen.sort(key=lambda e: (e["name"].lower(), e["id"]))
    return chosen


def _info(ids):
    users = []
    for user_id in ids:
        member = api.user.get(userid=user_id)
        if member is None:
            continue
        entry = {"id": user_id, "name": display_name(user_id)}
        image = portrait_data_uri(user_id)
        if image:
            entry["image"] = image
        users.append(entry)
    return users


def parse_ids(text):
    """The user ids of ``info`` from ``a,b,c`` (bounded): a 400 for too many or too long."""
    if not text:
        return []
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if len(part) > MAX_ID:
            raise OnlyofficeError("BadRequest", _("A user id is too long."), 400)
        if part not in ids:
            ids.append(part)
    if len(ids) > MAX_IDS:
        raise OnlyofficeError(
            "BadRequest",
            _("Ask for at most ${count} people at once.", mapping={"count": MAX_IDS}),
            400,
        )
    return ids


def parse_search(text):
    """The search text, trimmed and bounded."""
    return search_text((text or "").strip())


def people_rights(obj, mode, rights):
    """Which of the people events the editor page declares (Docs shows their features only
    when declared): mentions need a comment right and a site that sends mail."""
    editing = mode == "edit"
    signed_in = not is_anonymous()
    mention = editing and signed_in and rights.comment and can_notify()
    return {
        "mention": mention,
        "protect": editing and signed_in and rights.edit,
        "info": signed_in and rights.view and may_see_people(),
        "share": signed_in and may_share(obj),
    }


def action_link_of(request):
    """The checked ``actionLink`` of the page's query (a mention's link), or None."""
    text = form_text(request, "actionLink")
    if not text:
        return None
    with bad_request_on(
        core.InvalidArgumentError,
        _("This link does not point at a comment or bookmark of the document."),
    ):
        return core.action_link(text)
