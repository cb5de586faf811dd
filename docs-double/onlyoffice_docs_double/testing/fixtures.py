"""pytest fixtures: the Docs test double started for one test.

Import them explicitly in a conftest.py (needs pytest)::

    from onlyoffice_docs_double.testing.fixtures import docs_double, docs_double_factory

- ``docs_double``: a DocsDouble started on a free loopback port for one test, with JWT on
  (secret ``DOCS_DOUBLE_SECRET``), a 0.2 s save delay and retries 100 times faster than Docs'.
  Stopped after the test.
- ``docs_double_factory(**kwargs)``: start doubles with other settings (``secret=None`` for JWT
  off, ``header=...``, ``save_delay=...``); all are stopped after the test.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest

from .. import DOCS_DOUBLE_SECRET
from .. import DocsDouble

DOCS_DOUBLE_DEFAULTS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 0,
    "secret": DOCS_DOUBLE_SECRET,
    "save_delay": 0.2,
    "retry_scale": 0.01,
}


@pytest.fixture
def docs_double_factory() -> Iterator[Callable[..., DocsDouble]]:
    started: list[DocsDouble] = []

    def start(**kwargs: Any) -> DocsDouble:
        double = DocsDouble(**{**DOCS_DOUBLE_DEFAULTS, **kwargs}).start()
        started.append(double)
        return double

    yield start
    for double in started:
        double.stop()


@pytest.fixture
def docs_double(docs_double_factory: Callable[..., DocsDouble]) -> DocsDouble:
    return docs_double_factory()
