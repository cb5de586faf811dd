"""The catalog's reindex of a saved document, done after Docs has its reply.

A save must be committed before Docs is answered: the new file and its version. The
catalog's record of the document (its indexes, full text included, and metadata) need not
be: it is taken out of the save's transaction (``defer_reindex``) and done by one worker
thread of this process, with its own database connection, once the save is committed.

Nothing is lost when the process dies in between: the save's transaction marks the
document's state ``unindexed``, and whoever reindexes clears the mark in the transaction that
reindexes. A mark left by a crash (or by a full queue) is redone by the next maintenance run
(``reindex_pending``); the next save of the document redoes it too, and so does a rebuild of
the catalog. Reindexing twice is harmless.

The worker waits for nothing outside this process (no Docs, no network): it never holds a
request's thread, and its queue is bounded (``MAX_QUEUED``). It starts on a document
``AFTER_REPLY`` seconds after the save committed, not at once: the commit comes before the
server writes the reply, and a reindex running then, holding Python's interpreter lock,
would hold back the reply it is meant to follow (by 10-15 ms measured on a 2-core VM, more
than the reindex's own time: each step of writing the reply waits for the lock).
"""

import contextlib
import logging
import queue
import threading
import time

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SpecialUsers import system
from Acquisition import aq_base
from plone.uuid.interfaces import IUUID
from Products.CMFCore import indexing
from Testing.makerequest import makerequest
from zope.component.hooks import getSite
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import getRequest
from zope.globalrequest import setRequest

from onlyoffice_plone.documents.state import find
from onlyoffice_plone.documents.state import get_state
from onlyoffice_plone.documents.state import pending_states
from onlyoffice_plone.documents.state import state_of_uid
from onlyoffice_plone.documents.transactions import committed
from onlyoffice_plone.errors import DatabaseBusy

logger = logging.getLogger("onlyoffice_plone")

#: Documents waiting for the worker; beyond that their mark waits for maintenance.
MAX_QUEUED = 1000
#: Seconds between a save's commit and the start of its reindex: its reply goes out first.
AFTER_REPLY = 0.05


def defer_reindex(portal, obj):
    """Take ``obj``'s queued reindex out of this transaction: done after it commits.

    Call after the modification event, before the commit. Returns whether a reindex was
    deferred (none when nothing had queued one, or the catalog processed it already).
    """
    work = indexing.getQueue()
    base = aq_base(obj)
    ops = work.getState()
    # Only the item's reindex waits: an index or unindex of it stays in this transaction.
    kept = [op for op in ops if op[0] != indexing.REINDEX or aq_base(op[1]) is not base]
    if len(kept) == len(ops):
        return False
    work.setState(kept)
    get_state(portal, obj, create=True).unindexed = True
    # Zope's root database, where the Application is: with mounted databases the item's own
    # may be another.
    job = (portal.getPhysicalRoot()._p_jar.db(), portal.getPhysicalPath(), IUUID(obj))
    transaction.get().addAfterCommitHook(_after_commit, args=job)
    return True


def _after_commit(succeeded, db, site_path, uid):
    if succeeded:
        WORKER.submit(db, site_path, uid)


def reindex_marked(portal, obj):
    """Reindex ``obj`` if its state is marked ``unindexed``, and clear the mark.

    Inside the caller's transaction; the reindex goes through the catalog's queue, so every
    index processor sees it. The modification date stays the save's.
    """
    state = get_state(portal, obj)
    if state is None or not state.unindexed:
        return False
    indexing.getQueue().reindex(obj, [], update_metadata=1)
    state.unindexed = False
    return True


def reindex_pending(portal):
    """Reindex every document still marked (a crash, a full queue), each in a transaction of
    its own, so that a save of one of them conflicts with that one only; how many were
    reindexed (maintenance). One whose transaction keeps conflicting stays marked."""
    done = 0
    for uid in [uid for uid, _state in pending_states(portal)]:
        try:
            done += committed(_reindex_pending_one, portal, uid)
        except DatabaseBusy:
            logger.info("the catalog reindex of %s waits for the next maintenance run", uid)
    return done


def _reindex_pending_one(portal, uid):
    obj = find(uid)
    if obj is not None:
        return int(reindex_marked(portal, obj))
    state = state_of_uid(portal, uid)
    if state is not None and state.unindexed:  # the item is gone: nothing to index
        state.unindexed = False
    return 0


class Worker:
    """One thread of this process reindexing saved documents, each in a transaction of its
    own, on a database connection of its own."""

    def __init__(self, max_queued=MAX_QUEUED, clock=time.monotonic, sleep=time.sleep):
        self._jobs = queue.Queue(max_queued)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._thread = None
        self._hold = threading.Lock()
        # Bumped by forget_queued: a job submitted before is dropped, even one in hand.
        self._epoch = 0

    def submit(self, db, site_path, uid):
        try:
            self._jobs.put_nowait((self._clock() + AFTER_REPLY, self._epoch, db, site_path, uid))
        except queue.Full:
            logger.warning(
                "the catalog reindex of %s waits for the next maintenance run: too many "
                "saved documents are waiting for it",
                uid,
            )
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="onlyoffice-reindex", daemon=True
                )
                self._thread.start()

    def join(self):
        """Wait until every submitted document is reindexed (tests, benchmarks)."""
        self._jobs.join()

    def forget_queued(self):
        """Drop what waits, as the process's death would: the marks stay for maintenance."""
        self._epoch += 1
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                return
            self._jobs.task_done()

    @contextlib.contextmanager
    def held(self):
        """Nothing is reindexed while this lasts (what is submitted waits)."""
        with self._hold:
            yield

    def _run(self):
        while True:
            start, epoch, *job = self._jobs.get()
            try:
                wait = start - self._clock()
                if wait > 0:  # a queue of older saves needs no wait
                    self._sleep(min(wait, AFTER_REPLY))
                with self._hold:
                    if epoch == self._epoch:
                        reindex_in_own_connection(*job)
            except Exception:
                logger.exception("the catalog reindex of %s failed: maintenance redoes it", job[2])
            finally:
                self._jobs.task_done()


def reindex_in_own_connection(db, site_path, uid):
    """Open ``db``, find the document ``uid`` in the site at ``site_path`` and reindex it."""
    connection = db.open()
    previous_site, previous_request = getSite(), getRequest()
    request = None
    try:
        app = makerequest(connection.root()["Application"])
        request = app.REQUEST
        setRequest(request)
        site = app.unrestrictedTraverse(site_path)
        setSite(site)
        newSecurityManager(None, system)

        def work():
            obj = find(uid)
            return obj is not None and reindex_marked(site, obj)

        committed(work, jar=connection)
    finally:
        transaction.abort()
        if request is not None:
            request.close()
        noSecurityManager()
        setSite(previous_site)
        if previous_request is None:
            clearRequest()
        else:
            setRequest(previous_request)
        connection.close()


WORKER = Worker()
