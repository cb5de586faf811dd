"""REST services of the editor.

``GET <item>/@onlyoffice-config[?mode=edit|view][&actionLink=…]``: the editor config for
headless frontends (``actionLink``, the JSON of a mention's link, opens it at that comment;
``people`` says which people events to declare, see ``rest_people``).
The same rules as the editor pages: ``edit`` needs an editing right (Modify portal content,
or the add-on's review, comment or fill-forms permission), ``view`` needs View. Without
``mode``, the best mode the user may have. Without a JWT secret editing is off: ``edit``
gives a view session, and ``editing_disabled`` in the reply says so.

``DELETE <item>/@onlyoffice-lock`` (Manage portal): remove the ONLYOFFICE lock.
"""

import json

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from plone.restapi.services.locking import lock_info
from zExceptions import Unauthorized
from zope.interface import alsoProvides

from onlyoffice_plone import _
from onlyoffice_plone.editor import config as editor_config
from onlyoffice_plone.editor.people import action_link_of
from onlyoffice_plone.editor.people import people_rights
from onlyoffice_plone.editor.views import remove_lock
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import json_reply
from onlyoffice_plone.settings import get_settings


class EditorConfigGet(Service):
    def reply(self):
        mode = self.request.form.get("mode") or None
        if mode not in ("edit", "view", None):
            return json_reply(
                self.request,
                OnlyofficeError("BadRequest", _("Ask for the mode edit or view."), 400),
            )
        try:
            action_link = action_link_of(self.request)
        except OnlyofficeError as exc:
            return json_reply(self.request, exc)
        settings = get_settings()
        resolved, rights, adapted, classification = editor_config.resolve_mode(
            self.context, mode, settings
        )
        if classification is None:
            return json_reply(
                self.request,
                OnlyofficeError(
                    "NotAnOfficeFile", _("This item holds no document ONLYOFFICE can open."), 404
                ),
            )
        if resolved is None or (mode == "edit" and not rights.can_open_editor):
            raise Unauthorized("You may not open this document in ONLYOFFICE this way.")
        if not settings.configured:
            return json_reply(
                self.request,
                OnlyofficeError(
                    "NotConfigured", _("ONLYOFFICE Docs is not configured for this site."), 503
                ),
            )
        editor = editor_config.build(
            self.context,
            self.request,
            resolved,
            rights,
            adapted,
            classification,
            settings,
            action_link=action_link,
        )
        self.request.response.setHeader("Cache-Control", "no-store")
        reply = {
            "docs_url": editor.docs_url,
            "api_js_url": editor.api_js_url,
            "mode": editor.mode,
            "config": json.loads(editor.config_json),
            # Which people events to declare (mentions, protect, info, sharing).
            "people": people_rights(self.context, editor.mode, rights),
        }
        if rights.can_open_editor and not settings.editing_enabled:
            reply["editing_disabled"] = (
                "Set the secret key in ONLYOFFICE Configuration to enable editing"
            )
        return reply


class LockDelete(Service):
    def reply(self):
        # A DELETE with the REST API's auth, never a cross-site form post.
        alsoProvides(self.request, IDisableCSRFProtection)
        remove_lock(self.context)
        return lock_info(self.context)
