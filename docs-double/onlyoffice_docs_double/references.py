"""Links between spreadsheets ("external links"), as Docs' spreadsheet editor and server
handle them.

- A spreadsheet whose config has ``document.referenceData`` puts that object on the clipboard
  with a copied cell, beside its file name (``document.title``), sheet and cell. The double
  keeps one clipboard per user id (the person at the keyboard), whichever editor they copy in.
- A spreadsheet whose page declares ``onRequestReferenceData`` offers *Paste link* for such a
  clipboard, and only when the clipboard's ``instanceId`` is its own config's (data copied on
  another system is never pasted by link). The link remembers the reference data and, as its
  path, the file name; a formula typed by hand (``='[path]Sheet1'!A1``) makes a link with a
  path only.
- *Update values* (only in an editing session, as Docs' editor) asks the page for each link in
  turn: ``onRequestReferenceData`` with ``{referenceData, path, link}`` for a pasted link and
  ``{path}`` for a typed one, and waits for ``setReferenceData`` before asking for the next.
- *Open source* (``onRequestOpen``) and *Change source* (``onRequestReferenceSource``, editing
  only; answered by ``setReferenceSource``) exist only when the page declares their events.

The answer is read as Docs reads it: ``{error}`` becomes the link's status; otherwise, with JWT
on, its ``token`` must verify with the secret, and the URL, file type and key come from the
token, not from the plain fields. A key with a live session here gives that session's current
document (Docs builds the file from the co-editing session); else the URL is downloaded with
Docs' header token, as Docs' ``/downloadfile`` (xlsx, which it serves only for the file types
in ``downloadFileAllowExt``) or its converter (other spreadsheets) does. The link then takes
the answer's path and reference data. Every answer and what came of it is recorded on the
link (``Link.updates``) and in ``Session.method_calls``.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from . import tokens
from .download import DownloadError

#: The file types Docs' /downloadfile serves from a token's url (its default config).
DOWNLOAD_FILE_ALLOW_EXT = ("pdf", "xlsx")
#: What Docs' editor shows as a link's status when the update failed.
UPDATE_FAILED = "Error: updating is failed"
#: The token claims that are not the method's argument.
TIMING_CLAIMS = ("iat", "exp", "nbf")

_ids = itertools.count(1)


@dataclass
class Link:
    """One external link of a spreadsheet (what Docs keeps in the file)."""

    id: str
    reference_data: dict[str, Any] | None
    path: str | None
    sheet: str = "Sheet1"
    cell: str = "A1"
    status: str = "Unknown"
    key: str | None = None
    updates: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "referenceData": self.reference_data,
            "path": self.path,
            "sheet": self.sheet,
            "cell": self.cell,
            "status": self.status,
            "formula": f"='[{self.path or ''}]{self.sheet}'!{self.cell}",
            "requestData": request_data(self),
        }


def request_data(link: Link) -> dict[str, Any]:
    """``event.data`` of onRequestReferenceData for ``link``, as Docs' editor sends it."""
    if link.reference_data is not None:
        return {"referenceData": link.reference_data, "path": link.path or "", "link": ""}
    return {"path": link.path or ""}


def own_instance(config: dict[str, Any]) -> str | None:
    reference = (config.get("document") or {}).get("referenceData")
    return reference.get("instanceId") if isinstance(reference, dict) else None


def copied_cell(config: dict[str, Any], title: str) -> dict[str, Any]:
    """What copying cell A1 of the spreadsheet of ``config`` puts on the clipboard."""
    reference = (config.get("document") or {}).get("referenceData")
    return {
        "referenceData": dict(reference) if isinstance(reference, dict) else None,
        "fileName": title,
        "sheet": "Sheet1",
        "cell": "A1",
    }


def paste_link(config: dict[str, Any], clipboard: Any) -> Link:
    """The link *Paste link* makes from ``clipboard`` in the spreadsheet of ``config``;
    ValueError when Docs would not offer it."""
    if not isinstance(clipboard, dict) or not isinstance(clipboard.get("referenceData"), dict):
        raise ValueError("the clipboard holds no reference data")
    reference = clipboard["referenceData"]
    instance = own_instance(config)
    if instance is None or reference.get("instanceId") != instance:
        raise ValueError("the data was copied on another system: no paste by link")
    return Link(
        id=str(next(_ids)),
        reference_data=dict(reference),
        path=str(clipboard.get("fileName") or ""),
        sheet=str(clipboard.get("sheet") or "Sheet1"),
        cell=str(clipboard.get("cell") or "A1"),
    )


def typed_link(path: Any) -> Link:
    """The link a formula typed by hand makes: a path, no reference data."""
    if not isinstance(path, str) or not path.strip():
        raise ValueError("a formula names its file: ='[path]Sheet1'!A1")
    return Link(id=str(next(_ids)), reference_data=None, path=path.strip())


def read_answer(data: Any, secret: str | None) -> tuple[dict[str, Any], list[str]]:
    """The values Docs acts on (from the token with JWT on) and the plain fields that differ
    from them. Raises TokenError when the token is missing or refused."""
    if not isinstance(data, dict):
        raise ValueError("the answer is not an object")
    if not secret:
        return data, []
    token = data.get("token")
    if not isinstance(token, str) or not token:
        raise tokens.TokenError("the answer has no token")
    signed = {k: v for k, v in tokens.verify(token, secret).items() if k not in TIMING_CLAIMS}
    differ = sorted(k for k in data if k != "token" and signed.get(k) != data[k])
    return signed, differ


def apply_answer(manager: Any, session: Any, link: Link, name: str, data: Any) -> dict[str, Any]:
    """Act on ``setReferenceData`` / ``setReferenceSource`` for ``link`` as Docs does; the
    record of what happened (also kept in ``link.updates``)."""
    record: dict[str, Any] = {"method": name, "link": link.id, "ok": False}
    link.updates.append(record)
    if isinstance(data, dict) and data.get("error"):
        link.status = str(data["error"])
        record.update(ok=True, error=link.status)
        return record
    try:
        values, differ = read_answer(data, manager.secret)
    except (tokens.TokenError, ValueError) as exc:
        link.status = UPDATE_FAILED
        record["refused"] = str(exc)
        return record
    url, file_type, key = values.get("url"), values.get("fileType"), values.get("key")
    record.update(
        url=url, fileType=file_type, key=key, path=values.get("path"), plainDiffers=differ
    )
    if not isinstance(url, str) or not url:
        link.status = UPDATE_FAILED
        record["refused"] = "the answer names no url"
        return record
    live = manager.sessions.get(key) if isinstance(key, str) else None
    try:
        if live is not None and live.state == "open":
            record["source"] = "session"
            content = live.document
        else:
            allowed = file_type in DOWNLOAD_FILE_ALLOW_EXT
            record["source"] = "downloadfile" if allowed else "converter"
            content = manager.fetch(url)
    except DownloadError as exc:
        link.status = UPDATE_FAILED
        record["error"] = str(exc)
        return record
    record.update(ok=True, bytes=len(content), sha256=hashlib.sha256(content).hexdigest())
    link.status = "OK"
    link.key = key if isinstance(key, str) else None
    if isinstance(data.get("path"), str) and data["path"]:
        link.path = data["path"]
    if isinstance(data.get("referenceData"), dict):
        link.reference_data = data["referenceData"]
    return record
