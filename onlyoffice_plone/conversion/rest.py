"""REST services of the conversion features, for Volto, headless clients and conversion.js.

- ``GET <item>/@onlyoffice-convert``: formats, the targets the user may choose, a CSRF token.
- ``POST <item>/@onlyoffice-convert`` ``{"target": "new"|"replace", "wait": seconds}``: one
  step; 202 ``{"status": "running", "percent"}`` until done, then 200/201 ``{"status": "done",
  "url", "edit_url", ...}``. Repeat the same request to poll. Send the CSRF token as
  ``X-CSRF-TOKEN`` (plone.protect stays on: nothing here disables it).
- ``GET <item>/@onlyoffice-download-as``: the formats; with ``?outputtype=pdf`` one step of
  that conversion, and once done the ``download_url`` that streams the file.

Errors answer ``{"error": {"type", "code", "message", "detail"}}`` with a 4xx/5xx status.
"""

from plone.protect.authenticator import check
from plone.protect.authenticator import createToken
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow


def _wait(value):
    try:
        return max(0.0, min(float(value or 0), engine.MAX_WAIT))
    except (TypeError, ValueError):
        return 0.0


class _Service(Service):
    def failed(self, failure):
        self.request.response.setStatus(failure.status)
        return {"error": failure.as_dict(self.request)}

    def answer(self, state, done_status=200):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.request.response.setStatus(202 if state["status"] == "running" else done_status)
        return state


class ConvertGet(_Service):
    def reply(self):
        info = flow.conversion_info(self.context)
        info["csrf_token"] = createToken()
        self.request.response.setHeader("Cache-Control", "no-store")
        return info


class ConvertPost(_Service):
    def reply(self):
        check(self.request)
        data = json_body(self.request) or {}
        target = data.get("target", "new")
        try:
            state = flow.convert_step(self.context, target, wait=_wait(data.get("wait")))
        except engine.ConversionFailed as failure:
            return self.failed(failure)
        return self.answer(state, 201 if state.get("created") else 200)


class DownloadAsGet(_Service):
    def reply(self):
        outputtype = (self.request.form.get("outputtype") or "").lower()
        if not outputtype:
            return {
                "formats": flow.download_formats(self.context),
                "configured": engine.get_settings().configured,
            }
        try:
            _job, _result, state = flow.download_step(
                self.context, outputtype, wait=_wait(self.request.form.get("wait"))
            )
        except engine.ConversionFailed as failure:
            return self.failed(failure)
        if state["status"] == "done":
            state["download_url"] = (
                f"{self.context.absolute_url()}/@@onlyoffice-download-as-file"
                f"?outputtype={outputtype}"
            )
        return self.answer(state)
