"""Keys follow every committed save on ZEO without ``server-sync`` (ZEO's default).

A ZEO client learns of other clients' commits through invalidations the server sends it
asynchronously. Here one client's invalidations are held back (as on a loaded network or
host), so a new transaction on it right after the other client's commit still reads the old
state: the stale read an instance made in the first milliseconds after another acknowledged
a save. ``documents.keys.see_latest`` must see the commit anyway.
"""

import threading
import time

import pytest
import transaction
import ZEO
from persistent.mapping import PersistentMapping

from onlyoffice_plone.documents.keys import see_latest

DELAY = 0.5


@pytest.fixture
def two_clients(tmp_path):
    address, stop_server = ZEO.server(path=str(tmp_path / "Data.fs"))
    writer = ZEO.DB(address)
    reader = ZEO.DB(address)
    try:
        assert not reader.storage.server_sync
        yield writer, reader
    finally:
        transaction.abort()
        reader.close()
        writer.close()
        stop_server()


def hold_back_invalidations(storage):
    """Deliver the invalidations ``storage`` receives DELAY seconds late (in order)."""
    real = storage.invalidateTransaction

    def late(tid, oids):
        time.sleep(DELAY)
        real(tid, oids)

    storage.invalidateTransaction = late


def stale_read(two_clients, before_reading):
    writer, reader = two_clients
    writes = transaction.TransactionManager()
    writing = writer.open(writes)
    writing.root()["doc"] = PersistentMapping(revision=1)
    writes.commit()
    reading = reader.open()  # the thread's default transaction manager, as a request's
    deadline = time.monotonic() + 10
    while "doc" not in reading.root() and time.monotonic() < deadline:
        transaction.abort()
        time.sleep(0.05)
    doc = reading.root()["doc"]
    assert doc["revision"] == 1
    hold_back_invalidations(reader.storage)
    writing.root()["doc"]["revision"] = 2
    writes.commit()  # another instance acknowledged a save
    transaction.abort()  # a new request begins here
    before_reading(doc)
    seen = doc["revision"]
    threading.Event().wait(DELAY)  # let the held-back invalidation land before closing
    reading.close()
    writing.close()
    return seen


def test_without_a_round_trip_the_new_request_reads_the_old_state(two_clients):
    """The failure the fix is for: this is what handed out the old key."""
    assert stale_read(two_clients, lambda doc: None) == 1


def test_see_latest_reads_what_was_committed(two_clients):
    assert stale_read(two_clients, see_latest) == 2
