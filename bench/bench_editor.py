"""What the add-on costs Plone and how fast it saves, measured on a real Plone served over HTTP
(in this process).

1. Plone's own File view on a site with the add-on against the same page of a site without
   it: two Plone sites made alike in one instance (plone.app.contenttypes; one also with the
   add-on's profile, configured), the same File and the same Editor on each, requests
   interleaved (median latency, at most 1.02x) and 4 client threads against the server's 4
   (throughput, at least 0.98x), the sites taking turns. With BENCH_CONTROL=1 a third site,
   made exactly as the plain one, takes its turns too: how far its figures are from the
   plain site's is the measurement's own spread in that run (a control, with no target).
   The add-on keeps the SVG of every toolbar icon Plone draws (browser/icons.py), which Plone
   reads and parses on every page; a row under each figure shows the add-on's own work
   alone: the same site's page with Plone's icons drawn by Plone, as a site without the
   add-on draws them, taking its turns in the same loops.
   The database keeps 5000 objects per connection, Zope's default ``cache-size``: the test
   layer's ZODB default of 400 is less than one Plone page touches, so each request would
   load and unpickle objects again, as no deployed instance does.
2. ``@@onlyoffice-edit`` against Plone's own view of the same file: at most 0.6x.
3. Saving a 50 MiB result from a status-2 callback: Plone downloads it (and, beside it, the
   session's changes.zip) from a "Docs" result server running in another process, streams
   it into a blob, versions it and commits, then replies; the catalog's reindex follows the
   reply in a worker thread (timed apart, and waited for, untimed, before the next round).
   At most 1.5x the time of copying the same bytes over loopback into a kept file; both
   warmed first and taking turns at going first (on a VM, memory touched for the first time
   is slow: whichever side gets fresh pages loses). The peak growth of this process's
   resident memory while the callback and the reindex after it run (sampled every 2 ms from
   /proc/self/statm) under 4 MiB.

Run with ``make bench`` (all sections) or ``python bench/run.py editor``.
"""

import base64
import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobFile
from zope.component.hooks import setSite

from onlyoffice_docs_double import samples
from onlyoffice_plone import _core
from onlyoffice_plone.settings import set_jwt_secret

REQUESTS = 40
#: Rounds of the File view comparison; each round asks both sites, in turns.
VIEW_ROUNDS = 100
#: Throughput: client threads, and rounds of ROUND_SECONDS on each site in turn.
THREADS = 4
THROUGHPUT_ROUNDS = 6
ROUND_SECONDS = 2.0
RESULT_MB = 50
#: The size of the changes.zip that comes with the result.
CHANGES_KB = 64
SAVES = 6
if os.environ.get("BENCH_QUICK"):  # a smoke run of the bench itself, figures meaningless
    VIEW_ROUNDS, THROUGHPUT_ROUNDS, ROUND_SECONDS, SAVES, RESULT_MB = 10, 2, 0.3, 2, 4
#: Further saves whose memory is sampled (apart from the timed ones).
MEMORY_SAVES = 2
PASSWORD = "bench-password-1234"
#: BENCH_CONTROL=1 adds the control site to the File view's loops (see the docstring).
CONTROL = bool(os.environ.get("BENCH_CONTROL"))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECRET = "bench-docs-secret-0123456789abcdef0123456789abcdef"


def set_up(layer, done):
    for base in layer.__bases__:
        set_up(base, done)
    if layer not in done:
        layer.setUp()
        done.append(layer)


def tear_down(done):
    for layer in reversed(done):
        layer.tearDown()


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss:
    """Sample this process's resident memory in the background; report the growth."""

    def __init__(self, interval=0.002):
        self.interval = interval
        self.baseline = rss_bytes()
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth(self):
        return self.peak - self.baseline


def result_server(directory):
    """A plain HTTP file server in another process, standing in for Docs' result cache."""
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", directory],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (...)"
    port = int(line.split(" port ")[1].split()[0])
    return process, f"http://127.0.0.1:{port}"


def basic(user, password):
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def median_ms(samples):
    return statistics.median(samples) * 1000


