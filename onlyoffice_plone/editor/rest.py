"""``GET <item>/@onlyoffice-config?mode=edit|view``: the editor config for headless frontends.

The same rules as the editor pages: ``edit`` needs an editing right (Modify portal content,
or the add-on's review, comment or fill-forms permission), ``view`` needs View.
"""

import json

from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import Unauthorized

from onlyoffice_plone.editor import config as editor_config
from onlyoffice_plone.settings import get_settings


class EditorConfigGet(Service):
    def reply(self):
        mode = self.request.form.get("mode", "edit")
        if mode not in ("edit", "view"):
            raise BadRequest("mode must be edit or view")
        settings = get_settings()
        resolved, rights, adapted, classification = editor_config.resolve_mode(
            self.context, mode, settings
        )
        if classification is None:
            self.request.response.setStatus(404)
            return {"error": {"type": "NotAnOfficeFile", "message": "no office document here"}}
        if resolved is None or resolved != mode:
            raise Unauthorized("You may not open this document in ONLYOFFICE this way.")
        if not settings.configured:
            self.request.response.setStatus(503)
            return {
                "error": {
                    "type": "NotConfigured",
                    "message": "ONLYOFFICE Docs is not configured for this site",
                }
            }
        editor = editor_config.build(
            self.context, self.request, resolved, rights, adapted, classification, settings
        )
        self.request.response.setHeader("Cache-Control", "no-store")
        return {
            "docs_url": editor.docs_url,
            "api_js_url": editor.api_js_url,
            "mode": editor.mode,
            "config": json.loads(editor.config_json),
        }
