"""Links between spreadsheets: what the editor page answers to ``onRequestReferenceData``
and ``onRequestReferenceSource`` (the signed argument of ``setReferenceData`` /
``setReferenceSource``) and to ``onRequestOpen`` (the source's editor page).

Every document's config names it for good in ``document.referenceData``: its UID and this
site's instanceId (the core decides both). When a spreadsheet linked to another asks for the
source's current data, the source is looked up by that UID when the reference data is this
site's, else (a formula typed by hand, a link from before a move) by its path: relative to
the site first, then to the linking document's folder. The source is answered only when the
current user may view it, checked on the item itself (the catalog finds the candidates, it
does not decide); whatever the reason a source is not answered (no such item, no right to
view it, a private item's guessed UID or path), the reply is the same: "not found, or you
may not view it".

The answer names the source's current key (Docs takes the data of a live co-editing session
of it), its site-relative path, its reference data and a download URL with a short-lived
token of its own purpose, bound to the file the source holds now; the core signs the whole
answer with the Docs secret, as Docs reads the URL from the token.
"""

from Acquisition import aq_parent
from plone import api
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.urls import REFERENCE_LIFETIME
from onlyoffice_plone.docs.urls import reference_url
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import current_key
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.documents.status import status_of
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bad_request_on
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import instance_secret


def not_found(detail=""):
    """The one answer for a source that is missing or that the user may not view."""
    return OnlyofficeError(
        "SourceNotFound",
        _("The linked file was not found, or you may not view it."),
        404,
        detail=detail,
    )


def reference_data(obj):
    """``document.referenceData`` of ``obj``: ``{"fileKey": UID, "instanceId": …}``."""
    return core.reference_data(instance_secret(api.portal.get()), IUUID(obj))


def site_path(obj):
    """The path of ``obj`` relative to the site root (``folder/budget.xlsx``)."""
    portal = api.portal.get()
    return "/".join(obj.getPhysicalPath()[len(portal.getPhysicalPath()) :])


def read_request(data):
    """The editor's ``{referenceData, path, link}`` as the core reads it; 400 when malformed
    or naming nothing at all (a name that fits no item of this site is looked up in vain)."""
    portal = api.portal.get()
    names = isinstance(data, dict) and any(
        data.get(name) for name in ("referenceData", "path", "link")
    )
    with bad_request_on(
        (core.InvalidArgumentError, TypeError, ValueError),
        _("Name the linked file by its reference data or its path."),
    ):
        if not names:
            raise ValueError("the request names no file")
        return core.parse_reference_request(
            data, instance_secret(portal), site_url=portal.absolute_url()
        )


def _candidates(context, request):
    """The items the request may name, best first: by UID, then by path from the site root,
    then from the linking document's folder (whoever may view them: ``find_source`` checks)."""
    catalog = api.portal.get_tool("portal_catalog")
    if request.file_key:
        yield from catalog.unrestrictedSearchResults(UID=request.file_key)
    if request.path:
        portal_path = "/".join(api.portal.get().getPhysicalPath())
        folder_path = "/".join(aq_parent(context).getPhysicalPath())
        for base in dict.fromkeys((portal_path, folder_path)):
            query = {"query": f"{base}/{request.path}", "depth": 0}
            yield from catalog.unrestrictedSearchResults(path=query)


def find_source(context, request):
    """The spreadsheet the request names, which the current user may view; raises
    ``not_found`` (404) otherwise, or 400 when it is a viewable item but no spreadsheet."""
    settings = get_settings()
    for brain in _candidates(context, request):
        obj = brain._unrestrictedGetObject()
        if not api.user.has_permission("View", obj=obj):
            continue
        classification = classification_of(office_file(obj), settings)
        if (
            classification is None
            or not rights_for(obj, classification).view
            or not core.is_reference_source(classification.extension)
        ):
            raise OnlyofficeError(
                "NotASpreadsheet",
                _("Only a spreadsheet can be the source of a link."),
                400,
            )
        return obj
    raise not_found(f"nothing the user may view for {request!r}")


def answer(obj):
    """The argument of ``setReferenceData`` / ``setReferenceSource`` for the source ``obj``."""
    portal = api.portal.get()
    settings = get_settings()
    adapted = office_file(obj)
    classification = classification_of(adapted, settings)
    data = reference_data(obj)
    return core.reference_answer(
        file_type=classification.extension,
        key=current_key(portal, obj, adapted),
        path=site_path(obj),
        file_key=data["fileKey"],
        instance_id=data["instanceId"],
        url=reference_url(obj, settings),
        secret=settings.jwt_secret or None,
        expires_in=REFERENCE_LIFETIME,
    )


def open_target(obj):
    """Where ``onRequestOpen`` sends the user: the source's editor page, to edit it when they
    may, else to view it."""
    page = "onlyoffice-edit" if status_of(obj).can_edit else "onlyoffice-view"
    return {"url": f"{obj.absolute_url()}/@@{page}", "title": obj.Title(), "path": site_path(obj)}