def page_latency(session, urls):
    timings = {name: [] for name in urls}
    for _ in range(3):  # warm up caches and templates
        for url in urls.values():
            session.get(url, timeout=30).raise_for_status()
    for _ in range(REQUESTS):
        for name, url in urls.items():
            start = time.perf_counter()
            response = session.get(url, timeout=30)
            timings[name].append(time.perf_counter() - start)
            response.raise_for_status()
    return {name: median_ms(values) for name, values in timings.items()}


def in_turn(names, round_):
    """``names`` in the order of round ``round_``: each goes first, and last, as often."""
    shift = round_ % len(names)
    order = names[shift:] + names[:shift]
    return order if round_ % 2 == 0 else order[::-1]


def interleaved_latency(session, urls, rounds, before=lambda name: None):
    """Median latency of each URL, asked in turns (the order alternating every round);
    ``before(name)`` is called before each request of ``name``."""
    names = list(urls)
    timings = {name: [] for name in names}
    for _ in range(5):
        for name, url in urls.items():
            before(name)
            session.get(url, timeout=30).raise_for_status()
    for round_ in range(rounds):
        for name in in_turn(names, round_):
            before(name)
            start = time.perf_counter()
            response = session.get(urls[name], timeout=30)
            timings[name].append(time.perf_counter() - start)
            response.raise_for_status()
    return {name: median_ms(values) for name, values in timings.items()}


def throughput(headers, urls, before=lambda name: None):
    """Requests per second of each URL from THREADS client threads, the URLs taking turns
    (a round of ROUND_SECONDS each); ``before(name)`` is called before each round of
    ``name``."""
    sessions = []
    for _ in range(THREADS):
        session = requests.Session()
        session.headers.update(headers)
        sessions.append(session)
    done = dict.fromkeys(urls, 0)
    spent = dict.fromkeys(urls, 0.0)

    def worker(session, url, end):
        count = 0
        while time.perf_counter() < end:
            session.get(url, timeout=30).raise_for_status()
            count += 1
        return count

    names = list(urls)
    with ThreadPoolExecutor(THREADS) as pool:
        for round_ in range(THROUGHPUT_ROUNDS):
            for name in in_turn(names, round_):
                before(name)
                start = time.perf_counter()
                end = start + ROUND_SECONDS
                counts = list(pool.map(worker, sessions, [urls[name]] * THREADS, [end] * THREADS))
                spent[name] += time.perf_counter() - start
                if round_ > 0:  # the first round of each warms up
                    done[name] += sum(counts)
                else:
                    spent[name] = 0.0
    return {name: done[name] / spent[name] for name in names}


def add_user_and_report(container):
    """The benchmark's Editor and its File "report" (a docx) in ``container``: the File."""
    api.user.create(email="bench@example.org", username="benchuser", password=PASSWORD)
    api.user.grant_roles(username="benchuser", roles=["Editor"])
    return api.content.create(
        container=container,
        type="File",
        id="report",
        file=NamedBlobFile(samples.docx("Benchmark"), contentType=DOCX, filename="report.docx"),
    )


def view_sites(app, twin=False):
    """Two Plone sites made alike in this instance, one with the add-on's profile: ids.

    With ``twin``, a third, "twin", made exactly as the plain one (its id comes last): the
    control that shows how far two identical sites' figures differ in one run.
    """
    from Products.CMFPlone.factory import addPloneSite

    base = ("plone.app.contenttypes:default",)
    sites = [("plain", base), ("addon", (*base, "onlyoffice_plone:default"))]
    if twin:
        sites.append(("twin", base))
    for site_id, profiles in sites:
        site = addPloneSite(app, site_id, extension_ids=profiles, setup_content=False)
        setSite(site)
        with api.env.adopt_user(username=SITE_OWNER_NAME):
            add_user_and_report(site)
            if site_id == "addon":
                api.portal.set_registry_record("onlyoffice_plone.docs_url", "http://docs.test/")
                set_jwt_secret(site, SECRET)
        transaction.commit()
    return tuple(site_id for site_id, _profiles in sites)


