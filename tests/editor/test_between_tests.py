"""Nothing a test started in the Docs double reaches Plone during the next test.

A save the double sends just as a test ends (a session closed at its very end) used to
arrive while the layer closed that test's database and stacked the next one: the save ran
half on a closed database (ZODB's "Shouldn't load state ... when the connection is closed")
and its retries met the next test's site before its fixture had set the JWT secret. The
functional layers now quiet the double before a test's database goes (tests/support,
``SavingFunctionalTesting``): the callback under way finishes in its own test, none is sent
later.

The two tests run in this order (pytest keeps a file's order): the first leaves a save in
flight, the second looks at what Plone logged while it was being set up.
"""

import time

#: Seconds the double takes to answer anything, Plone's fetch of the saved file included.
SLOW = 1.5


def test_a_save_is_in_flight_as_the_test_ends(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Sent as the test ends")
    site.double.faults.response_delay = SLOW
    site.double.close(key, "jane")
    # The save is sent after the double's save delay; Plone then fetches the file, slowly.
    time.sleep(site.double.save_delay + 0.3)


def test_the_next_test_meets_none_of_it(site, caplog):
    during_setup = [
        record.getMessage()
        for record in caplog.get_records("setup")
        if record.name.startswith("onlyoffice_plone") or record.name.startswith("ZODB")
    ]
    assert during_setup == []
    # And this test's own save works as any other.
    site.round_trip(text="A save of this test")
    assert "A save of this test" in site.text()
