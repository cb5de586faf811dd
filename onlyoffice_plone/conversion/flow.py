"""The two conversion features as steps the browser (or a REST client) drives.

Convert to Office Open XML: ``convert_step(obj, target)`` sends the conversion request once
(or polls for up to ``wait`` seconds) and reports progress; the step that finds the job done
downloads the result and creates the new item (``target="new"``) or replaces the item's file,
keeping the old one as a version (``target="replace"``). Nothing is written before the result
is there. Cancel only stops the browser's polling: a step already on its way to the server
still finishes, so a result the server had already stored stays (the page says so when that
final answer arrives). Repeating the final step is harmless: "new" answers the copy it made,
"replace" answers success when the item still holds the file it stored.

Download as: ``download_step(obj, outputtype)`` reports progress the same way; ``fetch_for_user``
downloads the finished result into a temporary file to stream to the user.
"""

from AccessControl import getSecurityManager
from Acquisition import aq_inner
from Acquisition import aq_parent
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.locking.interfaces import ILockable
from plone.uuid.interfaces import IUUID
from zExceptions import Unauthorized

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.documents import state as documents
from onlyoffice_plone.documents import storing as store
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.pages import view_url
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.settings import get_settings

TARGETS = ("new", "replace")
#: How many conversions of one document its editor DocumentState remembers (attribute
#: ``converted``: "<user id>:<conversion key>" -> UID of the copy that conversion made,
#: "<user id>:replaced" -> the file a "replace" stored), so that a repeated final step
#: (double click, a retried request) makes no second copy. The oldest are dropped.
CONVERTED_MEMORY = 20


def container_of(obj):
    return aq_parent(aq_inner(obj))


def allowed_targets(obj):
    """The targets the current user may choose for converting ``obj``."""
    targets = []
    if store.allowed_type(container_of(obj), obj.portal_type):
        targets.append("new")
    if store.may_modify(obj):
        targets.append("replace")
    return targets


def conversion_info(obj):
    """What the conversion page and ``GET @onlyoffice-convert`` show."""
    settings = get_settings()
    classification = classification_of(office_file(obj), settings)
    return {
        "source_format": classification.extension if classification else None,
        "output_format": classification.convert_to if classification else None,
        "targets": allowed_targets(obj) if classification else [],
        "configured": settings.configured,
    }


def _check_target(obj, target):
    if target not in TARGETS:
        raise engine.ConversionFailed(
            "BadRequest", _("Choose to create a new item or to replace the file."), 400
        )
    if target == "new" and not store.allowed_type(container_of(obj), obj.portal_type):
        raise Unauthorized("You may not add items here.")
    if target == "replace":
        if not store.may_modify(obj):
            raise Unauthorized("You may not modify this item.")
        lockable = ILockable(obj, None)
        if lockable is not None and lockable.locked() and not lockable.can_safely_unlock():
            raise engine.ConversionFailed(
                "Locked",
                _("Someone is editing this item right now: try again when they are done."),
                409,
            )


def _progress(result):
    return {"status": "running", "percent": int(result.percent or 0)}


def _done(item, created, message=None):
    settings = get_settings()
    classification = classification_of(office_file(item), settings)
    rights = rights_for(item, classification)
    url = item.absolute_url()
    return {
        "status": "done",
        "created": created,
        "uid": IUUID(item),
        "url": url,
        "view_url": view_url(item),
        "edit_url": f"{url}/@@onlyoffice-edit" if rights.can_open_editor else None,
        "filename": office_file(item).filename if office_file(item) else None,
        # What happened, in words, for the person who asked (pages show it as a status message).
        "message": api.portal.translate(message) if message is not None else None,
    }


def _converted(obj, create):
    """The bounded memory of ``obj``'s conversions (on its editor state), or None."""
    state = documents.get_state(api.portal.get(), obj, create=create)
    if state is None:
        return None
    converted = getattr(state, "converted", None)
    if converted is None and create:
        converted = state.converted = PersistentMapping()
        converted["order"] = []
    return converted


def _recall(obj, marker):
    converted = _converted(obj, False)
    return converted.get(marker) if converted is not None else None


def _remember(obj, marker, value):
    converted = _converted(obj, True)
    order = [m for m in converted["order"] if m != marker] + [marker]
    for dropped in order[:-CONVERTED_MEMORY]:
        converted.pop(dropped, None)
    converted["order"] = order[-CONVERTED_MEMORY:]
    converted[marker] = value


def _user_marker(suffix):
    return f"{getSecurityManager().getUser().getId() or ''}:{suffix}"


def _earlier_copy(uid):
    """The copy with ``uid`` when it still exists and the current user may view it."""
    item = uuidToObject(uid, unrestricted=True) if uid else None
    if item is None or not getSecurityManager().checkPermission("View", item):
        return None
    return item


def _replaced_already(obj):
    """Does ``obj`` still hold the file this user's "replace" stored?"""
    stored = _recall(obj, _user_marker("replaced"))
    adapted = office_file(obj)
    current = adapted.file if adapted is not None else None
    return stored is not None and current is not None and stored is current


def _title_for(obj, filename, result_filename, filetype):
    """The copy's title tells it apart: its new file name, or "<title> (converted to xlsx)"."""
    title = obj.Title() or ""
    if not title or title == filename:
        return result_filename
    return api.portal.translate(
        _("${title} (converted to ${format})", mapping={"title": title, "format": filetype})
    )