class PlonesIcons:
    """While ``by_plone`` is set, the add-on's icon resolver hands every icon but its own to
    Plone's code, which reads and parses the file each time: the page as it was before the
    add-on kept Plone's icons (the bench asks one request at a time while it is set)."""

    def __init__(self):
        from Products.CMFPlone.browser.icons import IconsView

        from onlyoffice_plone.browser import icons

        self.by_plone = False
        kept = icons.IconResolver.tag
        switch = self

        def tag(view, name, tag_class="", tag_alt=""):
            if switch.by_plone and not name.startswith(icons.PREFIX):
                return IconsView.tag(view, name, tag_class=tag_class, tag_alt=tag_alt)
            return kept(view, name, tag_class=tag_class, tag_alt=tag_alt)

        icons.IconResolver.tag = tag


#: Zope's default ``cache-size`` of a database connection (objects).
ZODB_CACHE = 5000

#: The copy's one buffer, made and touched once.
COPY_BUFFER = bytearray(1024 * 1024)


def loopback_copy(url, directory):
    """Copy ``url`` into a file that is kept, as a saved blob is (same disk write-back).

    Through one buffer, touched before the first copy: reading into a new 1 MiB chunk each
    time lets the C library decide, from what the process did before, whether each chunk
    is fresh memory (about 2.5 ms per MiB on this VM) or reused, and the copy measured
    0.03 s in one run and 0.5 s in another. The save's download keeps its bytes out of
    Python's memory, so this is the fair reference.
    """
    view = memoryview(COPY_BUFFER)
    parts = urllib.parse.urlsplit(url)
    start = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()  # http.client reads into the buffer given
        if response.status != 200:
            raise RuntimeError(f"the copy's source answered {response.status}")
        with tempfile.NamedTemporaryFile(dir=directory, prefix="copy-", delete=False) as out:
            while True:
                read = response.readinto(view)
                if not read:
                    break
                out.write(view[:read])
    finally:
        connection.close()
    return time.perf_counter() - start, out.name


@contextlib.contextmanager
def timed(module, name):
    """Time every call of ``module.name`` while this lasts: (thread name, seconds) each."""
    real = getattr(module, name)
    durations = []

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            durations.append((threading.current_thread().name, time.perf_counter() - start))

    setattr(module, name, wrapper)
    try:
        yield durations
    finally:
        setattr(module, name, real)


def signed_callback(fields):
    body = {**fields, "token": _core.sign_token(fields, SECRET, expires_in=300)}
    header = _core.sign_header_token(fields, SECRET, expires_in=300)
    return json.dumps(body), {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {header}",
    }


