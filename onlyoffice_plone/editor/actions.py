"""Which document events the editor page declares for the current user.

Docs shows a feature's button only when the page declares its event, so a user sees the
version history with CMFEditions' "Access previous versions", restore and rename with Modify
portal content in an editing session, "Save copy as" when a copy may be added to the folder.
The REST services check the same rights again (``rest_document``).
"""

from Acquisition import aq_parent

from onlyoffice_plone.documents import storing
from onlyoffice_plone.documents.versions import may_see_versions


def document_rights(obj, mode):
    editing = mode == "edit"
    history = may_see_versions(obj)
    return {
        "history": history,
        "restore": history and editing and storing.may_modify(obj),
        "rename": editing and storing.may_modify(obj),
        "saveas": editing and storing.allowed_type(aq_parent(obj), obj.portal_type),
    }
