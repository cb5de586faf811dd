"""``python -m onlyoffice_docs_double``: run the Docs test double in a shell."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from .server import DISCONNECT_AFTER
from .server import DocsDouble

BANNER = """\
ONLYOFFICE Docs test double {version} (NOT ONLYOFFICE Docs: a stand-in for checks and tests)
  listening on        {url}/
  JWT                 {jwt}
  LibreOffice         {soffice}
  save delay          {save_delay} s after the last editor leaves
  lost pages          an editor page silent for {disconnect_after} s leaves its session

In Plone's ONLYOFFICE control panel enter:
  ONLYOFFICE Docs address     {url}/
  JWT secret                  {secret_hint}
  JWT header                  {header}

Then open a document in Plone: the double downloads it from Plone and posts callbacks to Plone,
and logs each download and callback below, so you can see whether Docs would reach Plone.
Status page (it lists live sessions: keep this address to yourself):
  {url}/?access={access}
Stop with Ctrl+C.
"""

#: The banner when another program started the double and configured Plone for it
#: (``make run``): what it is, where, and whether it converts; no set-up instructions.
BRIEF_BANNER = (
    "ONLYOFFICE Docs test double {version} (NOT ONLYOFFICE Docs: a stand-in for trying the "
    "add-on)\n  listening on {url}/ - JWT {jwt} - LibreOffice: {soffice}"
)

WIDE_OPEN = """\
WARNING: listening on {host}: every machine that reaches this one can use the double.
It is a test stand-in: give it a secret of its own, never your ONLYOFFICE Docs' real one.
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
        "--secret-file",
        default=None,
        help="a file holding the JWT secret shared with Plone (default: $JWT_SECRET; "
        "neither = JWT off)",
    )
    parser.add_argument(
        "--secret",
        default=None,
        help="FOR TESTS ONLY: the JWT secret on the command line, where every user of the "
        "machine sees it (ps); use $JWT_SECRET or --secret-file",
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
        "--disconnect-after",
        type=float,
        default=DISCONNECT_AFTER,
        help="seconds after which an editor page that stopped answering (the network lost, "
        "a machine asleep or crashed) leaves its session, as Docs' socket pings find "
        "(default 45)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        help="address browsers and Plone use to reach the double, if not http://HOST:PORT",
    )
    parser.add_argument(
        "--access-file",
        default=None,
        help="a file holding the status pages' access token (default: random per start)",
    )
    parser.add_argument(
        "--brief",
        action="store_true",
        help="a two-line banner, for a program that started the double and set Plone up for it",
    )
    parser.add_argument("--version-string", default="9.1.0.0", help="version to report")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    args = parser.parse_args(argv)
    if not args.disconnect_after > 0:
        parser.error("--disconnect-after must be a positive number of seconds")
    if args.secret_file:
        with open(args.secret_file, encoding="utf-8") as f:
            args.secret = f.read().strip()
    elif args.secret is None:
        args.secret = os.environ.get("JWT_SECRET")
    args.access = None
    if args.access_file:
        with open(args.access_file, encoding="utf-8") as f:
            args.access = f.read().strip() or None
    return args


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
        access_token=args.access,
        disconnect_after=args.disconnect_after,
    )
    stop = threading.Event()
    # Before the banner: whoever reads it may stop the double at once.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    double.start()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(WIDE_OPEN.format(host=args.host), flush=True)
    print(
        (BRIEF_BANNER if args.brief else BANNER).format(
            version=double.version,
            url=double.url,
            jwt=f"on (header {double.header})" if double.secret else "off",
            soffice=double.soffice or "not installed (conversions answer -3)",
            save_delay=args.save_delay,
            disconnect_after=args.disconnect_after,
            secret_hint="the same secret as the double's" if double.secret else "(leave empty)",
            header=double.header,
            access=double.access_token,
        ),
        flush=True,
    )

    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