def run():
    from onlyoffice_plone.docs import fetch
    from onlyoffice_plone.documents import indexing
    from onlyoffice_plone.documents import keys
    from onlyoffice_plone.documents import storing
    from onlyoffice_plone.documents.files import office_file
    from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_FUNCTIONAL_TESTING as LAYER

    workdir = tempfile.mkdtemp(prefix="onlyoffice-bench-")
    result = Path(workdir, "output.docx")
    with open(result, "wb") as out:
        for _ in range(RESULT_MB):
            out.write(os.urandom(1024 * 1024))
    # Docs sends the session's changes with every final save; Plone fetches them beside the
    # result, before its reply (Docs clears its cache of the session once answered).
    Path(workdir, "changes.zip").write_bytes(os.urandom(CHANGES_KB * 1024))
    server, docs = result_server(workdir)

    done = []
    copies = []
    try:
        set_up(LAYER, done)
        for layer in done:
            layer.testSetUp()
        base = f"http://{LAYER['host']}:{LAYER['port']}"
        without, with_addon, *twin = view_sites(LAYER["app"], twin=CONTROL)
        LAYER["app"]._p_jar.db().setCacheSize(ZODB_CACHE)  # every pooled connection's too
        portal = LAYER["portal"]
        setSite(portal)
        plone = f"{base}/plone"
        with api.env.adopt_user(username=SITE_OWNER_NAME):
            api.portal.set_registry_record("onlyoffice_plone.docs_url", docs + "/")
            api.portal.set_registry_record("onlyoffice_plone.max_file_size_mb", 200)
            set_jwt_secret(portal, SECRET)
            # CMFEditions refuses to version files over 25 MB unless this limit is raised
            # (blob files are not copied into versions, so raising it is cheap).
            modifier = portal.portal_modifier.AbortVersioningOfLargeFilesAndImages
            modifier.max_size = 1024 * 1024 * 1024
            file = add_user_and_report(portal)
        transaction.commit()

        http = requests.Session()
        http.headers.update(basic("benchuser", PASSWORD))
        item = f"{plone}/report"
        views = {
            "without": f"{base}/{without}/report/view",
            "with": f"{base}/{with_addon}/report/view",
        }
        if twin:  # the control: another site without the add-on, in the same loops
            views["twin"] = f"{base}/{twin[0]}/report/view"
        assert "onlyoffice-open-edit" in http.get(views["with"], timeout=30).text
        assert "onlyoffice" not in http.get(views["without"], timeout=30).text
        # The add-on's own work: its site's page with Plone's icons drawn by Plone.
        icons = PlonesIcons()
        views["own"] = views["with"]

        def switch(name):
            icons.by_plone = name == "own"

        view_latency = interleaved_latency(http, views, VIEW_ROUNDS, before=switch)
        view_throughput = throughput(basic("benchuser", PASSWORD), views, before=switch)
        icons.by_plone = False
        latency = page_latency(
            http, {"plone": f"{item}/view", "editor": f"{item}/@@onlyoffice-edit"}
        )

        blob_dir = storing.temporary_directory(file)
        copy_times, save_times, download_times, after_times, growths = [], [], [], [], []

        def save(round_):
            config = http.get(
                f"{item}/@onlyoffice-config?mode=edit",
                headers={"Accept": "application/json"},
                timeout=30,
            ).json()["config"]
            key = config["document"]["key"]
            body, headers = signed_callback(
                {
                    "key": key,
                    "status": 2,
                    "url": f"{docs}/output.docx",
                    "changesurl": f"{docs}/changes.zip",
                    "users": ["benchuser"],
                    "filetype": "docx",
                    "lastsave": f"2025-01-01T00:00:{round_:02d}.000Z",
                }
            )
            start = time.perf_counter()
            reply = requests.post(
                config["editorConfig"]["callbackUrl"], data=body, headers=headers, timeout=600
            )
            seconds = time.perf_counter() - start
            assert reply.json() == {"error": 0}, reply.text
            transaction.abort()
            portal._p_jar.sync()
            assert file.file.getSize() == RESULT_MB * 1024 * 1024
            assert keys.current_key(portal, file, office_file(file)) != key
            return seconds

        def copy():
            seconds, path = loopback_copy(f"{docs}/output.docx", blob_dir)
            copies.append(path)
            return seconds

        # Warm both sides (first-touched memory is slow on a VM), untimed.
        copy()
        save(0)
        for round_ in range(1, SAVES + 1):
            # Copies and saves take turns at going first; dirty pages are flushed before
            # each, so neither pays for the other's disk write-back. No memory sampling
            # here: its thread would compete with the save for the GIL.
            for what in ("copy", "save") if round_ % 2 else ("save", "copy"):
                os.sync()
                if what == "copy":
                    copy_times.append(copy())
                else:
                    with (
                        timed(fetch, "download") as downloads,
                        timed(indexing, "reindex_in_own_connection") as reindexes,
                    ):
                        save_times.append(save(round_))
                        # The catalog's reindex runs after the reply: waited for here,
                        # untimed, so it does not run into the next copy or save.
                        indexing.WORKER.join()
                    # The result's download (the changes come beside it, in a thread).
                    download_times.append(
                        sum(t for thread, t in downloads if thread != "onlyoffice-fetch")
                    )
                    after_times.append(sum(t for _thread, t in reindexes))
        for round_ in range(SAVES + 1, SAVES + 1 + MEMORY_SAVES):
            with PeakRss() as memory:
                save(round_)
                indexing.WORKER.join()  # the reindex after the reply counts here
            growths.append(memory.growth)
        repository = portal.portal_repository
        with api.env.adopt_user(username=SITE_OWNER_NAME):
            history = repository.getHistoryMetadata(file)
            versions = history.getLength(countPurged=False)
            comment = history.retrieve(versions - 1)["metadata"]["sys_metadata"]["comment"]
            comments = [
                history.retrieve(i)["metadata"]["sys_metadata"]["comment"] for i in range(versions)
            ]
        assert comment.startswith("Edited in ONLYOFFICE"), comment
        # One version per save, the warming one included.
        saved = [c for c in comments if c.startswith("Edited in ONLYOFFICE")]
        assert len(saved) == SAVES + MEMORY_SAVES + 1, comments
    finally:
        for layer in reversed(done):
            layer.testTearDown()
        tear_down(done)
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)
        for path in copies:  # usually gone with the layer's blob directory
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    return {
        "view_latency": view_latency,
        "view_throughput": view_throughput,
        "latency": latency,
        "copy": statistics.median(copy_times),
        "save": statistics.median(save_times),
        "download": statistics.median(download_times),
        "after": statistics.median(after_times),
        "growth": max(growths),
    }


