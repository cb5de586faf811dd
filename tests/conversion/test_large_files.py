"""A 20 MB file goes through conversion and "Download as" without growing Plone's memory.

The Docs double runs in a child process here, so that this process's memory is Plone's (the
WSGI server thread) and the test client's only: the double keeps whole files in memory, Plone
must not. It serves 20 MB results (``result_oversize_bytes``) from a 20 MB source.

The WSGI server (waitress) has buffers of its own that are not Plone's: up to
``outbuf_high_watermark`` (16 MB by default) of response per connection, and socket-sized
chunks (``SO_SNDBUF``, megabytes on loopback). They are made small here, so that they cannot
hide a whole file held by Plone's code; in production they are bounded by those settings,
whatever the file size.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
import zipfile

import pytest
import transaction
from plone import api

from onlyoffice_docs_double import samples
from onlyoffice_plone.settings import set_jwt_secret

pytestmark = pytest.mark.slow

SIZE = 20 * 1024 * 1024
#: Allowed growth of traced memory while 20 MB pass through three times.
BUDGET = 6 * 1024 * 1024
SECRET = "child-double-secret-0123456789abcdef"

LAUNCH = """
import sys
from onlyoffice_docs_double import DocsDouble
double = DocsDouble(host="127.0.0.1", port=0, secret=sys.argv[1], save_delay=0.2,
                    retry_scale=0.01, max_download_bytes=200 * 1024 * 1024)
double.faults.result_oversize_bytes = int(sys.argv[2])
double.start()
print(double.url, flush=True)
sys.stdin.read()
double.stop()
"""


@pytest.fixture
def small_server_buffers(monkeypatch):
    from plone.testing.zope import WSGI_SERVER_FIXTURE
    from waitress import channel

    adj = WSGI_SERVER_FIXTURE.server.adj
    monkeypatch.setattr(adj, "outbuf_high_watermark", 256 * 1024)
    monkeypatch.setattr(adj, "outbuf_overflow", 64 * 1024)
    original = channel.HTTPChannel.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.sendbuf_len = min(self.sendbuf_len, 64 * 1024)

    monkeypatch.setattr(channel.HTTPChannel, "__init__", init)


@pytest.fixture
def child_double():
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, SECRET, str(SIZE + 1024)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), url
        yield url
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def large_odt():
    """An ODF text of 20 MB: a small document plus an incompressible stored attachment."""
    small = zipfile.ZipFile(io.BytesIO(samples.odt("A large document")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in small.infolist():
            data = small.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b"</manifest:manifest>",
                    b'<manifest:file-entry manifest:full-path="Attachments/blob.bin" '
                    b'manifest:media-type="application/octet-stream"/></manifest:manifest>',
                )
            archive.writestr(info, data)
        archive.writestr(
            zipfile.ZipInfo("Attachments/blob.bin"), os.urandom(SIZE), zipfile.ZIP_STORED
        )
    return buffer.getvalue()


def test_twenty_megabytes_without_memory_growth(site, child_double, small_server_buffers):
    site.set(docs_url=child_double + "/")
    set_jwt_secret(site.portal, SECRET)
    transaction.commit()
    data = large_odt()
    assert len(data) > SIZE
    source = site.add("large", data, "large.odt")
    del data
    token = site.csrf(source)

    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        # One peak over the whole flow, nothing reset in between.
        # Convert to a new item: Docs downloads 20 MB from Plone, Plone fetches the 20 MB
        # result from Docs and stores it in a new item.
        response = site.convert(source, "new", token=token)
        assert response.status_code == 201, response.text
        # Download as PDF: Plone fetches 20 MB from Docs and streams them to the user.
        for _round in range(20):
            state = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=pdf&wait=15")
            if state.json().get("status") != "running":
                break
        assert state.json()["status"] == "done", state.text
        received = 0
        with site.get(
            state.json()["download_url"], headers={"Accept": "*/*"}, stream=True
        ) as download:
            assert download.status_code == 200
            for chunk in download.iter_content(256 * 1024):
                received += len(chunk)
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert received > SIZE
    assert peak < BUDGET, f"memory grew by {peak / 1024 / 1024:.1f} MB"
    site.sync()
    item = api.content.get(UID=response.json()["uid"])
    assert item.file.getSize() > SIZE
