"""Fault injection: what a test can make the double do wrong, on purpose.

Every knob is off by default; ``DocsDouble.reset()`` (or ``Faults.clear()``) turns them all off.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from dataclasses import field


@dataclass
class Faults:
    # --- callbacks ---
    drop_callbacks: bool = False
    """Send no callback at all (each one is logged with ``dropped=True``)."""
    drop_statuses: set[int] = field(default_factory=set)
    """Send no callback with these statuses, e.g. ``{1}`` to lose the join/leave notices."""
    callback_delay: float = 0.0
    """Seconds to wait before each callback attempt."""
    sign_with_wrong_secret: bool = False
    """Sign callback tokens, download tokens and the cache links' tokens with another secret."""
    omit_tokens: bool = False
    """Send callbacks and downloads with no token at all (body or header)."""
    expired_tokens: bool = False
    """Sign tokens that expired ten minutes ago."""
    callback_url_override: str | None = None
    """Post every callback here instead of the session's callbackUrl (another host)."""
    save_error: bool = False
    """Report status 3 (error while saving) instead of 2; ``url`` holds the last good state."""
    forcesave_error: bool = False
    """Report status 7 (error while force saving) instead of 6."""

    # --- results served from the cache URL space ---
    result_oversize_bytes: int | None = None
    """Pad every served result to this many bytes (trailing zeros)."""
    corrupt_result: bool = False
    """Serve garbage instead of the result (not a valid document)."""

    # --- the double's own endpoints ---
    endpoint_status: dict[str, int] = field(default_factory=dict)
    """Make endpoints fail with an HTTP status. Names: ``healthcheck``, ``api.js``, ``converter``,
    ``command``, ``cache``, ``editor`` (the stand-in editor's private API)."""
    response_delay: float = 0.0
    """Seconds to wait before answering any request to the double."""
    unhealthy: bool = False
    """``/healthcheck`` answers ``false`` (still HTTP 200, as Docs does)."""
    conversion_delay: float = 0.0
    """Extra seconds every conversion takes."""
    conversion_error: int | None = None
    """Every conversion fails with this Docs error code (e.g. -3)."""

    def clear(self) -> None:
        for f in dataclasses.fields(self):
            default = f.default_factory() if callable(f.default_factory) else f.default
            setattr(self, f.name, default)