def row(measure, target, figure, ratio, holds):
    return [measure, target, figure, f"{ratio:.2f}x", "yes" if holds else "NO"]


def tables():
    result = run()
    mb = 1024 * 1024
    view, rate, latency = result["view_latency"], result["view_throughput"], result["latency"]
    view_ratio = view["with"] / view["without"]
    rate_ratio = rate["with"] / rate["without"]
    control = []
    if "twin" in view:
        twin_view = view["twin"] / view["without"]
        twin_rate = rate["twin"] / rate["without"]
        control.append(
            [
                "control: a second site without the add-on / the first, latency; throughput",
                "(spread)",
                f"{view['twin']:.1f} / {view['without']:.1f} ms; "
                f"{rate['twin']:.1f} / {rate['without']:.1f} req/s",
                f"{twin_view:.2f}x; {twin_rate:.2f}x",
                "-",
            ]
        )
    editor_ratio = latency["editor"] / latency["plone"]
    copy, save, download = result["copy"], result["save"], result["download"]
    after = result["after"]
    growth = result["growth"]
    header = ["measure", "target", "figure", "ratio", "holds?"]
    return [
        (
            "Plone with the add-on: its pages and its saves",
            header,
            [
                row(
                    f"Plone's File view, site with / without the add-on (median of "
                    f"{VIEW_ROUNDS}, interleaved)",
                    "<= 1.02x",
                    f"{view['with']:.1f} / {view['without']:.1f} ms",
                    view_ratio,
                    view_ratio <= 1.02,
                ),
                [
                    "  the add-on's own work: the same, Plone's icons drawn by Plone",
                    "(shown)",
                    f"{view['own']:.1f} / {view['without']:.1f} ms",
                    f"{view['own'] / view['without']:.2f}x",
                    "-",
                ],
                row(
                    f"same page, {THREADS}-thread throughput with / without",
                    ">= 0.98x",
                    f"{rate['with']:.1f} / {rate['without']:.1f} req/s",
                    rate_ratio,
                    rate_ratio >= 0.98,
                ),
                [
                    "  the add-on's own work: the same, Plone's icons drawn by Plone",
                    "(shown)",
                    f"{rate['own']:.1f} / {rate['without']:.1f} req/s",
                    f"{rate['own'] / rate['without']:.2f}x",
                    "-",
                ],
                *control,
                row(
                    f"@@onlyoffice-edit / Plone's File view (median of {REQUESTS})",
                    "<= 0.6x",
                    f"{latency['editor']:.1f} / {latency['plone']:.1f} ms",
                    editor_ratio,
                    editor_ratio <= 0.6,
                ),
                row(
                    f"{RESULT_MB} MiB callback save / loopback copy into a kept file "
                    f"(median of {SAVES})",
                    "<= 1.5x",
                    f"{save:.3f} / {copy:.3f} s",
                    save / copy,
                    save <= 1.5 * copy,
                ),
                [
                    "peak RSS growth while saving (max of the saves)",
                    "< 4 MiB",
                    f"{growth / mb:.1f} MiB",
                    "",
                    "yes" if growth < 4 * mb else "NO",
                ],
            ],
        ),
        (
            f"Where a {RESULT_MB} MiB save's time goes (median of {SAVES})",
            ["part", "seconds", "x copy"],
            [
                ["copy over loopback into a kept file", f"{copy:.3f}", "1.00"],
                ["whole callback", f"{save:.3f}", f"{save / copy:.2f}"],
                ["  the streaming download", f"{download:.3f}", f"{download / copy:.2f}"],
                ["  Plone: blob, event, version, commit", f"{save - download:.3f}", ""],
                ["after the reply: the catalog's reindex", f"{after:.3f}", ""],
            ],
        ),
    ]
