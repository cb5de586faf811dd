"""The stored versions of a document (CMFEditions): who made each one, when, and its file.

The in-editor version history lists them, Docs downloads their files, a restore copies one
back. Version ids are CMFEditions' (0 for the first); ``number`` is the one people see
(``version_id + 1``), as Plone's own history viewlet counts them.
"""

from dataclasses import dataclass

from plone import api

from onlyoffice_plone.documents.interfaces import IOfficeFile
from onlyoffice_plone.documents.rights import may

ACCESS_PREVIOUS = "CMFEditions: Access previous versions"


@dataclass(frozen=True)
class Version:
    version_id: int
    principal: str
    timestamp: float
    comment: str

    @property
    def number(self):
        return self.version_id + 1


def list_versions(obj):
    """Every version of ``obj``, oldest first (whoever asks: callers check the rights)."""
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        history = repository.getHistoryMetadata(obj)
        if not history:
            return []
        versions = []
        for index in range(history.getLength(countPurged=False)):
            meta = history.retrieve(index, countPurged=False)["metadata"]["sys_metadata"]
            version_id = history.getVersionId(index, countPurged=False)
            versions.append(
                Version(
                    version_id=int(version_id),
                    principal=meta.get("principal") or "",
                    timestamp=float(meta.get("timestamp") or 0),
                    comment=meta.get("comment") or "",
                )
            )
        return versions


def version_file(obj, version_id):
    """(file, filename) of version ``version_id`` of ``obj``, or (None, None)."""
    if not any(v.version_id == version_id for v in list_versions(obj)):
        return None, None
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        old = repository.retrieve(obj, version_id).object
        adapted = IOfficeFile(old, None)
        if adapted is None or adapted.file is None:
            return None, None
        return adapted.file, adapted.filename


def may_see_versions(obj):
    return may(ACCESS_PREVIOUS, obj)
