"""Two instances on ZEO (without server-sync, ZEO's default)."""

import pytest

from .checks import ClusterChecks


@pytest.fixture(scope="module")
def cluster(zeo_cluster):
    return zeo_cluster


class TestZeo(ClusterChecks):
    pass
