"""Asking ONLYOFFICE Docs' command service: the core builds the request and reads the reply,
this module sends it (signed with the JWT secret, on the address Plone reaches Docs at)."""

import logging

import requests

from onlyoffice_plone import core
from onlyoffice_plone.errors import OnlyofficeError

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds for one command.
TIMEOUT = (5, 30)
#: A command reply is a small JSON object; read no more than this.
MAX_REPLY = 1024 * 1024


class CommandFailed(OnlyofficeError):
    """Docs did not carry out a command (unreachable, refused, or an error code)."""

    def __init__(self, message, code=None):
        super().__init__("CommandFailed", message, 502, code=code, detail=message)


def send(settings, command, key=None, userdata=None, users=None, http=None):
    """Send ``command`` (about ``key``) to Docs; its ``CommandResult``.

    Codes that answer the command (``info`` 1: no session has this key; ``forcesave`` 4:
    nothing to save) come back in ``result.error``; other codes raise ``CommandFailed``.
    """
    http = http or requests
    request = core.command_request(
        settings.server_docs_url,
        command,
        key=key,
        userdata=userdata,
        users=users,
        secret=settings.jwt_secret or None,
        header=settings.jwt_header,
    )
    try:
        response = http.post(
            request.url,
            data=request.body,
            headers=dict(request.headers),
            timeout=TIMEOUT,
            verify=settings.verify_tls,
            allow_redirects=False,
            stream=True,
        )
    except requests.RequestException as exc:
        raise CommandFailed(
            f"ONLYOFFICE Docs' command service is unreachable ({type(exc).__name__})"
        ) from exc
    with response:
        if response.status_code != 200:
            raise CommandFailed(f"the command service answered HTTP {response.status_code}")
        body = response.raw.read(MAX_REPLY + 1, decode_content=True)
    if len(body) > MAX_REPLY:
        raise CommandFailed("the command service's reply is too large")
    try:
        return core.parse_command_response(command, body)
    except core.DocsError as exc:
        raise CommandFailed(f"{command}: {exc.message}", code=exc.code) from exc
    except core.CoreError as exc:
        raise CommandFailed(f"{command}: not a reply of ONLYOFFICE Docs ({exc})") from exc
