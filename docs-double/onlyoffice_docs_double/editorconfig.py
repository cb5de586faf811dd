"""Checking an editor config the way api.js and the Docs server do before a document opens.

Two kinds of refusal:

- ``kind="config"``: what api.js itself rejects (it shows a ``window.alert`` and creates no
  editor): a missing ``document.url``, no ``fileType`` nor ``documentType``, an unknown
  ``documentType`` or ``fileType``, a non-string ``key``.
- ``kind="error"``: what the server refuses when the editor connects; the page receives
  ``onError`` with ``{errorCode, errorDescription}``. Codes are the editor's own
  (``Asc.c_oAscError.ID``): -20 VKeyEncrypt for a token that does not verify or lacks a required
  field (Docs closes the connection with 4006), -21 KeyExpire for an expired token (4005), -23
  AccessDeny when the token's permissions differ from the config's or the token carries a
  top-level ``url``/``payload``/``key`` (4004), -4 when the download of ``document.url`` fails.
  Two refusals are the double's own, stricter than Docs, with a representative code: an invalid
  ``document.key`` (characters outside ``0-9a-zA-Z-._=`` or longer than 240) and editing without
  ``editorConfig.callbackUrl`` are reported as -1 (unknown error) with a ``detail`` saying why.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from . import formats
from .tokens import TokenError
from .tokens import verify

KEY_PATTERN = re.compile(r"^[0-9a-zA-Z\-._=]+$")
KEY_MAX_LENGTH = 240  # what the server accepts; the documentation says 128

TOKEN_INVALID = -20
TOKEN_EXPIRED = -21
ACCESS_DENIED = -23
DOWNLOAD_FAILED = -4
UNKNOWN = -1

DESCRIPTIONS = {
    TOKEN_INVALID: "The document security token is not correctly formed. "
    "Please contact your Document Server administrator.",
    TOKEN_EXPIRED: "The document security token has expired. "
    "Please contact your Document Server administrator.",
    ACCESS_DENIED: "You are trying to perform an action you do not have rights for. "
    "Please contact your Document Server administrator.",
    DOWNLOAD_FAILED: "Download failed.",
    UNKNOWN: "Unknown error.",
}
CLOSE_CODES = {TOKEN_INVALID: 4006, TOKEN_EXPIRED: 4005, ACCESS_DENIED: 4004}


class EditorError(Exception):
    """The editor refuses to open. ``code`` is None for api.js config alerts."""

    def __init__(self, code: int | None, detail: str, *, kind: str = "error") -> None:
        self.code = code
        self.kind = kind
        self.detail = detail
        self.description = DESCRIPTIONS.get(code, detail) if code is not None else detail
        super().__init__(f"{code}: {detail}" if code is not None else detail)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "errorCode": self.code,
            "errorDescription": self.description,
            "detail": self.detail,
            "closeCode": CLOSE_CODES.get(self.code) if self.code is not None else None,
        }


def config_error(message: str) -> EditorError:
    return EditorError(None, message, kind="config")


@dataclass
class OpenRequest:
    """What the server knows after checking a config (token values applied)."""

    key: str
    url: str
    file_type: str
    document_type: str
    title: str
    callback_url: str | None
    mode: str
    permissions: dict[str, Any]
    user_id: str
    user_name: str
    lang: str
    customization: dict[str, Any]
    editing: bool
    verified: bool
    config: dict[str, Any] = field(repr=False)


def strict_equal(a: Any, b: Any) -> bool:
    """Deep equality without Python's True == 1 (Node's deepStrictEqual)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def is_editing(permissions: dict[str, Any], mode: str) -> bool:
    return mode != "view" and (
        permissions.get("edit") is not False
        or permissions.get("review") is True
        or permissions.get("comment") is True
        or permissions.get("fillForms") is True
    )


def check_client_side(config: Any) -> dict[str, Any]:
    """api.js's checks; returns a copy with documentType/fileType/title/key filled in."""
    if not isinstance(config, dict) or not isinstance(config.get("document"), dict):
        raise config_error("One or more required parameter for the config object is not set")
    config = {**config, "document": dict(config["document"])}
    config["editorConfig"] = dict(config.get("editorConfig") or {})
    document = config["document"]
    file_type = document.get("fileType")
    document_type = config.get("documentType")
    has_file_type = isinstance(file_type, str) and file_type != ""
    has_document_type = isinstance(document_type, str) and document_type != ""
    if not document.get("url") or not (has_file_type or has_document_type):
        raise config_error("One or more required parameter for the config object is not set")
    if has_document_type:
        assert isinstance(document_type, str)
        canonical = formats.LEGACY_DOCUMENT_TYPES.get(document_type.lower(), document_type.lower())
        if canonical not in formats.DEFAULT_FILE_TYPE:
            raise config_error(
                'The "documentType" parameter for the config object is invalid. Please correct it.'
            )
        if not has_file_type:
            document["fileType"] = formats.DEFAULT_FILE_TYPE[canonical]
    document["fileType"] = str(document["fileType"]).lower()
    inferred = formats.document_type(document["fileType"])
    if inferred is None:
        raise config_error(
            'The "document.fileType" parameter for the config object is invalid. '
            "Please correct it."
        )
    if not has_document_type:
        config["documentType"] = inferred
    if not document.get("title"):
        document["title"] = "Unnamed." + document["fileType"]
    if not document.get("key"):
        document["key"] = secrets.token_hex(10)
    elif not isinstance(document["key"], str):
        raise config_error(
            'The "document.key" parameter for the config object must be string. Please correct it.'
        )
    return config


