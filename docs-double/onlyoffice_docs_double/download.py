"""Downloading a file from the integrator (document.url, conversion url), by Docs' rules.

Docs accepts HTTP 200 and 206 only, at most ``max_bytes`` (error -10 beyond), and tries 3 times
1 s apart. The request carries ``<header>: Bearer <jwt of {"payload": {"url": url}}>`` when JWT
is on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

ATTEMPTS = 3
PAUSE_SECONDS = 1.0
CHUNK = 64 * 1024
#: How many download attempts the double remembers (status page, ``DocsDouble.downloads``).
MAX_DOWNLOADS_KEPT = 500
#: The longest URL (without its query) a log line or the status page shows.
MAX_URL_SHOWN = 200


def shown_url(url: str) -> str:
    """``url`` without its query (which carries Plone's token), at most MAX_URL_SHOWN long."""
    bare = url.split("?", 1)[0]
    return bare if len(bare) <= MAX_URL_SHOWN else bare[: MAX_URL_SHOWN - 1] + "…"


def describe_download(entry: dict[str, Any]) -> str:
    """One line for the console: what was fetched, which attempt, and how it went."""
    if "bytes" in entry:
        outcome = f"HTTP {entry.get('status')}, {entry['bytes']} bytes"
    else:
        outcome = f"failed: {str(entry.get('error'))[:200]}"
    return f"of {shown_url(entry['url'])} (attempt {entry['attempt']}): {outcome}"


class DownloadError(Exception):
    """``size`` is True when the file exceeded the size limit (Docs error -10)."""

    def __init__(self, message: str, *, size: bool = False) -> None:
        super().__init__(message)
        self.size = size


class _TooLarge(Exception):
    pass


def download(
    url: str,
    *,
    headers: dict[str, str],
    max_bytes: int,
    timeout: float = 120.0,
    pause: float = PAUSE_SECONDS,
    record: Callable[[dict[str, Any]], None] | None = None,
) -> bytes:
    """Fetch ``url``; raise DownloadError after the last failed attempt."""
    last_error = "no attempt"
    for attempt in range(1, ATTEMPTS + 1):
        entry: dict[str, Any] = {
            "url": url,
            "attempt": attempt,
            "headers": dict(headers),
            "time": time.time(),
        }
        try:
            data = _fetch_once(url, headers, max_bytes, timeout, entry)
        except _TooLarge as exc:
            entry["error"] = str(exc)
            if record:
                record(entry)
            # The limit is a property of the file: trying again cannot help.
            raise DownloadError(str(exc), size=True) from exc
        except (requests.RequestException, _BadStatus) as exc:
            last_error = str(exc)
            entry["error"] = last_error
            if record:
                record(entry)
            if attempt < ATTEMPTS:
                time.sleep(pause)
            continue
        entry["bytes"] = len(data)
        if record:
            record(entry)
        return data
    raise DownloadError(
        f"download of {shown_url(url)} failed after {ATTEMPTS} attempts: {last_error}"
    )


class _BadStatus(Exception):
    pass


def _fetch_once(
    url: str, headers: dict[str, str], max_bytes: int, timeout: float, entry: dict[str, Any]
) -> bytes:
    with requests.get(url, headers=headers, timeout=timeout, stream=True) as response:
        entry["status"] = response.status_code
        if response.status_code not in (200, 206):
            raise _BadStatus(f"HTTP {response.status_code}")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise _TooLarge(f"Content-Length {length} exceeds {max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge(f"body exceeds {max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
