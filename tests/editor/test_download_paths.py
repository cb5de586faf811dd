"""Downloading a result over real sockets, by both paths: spliced in the kernel (plain HTTP
with a declared length, on Linux) and read through Python (everything else)."""

import contextlib
import gzip
import hashlib
import http.server
import os
import threading
import time

import pytest

from onlyoffice_plone.docs import fetch
from onlyoffice_plone.settings import Settings

SETTINGS = Settings(docs_url="http://127.0.0.1/")
BODY = os.urandom(3 * 1024 * 1024 + 12345)  # more than one pipe's worth, not a multiple


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves BODY the way the test asks (``server.behaviour``)."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        how = self.server.behaviour
        if how == "gzip":
            data = gzip.compress(BODY)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if how == "chunked":
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for start in range(0, len(BODY), 1 << 20):
                part = BODY[start : start + (1 << 20)]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        if how == "short":  # the connection ends before the declared length
            self.wfile.write(BODY[: len(BODY) // 2])
        elif how == "stall":  # half the body, then nothing for longer than the read timeout
            self.wfile.write(BODY[: len(BODY) // 2])
            self.wfile.flush()
            time.sleep(2)
        elif how == "trickle":  # bytes keep coming, each well within the read timeout
            for start in range(0, len(BODY), 4096):
                self.wfile.write(BODY[start : start + 4096])
                self.wfile.flush()
                time.sleep(0.01)
        else:
            self.wfile.write(BODY)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.behaviour = "plain"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def spliced(monkeypatch):
    """How many downloads went the spliced way."""
    calls = []
    real = fetch._splice_body

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(fetch, "_splice_body", counting)
    return calls


def url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/cache/output.docx?md5=secret"


def digest(path):
    with open(path, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


@pytest.mark.skipif(not fetch.SPLICE, reason="splice is Linux's")
def test_a_plain_http_body_is_spliced_into_the_file_byte_for_byte(server, spliced, tmp_path):
    download = fetch.download(url(server), SETTINGS, str(tmp_path), 10**9)
    assert len(spliced) == 1
    assert download.size == len(BODY) == os.path.getsize(download.path)
    assert digest(download.path) == hashlib.sha256(BODY).hexdigest()


@pytest.mark.parametrize("behaviour", ["plain", "chunked", "gzip"])
def test_every_path_stores_the_same_bytes(server, spliced, tmp_path, monkeypatch, behaviour):
    server.behaviour = behaviour
    monkeypatch.setattr(fetch, "SPLICE", behaviour == "plain" and fetch.SPLICE)
    download = fetch.download(url(server), SETTINGS, str(tmp_path), 10**9)
    assert len(spliced) == int(behaviour == "plain" and fetch.SPLICE)
    assert digest(download.path) == hashlib.sha256(BODY).hexdigest()
    assert download.size == len(BODY)


@pytest.mark.parametrize("splice", [True, False])
def test_a_body_that_ends_early_is_a_transient_failure(server, tmp_path, monkeypatch, splice):
    server.behaviour = "short"
    monkeypatch.setattr(fetch, "SPLICE", splice and fetch.SPLICE)
    with pytest.raises(fetch.FetchError) as failed:
        fetch.download(url(server), SETTINGS, str(tmp_path), 10**9)
    assert failed.value.transient
    assert "secret" not in failed.value.message
    assert list(tmp_path.iterdir()) == [], "the partial file is removed"


@pytest.mark.parametrize("splice", [True, False])
def test_a_stalled_body_fails_after_the_read_timeout(server, tmp_path, monkeypatch, splice):
    server.behaviour = "stall"
    monkeypatch.setattr(fetch, "SPLICE", splice and fetch.SPLICE)
    monkeypatch.setattr(fetch, "TIMEOUT", (5, 0.3))
    with pytest.raises(fetch.FetchError) as failed:
        fetch.download(url(server), SETTINGS, str(tmp_path), 10**9)
    assert failed.value.transient
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("splice", [True, False])
def test_a_body_that_trickles_past_the_deadline_is_given_up(server, tmp_path, monkeypatch, splice):
    server.behaviour = "trickle"
    monkeypatch.setattr(fetch, "SPLICE", splice and fetch.SPLICE)
    with pytest.raises(fetch.FetchError) as failed:
        fetch.download(url(server), SETTINGS, str(tmp_path), 10**9, deadline=0.3)
    assert failed.value.transient
    assert "took more than" in failed.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_declared_length_over_the_limit_is_refused_before_reading(server, tmp_path):
    with pytest.raises(fetch.FetchError) as refused:
        fetch.download(url(server), SETTINGS, str(tmp_path), len(BODY) - 1)
    assert refused.value.status == 413
    with contextlib.suppress(StopIteration):
        assert next(tmp_path.iterdir()) is None, "nothing was written"


@pytest.mark.skipif(not fetch.SPLICE, reason="splice is Linux's")
def test_where_the_kernel_cannot_splice_the_download_goes_through_python(
    server, tmp_path, monkeypatch, caplog
):
    """A filesystem or sandbox without splice: the download is made again the Python way,
    and the process stops trying (one warning)."""
    monkeypatch.setattr(fetch, "SPLICE", True)

    def refuse(*args, **kwargs):
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "splice", refuse)
    download = fetch.download(url(server), SETTINGS, str(tmp_path), 10**9)
    assert digest(download.path) == hashlib.sha256(BODY).hexdigest()
    assert list(tmp_path.iterdir()) == [tmp_path / os.path.basename(download.path)]
    assert fetch.SPLICE is False
    assert [r for r in caplog.records if "splicing downloads" in r.getMessage()]