def _copy_names(obj, container, filename, result_filename, filetype):
    """The copy's title and file name: ``_title_for``'s title, numbered when an item in
    ``container`` has it already ("report (2).docx", as a file manager names a copy); a
    title that is the file's name numbers the file's name too."""
    title = _title_for(obj, filename, result_filename, filetype)
    free = core.free_name(title, core.output_extension(filetype), store.titles_in(container))
    return free, (free if title == result_filename else result_filename)


def _where(item):
    container = container_of(item)
    return container.Title() or container.getId()


def _copy_made(item):
    return _(
        "The converted copy “${title}” is stored beside the original in “${folder}”; the "
        "original is unchanged.",
        mapping={"title": item.Title(), "folder": _where(item)},
    )


def _copy_exists(item):
    return _(
        "This document was already converted to “${title}” (in “${folder}”): here it is. "
        "Delete that copy to convert the document again.",
        mapping={"title": item.Title(), "folder": _where(item)},
    )


def _replaced(filename):
    return _(
        "The file of this item is now ${filename}; the previous file is kept in its history.",
        mapping={"filename": filename},
    )


def earlier_copy(obj):
    """The new item the current user converted ``obj`` into, when it still exists and she
    may see it (what a second "new" conversion would answer with), and what to say of it;
    (None, None) when there is none."""
    try:
        job = engine.prepare(obj)
    except engine.ConversionFailed:
        return None, None
    item = _earlier_copy(_recall(obj, _user_marker(job.key)))
    return (item, _copy_exists(item)) if item is not None else (None, None)


def convert_step(obj, target, wait=0, http=None):
    """One step of converting ``obj`` to OOXML; a dict with ``status`` running or done."""
    _check_target(obj, target)
    try:
        job = engine.prepare(obj)
    except engine.ConversionFailed as failure:
        # A retried "replace" whose first attempt stored the result: that was a success.
        if failure.kind == "NothingToConvert" and target == "replace" and _replaced_already(obj):
            return _done(obj, created=False, message=_replaced(office_file(obj).filename))
        raise
    marker = _user_marker(job.key)
    if target == "new":
        item = _earlier_copy(_recall(obj, marker))
        if item is not None:
            return _done(item, created=False, message=_copy_exists(item))
    result = job.wait(wait, http=http) if wait else job.step(http=http)
    if not result.end_convert:
        return _progress(result)
    filetype = (result.file_type or job.outputtype).lower()
    filename = job.result_filename_for(result)
    if target == "new":
        title, filename = _copy_names(
            obj, container_of(obj), job.source_filename, filename, filetype
        )
    try:
        download = job.fetch(result, http=http)
    except engine.ConversionFailed as busy:
        if busy.kind != "StillConverting":
            raise
        return _progress(engine.NotAsked(percent=100))  # every slot taken: poll again
    try:
        with download.linked_copy() as handle:
            blob = store.blob_from(handle, filename)
        if target == "new":
            item = store.add_item(container_of(obj), obj.portal_type, title, blob)
            _remember(obj, marker, IUUID(item))
            return _done(item, created=True, message=_copy_made(item))
        old_filename = office_file(obj).filename
        store.replace_file(
            obj,
            blob,
            comment_before=store.version_comment(
                _("Before the conversion to ${format}", mapping={"format": filetype})
            ),
            comment_after=store.version_comment(
                _(
                    "Converted from ${source} to ${format} with ONLYOFFICE",
                    mapping={"source": job.classification.extension, "format": filetype},
                )
            ),
        )
        _remember(obj, _user_marker("replaced"), blob)
        obj = store.rename_after_filename(obj, old_filename, filename)
        return _done(obj, created=False, message=_replaced(filename))
    finally:
        download.delete()


def download_formats(obj):
    classification = classification_of(office_file(obj), get_settings())
    return list(classification.download_as) if classification else []


def download_step(obj, outputtype, wait=0, http=None):
    """One step of converting ``obj`` to ``outputtype`` for downloading.

    Anonymous visitors never wait on Docs here (``wait`` is ignored): anyone can send such
    requests, and each would hold one of Plone's worker threads; their browsers poll.
    """
    if api.user.is_anonymous():
        wait = 0
    job = engine.prepare(obj, outputtype)
    result = job.wait(wait, http=http) if wait else job.step(http=http)
    if not result.end_convert:
        return job, result, _progress(result)
    return job, result, {"status": "done", "filename": job.result_filename_for(result)}


def fetch_for_user(obj, outputtype, wait, http=None):
    """(filename, content type, saving.Download) of ``obj`` as ``outputtype``.

    Polls for up to ``wait`` seconds (at most ``engine.MAX_WAIT``); raises ConversionFailed
    ``StillConverting`` (202) when the result is not there yet: ask again later.
    """
    job, result, _state = download_step(obj, outputtype, wait=wait, http=http)
    if not result.end_convert:
        raise engine.still_converting()
    filename = job.result_filename_for(result)
    classification = core.classify(filename, None)
    content_type = classification.mime_type if classification else "application/octet-stream"
    return filename, content_type, job.fetch(result, http=http)
