"""A plone.testing layer that runs the Docs test double beside the layers that need it.

``DOCS_DOUBLE_FIXTURE`` starts a DocsDouble on a free loopback port (JWT on with
``DOCS_DOUBLE_SECRET``, a 0.2 s save delay, fast retries) and exposes it as the layer resource
``docs_double``; every test starts with the double reset (no faults, no sessions, no log).
Needs plone.testing (not Plone itself).
"""

from __future__ import annotations

from plone.testing import Layer

from .. import DOCS_DOUBLE_SECRET
from .. import DocsDouble


class DocsDoubleLayer(Layer):
    defaultBases = ()

    def setUp(self) -> None:
        self["docs_double"] = DocsDouble(
            host="127.0.0.1",
            port=0,
            secret=DOCS_DOUBLE_SECRET,
            save_delay=0.2,
            retry_scale=0.01,
        ).start()

    def tearDown(self) -> None:
        self["docs_double"].stop()
        del self["docs_double"]

    def testSetUp(self) -> None:
        self["docs_double"].reset()


DOCS_DOUBLE_FIXTURE = DocsDoubleLayer(name="onlyoffice_docs_double:DocsDouble")
