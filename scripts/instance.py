"""``make run``: a Zope instance with a Plone site and the add-on, served by waitress.

    python scripts/instance.py

Environment: HOST (127.0.0.1), PORT (8080), INSTANCE (var/instance), ADMIN_PASSWORD
(admin when the instance is created; when given later, the admin's password is reset to it),
MAX_REQUEST_BODY_MB (256: larger request bodies are refused with 413 before they are read),
and ONLYOFFICE_DOCS_URL, ONLYOFFICE_DOCS_INTERNAL_URL, ONLYOFFICE_PLONE_INTERNAL_URL,
ONLYOFFICE_JWT_SECRET, written into the add-on's settings at every start when set.
The instance keeps its data (FileStorage and blobs) under INSTANCE/var between runs.

Without ONLYOFFICE_DOCS_URL, the ONLYOFFICE Docs test double runs beside Plone on
HOST:DOCS_DOUBLE_PORT (8000) as a child of this script, and the site is set up for it, unless
the site already uses another Docs (``scripts/first_run.py``). A folder of sample documents
is added once (``scripts/first_run_samples.py``; SAMPLES=0: not). Ctrl+C or SIGTERM stops
Plone and the double.

Scale-out (``make run-cluster``, ``scripts/cluster.py``): STORAGE=zeo with ZEO_ADDRESS
(host:port of a ZEO server) and BLOB_DIR (the server's blob directory, shared), or
STORAGE=relstorage with RELSTORAGE_DSN (a libpq connection string for PostgreSQL) and
BLOB_DIR (shared by every instance). Without STORAGE, a FileStorage under INSTANCE/var.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import first_run
from Zope2.utilities.mkwsgiinstance import write_inituser

SITE_ID = "Plone"
HERE = Path(__file__).resolve().parent


def _bin(name):
    return str(Path(sys.executable).with_name(name))


def create_instance(instance, password):
    # The real password never goes on a command line (ps shows those): mkwsgiinstance gets
    # a throwaway one, then inituser is written here.
    subprocess.run(
        [_bin("mkwsgiinstance"), "-d", str(instance), "-u", f"admin:{secrets.token_hex(16)}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    write_inituser(str(instance / "inituser"), "admin", password)
    conf = instance / "etc" / "zope.conf"
    text = conf.read_text()
    storage = "path $INSTANCE/var/Data.fs"
    if storage not in text:
        sys.exit(f"{conf} does not look as mkwsgiinstance writes it: cannot add the blob storage")
    # Plone stores files as blobs: give the FileStorage a blob directory.
    text = text.replace(
        storage,
        "path $INSTANCE/var/filestorage/Data.fs\n     blob-dir $INSTANCE/var/blobstorage",
    )
    conf.write_text(text)
    (instance / "var" / "filestorage").mkdir(parents=True, exist_ok=True)
    (instance / "var" / "blobstorage").mkdir(parents=True, exist_ok=True)


#: The largest request body waitress accepts (bytes): 256 MiB. Larger bodies are refused
#: with 413 before they are read, so no anonymous request fills the disk or memory; it is
#: more than the add-on's largest file (100 MB by default) and most uploads through Plone's
#: forms. MAX_REQUEST_BODY_MB changes it.
MAX_REQUEST_BODY = 256 * 1024 * 1024


STORAGE_BLOCK = re.compile(
    r"(?ms)^(?P<indent>[ \t]*)<(?P<tag>filestorage|zeoclient|relstorage)>.*?</(?P=tag)>[ \t]*$"
)
RELSTORAGE_IMPORT = "%import relstorage\n"


def storage_block(environment, instance):
    """The ``zope.conf`` storage section STORAGE asks for."""
    kind = environment.get("STORAGE", "filestorage")
    if kind == "filestorage":
        return (
            "<filestorage>\n      path $INSTANCE/var/filestorage/Data.fs\n"
            "      blob-dir $INSTANCE/var/blobstorage\n    </filestorage>"
        )
    blob_dir = environment.get("BLOB_DIR")
    if not blob_dir:
        sys.exit(f"STORAGE={kind} needs BLOB_DIR, a blob directory every instance shares")
    if kind == "zeo":
        address = environment.get("ZEO_ADDRESS")
        if not address:
            sys.exit("STORAGE=zeo needs ZEO_ADDRESS (host:port of the ZEO server)")
        return (
            f"<zeoclient>\n      server {address}\n      blob-dir {blob_dir}\n"
            "      shared-blob-dir true\n      name main\n    </zeoclient>"
        )
    if kind == "relstorage":
        dsn = environment.get("RELSTORAGE_DSN")
        if not dsn:
            sys.exit("STORAGE=relstorage needs RELSTORAGE_DSN (a PostgreSQL connection string)")
        return (
            f"<relstorage>\n      blob-dir {blob_dir}\n      shared-blob-dir true\n"
            f"      <postgresql>\n        dsn {dsn}\n      </postgresql>\n    </relstorage>"
        )
    sys.exit(f"STORAGE={kind!r}: use filestorage, zeo or relstorage")


def configure_storage(instance, environment):
    conf = instance / "etc" / "zope.conf"
    text = conf.read_text()
    if not STORAGE_BLOCK.search(text):
        sys.exit(f"{conf} has no storage section this script knows")
    block = storage_block(environment, instance)
    text = STORAGE_BLOCK.sub(lambda match: match.group("indent") + block, text, count=1)
    text = text.replace(RELSTORAGE_IMPORT, "")
    if "<relstorage>" in block:
        text = RELSTORAGE_IMPORT + text
    conf.write_text(text)


def configure_server(instance, host, port, max_body=MAX_REQUEST_BODY):
    ini = instance / "etc" / "zope.ini"
    text = ini.read_text()
    text = re.sub(r"(?m)^host = .*$", lambda _match: f"host = {host}", text)
    text = re.sub(r"(?m)^port = .*$", lambda _match: f"port = {port}", text)
    if "threads = " not in text:
        # Docs downloads files and posts callbacks while editors' pages are open.
        text = text.replace(f"port = {port}", f"port = {port}\nthreads = 8", 1)
    limit = f"max_request_body_size = {max_body}"
    if "max_request_body_size = " in text:
        text = re.sub(r"(?m)^max_request_body_size = .*$", lambda _match: limit, text)
    else:
        text = text.replace(f"port = {port}", f"port = {port}\n{limit}", 1)
    ini.write_text(text)


def port_is_free(host, port):
    """Can a server bind ``host:port``? (Addresses left in TIME_WAIT by a server that just
    stopped do not count: servers set SO_REUSEADDR, and so does this probe.)"""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError:
            return False
    return True


def require_free_port(host, port, what, variable):
    if not port_is_free(host, port):
        sys.exit(
            f"Port {port} on {host} is in use, so {what} cannot start there. Stop what uses it, "
            f"or choose another port: {variable}=<port> make run"
        )


def require_idle_instance(instance, environment):
    """Stop here, before this start rewrites its settings, when another ``make run`` serves
    ``instance`` from its own file database (it holds the database's lock)."""
    if environment.get("STORAGE", "filestorage") != "filestorage":
        return
    lock_path = instance / "var" / "filestorage" / "Data.fs.lock"
    if not lock_path.exists():
        return
    import zc.lockfile  # the ZODB's own lock, in Plone's environment

    try:
        zc.lockfile.LockFile(str(lock_path)).close()
    except zc.lockfile.LockError:
        sys.exit(
            f"The Plone of {instance} is running already (its database is in use). Stop it "
            "first (Ctrl+C where it runs), or start another instance beside it: "
            "INSTANCE=var/other PORT=<port> DOCS_DOUBLE_PORT=<port> make run"
        )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(instance, double):
    """Run Plone (and the double) until either stops, Ctrl+C or SIGTERM; then stop both."""
    runwsgi = shutil.which("runwsgi", path=str(Path(sys.executable).parent)) or _bin("runwsgi")
    plone = subprocess.Popen([runwsgi, str(instance / "etc" / "zope.ini")])
    children = [plone] + ([double.process] if double else [])
    status = 0
    try:
        while True:
            if plone.poll() is not None:
                status = plone.returncode
                break
            if double and double.process.poll() is not None:
                print(
                    f"The ONLYOFFICE Docs test double stopped (exit {double.process.returncode})"
                    ": stopping Plone.",
                    file=sys.stderr,
                    flush=True,
                )
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return status


def main():
    # Stopped by a process manager (SIGTERM) as by Ctrl+C: stop Plone and the double too.
    signal.signal(signal.SIGTERM, _interrupt)
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8080")
    instance = Path(os.environ.get("INSTANCE", "var/instance")).resolve()
    password = os.environ.get("ADMIN_PASSWORD")
    docs_url = os.environ.get("ONLYOFFICE_DOCS_URL")
    double_port = os.environ.get("DOCS_DOUBLE_PORT", "8000")
    require_free_port(host, port, "Plone", "PORT")
    require_idle_instance(instance, os.environ)

    env = dict(os.environ, ONLYOFFICE_SITE_ID=SITE_ID)
    if (instance / "etc" / "zope.conf").exists():
        env["ONLYOFFICE_RESET_ADMIN_PASSWORD"] = "1"  # noqa: S105 - a flag, not a password
    else:
        print(f"Creating the Zope instance in {instance}")
        create_instance(instance, password or "admin")
    max_body_mb = os.environ.get("MAX_REQUEST_BODY_MB")
    max_body = int(max_body_mb) * 1024 * 1024 if max_body_mb else MAX_REQUEST_BODY
    configure_server(instance, host, port, max_body)
    configure_storage(instance, os.environ)

    state = first_run.prepare_state(instance)
    env.update(ONLYOFFICE_RUN_STATE=str(state), ONLYOFFICE_RUN_SCRIPTS=str(HERE))
    if not docs_url:
        env["ONLYOFFICE_RUN_DOUBLE_URL"] = first_run.double_url(host, double_port)
    (state / "docs-in-use").unlink(missing_ok=True)
    setup = HERE / "instance_setup.py"
    subprocess.run(
        [_bin("zconsole"), "run", str(instance / "etc" / "zope.conf"), str(setup)],
        check=True,
        env=env,
    )
    in_use = first_run.docs_in_use(state, docs_url)

    double = None
    if in_use.is_double:
        require_free_port(host, double_port, "the ONLYOFFICE Docs test double", "DOCS_DOUBLE_PORT")
        double = first_run.DoubleProcess(host, double_port, state)
        double.start()

    url = f"http://{host}:{port}/{SITE_ID}"
    login = "admin / the ADMIN_PASSWORD you gave" if password else "admin / admin"
    samples = "" if os.environ.get("SAMPLES") == "0" else f"{url}/{first_run.SAMPLES_FOLDER}"
    print(
        f"\nPlone with ONLYOFFICE is starting on {url}\n"
        f"  log in as {login}\n"
        + (f"  sample documents: {samples}\n" if samples else "")
        + f"  settings: {url}/@@onlyoffice-controlpanel\n"
        f"{first_run.docs_banner(in_use, double)}"
        f"  data: {instance / 'var'}\n"
        "Press Ctrl+C to stop.\n",
        flush=True,
    )
    sys.exit(serve(instance, double))


if __name__ == "__main__":
    main()
