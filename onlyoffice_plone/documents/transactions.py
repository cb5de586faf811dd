"""Committing one piece of work, retrying it when ZODB reports a conflict.

Docs' callbacks are acknowledged only once what they asked for is committed, so the work is
committed here, inside the request, rather than by the publisher after the reply is made.
With several instances on ZEO or RelStorage, conflicts come in bursts (many saves at once):
the pauses between attempts grow and are jittered, so the instances do not retry in step,
and every conflict is logged with the object that conflicted.
"""

import binascii
import contextlib
import logging
import random
import time

import transaction
from ZODB.POSException import ConflictError

from onlyoffice_plone.errors import DatabaseBusy

logger = logging.getLogger("onlyoffice_plone")

#: How often one piece of work is tried when ZODB reports a conflict.
ATTEMPTS = 8
#: Seconds before the first retry after a conflict; doubled for each further one (at most
#: ``MAX_PAUSE``), each pause drawn between half and all of it. In all about 3 s, well inside
#: Docs' 10 minutes for a callback.
CONFLICT_PAUSE = 0.05
MAX_PAUSE = 1.0


def pause(attempt, rng=random):
    """Seconds to wait before ``attempt`` (1 = the first retry)."""
    ceiling = min(MAX_PAUSE, CONFLICT_PAUSE * 2 ** (attempt - 1))
    return ceiling * (0.5 + rng.random() / 2)


def describe(exc, jar=None):
    """The object a ConflictError names: oid, class and, when it has one, its path."""
    oid = getattr(exc, "oid", None)
    shown = binascii.hexlify(oid).decode() if isinstance(oid, bytes) else "?"
    class_name = ""
    with contextlib.suppress(Exception):
        class_name = exc.get_class_name() or ""
    where = ""
    if jar is not None and isinstance(oid, bytes):
        with contextlib.suppress(Exception):
            obj = jar.get(oid)
            path = getattr(obj, "getPhysicalPath", None)
            if path is not None:
                where = "/".join(path())
    text = f"oid {shown}"
    if class_name:
        text += f" ({class_name})"
    if where:
        text += f" at {where}"
    return text


def committed(work, *args, jar=None):
    """Run ``work(*args)`` and commit, retrying on conflicts; its result once committed.

    ``jar`` (a ZODB connection) lets the log name the path of a conflicting object.
    Raises ``DatabaseBusy`` (a transient failure) when every attempt conflicted.
    """
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(pause(attempt))
        try:
            result = work(*args)
            transaction.commit()
            return result
        except ConflictError as exc:
            transaction.abort()
            logger.info(
                "ZODB conflict on attempt %s of %s, on %s; retrying",
                attempt + 1,
                ATTEMPTS,
                describe(exc, jar),
            )
    raise DatabaseBusy(f"{ATTEMPTS} attempts conflicted")
