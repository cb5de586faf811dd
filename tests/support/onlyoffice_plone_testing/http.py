"""A small HTTP server of a test's own, on a free loopback port."""

import contextlib
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that writes no access log to the test's output."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(handler_class):
    """Serve ``handler_class`` in a thread while the block runs; yields the base URL
    (``http://127.0.0.1:<port>``, no trailing slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
