"""``DocsDouble.quiesce()``: the double goes quiet, as a Docs that is shut down would.

The functional layers (tests/support) call it before a test's database goes, so that a save
a test left behind (a session closed at its very end, a page the double stops hearing from)
never reaches Plone while the next test's database is being set up.
"""

import threading
import time

from onlyoffice_docs_double import EditorError
from onlyoffice_docs_double.callbacks import RETRY_DELAYS

from .test_convert import _convert
from .test_convert import _request


def statuses(integrator):
    return [r.json["status"] for r in integrator.callbacks()]


def test_a_session_closed_just_before_is_forgotten_unsaved(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")  # its save waits for the double's save delay
    assert double.quiesce()
    assert double.sessions == {}
    time.sleep(3 * double.save_delay)
    assert 2 not in statuses(integrator)
    assert [a.status for a in double.callbacks_sent if a.status == 2] == []


def test_the_callback_being_sent_is_finished_and_those_queued_are_never_sent(double, integrator):
    integrator.callback_sleep = 0.5
    double.open(integrator.config("a.docx", "k1", "u1"), "u1")  # status 1, being sent
    double.open(integrator.config("a.docx", "k1", "u2"), "u2")  # status 1, queued behind
    double.wait_for(lambda: integrator.callbacks())
    assert double.quiesce()
    # The one under way was answered before quiesce() returned (an attempt is logged once
    # answered); the one queued behind it was not sent.
    assert [a.status for a in double.callbacks_sent] == [1]
    time.sleep(2 * integrator.callback_sleep)
    assert len(integrator.callbacks()) == 1


def test_a_callback_waiting_for_its_retry_is_retried_no_more(docs_double_factory, integrator):
    double = docs_double_factory(retry_scale=1.0)  # Docs' own pauses: 1 s before the retry
    integrator.callback_replies = [(500, '{"error":1}')] * 4
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    double.wait_for(lambda: 2 in statuses(integrator))
    assert double.quiesce()
    time.sleep(RETRY_DELAYS[0] + 0.5)
    assert statuses(integrator).count(2) == 1


def test_reset_goes_quiet_first(double, integrator):
    double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    double.close("k1", "u1")
    double.reset()
    time.sleep(3 * double.save_delay)
    assert 2 not in statuses(integrator)


def test_a_leave_under_way_as_the_double_goes_quiet_saves_nothing(double, integrator):
    session = double.open(integrator.config("a.docx", "k1"))
    double.edit("k1", "u1")
    connection = session.connections[0]
    assert double.quiesce()
    # close() looked the session up just before: its leaving goes on with it, as the last
    # editor's, and must not start a save of a session the double has forgotten.
    with double._lock:
        double._sessions._leave(session, connection)
    time.sleep(3 * double.save_delay)
    assert 2 not in statuses(integrator)


def test_an_opening_under_way_as_the_double_goes_quiet_makes_no_session(double, integrator):
    integrator.file_sleep = 0.5
    failed = []

    def open_():
        try:
            double.open(integrator.config("a.docx", "k1"))
        except EditorError as exc:
            failed.append(exc)

    opening = threading.Thread(target=open_)
    opening.start()
    double.wait_for(lambda: integrator.downloads("a.docx"))  # the file is being fetched
    assert double.quiesce()
    opening.join()
    assert failed, "the opening fails: the document server went quiet meanwhile"
    assert double.sessions == {}
    time.sleep(0.3)
    assert integrator.callbacks() == []


def test_a_conversion_waiting_to_start_fetches_nothing_after(double, integrator):
    double.faults.conversion_delay = 0.5
    params = _request(integrator, "a.txt", "txt", **{"async": True})
    assert _convert(double, params).json() == {"endConvert": False, "percent": 0}
    assert double.quiesce()
    time.sleep(2 * double.faults.conversion_delay)
    assert integrator.downloads("a.txt") == []
