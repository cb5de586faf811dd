"""The cache URL space: where Docs serves edited results and conversions, by expiring links.

Links look like Docs' own: ``/cache/files/data/<key>_<n>/output.<ext>?md5=…&expires=…`` where
``md5`` signs the path and the expiry (as nginx ``secure_link`` does in the Docs image). A bad
``md5`` gets 403, an expired link 410.
"""

from __future__ import annotations

import base64
import hashlib
import math
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass

PREFIX = "/cache/files/data/"


@dataclass
class CachedFile:
    path: str  # "<dir>/<name>", relative to PREFIX
    data: bytes
    content_type: str


class CacheStore:
    def __init__(self, expires_seconds: float = 15 * 60) -> None:
        self.expires_seconds = expires_seconds
        self._link_secret = secrets.token_hex(16)
        self._files: dict[str, CachedFile] = {}
        self._lock = threading.Lock()

    def put(self, directory: str, name: str, data: bytes, content_type: str) -> str:
        """Store a file; return its path relative to the cache prefix."""
        path = f"{directory}/{name}"
        with self._lock:
            self._files[path] = CachedFile(path, data, content_type)
        return path

    def signed_url(self, base_url: str, path: str, filename: str | None = None) -> str:
        expires = math.ceil(time.time() + self.expires_seconds)
        query = {"md5": self._md5(path, expires), "expires": str(expires)}
        if filename:
            query["filename"] = filename
        quoted = urllib.parse.quote(PREFIX + path)
        return f"{base_url}{quoted}?{urllib.parse.urlencode(query)}"

    def lookup(self, path: str, md5: str, expires: str) -> tuple[int, CachedFile | None]:
        """HTTP status and file for a request of ``PREFIX + path``."""
        try:
            expires_at = int(expires)
        except ValueError:
            return 403, None
        if not secrets.compare_digest(md5, self._md5(path, expires_at)):
            return 403, None
        if expires_at < time.time():
            return 410, None
        with self._lock:
            found = self._files.get(path)
        return (200, found) if found else (404, None)

    def get(self, path: str) -> CachedFile | None:
        with self._lock:
            return self._files.get(path)

    def clear(self) -> None:
        with self._lock:
            self._files.clear()

    def _md5(self, path: str, expires: int) -> str:
        digest = hashlib.md5(  # noqa: S324 - a link signature as nginx secure_link, not security
            f"{expires}{PREFIX}{path} {self._link_secret}".encode()
        ).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
