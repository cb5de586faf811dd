"""Where ``@@onlyoffice-edit`` spends its time, profiled on real requests.

The page is asked over HTTP from the test WSGI server, as ``bench_editor.py`` does, each
request a fresh one (plone.memoize caches per request: profiling one reused request in
process measures a warm cache, not the page). cProfile runs in the server's worker thread
around each request's publishing; what is printed is the mean per request.

    PYTHONPATH=tests/support .venv/bin/python bench/profile_editor.py \
        [requests] [sort] [filter [callees-of]]

``sort`` ``ratio`` compares the page with Plone's File view as bench_editor does (``floor``
the page of a site where Docs is not configured: Plone's frame and the add-on's texts);
``markers`` times named parts instead (no profiler: its overhead is uneven), each
wrapped where the page calls it, and the whole publishing of each request.

Not part of ``make bench`` (its file name does not start with ``bench_``).
"""

import cProfile
import importlib.util
import io
import pstats
import sys
from pathlib import Path

import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from zope.component.hooks import setSite

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("bench_editor", HERE / "bench_editor.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def profiled_publishing(profile):
    """Run every request the server publishes under ``profile`` (its worker thread's)."""
    from ZPublisher import WSGIPublisher

    defaults = WSGIPublisher.publish_module.__defaults__
    real = defaults[0]

    def publish(request, module_info):
        profile.enable()
        try:
            return real(request, module_info)
        finally:
            profile.disable()

    WSGIPublisher.publish_module.__defaults__ = (publish, *defaults[1:])
    return lambda: setattr(WSGIPublisher.publish_module, "__defaults__", defaults)


#: The parts ``markers`` times: (module, name) as the page's code looks them up.
MARKERS = (
    ("onlyoffice_plone.editor.views", "editor_config.resolve_mode"),
    ("onlyoffice_plone.editor.views", "editor_config.build"),
    ("onlyoffice_plone.editor.views", "document_rights"),
    ("onlyoffice_plone.editor.views", "people_rights"),
    ("onlyoffice_plone.editor.config", "sharing_settings"),
    ("onlyoffice_plone.editor.config", "may_see_sharing"),
    ("onlyoffice_plone.editor.config", "current_name"),
    ("onlyoffice_plone.editor.sharing", "principal_name"),
    ("onlyoffice_plone.editor.views", "EditorView.can"),
    ("onlyoffice_plone.editor.config", "portrait_url"),
    ("onlyoffice_plone.editor.config", "reference_data"),
    ("onlyoffice_plone.editor.config", "current_key"),
    ("onlyoffice_plone.editor.config", "download_url"),
    ("onlyoffice_plone.editor.config", "callback_url"),
    ("onlyoffice_plone.editor.config", "view_url"),
    ("onlyoffice_plone.editor.config", "may_see_people"),
    ("onlyoffice_plone.editor.views", "target_language"),
    ("onlyoffice_plone.editor.config", "queryUtility"),
    ("onlyoffice_plone.editor.config", "core.build_editor_config"),
    ("zope.i18n", "negotiate"),
    ("zope.i18n.negotiator", "Negotiator.getLanguage"),
    ("zope.i18n.translationdomain", "TranslationDomain.translate"),
    ("plone.api.user", "has_permission"),
    ("plone.api.user", "is_anonymous"),
    ("plone.api.user", "get_current"),
    ("plone.api.portal", "get_registry_record"),
    ("plone.api.portal", "translate"),
    ("plone.api.portal", "get"),
    ("plone.api.portal", "get_tool"),
    ("plone.api.group", "get"),
    ("Products.PluggableAuthService.PluggableAuthService", "PluggableAuthService.getUserById"),
    ("Products.PlonePAS.tools.membership", "MembershipTool.getPersonalPortrait"),
    ("Products.PlonePAS.tools.membership", "MembershipTool.getMemberInfo"),
)


counts = {}


def timed_markers(timings):
    """Wrap each of MARKERS to add its time to ``timings``; returns the undoing function."""
    import importlib
    import time

    undo = []
    for module_name, dotted in MARKERS:
        holder = importlib.import_module(module_name)
        *path, name = dotted.split(".")
        for part in path:
            holder = getattr(holder, part, None)
        real = getattr(holder, name, None)
        if real is None:  # not in this version of the code
            continue

        def timed(*args, _real=real, _key=dotted, **kwargs):
            start = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                timings[_key] = timings.get(_key, 0.0) + time.perf_counter() - start
                counts[_key] = counts.get(_key, 0) + 1

        setattr(holder, name, timed)
        undo.append((holder, name, real))
    return lambda: [setattr(h, n, r) for h, n, r in undo]


class Whole:
    """A stand-in profile for ``profiled_publishing``: the time of each whole publishing."""

    def __init__(self, timings):
        import time

        self.clock = time.perf_counter
        self.timings = timings

    def enable(self):
        self.start = self.clock()

    def disable(self):
        self.timings["(whole publishing)"] = (
            self.timings.get("(whole publishing)", 0.0) + self.clock() - self.start
        )


def markers(http, url, count):
    timings = {}
    restore = profiled_publishing(Whole(timings))
    unwrap = timed_markers(timings)
    try:
        for _ in range(count):
            http.get(url, timeout=30).raise_for_status()
    finally:
        unwrap()
        restore()
    for key, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        calls = counts.get(key, 0) / count
        print(f"{seconds / count * 1000:8.3f} ms  {calls:5.1f} calls  {key}")
    print(f"per request, mean of {count} fresh requests")


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 100
    sort = argv[2] if len(argv) > 2 else "cumulative"
    from onlyoffice_plone_testing.layers import ONLYOFFICE_PLONE_FUNCTIONAL_TESTING as LAYER

    done = []
    try:
        bench.set_up(LAYER, done)
        for layer in done:
            layer.testSetUp()
        portal = LAYER["portal"]
        setSite(portal)
        with api.env.adopt_user(username=SITE_OWNER_NAME):
            api.portal.set_registry_record("onlyoffice_plone.docs_url", "http://docs.test/")
            bench.set_jwt_secret(portal, bench.SECRET)
            bench.add_user_and_report(portal)
        transaction.commit()
        base = f"http://{LAYER['host']}:{LAYER['port']}/plone/report"
        http = requests.Session()
        http.headers.update(bench.basic("benchuser", bench.PASSWORD))
        for _ in range(5):
            http.get(f"{base}/@@onlyoffice-edit", timeout=30).raise_for_status()
        if sort == "html":
            for page in ("@@onlyoffice-edit", "view"):
                Path(f"/tmp/editor-speed-{page.strip('@')}.html").write_text(
                    http.get(f"{base}/{page}", timeout=30).text
                )
            return 0
        if sort == "floor":  # the same page with ONLYOFFICE Docs not configured: no editor
            with api.env.adopt_user(username=SITE_OWNER_NAME):
                api.portal.get_tool("portal_registry")["onlyoffice_plone.docs_url"] = None
            transaction.commit()
            sort = "ratio"
        if sort == "ratio":  # bench_editor's page comparison alone, ``count`` rounds
            bench.REQUESTS = count
            latency = bench.page_latency(
                http, {"plone": f"{base}/view", "editor": f"{base}/@@onlyoffice-edit"}
            )
            ratio = latency["editor"] / latency["plone"]
            print(
                f"editor / view: {latency['editor']:.1f} / {latency['plone']:.1f} ms {ratio:.2f}x"
            )
            return 0
        if sort in ("markers", "markers-view"):  # the editor page, or Plone's File view
            page = "view" if sort == "markers-view" else "@@onlyoffice-edit"
            markers(http, f"{base}/{page}", count)
            return 0
        profile = cProfile.Profile()
        restore = profiled_publishing(profile)
        try:
            for _ in range(count):
                http.get(f"{base}/@@onlyoffice-edit", timeout=30).raise_for_status()
        finally:
            restore()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.total_tt /= count
        for key, (cc, nc, tt, ct, callers) in list(stats.stats.items()):
            stats.stats[key] = (cc / count, nc / count, tt / count, ct / count, callers)
        stats.sort_stats(sort).print_stats(*(argv[3:] or [70]))
        if len(argv) > 4:
            stats.print_callees(argv[4])
        print(f"per request, mean of {count} fresh requests")
        print(out.getvalue())
    finally:
        for layer in reversed(done):
            layer.testTearDown()
        bench.tear_down(done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
