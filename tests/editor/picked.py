"""Content for the content picker's tests: images, documents and spreadsheets in the "Docs"
folder, one private image only john (its owner) may view, and helpers to fetch a picked URL
the way ONLYOFFICE Docs does."""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass
from typing import Any

import jwt
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage

from onlyoffice_docs_double import samples

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def png(width=3, height=2, seed=0):
    """A small valid PNG (so Plone reads its size), different for each seed."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes((seed + x) % 256 for x in range(width * 3)) for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Picked:
    pictures: Any
    logo: Any
    photo: Any
    other: Any
    recipients: Any
    secret: Any
    notes: Any


def add_content(site) -> Picked:
    folder = site.folder
    with api.env.adopt_roles(["Manager"]):
        pictures = api.content.create(
            container=folder, type="Folder", id="pictures", title="Pictures"
        )
        logo = api.content.create(
            container=folder,
            type="Image",
            id="logo",
            title="Company logo",
            image=NamedBlobImage(data=png(seed=1), contentType="image/png", filename="logo.png"),
        )
        photo = api.content.create(
            container=pictures,
            type="File",
            id="photo",
            title="Team photo",
            file=NamedBlobFile(
                data=png(4, 4, seed=7), contentType="image/png", filename="team.png"
            ),
        )
        other = api.content.create(
            container=folder,
            type="File",
            id="other",
            title="Other report",
            file=NamedBlobFile(
                data=samples.docx("Other text"),
                contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                filename="other.docx",
            ),
        )
        recipients = api.content.create(
            container=folder,
            type="File",
            id="recipients",
            title="Recipients list",
            file=NamedBlobFile(
                data=samples.xlsx("Recipients"), contentType=XLSX, filename="recipients.xlsx"
            ),
        )
        notes = api.content.create(
            container=folder,
            type="File",
            id="notes",
            title="Plain notes",
            file=NamedBlobFile(data=b"just text", contentType="text/plain", filename="notes.txt"),
        )
        secret = api.content.create(
            container=folder,
            type="Image",
            id="secret",
            title="Secret plan",
            image=NamedBlobImage(data=png(seed=99), contentType="image/png", filename="plan.png"),
        )
        # Private: only its owner john (and Managers) may view it.
        secret.manage_permission("View", ["Manager", "Owner"], acquire=0)
        secret.manage_permission("Access contents information", ["Manager", "Owner"], acquire=0)
        api.user.grant_roles(username="john", obj=secret, roles=["Owner"])
        secret.reindexObjectSecurity()
    transaction.commit()
    return Picked(pictures, logo, photo, other, recipients, secret, notes)


def uid(obj):
    return api.content.get_uuid(obj)


def docs_get(url, secret, signed_url=None, lifetime=300):
    """GET ``url`` as Docs does: its header token names the URL it fetches."""
    import requests

    headers = {}
    if secret:
        now = int(time.time())
        claims = {"payload": {"url": signed_url or url}, "iat": now, "exp": now + lifetime}
        headers["Authorization"] = "Bearer " + jwt.encode(claims, secret, algorithm="HS256")
    return requests.get(url, headers=headers, timeout=30)


def signed_fields(reply, secret):
    """The fields of an answer as Docs reads them: from its token."""
    claims = jwt.decode(reply["token"], secret, algorithms=["HS256"])
    return {k: v for k, v in claims.items() if k not in ("iat", "exp")}
