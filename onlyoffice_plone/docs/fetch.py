"""Fetching what ONLYOFFICE Docs produced: a streamed download into a temporary file.

The file is downloaded once, in chunks, into a temporary file next to the blob storage, with
the size limit enforced while reading: a document never passes through memory. On Linux, a
plain-HTTP body of declared length goes from the socket into the file inside the kernel
(``splice``): no copy through Python, and other requests' threads run meanwhile, since the
interpreter's lock is free while the kernel moves the bytes. TLS, compressed or chunked
bodies take the general path. Nothing is
followed but the URL itself (no redirects), every request has a timeout, and the whole
download a deadline.

Docs' result URLs are signed links (``?md5=…&expires=…``): they never go into a log line or
an error message with their query (``redact``, ``redact_text``).
"""

import contextlib
import errno
import fcntl
import logging
import os
import re
import select
import shutil
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse

import requests

from onlyoffice_plone.errors import OnlyofficeError

logger = logging.getLogger("onlyoffice_plone")

#: (connect, read) seconds when Plone downloads a result from Docs.
TIMEOUT = (10, 60)
#: Seconds one whole download may take. Docs waits 10 minutes for the callback's reply, and
#: a callback may download the result and its changes: both, each with a last slow read,
#: stay below that.
DEADLINE = 180
CHUNK = 1024 * 1024
#: Move plain-HTTP bodies from the socket to the file in the kernel where Linux can.
SPLICE = hasattr(os, "splice")
#: The pipe ``splice`` moves through (Linux allows 1 MiB to anyone by default).
PIPE_SIZE = 1024 * 1024
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


def redact(url):
    """``url`` without its query and fragment: Docs' links are signed there."""
    parts = urllib.parse.urlsplit(url or "")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


#: The query of a URL inside an error message (up to a space, quote or parenthesis).
QUERY = re.compile(r"""\?[^\s)'"]*""")


def redact_text(text):
    """``text`` (an error message) without the query of any URL in it."""
    return QUERY.sub("?…", text)


def _describe(exc):
    """A network error for a log line, without the signed query of the URL it names."""
    return f"{type(exc).__name__}: {redact_text(str(exc))}"


class FetchError(OnlyofficeError):
    """Fetching a file from Docs failed. ``transient`` failures (Docs or the network may do
    better later) have status 503; the others a 4xx: asking again would not help."""

    def __init__(self, message, status=400, transient=False):
        super().__init__("FetchFailed", message, 503 if transient else status, detail=message)
        self.transient = transient


class Download:
    """A result downloaded to a temporary file; delete() removes it."""

    def __init__(self, path, size):
        self.path = path
        self.size = size

    @contextlib.contextmanager
    def linked_copy(self):
        """A file object on a fresh name for the same bytes, for a blob to consume."""
        directory = os.path.dirname(self.path)
        fd, link = tempfile.mkstemp(prefix="onlyoffice-", dir=directory)
        os.close(fd)
        os.unlink(link)
        try:
            os.link(self.path, link)
        except OSError:
            shutil.copyfile(self.path, link)
        try:
            with open(link, "rb") as handle:
                yield handle
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)

    def delete(self):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def download(url, settings, directory, max_bytes, http=None, deadline=DEADLINE):
    """Stream ``url`` (already checked to be on a Docs origin) into a file in ``directory``.

    Gives up (transiently) when the whole download takes more than ``deadline`` seconds.
    """
    http = http or requests
    shown = redact(url)
    end = time.monotonic() + deadline
    try:
        response = http.get(
            url,
            stream=True,
            allow_redirects=False,
            timeout=TIMEOUT,
            verify=settings.verify_tls,
        )
    except requests.RequestException as exc:
        raise FetchError(
            f"downloading the result from {shown} failed: {_describe(exc)}", transient=True
        ) from exc
    with response:
        if response.is_redirect or 300 <= response.status_code < 400:
            raise FetchError(
                f"the result URL {shown} redirects (HTTP {response.status_code}) to "
                f"{redact(response.headers.get('Location', '?'))}: refused",
                status=400,
            )
        if response.status_code != 200:
            # 429 and 5xx may pass: Docs retries. Anything else (404, 410: the link expired
            # or is wrong) will not, so Docs should not retry; 424 = a request we depend on
            # failed.
            raise FetchError(
                f"downloading the result from {shown} answered HTTP {response.status_code}",
                status=424,
                transient=response.status_code >= 500 or response.status_code == 429,
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(
                f"the result has {declared} bytes, more than the limit of {max_bytes}",
                status=413,
            )
        spliceable = _spliceable(response, max_bytes)
        fd, path = tempfile.mkstemp(prefix="onlyoffice-result-", dir=directory)
        size = 0
        try:
            if spliceable is not None:
                try:
                    size = _splice_body(*spliceable, fd, end, shown, deadline)
                finally:
                    os.close(fd)
                return Download(path, size)
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(
                            f"the result is larger than the limit of {max_bytes} bytes",
                            status=413,
                        )
                    if time.monotonic() > end:
                        raise FetchError(
                            f"downloading the result from {shown} took more than "
                            f"{deadline} seconds",
                            transient=True,
                        )
                    out.write(chunk)
        except _SpliceUnsupported as exc:
            os.unlink(path)
            unsupported = exc
        except (requests.RequestException, OSError) as exc:
            os.unlink(path)
            raise FetchError(
                f"downloading the result from {shown} failed: {_describe(exc)}", transient=True
            ) from exc
        except BaseException:
            os.unlink(path)
            raise
        else:
            return Download(path, size)
    # The kernel cannot splice here: once more through Python (the link still holds, the
    # deadline goes on).
    _stop_splicing(unsupported)
    return download(url, settings, directory, max_bytes, http, end - time.monotonic())


class _SpliceUnsupported(Exception):
    """The kernel refuses to splice this socket or file (a filesystem, a sandbox)."""


#: What splice answers where it cannot be used at all.
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP})


