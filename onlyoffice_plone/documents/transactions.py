"""Committing one piece of work, retrying it when ZODB reports a conflict.

Docs' callbacks are acknowledged only once what they asked for is committed, so the work is
committed here, inside the request, rather than by the publisher after the reply is made.
"""

import logging
import time

import transaction
from ZODB.POSException import ConflictError

from onlyoffice_plone.errors import DatabaseBusy

logger = logging.getLogger("onlyoffice_plone")

#: How often one piece of work is tried when ZODB reports a conflict.
ATTEMPTS = 4
#: Seconds before the first retry after a conflict; doubled for each further one.
CONFLICT_PAUSE = 0.05


def committed(work, *args):
    """Run ``work(*args)`` and commit, retrying on conflicts; its result once committed.

    Raises ``DatabaseBusy`` (a transient failure) when every attempt conflicted.
    """
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(CONFLICT_PAUSE * 2 ** (attempt - 1))
        try:
            result = work(*args)
            transaction.commit()
            return result
        except ConflictError:
            transaction.abort()
            logger.info("ZODB conflict on attempt %s, retrying", attempt + 1)
    raise DatabaseBusy(f"{ATTEMPTS} attempts conflicted")
