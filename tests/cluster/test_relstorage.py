"""Two instances on RelStorage with PostgreSQL."""

import pytest

from .checks import ClusterChecks


@pytest.fixture(scope="module")
def cluster(relstorage_cluster):
    return relstorage_cluster


class TestRelStorage(ClusterChecks):
    pass