def _apply_token(config: dict[str, Any], secret: str) -> dict[str, Any]:
    token = config.get("token")
    if not isinstance(token, str) or not token:
        raise EditorError(TOKEN_INVALID, "the config has no token and JWT is enabled")
    try:
        decoded = verify(token, secret)
    except TokenError as exc:
        raise EditorError(TOKEN_EXPIRED if exc.expired else TOKEN_INVALID, str(exc)) from exc

    document = config["document"]
    editor = config["editorConfig"]
    token_doc: dict[str, Any] = decoded.get("document") or {}
    token_editor: dict[str, Any] = decoded.get("editorConfig") or {}
    if not isinstance(token_doc, dict) or not isinstance(token_editor, dict):
        raise EditorError(TOKEN_INVALID, "the token's document or editorConfig is not an object")
    # Required since 7.1 (tokenRequiredParams): a token that lacks them is refused.
    missing = None
    if not token_doc.get("key"):
        missing = "document.key"
    elif document.get("permissions") and not token_doc.get("permissions"):
        missing = "document.permissions"
    elif not token_doc.get("url"):
        missing = "document.url"
    elif editor.get("callbackUrl") and not token_editor.get("callbackUrl"):
        missing = "editorConfig.callbackUrl"
    elif editor.get("mode") and not token_editor.get("mode"):
        missing = "editorConfig.mode"
    if missing:
        raise EditorError(TOKEN_INVALID, f"the token lacks {missing} (required since 7.1)")

    if "permissions" in token_doc and not strict_equal(
        document.get("permissions"), token_doc["permissions"]
    ):
        raise EditorError(
            ACCESS_DENIED, "the token's document.permissions differ from the config's"
        )
    if "url" in decoded or "payload" in decoded or "key" in decoded:
        raise EditorError(ACCESS_DENIED, "the token has a top-level url, payload or key")

    # The token's values win over the page's.
    for name in ("key", "url", "fileType", "title"):
        if token_doc.get(name) is not None:
            document[name] = token_doc[name]
    if isinstance(token_doc.get("permissions"), dict):
        document["permissions"] = {
            **(document.get("permissions") or {}),
            **token_doc["permissions"],
        }
    for name in ("callbackUrl", "lang", "mode"):
        if token_editor.get(name) is not None:
            editor[name] = token_editor[name]
    if isinstance(token_editor.get("user"), dict):
        editor["user"] = {**(editor.get("user") or {}), **token_editor["user"]}
    if isinstance(token_editor.get("customization"), dict):
        editor["customization"] = token_editor["customization"]
    return config


def check(config: Any, secret: str | None) -> OpenRequest:
    """Check ``config`` as api.js and the server do; raise EditorError when Docs would refuse."""
    config = check_client_side(config)
    verified = False
    if secret:
        config = _apply_token(config, secret)
        verified = True
    document = config["document"]
    editor = config["editorConfig"]
    key = document["key"]
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or len(key) > KEY_MAX_LENGTH:
        raise EditorError(
            UNKNOWN,
            f"document.key must be 1-{KEY_MAX_LENGTH} characters of 0-9 a-z A-Z - . _ = "
            f"(got {key!r})",
        )
    permissions = document.get("permissions") or {}
    if not isinstance(permissions, dict):
        raise config_error('The "document.permissions" parameter must be an object.')
    mode = editor.get("mode") or "edit"
    editing = is_editing(permissions, mode)
    callback_url = editor.get("callbackUrl") or None
    if editing and not callback_url:
        raise EditorError(UNKNOWN, "editorConfig.callbackUrl is required to edit")
    user = editor.get("user") or {}
    user_id = user.get("id")
    user_id = str(user_id) if user_id not in (None, "") else "uid-" + secrets.token_hex(4)
    user_name = str(user.get("name") or "Anonymous")
    file_type = str(document["fileType"]).lower()
    document_type = formats.document_type(file_type) or config["documentType"]
    return OpenRequest(
        key=key,
        url=str(document["url"]),
        file_type=file_type,
        document_type=document_type,
        title=str(document.get("title")),
        callback_url=callback_url,
        mode=mode,
        permissions=permissions,
        user_id=user_id,
        user_name=user_name,
        lang=str(editor.get("lang") or "en"),
        customization=dict(editor.get("customization") or {}),
        editing=editing,
        verified=verified,
        config=config,
    )
