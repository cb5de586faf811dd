"""Conflict retries (more attempts, jittered pauses, the conflicting object named in the log)
and the removal of orphaned temporary files."""

import logging
import os
import random
import time

import pytest
from ZODB.POSException import ConflictError

from onlyoffice_plone.docs import temporary
from onlyoffice_plone.documents import transactions
from onlyoffice_plone.errors import DatabaseBusy


def test_a_burst_of_conflicts_is_outlasted(monkeypatch):
    """Five conflicts in a row (two instances saving the same folder): the old budget of
    four attempts gave up; the work is committed now."""
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)
    calls = []

    def work():
        calls.append(1)
        if len(calls) <= 5:
            raise ConflictError("simulated")
        return "stored"

    assert transactions.committed(work) == "stored"
    assert len(calls) == 6


def test_every_attempt_conflicting_is_a_transient_failure(monkeypatch):
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)

    def work():
        raise ConflictError("simulated")

    with pytest.raises(DatabaseBusy):
        transactions.committed(work)


def test_pauses_grow_are_jittered_and_bounded():
    rng = random.Random(7)
    pauses = [transactions.pause(attempt, rng) for attempt in range(1, 8)]
    assert len(set(pauses)) == len(pauses), "jittered: no two instances retry in step"
    for attempt, seconds in enumerate(pauses, start=1):
        ceiling = min(transactions.MAX_PAUSE, transactions.CONFLICT_PAUSE * 2 ** (attempt - 1))
        assert ceiling / 2 <= seconds <= ceiling
    assert (
        sum(
            min(transactions.MAX_PAUSE, transactions.CONFLICT_PAUSE * 2 ** (a - 1))
            for a in range(1, transactions.ATTEMPTS)
        )
        < 10
    )


def test_the_log_names_the_conflicting_object(functional, monkeypatch, caplog):
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)
    portal = functional["portal"]
    folder = portal.portal_catalog
    calls = []

    def work():
        calls.append(1)
        if len(calls) == 1:
            raise ConflictError(object=folder)
        return None

    with caplog.at_level(logging.INFO, logger="onlyoffice_plone"):
        transactions.committed(work, jar=portal._p_jar)
    [record] = [r for r in caplog.records if "ZODB conflict" in r.getMessage()]
    message = record.getMessage()
    assert folder._p_oid.hex() in message
    assert "CatalogTool" in message
    assert "at portal_catalog" in message


def _touch(path, age):
    path.write_bytes(b"x")
    then = time.time() - age
    os.utime(path, (then, then))


def test_orphaned_temporary_files_go_recent_and_foreign_ones_stay(tmp_path):
    _touch(tmp_path / "onlyoffice-result-old", temporary.MAX_AGE + 60)
    _touch(tmp_path / "onlyoffice-template-old", temporary.MAX_AGE + 60)
    _touch(tmp_path / "onlyoffice-result-new", 5)
    _touch(tmp_path / "someone-elses-file", temporary.MAX_AGE + 60)
    assert temporary.clean_directory(str(tmp_path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "onlyoffice-result-new",
        "someone-elses-file",
    ]
    # Another instance sharing the directory cleaned first: nothing to do, no error.
    assert temporary.clean_directory(str(tmp_path)) == 0


def test_the_longest_download_is_younger_than_an_orphan():
    from onlyoffice_plone.docs.fetch import DEADLINE

    assert temporary.MAX_AGE > DEADLINE + 600


def test_orphans_go_when_the_database_opens(integration, tmp_path):
    """Registered for IDatabaseOpenedWithRoot: every start cleans the storage's directory."""
    from types import SimpleNamespace

    from zope.component import getGlobalSiteManager

    handlers = [h.handler for h in getGlobalSiteManager().registeredHandlers()]
    assert temporary.clean_at_start in handlers
    _touch(tmp_path / "onlyoffice-result-crashed", temporary.MAX_AGE + 60)
    storage = SimpleNamespace(temporaryDirectory=lambda: str(tmp_path))
    temporary.clean_at_start(SimpleNamespace(database=SimpleNamespace(storage=storage)))
    assert not list(tmp_path.iterdir())