def _stop_splicing(exc):
    global SPLICE
    if SPLICE:
        SPLICE = False
        logger.warning(
            "splicing downloads into the blob directory is not possible here (%s): "
            "this process reads them through Python from now on",
            exc.__cause__ or exc,
        )


def _splice(source, target, count, flags):
    try:
        return os.splice(source, target, count, flags=flags)
    except BlockingIOError:
        raise
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            raise _SpliceUnsupported() from exc
        raise


def _spliceable(response, max_bytes):
    """``(body, reader, sock)`` when ``response``'s body can be spliced into a file: plain
    HTTP (no TLS) on a socket with a timeout, a declared length within ``max_bytes``, no
    transfer or content encoding; else None (and the general path reads it)."""
    if not SPLICE:
        return None
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        return None
    body = getattr(getattr(response, "raw", None), "_fp", None)  # http.client's, in urllib3's
    if body is None or getattr(body, "chunked", True):
        return None
    if not isinstance(body.length, int) or body.length > max_bytes:
        return None
    reader = getattr(body, "fp", None)  # buffered over the socket
    sock = getattr(getattr(reader, "raw", None), "_sock", None)
    if not isinstance(sock, socket.socket) or isinstance(sock, ssl.SSLSocket):
        return None
    if sock.gettimeout() is None:  # a blocking socket would ignore the deadline
        return None
    return body, reader, sock


def _splice_body(body, reader, sock, fd, end, shown, deadline):
    """Move the rest of ``body`` (its declared length) into ``fd``; the bytes moved.

    What the reader already holds (read with the headers) is written first; the rest goes
    socket -> pipe -> file in the kernel, waiting for the socket at most the read timeout
    each time and giving up at ``end``. A body that ends early is a transient failure.
    """
    length = left = body.length
    held = reader.peek(0)[:left] if left else b""
    if held:
        reader.read(len(held))
        _write_all(fd, held)
        left -= len(held)
    read_timeout = TIMEOUT[1]
    pipe_out, pipe_in = os.pipe()
    try:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe_in, _F_SETPIPE_SZ, PIPE_SIZE)
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN)
        while left > 0:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise FetchError(
                    f"downloading the result from {shown} took more than {deadline} seconds",
                    transient=True,
                )
            try:
                moved = _splice(
                    sock.fileno(),
                    pipe_in,
                    min(left, PIPE_SIZE),
                    os.SPLICE_F_MOVE | os.SPLICE_F_NONBLOCK,
                )
            except BlockingIOError:
                waited = poller.poll(min(read_timeout, remaining) * 1000)
                if not waited and remaining > read_timeout:
                    raise FetchError(
                        f"downloading the result from {shown} failed: no data for "
                        f"{read_timeout} seconds",
                        transient=True,
                    ) from None
                continue
            if moved == 0:
                raise FetchError(
                    f"downloading the result from {shown} failed: the body ended after "
                    f"{length - left} of {length} bytes",
                    transient=True,
                )
            left -= moved
            while moved:
                moved -= _splice(pipe_out, fd, moved, os.SPLICE_F_MOVE)
    finally:
        os.close(pipe_out)
        os.close(pipe_in)
    return length


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Background:
    """``function(*args)`` run in a thread of its own: a second download beside the first.

    The function must not touch the ZODB (a download does not). ``result()`` waits for it
    and gives its return value (or raises its exception); ``discard()`` waits and deletes
    the Download it made.
    """

    def __init__(self, function, *args):
        self._value = None
        self._error = None
        self._thread = threading.Thread(
            target=self._run, args=(function, args), name="onlyoffice-fetch", daemon=True
        )
        self._thread.start()

    def _run(self, function, args):
        try:
            self._value = function(*args)
        except BaseException as exc:  # handed to whoever waits for the result
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def discard(self):
        with contextlib.suppress(Exception):
            value = self.result()
            if value is not None:
                value.delete()
