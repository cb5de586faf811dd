"""``make run-cluster``: a ZEO server and two Plone instances sharing it, on consecutive ports.

    python scripts/cluster.py

Environment: HOST (127.0.0.1), PORT (8080: the instances serve PORT and PORT+1), ZEO_PORT
(8100), CLUSTER (var/cluster: the ZEO server's data and blobs, and each instance's folder),
and everything ``scripts/instance.py`` reads (ADMIN_PASSWORD, ONLYOFFICE_*). The first
instance creates the site, then the second starts. Put a load balancer in front of both, or
open a document on one and watch it save through the other (set "Plone address for Docs"
to the other instance). Ctrl+C stops all three. Without ONLYOFFICE_DOCS_URL, the first
instance starts the ONLYOFFICE Docs test double on DOCS_DOUBLE_PORT (8000) as ``make run``
does, and the second, finding the site set up for it, uses it too.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bin(name):
    return str(Path(sys.executable).with_name(name))


def zeo_server(cluster, host, port):
    """Start runzeo on ``host:port`` with a FileStorage and a blob directory in ``cluster``."""
    data = cluster / "zeo"
    (data / "blobs").mkdir(parents=True, exist_ok=True)
    conf = data / "zeo.conf"
    conf.write_text(
        f"<zeo>\n  address {host}:{port}\n</zeo>\n"
        f"<filestorage 1>\n  path {data / 'Data.fs'}\n  blob-dir {data / 'blobs'}\n"
        "</filestorage>\n"
    )
    return subprocess.Popen([_bin("runzeo"), "-C", str(conf)], start_new_session=True)


def wait_for(url, process, seconds=600):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url}: the instance stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own instance
                return
        except OSError:
            time.sleep(1)
    sys.exit(f"{url} did not answer in time")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    # Stopped by a process manager (SIGTERM) as by Ctrl+C: stop the three servers too.
    signal.signal(signal.SIGTERM, _interrupt)
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8080"))
    zeo_port = int(os.environ.get("ZEO_PORT", "8100"))
    cluster = Path(os.environ.get("CLUSTER", "var/cluster")).resolve()
    processes = [zeo_server(cluster, host, zeo_port)]
    try:
        for number in (1, 2):
            env = dict(
                os.environ,
                HOST=host,
                PORT=str(port + number - 1),
                INSTANCE=str(cluster / f"instance{number}"),
                STORAGE="zeo",
                ZEO_ADDRESS=f"{host}:{zeo_port}",
                BLOB_DIR=str(cluster / "zeo" / "blobs"),
            )
            process = subprocess.Popen(
                [sys.executable, str(HERE / "instance.py")], env=env, start_new_session=True
            )
            processes.append(process)
            wait_for(f"http://{host}:{port + number - 1}/Plone", process)
        print(
            f"\nZEO on {host}:{zeo_port}; Plone on http://{host}:{port}/Plone and "
            f"http://{host}:{port + 1}/Plone. Press Ctrl+C to stop.\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)


if __name__ == "__main__":
    main()
