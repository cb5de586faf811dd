"""The editor's version history: what the page answers to ``onRequestHistory``
(``refreshHistory``) and ``onRequestHistoryData`` (``setHistoryData``).

Every CMFEditions version of the item is listed, whatever made it (an ONLYOFFICE save, an
upload, an edit in Plone, a conversion, a restore), with its author, date and a key of its
own. For versions saved through ONLYOFFICE, Docs' ``history`` of that save (``changes``,
``serverVersion``) and the stored changes.zip let the editor highlight what changed; any
other version opens read-only as it is. Version files and changes reach Docs through URLs
whose tokens the core scopes to this document, this version and this purpose
(``docs.urls.version_url``); the ``setHistoryData`` argument is signed whole, as Docs reads
its URLs from the token.
"""

import datetime

from plone import api
from plone.uuid.interfaces import IUUID

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.docs.urls import VERSION_LIFETIME
from onlyoffice_plone.docs.urls import version_url
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.keys import current_key
from onlyoffice_plone.documents.people import display_name
from onlyoffice_plone.documents.state import get_state
from onlyoffice_plone.documents.versions import list_versions
from onlyoffice_plone.documents.versions import version_file
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.settings import get_settings
from onlyoffice_plone.settings import instance_secret


def check_office_file(obj):
    """OnlyofficeError 404 unless ``obj`` holds a document ONLYOFFICE opens: a Document or a
    Folder may have versions, but no file for the editor to show them in."""
    if classification_of(office_file(obj), get_settings()) is None:
        raise OnlyofficeError(
            "NotAnOfficeFile", _("This item holds no document ONLYOFFICE can open."), 404
        )


def no_versions():
    return OnlyofficeError("NoVersions", _("This document has no stored versions to show."), 404)


def _records(portal, obj):
    """version id -> the remembered ONLYOFFICE save that made it."""
    state = get_state(portal, obj)
    return {r.get("version_id"): r for r in (state.history if state is not None else ())}


def version_key(portal, obj, version_id, latest_id):
    """The key of one version: the live key for the newest one, a key of its own otherwise."""
    if version_id == latest_id:
        return current_key(portal, obj, office_file(obj))
    return core.document_key(instance_secret(portal), IUUID(obj), f"version.{version_id}")


def _created(timestamp):
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M")


def history(obj):
    """The argument of ``refreshHistory``: ``{currentVersion, history[]}``."""
    check_office_file(obj)
    portal = api.portal.get()
    versions = list_versions(obj)
    if not versions:
        raise no_versions()
    latest = versions[-1].version_id
    records = _records(portal, obj)
    entries = []
    for version in versions:
        entry = {
            "version": version.number,
            "key": version_key(portal, obj, version.version_id, latest),
            "created": _created(version.timestamp),
        }
        if version.principal:
            entry["user"] = {"id": version.principal, "name": display_name(version.principal)}
        record = records.get(version.version_id) or {}
        docs_history = record.get("history") or {}
        if docs_history.get("changes") and docs_history.get("serverVersion"):
            entry["changes"] = docs_history["changes"]
            entry["serverVersion"] = docs_history["serverVersion"]
        entries.append(entry)
    return {"currentVersion": versions[-1].number, "history": entries}


def _file_type(filename):
    classification = core.classify(filename or "", None)
    if classification is not None:
        return classification.extension
    return (filename or "").rsplit(".", 1)[-1].lower()


def history_data(obj, number):
    """The argument of ``setHistoryData`` for version ``number`` (signed with a JWT secret)."""
    check_office_file(obj)
    portal = api.portal.get()
    settings = get_settings()
    versions = list_versions(obj)
    ids = [v.version_id for v in versions]
    version_id = number - 1
    if version_id not in ids:
        raise OnlyofficeError(
            "NoSuchVersion",
            _("This document has no version ${number}.", mapping={"number": number}),
            404,
        )
    latest = ids[-1]
    _file, filename = version_file(obj, version_id)
    data = {
        "version": number,
        "key": version_key(portal, obj, version_id, latest),
        "url": version_url(obj, version_id, "version", settings),
        "fileType": _file_type(filename),
    }
    record = _records(portal, obj).get(version_id) or {}
    position = ids.index(version_id)
    if record.get("changes") is not None and position > 0:
        previous_id = ids[position - 1]
        _previous, previous_name = version_file(obj, previous_id)
        data["changesUrl"] = version_url(obj, version_id, "changes", settings)
        data["previous"] = {
            "fileType": _file_type(previous_name),
            "key": version_key(portal, obj, previous_id, latest),
            "url": version_url(obj, previous_id, "version", settings),
        }
    if settings.jwt_secret:
        data["token"] = core.sign_token(data, settings.jwt_secret, expires_in=VERSION_LIFETIME)
    return data
