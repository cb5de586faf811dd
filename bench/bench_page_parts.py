"""Where the add-on's cost on Plone's File view comes from, counted rather than timed.

Two Plone sites made alike in one instance (as in bench_editor.py), one with the add-on. The
File view is published in this process (ZPublisher's WSGI publisher, no HTTP) and profiled
with cProfile: the number of Python function calls a request makes is the same from run to
run, unlike its time on a shared VM. The add-on's parts are then switched off one at a time
on its site (its actions made invisible, its viewlets hidden), so the table says what each
part adds: the conditions the add-on decides, and the entries Plone renders for it (icon,
title, description, link). The add-on also keeps the SVG of every icon Plone draws
(browser/icons.py), which Plone reads and parses on every page: the parts are counted with
Plone's icons drawn by Plone, as a site without the add-on draws them, so that they are the
add-on's own work; one row says what keeping the icons saves.

Run with ``make bench`` (all sections) or ``python bench/run.py page_parts``.
"""

import base64
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import transaction
from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from plone.app.viewletmanager.interfaces import IViewletSettingsStorage
from zope.component import getUtility
from zope.component.hooks import getSite
from zope.component.hooks import setSite
from ZPublisher.WSGIPublisher import publish_module

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_editor  # the two sites and the layer set-up

REQUESTS = 5 if os.environ.get("BENCH_QUICK") else 20
ACTIONS = (
    ("object", "onlyoffice_edit"),
    ("object", "onlyoffice_view"),
    ("object_buttons", "onlyoffice_convert"),
    ("object_buttons", "onlyoffice_download_as"),
)
#: The add-on's viewlets on an item's page: (manager, viewlet names).
VIEWLETS = (
    ("plone.belowcontenttitle", ("onlyoffice_plone.open", "onlyoffice_plone.not_configured")),
    ("plone.abovecontent", ("plone.lockinfo",)),
)
SKIN = "Plone Default"


def publish(path):
    """One GET of ``path`` through Zope's WSGI publisher, as the benchmark's user."""
    credentials = base64.b64encode(f"benchuser:{bench_editor.PASSWORD}".encode()).decode()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "HTTP_AUTHORIZATION": f"Basic {credentials}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status = []
    manager, site = getSecurityManager(), getSite()
    try:
        body = b"".join(publish_module(environ, lambda s, h, exc_info=None: status.append(s)))
    finally:
        setSecurityManager(manager)
        setSite(site)
    assert status and status[0].startswith("200"), (path, status)
    return body


def calls_per_request(path):
    for _ in range(3):  # templates compiled, caches warm
        publish(path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REQUESTS):
        publish(path)
    profile.disable()
    return pstats.Stats(profile).total_calls / REQUESTS


def cpu_ms(paths, rounds=40):
    """Median CPU time of this thread per request (ms) of each path, the paths taking turns:
    a rough guide, the counts decide."""
    times = [[] for _ in paths]
    for round_ in range(rounds):
        order = list(enumerate(paths))
        for i, path in order if round_ % 2 == 0 else reversed(order):
            start = time.thread_time()
            publish(path)
            times[i].append(time.thread_time() - start)
    return [statistics.median(t) * 1000 for t in times]


def measure():
    from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_FUNCTIONAL_TESTING as LAYER

    done = []
    try:
        bench_editor.set_up(LAYER, done)
        for layer in done:
            layer.testSetUp()
        without, with_addon = bench_editor.view_sites(LAYER["app"])
        LAYER["app"]._p_jar.db().setCacheSize(bench_editor.ZODB_CACHE)
        site = LAYER["app"][with_addon]
        setSite(site)
        plain, addon = f"/{without}/report/view", f"/{with_addon}/report/view"
        assert b"onlyoffice-open-edit" in publish(addon)
        assert b"onlyoffice" not in publish(plain)
        storage = getUtility(IViewletSettingsStorage)
        # What the site hides already (Plone hides some viewlets by default) stays hidden.
        hidden = {manager: tuple(storage.getHidden(manager, SKIN)) for manager, _ in VIEWLETS}

        def parts(actions, viewlets):
            for category, name in ACTIONS:
                site.portal_actions[category][name].visible = actions
            for manager, names in VIEWLETS:
                storage.setHidden(manager, SKIN, hidden[manager] + (() if viewlets else names))
            transaction.commit()
            return calls_per_request(addon)

        icons = bench_editor.PlonesIcons()
        result = {"plain": calls_per_request(plain), "kept": calls_per_request(addon)}
        icons.by_plone = True
        result["neither"] = parts(actions=False, viewlets=False)
        result["viewlets"] = parts(actions=False, viewlets=True)
        result["actions"] = parts(actions=True, viewlets=False)
        result["all"] = parts(actions=True, viewlets=True)
        icons.by_plone = False
        result["plain_ms"], result["kept_ms"] = cpu_ms([plain, addon])
        return result
    finally:
        for layer in reversed(done):
            layer.testTearDown()
        bench_editor.tear_down(done)


def tables():
    r = measure()
    plain = r["plain"]

    def added(calls):
        return [f"{calls:+,.0f}", f"{calls / plain:+.1%}"]

    return [
        (
            f"What the add-on adds to Plone's File view, by part (Python calls per request, "
            f"cProfile over {REQUESTS} requests in this process; CPU time is a rough guide)",
            ["part", "calls", "of the plain page"],
            [
                ["the plain site's page", f"{plain:,.0f}", f"({r['plain_ms']:.1f} ms CPU)"],
                ["the add-on's site, all of it", *added(r["kept"] - plain)],
                ["  keeping Plone's icons saves", *added(r["all"] - r["kept"])],
                [
                    "  the add-on's own work (Plone's icons drawn by Plone)",
                    *added(r["all"] - plain),
                ],
                ["    switching its actions off saves", *added(r["all"] - r["viewlets"])],
                ["    switching its viewlets off saves", *added(r["all"] - r["actions"])],
                [
                    "    with both off: plone.locking and versioning on File, the layer",
                    *added(r["neither"] - plain),
                ],
                [
                    "the add-on's site, CPU time (median of 40, interleaved)",
                    f"{r['kept_ms']:.1f} ms",
                    f"{r['kept_ms'] / r['plain_ms'] - 1:+.1%}",
                ],
            ],
        )
    ]
