"""Concurrent saves: on one instance, and across two instances on ZEO.

Real Plone instances (``scripts/instance.py``) and the Docs test double: DOCUMENTS documents
are opened (half on each instance for the pair), edited, then all closed at once, so Docs
sends their final saves together; Docs' callbacks go to the other instance of the pair
(``plone_internal_url``). Measured: saves stored per second (from the first close to the last
acknowledged save), the 95th percentile of the callbacks' round trips, the conflicts retried
(the instances' logs), and lost saves (a document without its edit, or a result left in
Docs' forgotten store): must be 0.

Run with ``make bench`` (all sections) or ``python bench/run.py cluster``.
"""

import tempfile
import threading
import time
from pathlib import Path

from onlyoffice_docs_double import DOCS_DOUBLE_SECRET
from onlyoffice_docs_double import DocsDouble
from onlyoffice_plone_testing.cluster import EDITOR
from onlyoffice_plone_testing.cluster import start_pair
from onlyoffice_plone_testing.cluster import stop
from onlyoffice_plone_testing.cluster import zeo_environment
from onlyoffice_plone_testing.cluster import zeo_server

DOCUMENTS = 24


def run(cluster, instances, label):
    double = cluster.double
    ids = [cluster.add_file(instances[0], f"{label}{n}", "Original") for n in range(DOCUMENTS)]
    keys = {}
    for n, id_ in enumerate(ids):
        config = cluster.config(instances[n % len(instances)], id_)
        keys[id_] = config["document"]["key"]
        double.open(config, EDITOR[0])
        double.edit(keys[id_], EDITOR[0], f"Saved {id_}")
    conflicts_before = sum(log_conflicts(i) for i in {cluster.a, cluster.b})
    start = time.monotonic()
    threads = [threading.Thread(target=double.close, args=(k, EDITOR[0])) for k in keys.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    attempts = [double.wait_for_callback(2, key, timeout=300) for key in keys.values()]
    double.wait_idle()
    elapsed = time.monotonic() - start
    finals = [a for a in double.callbacks_sent if a.status == 2 and a.key in keys.values()]
    latencies = sorted(a.duration for a in finals if a.duration is not None)
    lost = sum(1 for id_ in ids if f"Saved {id_}" not in cluster.text(instances[0], id_))
    lost += sum(1 for key in keys.values() if key in double.forgotten)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    conflicts = sum(log_conflicts(i) for i in {cluster.a, cluster.b}) - conflicts_before
    return [
        label,
        str(DOCUMENTS),
        f"{sum(a.success for a in attempts) / elapsed:.1f}",
        f"{p95 * 1000:.0f} ms",
        str(conflicts),
        str(lost),
    ]


def log_conflicts(instance):
    return instance.log_path.read_text(errors="replace").count("ZODB conflict on attempt")


def tables():
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        DocsDouble(
            host="127.0.0.1", port=0, secret=DOCS_DOUBLE_SECRET, save_delay=0.2, retry_scale=1.0
        ) as double,
    ):
        folder = Path(tmp)
        server, port = zeo_server(folder)
        cluster = None
        try:
            cluster = start_pair("zeo", double, folder, zeo_environment(folder, port))
            # Each instance gets the callbacks of the editors it opened.
            cluster.settings(cluster.a, plone_internal_url=None)
            rows.append(run(cluster, [cluster.b], "one instance"))
            rows.append(run(cluster, [cluster.a, cluster.b], "two instances"))
        finally:
            if cluster is not None:
                cluster.b.stop()
                cluster.a.stop()
            stop(server)
    return [
        (
            f"Concurrent final saves on ZEO ({DOCUMENTS} closed at once; lost must be 0)",
            ["deployment", "saves", "saves/s", "p95 callback", "conflicts retried", "lost"],
            rows,
        )
    ]
