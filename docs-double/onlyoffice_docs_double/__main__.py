"""``python -m onlyoffice_docs_double``: run the Docs test double in a shell."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from .server import DocsDouble

BANNER = """\
ONLYOFFICE Docs test double {version} (NOT ONLYOFFICE Docs: a stand-in for checks and tests)
  listening on        {url}/
  JWT                 {jwt}
  LibreOffice         {soffice}
  save delay          {save_delay} s after the last editor leaves

In Plone's ONLYOFFICE control panel enter:
  ONLYOFFICE Docs address     {url}/
  JWT secret                  {secret_hint}
  JWT header                  {header}

Then open a document in Plone: the double downloads it from Plone and posts callbacks to Plone,
and logs each download and callback below, so you can see whether Docs would reach Plone.
Status page: {url}/   Stop with Ctrl+C.
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m onlyoffice_docs_double",
        description="Run the ONLYOFFICE Docs test double: it speaks Docs' protocol (editor "
        "api.js, callbacks, conversion and command services) so you can check that Plone's "
        "download and callback endpoints work before deploying Docs.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 = any)")
    parser.add_argument(
        "--secret",
        default=os.environ.get("JWT_SECRET"),
        help="JWT secret shared with Plone (default: $JWT_SECRET; none = JWT off)",
    )
    parser.add_argument(
        "--header",
        default=os.environ.get("JWT_HEADER", "Authorization"),
        help="JWT header name (default: $JWT_HEADER or Authorization)",
    )
    parser.add_argument(
        "--save-delay",
        type=float,
        default=10.0,
        help="seconds between the last editor leaving and the status 2 callback (default 10)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        help="address browsers and Plone use to reach the double, if not http://HOST:PORT",
    )
    parser.add_argument("--version-string", default="9.1.0.0", help="version to report")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(message)s",
        stream=sys.stdout,
    )
    double = DocsDouble(
        host=args.host,
        port=args.port,
        secret=args.secret,
        header=args.header,
        save_delay=args.save_delay,
        version=args.version_string,
        public_url=args.public_url,
    )
    double.start()
    print(
        BANNER.format(
            version=double.version,
            url=double.url,
            jwt=f"on (header {double.header})" if double.secret else "off",
            soffice=double.soffice or "not installed (conversions answer -3)",
            save_delay=args.save_delay,
            secret_hint="the same secret as --secret" if double.secret else "(leave empty)",
            header=double.header,
        ),
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
