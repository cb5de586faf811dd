"""The command service (``/command``, ``/coauthoring/CommandService.ashx``).

Always HTTP 200 with JSON ``{"error": N, ...}``: 0 ok, 1 key missing or unknown, 2 callback url,
3 internal error, 4 nothing to force-save, 5 unknown command, 6 invalid token, 7 token expired
(the server answers these two; see the server module).
"""

from __future__ import annotations

from typing import Any

from .sessions import FORCESAVE_COMMAND
from .sessions import DoubleError
from .sessions import SessionManager

OK = 0
KEY_ERROR = 1
CALLBACK_ERROR = 2
INTERNAL_ERROR = 3
NOT_MODIFIED = 4
UNKNOWN_COMMAND = 5
TOKEN_INVALID = 6
TOKEN_EXPIRED = 7


class CommandService:
    def __init__(self, sessions: SessionManager, version: str) -> None:
        self.sessions = sessions
        self.version = version

    def handle(self, params: dict[str, Any]) -> dict[str, Any]:
        command = params.get("c")
        key = params.get("key")
        userdata = params.get("userdata")
        userdata = None if userdata is None else str(userdata)
        if command == "version":
            return {"error": OK, "version": self.version}
        if command == "license":
            return self._license()
        if command == "getForgottenList":
            with self.sessions._lock:
                return {"error": OK, "keys": list(self.sessions.forgotten_files)}
        if command not in ("info", "forcesave", "drop", "meta", "getForgotten", "deleteForgotten"):
            return {"error": UNKNOWN_COMMAND}
        if not isinstance(key, str) or not key:
            return {"error": KEY_ERROR}
        if command == "getForgotten":
            url = self.sessions.forgotten_url(key)
            return (
                {"error": OK, "key": key, "url": url} if url else {"error": KEY_ERROR, "key": key}
            )
        if command == "deleteForgotten":
            with self.sessions._lock:
                found = self.sessions.forgotten_files.pop(key, None)
            return {"error": OK if found else KEY_ERROR, "key": key}
        try:
            session = self.sessions.get(key)
        except DoubleError:
            return {"error": KEY_ERROR, "key": key}
        if session.state != "open" and command != "info":
            return {"error": KEY_ERROR, "key": key}
        if command == "info":
            if not session.callback_url:
                return {"error": CALLBACK_ERROR, "key": key}
            self.sessions.info(key, userdata)
        elif command == "forcesave":
            if not self.sessions.forcesave(key, None, FORCESAVE_COMMAND, userdata):
                return {"error": NOT_MODIFIED, "key": key}
        elif command == "drop":
            users = params.get("users")
            self.sessions.drop(key, [str(u) for u in users] if isinstance(users, list) else None)
        elif command == "meta":
            meta = params.get("meta")
            if not isinstance(meta, dict):
                return {"error": INTERNAL_ERROR, "key": key}
            self.sessions.meta(key, meta)
        return {"error": OK, "key": key}

    def _license(self) -> dict[str, Any]:
        return {
            "error": OK,
            "license": {
                "end_date": "2099-12-31T23:59:59.000Z",
                "trial": False,
                "customization": False,
                "connections": 20,
                "connections_view": 20,
                "users_count": 0,
                "users_view_count": 0,
                "users_expire": 0,
            },
            "server": {
                "resultType": 3,
                "packageType": 0,
                "buildDate": "2025-01-01T00:00:00.000Z",
                "buildVersion": self.version.rsplit(".", 1)[0],
                "buildNumber": 1,
            },
            "quota": {"edit": {"connectionsCount": 0, "usersCount": {}}, "view": {}},
        }
