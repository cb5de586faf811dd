"""REST services of the conversion features, for Volto, headless clients and conversion.js.

- ``GET <item>/@onlyoffice-convert``: formats, the targets the user may choose, a CSRF token.
- ``POST <item>/@onlyoffice-convert`` ``{"target": "new"|"replace", "wait": seconds}``: one
  step; 202 ``{"status": "running", "percent"}`` until done, then 200/201 ``{"status": "done",
  "url", "edit_url", ...}``. Repeat the same request to poll. Send the CSRF token as
  ``X-CSRF-TOKEN`` (plone.protect stays on: nothing here disables it).
- ``GET <item>/@onlyoffice-download-as``: the formats; with ``?outputtype=pdf`` one step of
  that conversion, and once done the ``download_url`` that streams the file.

A single request waits at most ``engine.MAX_WAIT`` seconds, whatever ``wait`` asks.
Errors answer ``{"error": {"type", "code", "message"}}`` with a 4xx/5xx status; the technical
details go to the log only.
"""

from plone import api
from plone.protect.authenticator import createToken
from plone.restapi.services import Service

from onlyoffice_plone import _
from onlyoffice_plone.conversion import engine
from onlyoffice_plone.conversion import flow
from onlyoffice_plone.docs import bodies
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import checked_csrf
from onlyoffice_plone.errors import json_reply


def _wait(value):
    if isinstance(value, bool):
        return 0.0
    try:
        wait = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    if wait != wait:  # NaN
        return 0.0
    return max(0.0, min(wait, engine.MAX_WAIT))


def bad_request(message):
    return engine.ConversionFailed("BadRequest", message, 400, None, "invalid request")


def json_object(request):
    """The JSON body as a dict ({} when empty); ConversionFailed 4xx for anything else."""
    try:
        return bodies.json_object(request, _("Send a JSON object as the request body."))
    except OnlyofficeError as exc:
        raise engine.ConversionFailed(
            exc.kind, exc.message, exc.status, None, "invalid request"
        ) from exc


def outputtype_of(form):
    """The ``outputtype`` asked for, lower case; ConversionFailed 400 when not one string."""
    value = form.get("outputtype") or ""
    if not isinstance(value, str) or not value.isascii():
        # A list, a number, a record, or not a format name at all (formats are ASCII).
        raise bad_request(_("Ask for one output format (outputtype) as a text."))
    return value.lower()


class _Service(Service):
    def failed(self, failure, what="conversion"):
        failure.log(what, self.context)
        return json_reply(self.request, failure)

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
        try:
            checked_csrf(self.request)
        except OnlyofficeError as refused:
            return json_reply(self.request, refused)
        try:
            data = json_object(self.request)
            target = data.get("target", "new")
            if not isinstance(target, str):
                raise bad_request(_("Choose to create a new item or to replace the file."))
            state = flow.convert_step(self.context, target, wait=_wait(data.get("wait")))
        except engine.ConversionFailed as failure:
            return self.failed(failure)
        if state.get("message"):  # the page the browser opens next says where the result is
            api.portal.show_message(state["message"], request=self.request, type="info")
        return self.answer(state, 201 if state.get("created") else 200)


class DownloadAsGet(_Service):
    def reply(self):
        try:
            outputtype = outputtype_of(self.request.form)
        except engine.ConversionFailed as failure:
            return self.failed(failure, "download as")
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
            return self.failed(failure, f"download as {outputtype}")
        if state["status"] == "done":
            state["download_url"] = (
                f"{self.context.absolute_url()}/@@onlyoffice-download-as-file"
                f"?outputtype={outputtype}"
            )
        return self.answer(state)
